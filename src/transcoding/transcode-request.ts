/**
 * gRPC transcoding, client direction: a request message plus the method's
 * `google.api.http` bindings → HTTP method, path, query and JSON body
 * (docs/transcoding.md, "The client: building a URL"). Pure and browser-safe; every refusal is a
 * `VisionError` thrown before any I/O.
 *
 * Decisions where the sources differ or are silent:
 * - The first binding (main rule, then `additional_bindings` in order) whose
 *   path variables are all set and match their patterns wins; when none
 *   does, INVALID_ARGUMENT names each binding and why (missing, empty,
 *   `.`/`..`, not matching). A method without bindings is UNIMPLEMENTED.
 * - Path values are percent-encoded as UTF-8 with only `[-_.~0-9A-Za-z]`
 *   left raw; multi-segment variables keep their `/` separators raw (after
 *   each piece was checked), single-segment ones encode `/` as `%2F`. So `:`
 *   in a value is `%3A` and never reads as a custom verb.
 * - Query parameters use JSON (lowerCamel) names with the full dotted prefix
 *   (`filter.range.min=1`), one `key=value` per element of a repeated field,
 *   the proto3 JSON string form of each value (enum names, int64 decimal,
 *   standard base64, RFC 3339 Timestamps, `1.5s` Durations, one FieldMask
 *   parameter with lowerCamel paths, wrappers bare, kept when set to their
 *   default), and the same encoding as path values (space `%20`, `+` `%2B`,
 *   `/` `%2F`). Fields at their default (implicit presence), unset messages
 *   and empty lists are left out; an empty set message gives no parameter
 *   at all (the server then leaves it unset). A non-empty repeated message or
 *   map field, an `Any` or `Struct` in the query is INVALID_ARGUMENT naming
 *   the field: they have no query form (http.proto).
 * - Body `*`: every field not bound by the path, even when that leaves `{}`.
 *   Body field: that field's JSON, `{}` when it is unset (never `""`), with
 *   path-bound sub-fields removed. No body: `undefined`.
 * - `custom` bindings (google-gax knows only get/put/post/delete/
 *   patch): the kind is the HTTP method, upper-cased (`HEAD`). The wildcard
 *   kind `*` names no method, so the request goes as `POST` when the binding
 *   has a body and as `GET` when it has none.
 * - A set property that names no field (`productID` for `productId`,
 *   `page_size`), at any depth, is refused with the `FieldPathError` gRPC's
 *   `normalizeMessage` throws for it (same path from the request root, same
 *   message), whatever the binding puts in the body or the query: nothing is
 *   left out silently. Codec errors inside a body field are named from the
 *   request root too (`product.displayName`, not `displayName`).
 * - `enumAsInt` writes enums as numbers (body and query) and appends
 *   `$alt=json;enum-encoding=int` (as `$alt=json%3Benum-encoding=int`) last,
 *   as google-gax does; the query never carries other system parameters.
 */
import type { HttpBinding, MethodRow } from '../../gen/schema/services.js';
import { ENUM } from '../codec/field-kind.js';
import { fieldValueToString } from '../codec/field-text.js';
import { ProtoJsonError } from '../codec/json/json-error.js';
import { isLenientDefault, messageToJson, messageToJsonText, type ToJsonTextOptions } from '../codec/json/to-json.js';
import { checkObject } from '../core/check-options.js';
import * as codes from '../core/codes.js';
import { VisionError } from '../core/vision-error.js';
import { describe } from '../schema/create-message.js';
import { type FieldInfo, type MessageInfo, messageInfo } from '../schema/registry.js';
import { isInt64, isScalarDefault } from '../schema/scalar.js';
import * as scalarTypes from '../schema/scalar-types.js';
import { FieldPathError } from '../schema/schema-error.js';
import { type CompiledBinding, compileBinding, compileMethod, pathValues } from './http-binding.js';
import { encodeComponent } from './percent-encoding.js';

/** Options of {@link transcodeRequest}. */
export interface TranscodeOptions {
  /** Enums as numbers, and `$alt=json;enum-encoding=int` in the query (what google-gax sends). */
  readonly enumAsInt?: boolean;
  /** Bindings to use instead of the method's own (e.g. a service config's GetOperation set). */
  readonly bindings?: readonly HttpBinding[];
  /**
   * Take the request's values as `normalizeMessage` does (enum values by
   * name, integers as bigints, int64 kinds in any whole-number text): what
   * the REST transport passes for a caller's request. Default false.
   */
  readonly lenient?: boolean;
}

