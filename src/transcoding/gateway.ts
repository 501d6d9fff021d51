/**
 * gRPC transcoding, server direction: the REST gateway's routing and request
 * decoding (HTTP method, raw path, raw query, body text → request message)
 * and response encoding. Pure (no I/O): the emulator's HTTP server calls it.
 * Every failure is a `VisionError`; no input makes it throw anything else.
 *
 * Decisions (docs/transcoding.md, the server sections):
 * - Routing: see `route-trie.ts` (most specific wins: literal > `*` > `**`;
 *   per method; 405 with `Allow` when only other methods match; 404 when
 *   nothing does; empty segments never match). A path without a leading `/`,
 *   a malformed escape or non-UTF-8 bytes (`%`, `%2`, `%zz`, `%FF`) and any
 *   `.`/`..` segment (also as `%2E%2E`) are 400 INVALID_ARGUMENT, before
 *   routing: no URL normalisation ever retargets a request.
 * - Custom bindings: a `custom` kind routes like any method, upper-
 *   cased, as the method of the request is (`HEAD` next to a `GET` of the
 *   same template); the wildcard kind `*` takes every method that has no
 *   route of its own at that template (see `route-trie.ts`).
 * - Verbs: a raw `:` in the last segment followed by a verb that some route
 *   registered is read as that verb first; when routes with that verb match
 *   the path (for any method), that decides (route or 405). Otherwise the
 *   `:` is data (`/v1/things/a:b` is GetThing with name `things/a:b`). A
 *   `%3A` is always data.
 * - Captures: single-segment variables fully decoded (`%2F` → `/`),
 *   multi-segment ones decoded except `%2F` (kept as `%2F`). `+` is literal.
 * - Body: for `*`, the JSON object is the request (an empty body is `{}`);
 *   for a body field, the JSON is that field (an empty body leaves it unset);
 *   for none, the body is ignored. Unknown JSON fields are INVALID_ARGUMENT,
 *   and so is a body whose objects and arrays nest more than 100 deep
 *   (`MAX_JSON_NESTING`), found by a scan before the body is parsed.
 * - Path values are set after the body: a path-bound field that the body also
 *   sets to a different (non-default) value is INVALID_ARGUMENT, else the
 *   path value wins.
 * - Query (bindings without body `*` only; with `*` non-system parameters are
 *   ignored, as http.proto and grpc-gateway do): names in lowerCamel or
 *   snake_case per component, dotted into singular messages; values in their
 *   proto3 JSON string forms (enums by name or number, FieldMask in either
 *   case, stored snake_case); repeated fields by repeated keys. Errors
 *   (INVALID_ARGUMENT naming the parameter): a second value for a singular
 *   field, a second member of a oneof, a sub-path of a scalar, a repeated
 *   message, map or plain message as a leaf. Parameters naming a path-bound
 *   or body field are skipped; unknown names are ignored; a parameter with no
 *   `=` or an empty name is ignored; `+` is a literal `+` (Envoy's default;
 *   clients send spaces as `%20`).
 * - System parameters, stripped before binding: any name starting with `$`,
 *   and `alt`, `prettyPrint`, `key`, `fields`, `access_token`, `quotaUser`,
 *   `callback`. `alt`/`$alt` must be `json` with an optional
 *   `;enum-encoding=int|string` (anything else is 400); `prettyPrint`/
 *   `$prettyPrint` takes `true`/`false`/`1`/`0` (default true, as Google's
 *   front ends); `key`/`$key` is the API key; `fields` (partial responses) is
 *   accepted and ignored.
 * - Not done, as Google's clients need none of it: grpc-gateway's PATCH
 *   update_mask inference from the body keys, its `map[key]=value` query
 *   syntax, `X-HTTP-Method-Override` and form-POST fallbacks.
 */

