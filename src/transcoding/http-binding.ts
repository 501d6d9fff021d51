/**
 * One `google.api.http` binding compiled against the schema, shared by both
 * directions: the parsed template, each path variable resolved to its chain
 * of fields, and where the body goes. Compiled once per binding and cached.
 */
import type { HttpBinding, MethodRow } from '../../gen/schema/services.js';
import { fieldValueToString } from '../codec/field-text.js';
import { type FieldInfo, type MessageInfo, messageInfo } from '../schema/registry.js';
import { STRING } from '../schema/scalar-types.js';
import { type PathTemplate, readPathTemplate, type TemplateVariable } from './path-template.js';
import { ANY_METHOD } from './route-trie.js';
import { TemplateError } from './template-error.js';

/** A path variable bound to the request field it sets. */
export interface VariableBinding {
  /** The template variable. */
  readonly variable: TemplateVariable;
  /** The fields from the request down to the bound field (all but the last singular messages). */
  readonly chain: readonly FieldInfo[];
  /** The bound (leaf) field: a singular scalar or enum. */
  readonly leaf: FieldInfo;
  /** The field path in JSON names, e.g. `product.name` (how errors and query filters name it). */
  readonly jsonPath: string;
}

/** Where the body of a binding comes from. */
export type BodyPlan = { readonly kind: 'none' } | { readonly kind: 'all' } | { readonly kind: 'field'; readonly field: FieldInfo };

/** A binding ready for either direction. */
export interface CompiledBinding {
  /** The binding as the schema table gives it. */
  readonly binding: HttpBinding;
  /** The upper-case HTTP method (a `custom` kind as given, upper-cased; `*` for the wildcard kind). */
  readonly httpMethod: string;
  /**
   * The method a client sends: `httpMethod`, except for the wildcard kind
   * `*`, which names no method: then `POST` when the binding has a body,
   * `GET` when it has none (what a wildcard route of a gateway accepts).
   */
  readonly sendMethod: string;
  /** The compiled path template. */
  readonly template: PathTemplate;
  /** The request message type. */
  readonly input: MessageInfo;
  /** The response message type. */
  readonly output: MessageInfo;
  /** Path variables, in template order. */
  readonly vars: readonly VariableBinding[];
  /** Body: none, the whole request (`*`), or one top-level field. */
  readonly body: BodyPlan;
  /** The top-level response field that is the whole response body (`response_body`). */
  readonly responseField: FieldInfo | undefined;
  /** `GET /v1/{name=things/*}`, for messages. */
  readonly label: string;
  /** JSON paths the path or the body binds (`product.name`, `product`): never query parameters. */
  readonly querySkip: ReadonlySet<string>;
  /** Body `*`: the top-level fields the path binds (ts names), when every variable is top-level. */
  readonly omitAll: readonly string[] | undefined;
  /** Body field: its sub-fields the path binds (ts names), when none is deeper. */
  readonly omitInBodyField: readonly string[] | undefined;
}

const cache = new WeakMap<HttpBinding, WeakMap<MethodRow, CompiledBinding>>();
const byMethodCache = new WeakMap<MethodRow, readonly CompiledBinding[]>();

/** Every binding of a method (`method.http`) compiled, cached per method row. */
export function compileMethod(method: MethodRow): readonly CompiledBinding[] {
  let c = byMethodCache.get(method);
  if (c === undefined) {
    c = method.http.map((b) => compileBinding(method, b));
    byMethodCache.set(method, c);
  }
  return c;
}

function fieldByProtoName(info: MessageInfo, name: string): FieldInfo | undefined {
  return info.byProtoName.get(name) ?? info.findField(name);
}

function throwError(e: Error): never {
  throw e;
}

function omitIn(vars: readonly VariableBinding[], body: BodyPlan): string[] | undefined {
  if (body.kind !== 'field') return undefined;
  const under = vars.filter((v) => v.chain[0] === body.field);
  return under.every((v) => v.chain.length === 2) ? under.map((v) => v.leaf.tsName) : undefined;
}