/** The HTTP request a message maps to. */
export interface TranscodedRequest {
  /** The HTTP method, upper case (`GET`, `POST`, `PATCH`, …). */
  readonly method: string;
  /** The percent-encoded path, with the custom verb (`/v1/operations/123:cancel`). */
  readonly path: string;
  /** The query string without `?`; `''` when there is none. */
  readonly query: string;
  /** The JSON body, or undefined when the binding has none. */
  readonly body: string | undefined;
  /** The binding used. */
  readonly binding: HttpBinding;
}

const ENUM_INT_ALT = '$alt=json%3Benum-encoding=int';
const MAX_DEPTH = 64;

interface BuildOptions {
  readonly enumAsInt: boolean;
  readonly lenient: boolean;
  /** Its index in {@link MODES} (and in each binding's `omit` options). */
  readonly mode: number;
}

/** The writer's options per mode: enums by name or number, strict or lenient; made once. */
const MODES: readonly BuildOptions[] = [0, 1, 2, 3].map((mode) => ({ enumAsInt: (mode & 1) !== 0, lenient: (mode & 2) !== 0, mode }));

/** proto-json text options with `omit`, one per mode, made once per binding. */
const omitOptions = new WeakMap<CompiledBinding, readonly ToJsonTextOptions[]>();

function withOmit(c: CompiledBinding, omit: readonly string[], o: BuildOptions): ToJsonTextOptions {
  let all = omitOptions.get(c);
  if (all === undefined) {
    all = MODES.map(({ enumAsInt, lenient }) => ({ enumAsInt, lenient, omit }));
    omitOptions.set(c, all);
  }
  return all[o.mode]!;
}

/**
 * Turns a request (ts-proto shaped, or a deep partial of that shape) into the
 * HTTP request of the first binding that fits it. Throws a `VisionError`
 * before any I/O: UNIMPLEMENTED when the method has no HTTP binding,
 * INVALID_ARGUMENT naming the field when no binding fits (a path field
 * missing, empty, `.`/`..` or not matching its pattern), when a field has no
 * query form, or when a value has the wrong type.
 */
export function transcodeRequest(method: MethodRow, request: object, options: TranscodeOptions = {}): TranscodedRequest {
  checkObject('transcodeRequest', 'method', method);
  const bindings = options.bindings ?? method.http;
  if (bindings.length === 0) {
    throw new VisionError(codes.UNIMPLEMENTED, `${method.name} has no HTTP binding: it cannot be called over REST`);
  }
  if (request === null || typeof request !== 'object' || Array.isArray(request)) {
    // Worded as the clients refuse it (create-raw-client.ts), whatever the transport.
    throw new FieldPathError(method.input, '', `expected a ${method.input} object, got ${describe(request)}`);
  }
  const msg = request as Record<string, unknown>;
  const compiled = options.bindings === undefined ? compileMethod(method) : options.bindings.map((b) => compileBinding(method, b));
  const o = MODES[(options.enumAsInt === true ? 1 : 0) + (options.lenient === true ? 2 : 0)]!;
  let failures: string[] | undefined;
  for (const c of compiled) {
    const b = c.binding;
    const values = pathValues(c, msg, o.lenient);
    const path = c.template.tryExpand(values);
    if (typeof path !== 'string') {
      (failures ??= []).push(`${c.label}: ${path.variable === '' ? '' : `field "${jsonPathOf(c, path.variable)}": `}${path.reason}`);
      continue;
    }
    let body: string | undefined;
    let query: string;
    try {
      body = buildBody(c, msg, o);
      query = c.body.kind === 'all' ? '' : buildQuery(c, msg, o);
    } catch (e) {
      throw asUnknownFieldError(e);
    }
    if (o.enumAsInt) query = query === '' ? ENUM_INT_ALT : `${query}&${ENUM_INT_ALT}`;
    return { method: c.sendMethod, path, query, body, binding: b };
  }
  const list = failures!; // every binding failed, and there is at least one
  const message =
    list.length === 1
      ? `${method.name}: cannot build the HTTP request: ${list[0]}`
      : `${method.name}: no HTTP binding fits the request (${list.join('; ')})`;
  throw new VisionError(codes.INVALID_ARGUMENT, message);
}

/** The reason of a FieldPathError: its message without the `<path>: ` head. */
function reasonOf(e: FieldPathError): string {
  const head = `${e.path === '' ? '(root)' : e.path}: `;
  return e.rawMessage.startsWith(head) ? e.rawMessage.slice(head.length) : e.rawMessage;
}

/**
 * An unknown property leaves as the plain `FieldPathError` gRPC's
 * `normalizeMessage` throws for it (same path, same message), whichever
 * binding found it; other errors pass through.
 */