import type { MethodRow } from '../../gen/schema/services.js';
import { fieldValueFromString, fieldValueToString } from '../codec/field-text.js';
import { messageFromJson } from '../codec/json/from-json.js';
import { jsonNestingPastLimit, MAX_JSON_NESTING } from '../codec/json/json-nesting.js';
import { messageToJson, messageToJsonText } from '../codec/json/to-json.js';
import { badOption, checkObject, shown } from '../core/check-options.js';
import * as codes from '../core/codes.js';
import { VisionError } from '../core/vision-error.js';
import { createMessage, type MessageObject } from '../schema/create-message.js';
import { type FieldInfo, type MessageInfo, messageInfo } from '../schema/registry.js';
import { isInt64, isScalarDefault } from '../schema/scalar.js';
import * as scalarTypes from '../schema/scalar-types.js';
import { type CompiledBinding, compileBinding } from './http-binding.js';
import { captureSegments } from './path-match.js';
import type { PathTemplate } from './path-template.js';
import { decodeComponent } from './percent-encoding.js';
import { RouteTrie } from './route-trie.js';

/** One served binding of one method. */
export interface GatewayRoute {
  /** Full name of the service, e.g. `google.cloud.vision.v1p4beta1.ProductSearch`. */
  readonly service: string;
  /** The method's schema row. */
  readonly method: MethodRow;
  /** The binding (its position among the method's bindings: `bindingIndex`). */
  readonly binding: MethodRow['http'][number];
  /** 0 for the main rule, then additional bindings in order. */
  readonly bindingIndex: number;
  /** Upper-case HTTP method. */
  readonly httpMethod: string;
  /** The compiled path template. */
  readonly template: PathTemplate;
  /** @internal The compiled binding. */
  readonly compiled: CompiledBinding;
}

/** A path that routes: the route and the decoded path variables by field path (`product.name`). */
export interface GatewayMatch {
  /** The route (method and binding) the path matched. */
  readonly route: GatewayRoute;
  /** The path variables by field path (`product.name`): one-segment values decoded, multi-segment ones decoded except `%2F`. */
  readonly vars: { readonly [variable: string]: string };
}

/** A path that does not route: 400 (bad path), 404 (no template matches) or 405 (other methods only). */
export interface GatewayMiss {
  /** The HTTP status to answer. */
  readonly status: 400 | 404 | 405;
  /** For 405: the methods whose routes match the path, sorted (the `Allow` header). */
  readonly allow?: readonly string[];
  /** The error to answer with (INVALID_ARGUMENT, NOT_FOUND, or UNIMPLEMENTED with httpStatus 405). */
  readonly error: VisionError;
}

/** System parameters of a request (Google's `$alt`, `$prettyPrint`, `key`). */
export interface SystemParameters {
  /** `$alt=json;enum-encoding=int`: answer enums as numbers. */
  readonly enumAsInt: boolean;
  /** Indent the JSON answer (default true, as Google's front ends). */
  readonly prettyPrint: boolean;
  /** The API key given as `key` / `$key`. */
  readonly apiKey?: string;
}

/** A decoded request. */
export interface DecodedRequest {
  /** The request message in ts-proto's shape (every field present). */
  readonly request: MessageObject;
  /** The system parameters of the query. */
  readonly system: SystemParameters;
}

/** The REST gateway over a set of services. */
export interface Gateway {
  /** Routes an HTTP method and raw path (percent-encoded; a query part is ignored). */
  match(httpMethod: string, rawPath: string): GatewayMatch | GatewayMiss;
  /**
   * Builds the request of a matched route from the raw query (without `?`,
   * or with it) and the body text. Throws a `VisionError` (INVALID_ARGUMENT
   * naming the field, parameter or position) for bad input.
   */
  decodeRequest(match: GatewayMatch, rawQuery: string, bodyText: string): DecodedRequest;
  /**
   * The JSON text of a response message (or of its `response_body` field),
   * honouring `enumAsInt` and `prettyPrint`. A message that has no JSON form
   * is INTERNAL (it is the server's fault).
   */
  encodeResponse(route: GatewayRoute, message: object, system: SystemParameters): string;
  /** Every route, in registration order. */
  readonly routes: readonly GatewayRoute[];
}

function invalid(message: string): VisionError {
  return new VisionError(codes.INVALID_ARGUMENT, message);
}

/**
 * Compiles the routes of services (`{ [serviceFullName]: MethodRow[] }`, as
 * `gen/schema/services.ts` gives them; every binding of every method).
 * Throws a `TemplateError` for a template outside the grammar, a binding
 * the schema cannot satisfy, or two routes of one HTTP method whose
 * templates match the same paths.
 */