/**
 * Compiles a binding of a method (cached per binding object). Throws a
 * `TemplateError` for a template outside the grammar or a field path, body
 * or response_body field the schema does not have (or that cannot be bound:
 * a variable on a repeated, map or message field; a body field nested below
 * the top level).
 */
export function compileBinding(method: MethodRow, binding: HttpBinding): CompiledBinding {
  let byMethod = cache.get(binding);
  const hit = byMethod?.get(method);
  if (hit !== undefined) return hit;
  const template = readPathTemplate(binding.path);
  const input = messageInfo(method.input);
  const output = messageInfo(method.output);
  const bad = (why: string): TemplateError =>
    new TemplateError(binding.path, 0, `${method.name} ${binding.method} ${binding.path}: ${why}`);
  const vars = template.variables.map((variable): VariableBinding => {
    const chain: FieldInfo[] = [];
    let info = input;
    variable.fieldPath.forEach((name, i) => {
      const f = fieldByProtoName(info, name);
      if (f === undefined) throw bad(`${info.fullName} has no field "${name}"`);
      if (f.repeated || f.map) throw bad(`"${variable.name}" goes through a repeated or map field`);
      if (i < variable.fieldPath.length - 1) {
        if (f.kind !== 'message' || f.shape !== 'message') throw bad(`"${name}" is not a message field`);
        info = messageInfo(f.typeName!);
      } else if (f.kind === 'message') {
        throw bad(`"${variable.name}" is a message field, not a scalar`);
      }
      chain.push(f);
    });
    return { variable, chain, leaf: chain[chain.length - 1]!, jsonPath: chain.map((f) => f.jsonName).join('.') };
  });
  /** A top-level field named by the binding (body, response_body), or the error naming it. */
  const topLevel = (info: MessageInfo, what: string, name: string): FieldInfo =>
    fieldByProtoName(info, name) ?? throwError(bad(`the ${what} field "${name}" is not a top-level field of ${info.fullName}`));
  let body: BodyPlan;
  if (binding.body === undefined || binding.body === '') body = { kind: 'none' };
  else if (binding.body === '*') body = { kind: 'all' };
  else body = { kind: 'field', field: topLevel(input, 'body', binding.body) };
  const responseField =
    binding.responseBody !== undefined && binding.responseBody !== '' ? topLevel(output, 'response_body', binding.responseBody) : undefined;
  const httpMethod = binding.method.toUpperCase();
  const compiled: CompiledBinding = {
    binding,
    httpMethod,
    sendMethod: httpMethod !== ANY_METHOD ? httpMethod : body.kind === 'none' ? 'GET' : 'POST',
    template,
    input,
    output,
    vars,
    body,
    responseField,
    label: `${httpMethod} ${binding.path}`,
    querySkip: new Set([...vars.map((v) => v.jsonPath), ...(body.kind === 'field' ? [body.field.jsonName] : [])]),
    omitAll: vars.every((v) => v.chain.length === 1) ? vars.map((v) => v.leaf.tsName) : undefined,
    omitInBodyField: omitIn(vars, body),
  };
  if (byMethod === undefined) cache.set(binding, (byMethod = new WeakMap()));
  byMethod.set(method, compiled);
  return compiled;
}

/**
 * The values of a binding's path variables in a request, as text, in
 * template order (undefined when unset): a string field as it is, any other
 * kind in its proto3 JSON string form (`lenient`: as `normalizeMessage`
 * takes values). A value of the wrong JS type throws the codec's
 * FieldPathError naming the field.
 */
export function pathValues(c: CompiledBinding, msg: object, lenient?: boolean): (string | undefined)[] {
  return c.vars.map((v) => {
    let cur: unknown = msg;
    for (const f of v.chain) cur = cur !== null && typeof cur === 'object' ? (cur as Record<string, unknown>)[f.tsName] : undefined;
    return cur === undefined || cur === null
      ? undefined
      : typeof cur === 'string' && v.leaf.scalar === STRING
        ? cur
        : fieldValueToString(v.leaf, cur, { lenient, path: v.jsonPath, typeName: c.input.fullName });
  });
}