function asUnknownFieldError(e: unknown): unknown {
  if (!(e instanceof ProtoJsonError)) return e;
  const reason = reasonOf(e);
  return reason.startsWith('unknown field ') ? new FieldPathError(e.typeName, e.path, reason) : e;
}

/** A codec error of the body field's message, re-rooted at the request: `display_name` → `product.display_name`. */
function underBodyField(e: unknown, f: FieldInfo, root: string): unknown {
  if (!(e instanceof ProtoJsonError)) return e;
  return new ProtoJsonError(root, e.path === '' ? f.jsonName : `${f.jsonName}.${e.path}`, reasonOf(e));
}

/**
 * Throws the FieldPathError `normalizeMessage` would for the first property of
 * `msg` that is set but names no field of `info` (`prefix`: the JSON path of `msg`).
 */
function refuseUnknown(c: CompiledBinding, info: MessageInfo, msg: Record<string, unknown>, prefix: string): void {
  const k = Object.keys(msg).find((x) => msg[x] !== undefined && !info.byTsName.has(x));
  if (k === undefined) return;
  const reason = `unknown field ${JSON.stringify(k)} of ${info.fullName}`;
  throw new FieldPathError(c.input.fullName, prefix === '' ? k : `${prefix}.${k}`, reason);
}

function jsonPathOf(c: CompiledBinding, variable: string): string {
  return c.vars.find((v) => v.variable.name === variable)?.jsonPath ?? variable;
}

/**
 * A copy of `msg` whose path-bound fields are unset (copying only the objects
 * on the way). Only called once the path was built from these very fields,
 * so every message on a variable's way down is an object.
 */
function withoutPathFields(c: CompiledBinding, msg: Record<string, unknown>, from: number): Record<string, unknown> {
  const root = { ...msg };
  const copies = new Set<object>([root]);
  for (const v of c.vars) {
    if (from === 1 && (c.body.kind !== 'field' || v.chain[0] !== c.body.field)) continue;
    let node: Record<string, unknown> = root;
    for (let i = from; i < v.chain.length - 1; i++) {
      const key = v.chain[i]!.tsName;
      let copy = node[key] as Record<string, unknown>;
      if (!copies.has(copy)) {
        copy = { ...copy };
        copies.add(copy);
        node[key] = copy;
      }
      node = copy;
    }
    node[v.leaf.tsName] = undefined;
  }
  return root;
}

function buildBody(c: CompiledBinding, msg: Record<string, unknown>, o: BuildOptions): string | undefined {
  const body = c.body;
  if (body.kind === 'none') return undefined;
  if (body.kind === 'all') {
    if (c.vars.length === 0) return messageToJsonText(c.input.fullName, msg, o);
    const omit = c.omitAll;
    return omit !== undefined
      ? messageToJsonText(c.input.fullName, msg, withOmit(c, omit, o))
      : messageToJsonText(c.input.fullName, withoutPathFields(c, msg, 0), o);
  }
  const f = body.field;
  const sub = msg[f.tsName];
  if (sub === undefined || sub === null) return f.repeated ? '[]' : f.map || f.kind === 'message' ? '{}' : defaultJson(f, o);
  if (f.kind === 'message' && f.shape === 'message' && !f.repeated && !f.map) {
    const omit = c.omitInBodyField;
    try {
      if (omit === undefined) return messageToJsonText(f.typeName!, withoutPathFields(c, sub as Record<string, unknown>, 1), o);
      return messageToJsonText(f.typeName!, sub as object, omit.length === 0 ? o : withOmit(c, omit, o));
    } catch (e) {
      throw underBodyField(e, f, c.input.fullName);
    }
  }
  const json = messageToJson(c.input.fullName, { [f.tsName]: sub }, o) as Record<string, unknown>;
  const j = json[f.jsonName];
  return j === undefined ? (f.repeated ? '[]' : f.map ? '{}' : defaultJson(f, o)) : JSON.stringify(j);
}

/**
 * The proto3 JSON of a scalar or enum field's default value (for a body field
 * that is unset; an unset message body field is `{}`, and a set one always
 * has JSON).
 */
function defaultJson(f: FieldInfo, o: BuildOptions): string {
  if (f.kind === 'enum') return o.enumAsInt ? '0' : JSON.stringify(fieldValueToString(f, 0));
  if (f.scalar === scalarTypes.STRING || f.scalar === scalarTypes.BYTES) return '""';
  if (f.scalar === scalarTypes.BOOL) return 'false';
  return isInt64(f.scalar!) ? '"0"' : '0';
}

function buildQuery(c: CompiledBinding, msg: Record<string, unknown>, o: BuildOptions): string {
  const out: string[] = [];
  queryWalk(c, c.input, msg, '', c.querySkip, out, o, 0);
  return out.join('&');
}