export function createGateway(services: { readonly [serviceFullName: string]: readonly MethodRow[] }): Gateway {
  checkObject('createGateway', 'services', services);
  for (const [service, methods] of Object.entries(services)) {
    if (!Array.isArray(methods))
      badOption('createGateway', `services["${service}"] must be an array of method rows, got ${shown(methods)}`);
  }
  const trie = new RouteTrie<GatewayRoute>();
  const routes: GatewayRoute[] = [];
  for (const [service, methods] of Object.entries(services)) {
    for (const method of methods) {
      method.http.forEach((binding, bindingIndex) => {
        const compiled = compileBinding(method, binding);
        const route: GatewayRoute = {
          service,
          method,
          binding,
          bindingIndex,
          httpMethod: compiled.httpMethod,
          template: compiled.template,
          compiled,
        };
        trie.insert(compiled.httpMethod, compiled.template, route, `${service}.${method.name}`, compiled.sendMethod);
        routes.push(route);
      });
    }
  }
  const verbs = [...trie.verbs].sort((a, b) => b.length - a.length);
  return {
    routes,
    match: (httpMethod, rawPath) => {
      try {
        return match(trie, verbs, httpMethod, rawPath);
      } catch (e) {
        // No input reaches this (match refuses bad paths by value); it keeps a
        // bug in routing from rejecting the server's request handler, which
        // calls match outside its own try.
        return { status: 400, error: asVisionError(e) };
      }
    },
    decodeRequest: (m, rawQuery, bodyText) => {
      try {
        return decodeRequest(m, rawQuery, bodyText);
      } catch (e) {
        throw asVisionError(e);
      }
    },
    encodeResponse: (route, message, system) => {
      try {
        return encodeResponse(route, message, system);
      } catch (e) {
        throw new VisionError(
          codes.INTERNAL,
          `cannot encode the response of ${route.method.name}: ${e instanceof Error ? e.message : String(e)}`,
          { cause: e },
        );
      }
    },
  };
}

function asVisionError(e: unknown): VisionError {
  if (e instanceof VisionError) return e;
  return VisionError.from(e, codes.INTERNAL);
}

// ------------------------------------------------------------------ routing