const MASK_CACHE_SIZE = 256;
const maskCache = new Map<string, string>();

/**
 * The encoded query value of a FieldMask (`a.bC%2Cd`), remembered for the
 * masks a program sends again and again.
 */
function maskParameter(f: FieldInfo, v: unknown, path: string, typeName: string): string {
  if (!Array.isArray(v) || !v.every((p) => typeof p === 'string')) return encodeOrThrow(path, fieldValueToString(f, v, { path, typeName }));
  const key = v.join(',');
  let text = maskCache.get(key);
  if (text === undefined) {
    text = encodeOrThrow(path, fieldValueToString(f, v, { path, typeName }));
    if (maskCache.size >= MASK_CACHE_SIZE) maskCache.clear();
    maskCache.set(key, text);
  }
  return text;
}

/** INVALID_ARGUMENT: `field "<path>" is <what>`. */
function fieldError(path: string, what: string): VisionError {
  return new VisionError(codes.INVALID_ARGUMENT, `field "${path}" is ${what}`);
}

function queryError(c: CompiledBinding, path: string, what: string): VisionError {
  return fieldError(path, `${what} and cannot be sent as a query parameter of ${c.label}`);
}

function encodeOrThrow(path: string, text: string): string {
  const enc = encodeComponent(text);
  if (enc === undefined) throw fieldError(path, 'not well-formed Unicode (a lone surrogate)');
  return enc;
}

function push(out: string[], path: string, text: string): void {
  out.push(`${path}=${encodeOrThrow(path, text)}`);
}

/** Message types whose proto3 JSON form is a string (beyond wrappers and FieldMask). */
const STRING_FORM = new Set(['google.protobuf.Timestamp', 'google.protobuf.Duration']);
/** Message types that have no query form at all. */
const NO_QUERY_FORM = new Set(['google.protobuf.Any', 'google.protobuf.Struct', 'google.protobuf.Value', 'google.protobuf.ListValue']);

function queryWalk(
  c: CompiledBinding,
  info: MessageInfo,
  msg: Record<string, unknown>,
  prefix: string,
  skip: ReadonlySet<string>,
  out: string[],
  o: BuildOptions,
  depth: number,
): void {
  if (depth > MAX_DEPTH) throw queryError(c, prefix, `nested more than ${MAX_DEPTH} levels deep`);
  // Set properties that are fields; any other set property is an unknown field (checked after the loop).
  let found = 0;
  for (const f of info.fields) {
    const v = msg[f.tsName];
    if (v === undefined) continue;
    found++;
    if (v === null) continue;
    const path = prefix === '' ? f.jsonName : `${prefix}.${f.jsonName}`;
    if (skip.has(path)) continue;
    if (f.map) {
      if (typeof v !== 'object' || Array.isArray(v)) throw fieldError(path, 'a map: expected an object');
      if (Object.keys(v).length > 0) throw queryError(c, path, 'a map field');
      continue;
    }
    const typeName = f.typeName;
    const plainMessage = f.kind === 'message' && f.shape === 'message' && !STRING_FORM.has(typeName!);
    if (f.repeated) {
      if (!Array.isArray(v)) throw fieldError(path, 'repeated: expected an array');
      if (v.length === 0) continue;
      if (plainMessage) throw queryError(c, path, 'a repeated message field');
      for (let i = 0; i < v.length; i++)
        push(out, path, fieldValueToString(f, v[i], { ...o, path: `${path}[${i}]`, typeName: c.input.fullName }));
      continue;
    }
    if (plainMessage) {
      if (typeName === 'google.protobuf.Empty') continue;
      if (NO_QUERY_FORM.has(typeName!)) throw queryError(c, path, `a ${typeName}`);
      if (typeof v !== 'object') throw fieldError(path, 'a message: expected an object');
      queryWalk(c, messageInfo(typeName!), v as Record<string, unknown>, path, skip, out, o, depth + 1);
      continue;
    }
    if (f.shape === 'fieldMask') {
      out.push(`${path}=${maskParameter(f, v, path, c.input.fullName)}`);
      continue;
    }
    if (!f.hasPresence) {
      const op = f.kind === 'enum' ? ENUM : f.scalar!;
      if (op === ENUM ? v === 0 : isScalarDefault(op, v)) continue;
      if (o.lenient && isLenientDefault(op, f.typeName, v)) continue;
    }
    push(out, path, fieldValueToString(f, v, { ...o, path, typeName: c.input.fullName }));
  }
  let given = 0;
  for (const k in msg) if (msg[k] !== undefined) given++;
  if (given !== found) refuseUnknown(c, info, msg, prefix);
}