function match(trie: RouteTrie<GatewayRoute>, verbs: readonly string[], httpMethod: string, rawPath: string): GatewayMatch | GatewayMiss {
  if (typeof httpMethod !== 'string' || typeof rawPath !== 'string') {
    return { status: 400, error: invalid('the HTTP method and path must be strings') };
  }
  const method = httpMethod.toUpperCase();
  let path = rawPath;
  const cut = path.search(/[?#]/);
  if (cut >= 0) path = path.slice(0, cut);
  if (path.charCodeAt(0) !== 47 /* / */)
    return { status: 400, error: invalid(`the path ${JSON.stringify(truncate(path))} does not start with "/"`) };
  // The path "/" has no segments (only the root template matches it); any other path is split on "/".
  const raw = path === '/' ? [] : path.slice(1).split('/');
  const decoded: string[] = [];
  for (let i = 0; i < raw.length; i++) {
    const d = decodeComponent(raw[i]!);
    if (d === undefined)
      return { status: 400, error: invalid(`malformed percent-encoding in path segment ${i + 1} (${JSON.stringify(truncate(raw[i]!))})`) };
    if (d === '.' || d === '..')
      return { status: 400, error: invalid(`the path holds a "${d}" segment (segment ${i + 1}); dot segments are refused`) };
    decoded.push(d);
  }
  const last = raw.length - 1;
  const lastRaw = raw[last] ?? '';
  if (lastRaw.includes(':')) {
    for (const verb of verbs) {
      if (lastRaw.length <= verb.length + 1 || !lastRaw.endsWith(`:${verb}`)) continue;
      const head = lastRaw.slice(0, lastRaw.length - verb.length - 1);
      const headDecoded = decodeComponent(head);
      if (headDecoded === undefined) continue;
      if (headDecoded === '.' || headDecoded === '..') {
        return { status: 400, error: invalid(`the path holds a "${headDecoded}" segment before the verb; dot segments are refused`) };
      }
      const r = raw.slice();
      const d = decoded.slice();
      r[last] = head;
      d[last] = headDecoded;
      const found = lookup(trie, method, r, d, verb, path);
      if (found !== undefined) return found;
    }
  }
  return lookup(trie, method, raw, decoded, '', path) ?? { status: 404, error: notFound(method, path) };
}

function lookup(
  trie: RouteTrie<GatewayRoute>,
  method: string,
  raw: string[],
  decoded: string[],
  verb: string,
  path: string,
): GatewayMatch | GatewayMiss | undefined {
  const r = trie.find(method, decoded, verb);
  if (r.entry !== undefined) {
    // The trie refuses whatever captureSegments would (counts, literals, empty
    // segments; dot segments are refused before routing), so the values are
    // there; were they not, the TypeError would reach the catch of `match`.
    const values = captureSegments(r.entry.template, raw, decoded)!;
    const vars: { [variable: string]: string } = {};
    r.entry.template.variables.forEach((v, i) => {
      vars[v.name] = values[i]!;
    });
    return { route: r.entry, vars };
  }
  if (r.allowed.size === 0) return undefined;
  const allow = [...r.allowed].sort();
  const error = new VisionError(
    codes.UNIMPLEMENTED,
    `method ${method} is not allowed on ${truncate(path)} (allowed: ${allow.join(', ')})`,
    {
      httpStatus: 405,
    },
  );
  return { status: 405, allow, error };
}

function notFound(method: string, path: string): VisionError {
  return new VisionError(codes.NOT_FOUND, `no route for ${method} ${truncate(path)}`);
}

function truncate(s: string): string {
  return s.length > 200 ? `${s.slice(0, 200)}…` : s;
}

// ------------------------------------------------------------------ requests

const SYSTEM = new Set(['alt', 'prettyPrint', 'key', 'fields', 'access_token', 'quotaUser', 'callback']);

interface SystemState {
  enumAsInt: boolean;
  prettyPrint: boolean;
  apiKey: string | undefined;
}

function systemParameter(s: SystemState, name: string, value: string): void {
  const bare = name.startsWith('$') ? name.slice(1) : name;
  if (bare === 'alt') {
    const [format, ...params] = value.split(';');
    if (format !== 'json') throw invalid(`unsupported ${name} value ${JSON.stringify(value)}: only json is served`);
    for (const p of params) {
      if (p === 'enum-encoding=int') s.enumAsInt = true;
      else if (p === 'enum-encoding=string') s.enumAsInt = false;
      else throw invalid(`unsupported ${name} parameter ${JSON.stringify(p)}`);
    }
  } else if (bare === 'prettyPrint') {
    if (value === 'true' || value === '1') s.prettyPrint = true;
    else if (value === 'false' || value === '0') s.prettyPrint = false;
    else throw invalid(`${name} must be true or false, got ${JSON.stringify(value)}`);
  } else if (bare === 'key') {
    s.apiKey = value;
  }
}

function isBlank(text: string): boolean {
  return text.trim() === '';
}

function decodeRequest(m: GatewayMatch, rawQuery: string, bodyText: string): DecodedRequest {
  const c = m.route.compiled;
  const typeName = c.input.fullName;
  if (typeof rawQuery !== 'string' || typeof bodyText !== 'string') throw invalid('the query and the body must be strings');

  // 1. Query pairs, system parameters out.
  const system: SystemState = { enumAsInt: false, prettyPrint: true, apiKey: undefined };
  const params: [string, string][] = [];
  const q = rawQuery.startsWith('?') ? rawQuery.slice(1) : rawQuery;
  if (q !== '') {
    const pieces = q.split('&');
    for (let i = 0; i < pieces.length; i++) {
      const piece = pieces[i]!;
      const eq = piece.indexOf('=');
      if (eq <= 0) continue;
      const name = decodeComponent(piece.slice(0, eq));
      const value = decodeComponent(piece.slice(eq + 1));
      if (name === undefined || value === undefined) {
        throw invalid(`malformed percent-encoding in query parameter ${i + 1} (${JSON.stringify(truncate(piece))})`);
      }
      if (name.startsWith('$') || SYSTEM.has(name)) systemParameter(system, name, value);
      else params.push([name, value]);
    }
  }

  // 2. Body.
  let request: MessageObject;
  const body = c.body;
  if (body.kind === 'all') {
    request = isBlank(bodyText) ? createMessage(typeName) : messageFromJson(typeName, parseJson(typeName, bodyText));
  } else if (body.kind === 'field' && !isBlank(bodyText)) {
    request = messageFromJson(typeName, { [body.field.jsonName]: parseJson(typeName, bodyText, body.field.jsonName) });
  } else {
    request = createMessage(typeName);
  }

  // 3. Path variables: the path wins; a different value from the body is an error.
  for (const v of c.vars) {
    const text = m.vars[v.variable.name];
    if (text === undefined) throw invalid(`missing path parameter ${v.jsonPath}`);
    const value = v.leaf.scalar === scalarTypes.STRING ? text : fieldValueFromString(v.leaf, text, { path: v.jsonPath, typeName });
    const [parent, parentInfo] = ensureParent(request, c.input, v.chain, v.jsonPath);
    const old = parent[v.leaf.tsName];
    if (old !== undefined && !isDefault(v.leaf, old) && !sameValue(old, value)) {
      throw invalid(`${v.jsonPath}: the path gives ${JSON.stringify(text)} but the body gives ${JSON.stringify(old)}`);
    }
    oneofCheck(parent, parentInfo, v.leaf, v.jsonPath);
    parent[v.leaf.tsName] = value;
  }

  // 4. Query parameters (not with body "*").
  if (body.kind !== 'all' && params.length > 0) applyQuery(c, request, params);

  const sys: SystemParameters =
    system.apiKey === undefined ? { enumAsInt: system.enumAsInt, prettyPrint: system.prettyPrint } : { ...system, apiKey: system.apiKey };
  return { request, system: sys };
}

function parseJson(typeName: string, text: string, field?: string): unknown {
  // Refused before it is parsed: building millions of nested arrays takes JSON.parse seconds.
  const past = jsonNestingPastLimit(text);
  if (past >= 0) {
    throw invalid(
      `the request body of ${typeName} nests objects and arrays more than ${MAX_JSON_NESTING} deep (at offset ${past}); the limit is ${MAX_JSON_NESTING}`,
    );
  }
  try {
    return JSON.parse(text);
  } catch (e) {
    const reason = e instanceof Error ? e.message : String(e);
    throw invalid(`the request body of ${typeName}${field === undefined ? '' : ` (field ${field})`} is not valid JSON: ${reason}`);
  }
}

/** Whether `v` is the default of a path variable's field: a scalar or an enum (compileBinding refuses message fields). */
function isDefault(f: FieldInfo, v: unknown): boolean {
  if (f.kind === 'enum') return v === 0;
  return isScalarDefault(f.scalar!, v);
}

function sameValue(a: unknown, b: unknown): boolean {
  return a === b || (typeof a === 'number' && typeof b === 'number' && Number.isNaN(a) && Number.isNaN(b));
}

/** The message holding the leaf of `chain` and its type, creating the messages on the way. */
function ensureParent(request: MessageObject, root: MessageInfo, chain: readonly FieldInfo[], where: string): [MessageObject, MessageInfo] {
  let node = request;
  let info = root;
  for (let i = 0; i < chain.length - 1; i++) {
    const f = chain[i]!;
    let child = node[f.tsName];
    if (child === undefined || child === null) {
      oneofCheck(node, info, f, where);
      child = createMessage(f.typeName!);
      node[f.tsName] = child;
    }
    node = child as MessageObject;
    info = messageInfo(f.typeName!);
  }
  return [node, info];
}

/** Refuses setting `f` when another member of its oneof is already set in `node` (of type `info`). */
function oneofCheck(node: MessageObject, info: MessageInfo, f: FieldInfo, where: string): void {
  if (f.oneof === undefined) return;
  // `info` holds `f`, so its oneof table lists f.oneof (with f among the members).
  for (const other of info.oneofs.get(f.oneof)!) {
    if (other !== f && node[other.tsName] !== undefined) {
      throw invalid(`${where}: field ${other.jsonName} of the same oneof (${f.oneof}) is already set`);
    }
  }
}

/** Message types whose query form is one string (besides wrappers and FieldMask). */
const STRING_FORM = new Set(['google.protobuf.Timestamp', 'google.protobuf.Duration']);

interface QueryTarget {
  readonly chain: FieldInfo[];
  readonly canonical: string;
}

function resolveParam(c: CompiledBinding, name: string): QueryTarget | undefined {
  const parts = name.split('.');
  const chain: FieldInfo[] = [];
  let info = c.input;
  for (let i = 0; i < parts.length; i++) {
    const f = info.findField(parts[i]!);
    if (f === undefined) return undefined;
    chain.push(f);
    if (i === parts.length - 1) break;
    const sub = parts.slice(0, i + 1).join('.');
    if (f.map) throw invalid(`query parameter ${name}: ${sub} is a map field; maps cannot be set from the query`);
    if (f.repeated) throw invalid(`query parameter ${name}: ${sub} is a repeated field, not a message`);
    if (f.kind !== 'message' || f.shape !== 'message' || STRING_FORM.has(f.typeName!)) {
      throw invalid(`query parameter ${name}: ${sub} is not a message, it has no field ${parts[i + 1]}`);
    }
    info = messageInfo(f.typeName!);
  }
  return { chain, canonical: chain.map((f) => f.jsonName).join('.') };
}

function applyQuery(c: CompiledBinding, request: MessageObject, params: readonly [string, string][]): void {
  const bound = c.vars.map((v) => v.jsonPath);
  const bodyField = c.body.kind === 'field' ? c.body.field : undefined;
  const seen = new Set<string>();
  for (const [name, value] of params) {
    const t = resolveParam(c, name);
    if (t === undefined) continue; // unknown: ignored
    if (bodyField !== undefined && t.chain[0] === bodyField) continue;
    if (bound.some((b) => t.canonical === b || t.canonical.startsWith(`${b}.`) || b.startsWith(`${t.canonical}.`))) continue;
    const leaf = t.chain[t.chain.length - 1]!;
    if (leaf.map) throw invalid(`query parameter ${name}: ${t.canonical} is a map field; maps cannot be set from the query`);
    if (leaf.kind === 'message' && leaf.shape === 'message' && !STRING_FORM.has(leaf.typeName!)) {
      throw invalid(
        `query parameter ${name}: ${t.canonical} is a ${leaf.repeated ? 'repeated message' : 'message'} field; set its fields by their own names (${t.canonical}.<field>=…)`,
      );
    }
    const parsed = fieldValueFromString(leaf, value, { path: name, typeName: c.input.fullName });
    const [parent, parentInfo] = ensureParent(request, c.input, t.chain, name);
    if (leaf.repeated) {
      (parent[leaf.tsName] as unknown[]).push(parsed);
      continue;
    }
    if (seen.has(t.canonical)) throw invalid(`query parameter ${name}: too many values for the field ${t.canonical}`);
    seen.add(t.canonical);
    oneofCheck(parent, parentInfo, leaf, `query parameter ${name}`);
    parent[leaf.tsName] = parsed;
  }
}

// ----------------------------------------------------------------- responses

function encodeResponse(route: GatewayRoute, message: object, system: SystemParameters): string {
  const c = route.compiled;
  const opts = { enumAsInt: system.enumAsInt };
  let json: unknown;
  const rf = c.responseField;
  if (rf === undefined) {
    if (!system.prettyPrint) return messageToJsonText(c.output.fullName, message, opts);
    json = messageToJson(c.output.fullName, message, opts);
  } else {
    const sub = (message as MessageObject)[rf.tsName];
    if (rf.kind === 'message' && rf.shape === 'message' && !rf.repeated && !rf.map) {
      json = messageToJson(rf.typeName!, sub === undefined || sub === null ? {} : (sub as object), opts);
    } else {
      const whole = messageToJson(c.output.fullName, { [rf.tsName]: sub }, opts) as Record<string, unknown>;
      json = whole[rf.jsonName] ?? (rf.repeated ? [] : rf.map ? {} : defaultJsonValue(rf, system.enumAsInt));
    }
  }
  return system.prettyPrint ? JSON.stringify(json, null, 2) : JSON.stringify(json);
}

function defaultJsonValue(f: FieldInfo, enumAsInt: boolean): unknown {
  if (f.kind === 'message') return null;
  if (f.kind === 'enum') return enumAsInt ? 0 : fieldValueToString(f, 0);
  if (f.scalar === scalarTypes.STRING || f.scalar === scalarTypes.BYTES) return '';
  if (f.scalar === scalarTypes.BOOL) return false;
  return isInt64(f.scalar!) ? '0' : 0; // proto3 JSON writes 64-bit integers as strings
}
