/**
 * proto3 JSON (the ProtoJSON mapping) for every message of the schema, both
 * ways, over ts-proto-shaped messages. Per-message plans are built once;
 * the walkers below are plain loops and switches (no closures per call).
 *
 * Decisions where the mapping leaves room (see CONTRIBUTING.md):
 * - Output: lowerCamel keys; implicit-presence fields left out at their
 *   default; presence fields (messages, wrappers, oneof members, proto3
 *   `optional`) written iff set; floats (32-bit) in their shortest form that
 *   reads back to the same float32; unknown enum numbers as numbers.
 * - Input: JSON and proto names; `null` = unset (an error inside lists and
 *   maps); a field given under both names is an error; float values are
 *   rounded to float32 (as gRPC delivers them); Timestamp accepts lowercase
 *   't'/'z' and any offset; FieldMask paths in lowerCamel or snake_case;
 *   enum values by name, number or numeric string.
 */
import { base64Decode, base64Encode } from './base64.js';
import { checkMapKey, createMessage, describe, PathFailure, plainBytes, scalarName, setOwn, type MessageObject } from '../schema/create-message.js';
import { enumInfo, hasMessage, messageInfo, ScalarType, wrapperScalar, type EnumInfo, type FieldInfo, type ValueInfo } from '../schema/registry.js';
import { integerRange, isInt64, isScalarDefault, parseWholeNumber, scalarDefault } from '../schema/scalar.js';
import { FieldPathError } from '../schema/schema-error.js';
import { decodeMessage, encodeMessage } from './binary-codec.js';
import { VisionError } from '../core/vision-error.js';

/** A JSON value as `JSON.parse` returns it. */
export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };

/** Options of {@link messageToJson}. */
export interface ToJsonOptions {
  /** Enums as numbers instead of names (Google's `$alt=json;enum-encoding=int`). */
  enumAsInt?: boolean;
}

/** Options of {@link messageFromJson}. */
export interface FromJsonOptions {
  /** Skip unknown fields and unknown enum names instead of failing (for responses). */
  ignoreUnknownFields?: boolean;
}

/**
 * Bad proto3 JSON (or a message that cannot be written as JSON): always
 * INVALID_ARGUMENT, with `path` naming the field (`requests[0].features[1].type`).
 */
export class ProtoJsonError extends FieldPathError {
  constructor(typeName: string, path: string, reason: string) {
    super(typeName, path, reason);
    this.name = 'ProtoJsonError';
  }
}

// Value ops: scalar type numbers (1–18) plus these.
const ENUM = 20;
const MESSAGE = 21;
const FIELD_MASK = 22;
const TIMESTAMP = 23;
const DURATION = 24;
const ANY = 25;

// Cardinalities.
const IMPLICIT = 0;
const PRESENCE = 1;
const LIST = 2;
const MAP = 3;

interface FieldPlan {
  readonly ts: string;
  readonly json: string;
  /** `"jsonName":`, ready to write. */
  readonly key: string;
  readonly card: number;
  readonly op: number;
  readonly type: string | undefined;
  readonly keyType: number;
  readonly siblings: readonly string[] | undefined;
  sub: MessagePlan | undefined;
  enm: EnumInfo | undefined;
}

interface MessagePlan {
  readonly typeName: string;
  readonly fields: readonly FieldPlan[];
  /** By JSON and proto name (what the reader accepts). */
  readonly byName: ReadonlyMap<string, FieldPlan>;
  /** By ts-proto name (what the writer reads). */
  readonly byTs: ReadonlyMap<string, FieldPlan>;
}

const SPECIAL: { readonly [typeName: string]: number } = {
  'google.protobuf.FieldMask': FIELD_MASK,
  'google.protobuf.Timestamp': TIMESTAMP,
  'google.protobuf.Duration': DURATION,
  'google.protobuf.Any': ANY,
};

function opOf(v: ValueInfo): number {
  if (v.kind === 'scalar') return v.scalar as number;
  if (v.kind === 'enum') return ENUM;
  if (v.shape === 'wrapper') return v.scalar as number;
  return SPECIAL[v.typeName as string] ?? MESSAGE;
}

const plans = new Map<string, MessagePlan>();

function planOf(typeName: string): MessagePlan {
  let p = plans.get(typeName);
  if (p === undefined) {
    const info = messageInfo(typeName);
    const byName = new Map<string, FieldPlan>();
    const fields = info.fields.map((f): FieldPlan => {
      const v = f.map ? f.map.value : f;
      const fp: FieldPlan = {
        ts: f.tsName,
        json: f.jsonName,
        key: `${JSON.stringify(f.jsonName)}:`,
        card: f.map ? MAP : f.repeated ? LIST : f.hasPresence ? PRESENCE : IMPLICIT,
        op: opOf(v),
        type: v.typeName,
        keyType: f.map ? f.map.key : 0,
        siblings: f.oneof === undefined ? undefined : (info.oneofs.get(f.oneof) as FieldInfo[]).filter((o) => o !== f).map((o) => o.tsName),
        sub: undefined,
        enm: undefined,
      };
      byName.set(f.jsonName, fp);
      byName.set(f.protoName, fp);
      return fp;
    });
    p = { typeName, fields, byName, byTs: new Map(fields.map((f) => [f.ts, f])) };
    plans.set(typeName, p);
  }
  return p;
}

function fail(reason: string): never {
  throw new PathFailure(reason);
}

function rethrow(e: unknown, seg: string): unknown {
  if (e instanceof PathFailure) {
    e.segs.push(seg);
    return e;
  }
  if (e instanceof VisionError) {
    const f = new PathFailure(e.rawMessage);
    f.segs.push(seg);
    return f;
  }
  return e;
}

function finish(e: unknown, typeName: string): unknown {
  if (e instanceof PathFailure) {
    const path = e.segs.reverse().join('').replace(/^\./, '');
    return new ProtoJsonError(typeName, path, e.reason);
  }
  if (e instanceof ProtoJsonError) return e;
  if (e instanceof VisionError) return new ProtoJsonError(typeName, '', e.rawMessage);
  // Engine limits (stack depth) and anything unforeseen still leave as our error.
  return new ProtoJsonError(typeName, '', e instanceof Error ? e.message : String(e));
}

let depth = 0;

// ---------------------------------------------------------------- output
// The writer produces JSON text directly (no intermediate objects, then no
// second walk by JSON.stringify) and checks the message as it goes: wrong JS
// types, integers out of range, unknown properties, two members of a oneof.

/**
 * A float field's JSON number: the shortest decimal that reads back (as
 * float32) to the same value. Values that are not float32 (as a caller may
 * write them) and short ones print as they are; toPrecision is the slow path.
 * Not finite values are the caller's (quoted NaN/Infinity).
 */
function float32Text(v: number): string {
  const s = String(v);
  // At most 6 significant digits: already the shortest form that reads back the same.
  if (Math.fround(v) !== v || (s.length <= 6 && !s.includes('e'))) return s;
  for (let p = 6; p < 10; p++) {
    const t = Number(v.toPrecision(p));
    if (Math.fround(t) === v) return String(t);
  }
  return s;
}

function fraction(nanos: number): string {
  if (nanos === 0) return '';
  const s = String(1e9 + nanos).slice(1);
  return nanos % 1e6 === 0 ? `.${s.slice(0, 3)}` : nanos % 1e3 === 0 ? `.${s.slice(0, 6)}` : `.${s}`;
}

const MIN_SECONDS = -62135596800; // 0001-01-01T00:00:00Z
const MAX_SECONDS = 253402300799; // 9999-12-31T23:59:59Z
const MAX_DURATION = 315576000000;
const DECIMAL = /^-?\d+$/;
/** Strings JSON can hold between quotes as they are (no quote, backslash, control or surrogate). */
const PLAIN = /^[^"\\\u0000-\u001f\ud800-\udfff]*$/;

function secondsAndNanos(v: unknown, what: string): [number, number] {
  if (typeof v !== 'object' || v === null) fail(`expected a ${what} object, got ${describe(v)}`);
  const m = v as MessageObject;
  const s = Number(m.seconds ?? 0);
  const n = m.nanos ?? 0;
  if (!Number.isInteger(s)) fail(`${what} seconds ${describe(m.seconds)} is not an integer`);
  if (typeof n !== 'number' || !Number.isInteger(n) || n <= -1e9 || n >= 1e9) fail(`${what} nanos ${describe(n)} is out of range`);
  return [s, n];
}

function timestampString(v: unknown): string {
  const [s, n] = secondsAndNanos(v, 'Timestamp');
  if (s < MIN_SECONDS || s > MAX_SECONDS || n < 0) fail(`Timestamp ${s}s ${n}ns is outside 0001-01-01..9999-12-31`);
  return `${new Date(s * 1000).toISOString().slice(0, 19)}${fraction(n)}Z`;
}

function durationString(v: unknown): string {
  const [s, n] = secondsAndNanos(v, 'Duration');
  if (Math.abs(s) > MAX_DURATION) fail(`Duration of ${s}s is out of range (±${MAX_DURATION}s)`);
  if ((s < 0 && n > 0) || (s > 0 && n < 0)) fail(`Duration seconds ${s} and nanos ${n} have different signs`);
  return `${s < 0 || n < 0 ? '-' : ''}${Math.abs(s)}${fraction(Math.abs(n))}s`;
}

/** snake_case paths → `"a.bC,d"`; refuses paths that would not read back the same. */
function fieldMaskString(v: unknown): string {
  if (!Array.isArray(v)) fail(`expected a FieldMask (array of paths), got ${describe(v)}`);
  let out = '';
  for (let i = 0; i < v.length; i++) {
    const p = v[i] as unknown;
    if (typeof p !== 'string') fail(`expected a FieldMask path string, got ${describe(p)}`);
    if (!MASK_PATH.test(p) || /[A-Z]|_(?![a-z])/.test(p)) fail(`FieldMask path ${JSON.stringify(p)} has no lowerCamel JSON form`);
    out += (i ? ',' : '') + p.replace(/_([a-z])/g, (_m, c: string) => c.toUpperCase());
  }
  return out;
}

function anyTypeName(url: string): string {
  const name = url.slice(url.lastIndexOf('/') + 1);
  if (!hasMessage(name)) fail(`unknown type ${JSON.stringify(url)} in Any`);
  return name;
}

function anyText(v: unknown, o: ToJsonOptions): string {
  if (typeof v !== 'object' || v === null) fail(`expected an Any object, got ${describe(v)}`);
  const { typeUrl = '', value = new Uint8Array(0) } = v as { typeUrl?: unknown; value?: unknown };
  if (typeof typeUrl !== 'string' || !(value instanceof Uint8Array)) fail('expected an Any with a string typeUrl and bytes value');
  if (typeUrl === '' && value.length === 0) return '{}';
  if (++depth > 100) fail('messages nested more than 100 deep');
  const name = anyTypeName(typeUrl);
  const msg = decodeMessage(name, value);
  const op = rootOp(name);
  const head = `{"@type":${JSON.stringify(typeUrl)}`;
  const out = op === MESSAGE ? messageText(planOf(name), msg, o, head, undefined) : `${head},"value":${rootText(name, op, msg, o)}}`;
  depth--;
  return out;
}

/** The string form of a scalar or string-valued well-known type (what a query parameter carries). */
function valueString(fp: FieldPlan, op: number, v: unknown, o: ToJsonOptions): string {
  switch (op) {
    case ScalarType.STRING:
      if (typeof v === 'string') return v;
      break;
    case ScalarType.BOOL:
      if (typeof v === 'boolean') return v ? 'true' : 'false';
      break;
    case ScalarType.INT32:
    case ScalarType.SINT32:
    case ScalarType.SFIXED32:
      if (typeof v === 'number' && (v | 0) === v) return String(v);
      break;
    case ScalarType.UINT32:
    case ScalarType.FIXED32:
      if (typeof v === 'number' && v >>> 0 === v) return String(v);
      break;
    case ScalarType.INT64:
    case ScalarType.SINT64:
    case ScalarType.SFIXED64:
    case ScalarType.UINT64:
    case ScalarType.FIXED64:
      // Numbers only while exact; larger values must come as strings (or bigints).
      if ((typeof v === 'string' && DECIMAL.test(v)) || typeof v === 'bigint' || (typeof v === 'number' && Number.isSafeInteger(v))) return String(v);
      break;
    case ScalarType.DOUBLE:
      if (typeof v === 'number') return String(v);
      break;
    case ScalarType.FLOAT:
      if (typeof v === 'number') return float32Text(v);
      break;
    case ScalarType.BYTES:
      if (v instanceof Uint8Array) return base64Encode(v);
      break;
    case ENUM:
      if (typeof v === 'number' && (v | 0) === v) return (o.enumAsInt ? undefined : (fp.enm ??= enumInfo(fp.type as string)).byNumber.get(v)) ?? String(v);
      break;
    case FIELD_MASK:
      return fieldMaskString(v);
    case TIMESTAMP:
      return timestampString(v);
    case DURATION:
      return durationString(v);
  }
  return fail(`expected ${op < ENUM ? scalarName(op) : op === ENUM ? `a ${fp.type} number` : `a ${fp.type} object`}, got ${describe(v)}`);
}

function valueText(fp: FieldPlan, op: number, v: unknown, o: ToJsonOptions): string {
  switch (op) {
    case ScalarType.STRING:
      if (typeof v !== 'string') break;
      return PLAIN.test(v) ? `"${v}"` : JSON.stringify(v);
    case ScalarType.BOOL:
    case ScalarType.INT32:
    case ScalarType.SINT32:
    case ScalarType.SFIXED32:
    case ScalarType.UINT32:
    case ScalarType.FIXED32:
      return valueString(fp, op, v, o);
    case ScalarType.DOUBLE:
    case ScalarType.FLOAT:
      if (typeof v !== 'number') break;
      return Number.isFinite(v) ? (op === ScalarType.FLOAT ? float32Text(v) : String(v)) : `"${String(v)}"`;
    case ENUM:
      if (o.enumAsInt && typeof v === 'number' && (v | 0) === v) return String(v);
      if (typeof v === 'number' && !(fp.enm ??= enumInfo(fp.type as string)).byNumber.has(v)) return valueString(fp, op, v, o);
      return `"${valueString(fp, op, v, o)}"`;
    case MESSAGE:
      if (typeof v !== 'object' || v === null || Array.isArray(v)) break;
      return messageText((fp.sub ??= planOf(fp.type as string)), v as MessageObject, o, '{', undefined);
    case ANY:
      return anyText(v, o);
    case FIELD_MASK:
      return JSON.stringify(fieldMaskString(v));
    default:
      return `"${valueString(fp, op, v, o)}"`;
  }
  return fail(`expected ${op < ENUM ? scalarName(op) : `a ${fp.type} object`}, got ${describe(v)}`);
}

function messageText(p: MessagePlan, m: MessageObject, o: ToJsonOptions, head: string, omit: readonly string[] | undefined): string {
  if (++depth > 100) fail('messages nested more than 100 deep');
  const fs = p.fields;
  let out = head;
  let sep = head === '{' ? '' : ',';
  let fp: FieldPlan | undefined;
  let at: number | string = -1;
  let found = 0;
  try {
    for (let i = 0; i < fs.length; i++) {
      fp = fs[i] as FieldPlan;
      const v = m[fp.ts];
      if (v === undefined) continue;
      found++;
      if (v === null || (omit !== undefined && omit.includes(fp.ts))) continue;
      at = -1;
      const op = fp.op;
      switch (fp.card) {
        case IMPLICIT:
          if (op === ENUM ? v === 0 : isScalarDefault(op, v)) continue;
          out += sep + fp.key + valueText(fp, op, v, o);
          break;
        case PRESENCE:
          if (fp.siblings !== undefined) for (const s of fp.siblings) if (m[s] !== undefined && m[s] !== null) fail(`oneof member ${s} is set too`);
          out += sep + fp.key + valueText(fp, op, v, o);
          break;
        case LIST: {
          if (!Array.isArray(v)) fail(`expected an array, got ${describe(v)}`);
          const n = v.length;
          if (n === 0) continue;
          let a = '[';
          for (at = 0; at < n; at++) {
            const x = v[at] as unknown;
            if (x === undefined || x === null) fail('null is not allowed in a repeated field');
            a += (at === 0 ? '' : ',') + valueText(fp, op, x, o);
          }
          out += `${sep}${fp.key}${a}]`;
          break;
        }
        default: {
          if (typeof v !== 'object' || Array.isArray(v)) fail(`expected a map object, got ${describe(v)}`);
          let r = '';
          for (const k in v) {
            at = k;
            checkMapKey(fp.keyType, k);
            const x = (v as MessageObject)[k];
            if (x === undefined || x === null) fail('null is not allowed as a map value');
            r += (r === '' ? '{' : ',') + JSON.stringify(k) + ':' + valueText(fp, op, x, o);
          }
          if (r === '') continue;
          out += `${sep}${fp.key}${r}}`;
        }
      }
      sep = ',';
    }
    // Every property that is set must be a field (counted without allocating).
    let given = 0;
    for (const k in m) if (m[k] !== undefined) given++;
    if (given !== found) {
      const k = Object.keys(m).find((x) => m[x] !== undefined && !p.byTs.has(x));
      if (k !== undefined) {
        fp = undefined;
        at = k;
        fail(`unknown field ${JSON.stringify(k)} of ${p.typeName}`);
      }
    }
  } catch (e) {
    throw rethrow(e, fp === undefined ? (at === -1 ? '' : `.${String(at)}`) : `.${fp.json}${at === -1 ? '' : typeof at === 'number' ? `[${at}]` : `[${JSON.stringify(at)}]`}`);
  }
  depth--;
  return `${out}}`;
}

function rootOp(typeName: string): number {
  if (wrapperScalar(typeName) !== undefined) return -1;
  return SPECIAL[typeName] ?? MESSAGE;
}

const WRAPPER_PLAN: FieldPlan = { ts: 'value', json: 'value', key: '', card: PRESENCE, op: 0, type: undefined, keyType: 0, siblings: undefined, sub: undefined, enm: undefined };

function rootText(typeName: string, op: number, m: MessageObject, o: ToJsonTextOptions): string {
  if (typeof m !== 'object' || m === null || Array.isArray(m)) fail(`expected a ${typeName} object, got ${describe(m)}`);
  if (op === -1) return valueText(WRAPPER_PLAN, wrapperScalar(typeName) as number, m.value ?? scalarDefault(wrapperScalar(typeName) as number), o);
  if (op === FIELD_MASK) return valueText(WRAPPER_PLAN, op, m.paths ?? [], o);
  if (op === MESSAGE) return messageText(planOf(typeName), m, o, '{', o.omit);
  return valueText(WRAPPER_PLAN, op, m, o);
}

/** Options of {@link messageToJsonText}. */
export interface ToJsonTextOptions extends ToJsonOptions {
  /** Top-level fields (ts-proto names) to leave out, e.g. the ones a URL path carries. */
  omit?: readonly string[];
}

/**
 * A message (ts-proto shape, or a deep partial of it: missing fields read as
 * unset) as proto3 JSON text, written directly (the fast path for request
 * and response bodies). Well-known types take their special forms
 * (Timestamp and Duration strings, FieldMask `"a.bC,d"`, wrappers bare, Any
 * with `@type`). Checks as it writes: a value of the wrong JS type, an
 * integer out of range, an unknown property, two members of a oneof, or a
 * value without a JSON form (a Timestamp out of range, an Any of an unknown
 * type) throws {@link ProtoJsonError} with the field path.
 */
export function messageToJsonText(typeName: string, message: object, options: ToJsonTextOptions = {}): string {
  depth = 0;
  try {
    return rootText(typeName, rootOp(typeName), message as MessageObject, options);
  } catch (e) {
    throw finish(e, typeName);
  }
}

/**
 * The same as {@link messageToJsonText}, as a parsed JSON value (for callers
 * that edit or pretty-print it).
 */
export function messageToJson(typeName: string, message: object, options: ToJsonTextOptions = {}): JsonValue {
  return JSON.parse(messageToJsonText(typeName, message, options)) as JsonValue;
}

// ----------------------------------------------------------------- input

const SKIP = Symbol('skip');
const NUMBER = /^-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?$/;
const BASE64 = /^[A-Za-z0-9+/\-_]*={0,2}$/;
const TIME = /^(\d{4})-(\d\d)-(\d\d)[Tt](\d\d):(\d\d):(\d\d)(?:\.(\d{1,9}))?(?:([Zz])|([+-])(\d\d):(\d\d))$/;
const DURATION_TEXT = /^(-?)(\d+)(?:\.(\d{1,9}))?s$/;
const MASK_PATH = /^[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)*$/;

function integerFromJson(t: number, v: unknown): number | string {
  let n: bigint | undefined;
  if (typeof v === 'number') {
    if (!Number.isInteger(v)) fail(`${v} is not a whole number for ${scalarName(t)}`);
    n = BigInt(v);
  } else if (typeof v === 'string') {
    n = parseWholeNumber(v);
    if (n === undefined) fail(`${describe(v)} is not a ${scalarName(t)} value`);
  } else {
    fail(`expected ${scalarName(t)} (a number or a decimal string), got ${describe(v)}`);
  }
  const [lo, hi] = integerRange(t);
  if (n < lo || n > hi) fail(`${String(n)} is out of range for ${scalarName(t)}`);
  return isInt64(t) ? n.toString() : Number(n);
}

function floatFromJson(t: number, v: unknown): number {
  let d: number;
  if (typeof v === 'number') d = v;
  else if (v === 'NaN' || v === 'Infinity' || v === '-Infinity') return Number(v);
  else if (typeof v === 'string' && NUMBER.test(v)) d = Number(v);
  else return fail(`expected ${scalarName(t)}, got ${describe(v)}`);
  const r = t === ScalarType.FLOAT ? Math.fround(d) : d;
  if (!Number.isFinite(r)) fail(`${String(v)} is out of range for ${scalarName(t)}`);
  return r === 0 ? 0 : r;
}

function bytesFromJson(v: unknown): Uint8Array {
  if (typeof v !== 'string') fail(`expected base64 bytes, got ${describe(v)}`);
  const body = v.replace(/=+$/, '');
  if (!BASE64.test(v) || body.length % 4 === 1 || (body.length !== v.length && v.length % 4 !== 0)) fail(`${describe(v)} is not valid base64`);
  return plainBytes(base64Decode(body));
}

function wellFormed(s: string): boolean {
  return !/[\uD800-\uDFFF]/.test(s) || !/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/.test(s);
}

function enumFromJson(fp: FieldPlan, v: unknown, o: FromJsonOptions): number | typeof SKIP {
  if (typeof v === 'number') {
    if (Number.isInteger(v) && v >= -2147483648 && v <= 2147483647) return v + 0;
  } else if (typeof v === 'string') {
    const n = (fp.enm ??= enumInfo(fp.type as string)).byName.get(v);
    if (n !== undefined) return n;
    if (/^-?\d{1,10}$/.test(v) && Math.abs(Number(v)) <= 2147483648 && Number(v) !== 2147483648) return Number(v) + 0;
    if (o.ignoreUnknownFields) return SKIP;
    fail(`unknown value ${JSON.stringify(v)} for enum ${fp.type}`);
  }
  return fail(`expected a ${fp.type} name or number, got ${describe(v)}`);
}

function daysFromCivil(y: number, m: number, d: number): number {
  const date = new Date(0);
  date.setUTCFullYear(y, m - 1, d);
  return date.getUTCMonth() === m - 1 && date.getUTCDate() === d ? Math.round(date.getTime() / 864e5) : NaN;
}

function timestampFromJson(v: unknown): MessageObject {
  const m = typeof v === 'string' ? TIME.exec(v) : null;
  if (m === null) return fail(`expected an RFC 3339 timestamp, got ${describe(v)}`);
  const num = (i: number): number => Number(m[i] ?? 0);
  const days = daysFromCivil(num(1), num(2), num(3));
  if (Number.isNaN(days) || num(4) > 23 || num(5) > 59 || num(6) > 59 || num(10) > 23 || num(11) > 59) fail(`${describe(v)} is not a valid date and time`);
  const offset = m[9] === undefined ? 0 : (m[9] === '-' ? -1 : 1) * (num(10) * 3600 + num(11) * 60);
  const seconds = days * 86400 + num(4) * 3600 + num(5) * 60 + num(6) - offset;
  if (seconds < MIN_SECONDS || seconds > MAX_SECONDS) fail(`${describe(v)} is outside 0001-01-01..9999-12-31`);
  return { seconds: String(seconds), nanos: Number((m[7] ?? '').padEnd(9, '0')) };
}

function durationFromJson(v: unknown): MessageObject {
  const m = typeof v === 'string' ? DURATION_TEXT.exec(v) : null;
  if (m === null) return fail(`expected a duration such as "1.5s", got ${describe(v)}`);
  const s = Number(m[2]);
  if (s > MAX_DURATION) fail(`${describe(v)} is out of range (±${MAX_DURATION}s)`);
  const n = Number((m[3] ?? '').padEnd(9, '0'));
  const sign = m[1] === '-' ? -1 : 1;
  return { seconds: String(sign * s + 0), nanos: sign * n + 0 };
}

function fieldMaskFromJson(v: unknown): string[] {
  if (typeof v !== 'string') fail(`expected a FieldMask string such as "displayName,description", got ${describe(v)}`);
  if (v === '') return [];
  const paths = v.split(',');
  for (let i = 0; i < paths.length; i++) {
    const p = paths[i] as string;
    if (!MASK_PATH.test(p)) fail(`${JSON.stringify(p)} is not a FieldMask path`);
    const snake = p.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
    if (/_(?![a-z])/.test(snake)) fail(`FieldMask path ${JSON.stringify(p)} is neither lowerCamel nor snake_case`);
    paths[i] = snake;
  }
  return paths;
}

function anyFromJson(v: unknown, o: FromJsonOptions): MessageObject {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) fail(`expected an Any object with "@type", got ${describe(v)}`);
  const obj = v as { [key: string]: unknown };
  const url = obj['@type'];
  if (url === undefined && Object.keys(obj).length === 0) return { typeUrl: '', value: new Uint8Array(0) };
  if (typeof url !== 'string' || url === '') fail('an Any needs a non-empty "@type"');
  if (++depth > 100) fail('messages nested more than 100 deep');
  let name: string;
  let msg: MessageObject;
  try {
    name = anyTypeName(url);
    const op = rootOp(name);
    if (op === MESSAGE) msg = messageFromPlan(planOf(name), obj, o, true);
    else {
      for (const k of Object.keys(obj)) if (k !== '@type' && k !== 'value' && !o.ignoreUnknownFields) fail(`unknown field ${JSON.stringify(k)} in an Any of ${name}`);
      if (!('value' in obj)) fail(`an Any of ${name} needs "value"`);
      msg = rootFromJson(name, op, obj.value, o);
    }
  } catch (e) {
    throw rethrow(e, '');
  }
  depth--;
  return { typeUrl: url, value: encodeMessage(name, msg) };
}

function valueFromJson(fp: FieldPlan, op: number, v: unknown, o: FromJsonOptions): unknown {
  switch (op) {
    case ScalarType.STRING:
      if (typeof v !== 'string') break;
      if (!wellFormed(v)) fail('the string is not valid UTF-16 (lone surrogate)');
      return v;
    case ScalarType.BOOL:
      if (typeof v === 'boolean') return v;
      break;
    case ScalarType.DOUBLE:
    case ScalarType.FLOAT:
      return floatFromJson(op, v);
    case ScalarType.BYTES:
      return bytesFromJson(v);
    case ENUM:
      return enumFromJson(fp, v, o);
    case MESSAGE:
      if (typeof v !== 'object' || v === null || Array.isArray(v)) break;
      return messageFromPlan((fp.sub ??= planOf(fp.type as string)), v as { [key: string]: unknown }, o, false);
    case FIELD_MASK:
      return fieldMaskFromJson(v);
    case TIMESTAMP:
      return timestampFromJson(v);
    case DURATION:
      return durationFromJson(v);
    case ANY:
      return anyFromJson(v, o);
    default:
      return integerFromJson(op, v);
  }
  return fail(`expected ${op < ENUM ? scalarName(op) : `a ${fp.type} object`}, got ${describe(v)}`);
}

function messageFromPlan(p: MessagePlan, obj: { [key: string]: unknown }, o: FromJsonOptions, inAny: boolean): MessageObject {
  if (++depth > 100) fail('messages nested more than 100 deep');
  const out = createMessage(p.typeName);
  const keys = Object.keys(obj);
  const seen = keys.length > 1 ? new Set<FieldPlan>() : undefined;
  let key = '';
  let at = '';
  try {
    for (key of keys) {
      at = '';
      const fp = p.byName.get(key);
      if (fp === undefined) {
        if (o.ignoreUnknownFields || (inAny && key === '@type')) continue;
        fail(`unknown field ${JSON.stringify(key)} of ${p.typeName}`);
      }
      if (seen !== undefined) {
        if (seen.has(fp)) fail(`field ${fp.json} is given twice (by JSON name and proto name)`);
        seen.add(fp);
      }
      const v = obj[key];
      if (v === null) continue;
      switch (fp.card) {
        case IMPLICIT:
        case PRESENCE: {
          if (fp.siblings !== undefined) {
            for (const s of fp.siblings) if (out[s] !== undefined) fail(`oneof member ${s} is already set`);
          }
          const x = valueFromJson(fp, fp.op, v, o);
          if (x !== SKIP) out[fp.ts] = x;
          break;
        }
        case LIST: {
          if (!Array.isArray(v)) fail(`expected an array, got ${describe(v)}`);
          const a: unknown[] = [];
          for (let j = 0; j < v.length; j++) {
            at = `[${j}]`;
            const x = v[j] as unknown;
            if (x === null) fail('null is not allowed in a repeated field');
            const y = valueFromJson(fp, fp.op, x, o);
            if (y !== SKIP) a.push(y);
          }
          out[fp.ts] = a;
          break;
        }
        default: {
          if (typeof v !== 'object' || Array.isArray(v)) fail(`expected a map object, got ${describe(v)}`);
          const r: MessageObject = {};
          for (const k of Object.keys(v)) {
            at = `[${JSON.stringify(k)}]`;
            checkMapKey(fp.keyType, k);
            const x = (v as MessageObject)[k];
            if (x === null) fail('null is not allowed as a map value');
            const y = valueFromJson(fp, fp.op, x, o);
            if (y !== SKIP) setOwn(r, k, y);
          }
          out[fp.ts] = r;
        }
      }
    }
  } catch (e) {
    throw rethrow(e, key === '' ? '' : `.${key}${at}`);
  }
  depth--;
  return out;
}

function rootFromJson(typeName: string, op: number, json: unknown, o: FromJsonOptions): MessageObject {
  if (op === MESSAGE) {
    if (typeof json !== 'object' || json === null || Array.isArray(json)) fail(`expected a ${typeName} JSON object, got ${describe(json)}`);
    return messageFromPlan(planOf(typeName), json as { [key: string]: unknown }, o, false);
  }
  if (json === null) fail(`expected a ${typeName} value, got null`);
  if (op === -1) return { value: valueFromJson(WRAPPER_PLAN, wrapperScalar(typeName) as number, json, o) };
  if (op === FIELD_MASK) return { paths: fieldMaskFromJson(json) };
  return valueFromJson(WRAPPER_PLAN, op, json, o) as MessageObject;
}

/**
 * Reads a proto3 JSON value (already parsed) as a message of `typeName` in
 * ts-proto's shape (every field present, defaults filled). Accepts JSON and
 * proto field names, int64 as numbers or strings (exponent forms too), enums
 * by name or number, standard or URL-safe base64, Timestamps with offsets,
 * negative Durations, FieldMask in lowerCamel (stored snake_case), `Any` of
 * any schema type. Throws only {@link ProtoJsonError} (INVALID_ARGUMENT, with
 * the path) for bad input, never anything else.
 */
export function messageFromJson<T extends object = MessageObject>(typeName: string, json: unknown, options: FromJsonOptions = {}): T {
  depth = 0;
  try {
    return rootFromJson(typeName, rootOp(typeName), json, options) as T;
  } catch (e) {
    throw finish(e, typeName);
  }
}

/**
 * Like {@link messageFromJson}, from JSON text. An empty (or all-whitespace)
 * text reads as `{}` (an HTTP 204, an empty POST body); a syntax error is a
 * ProtoJsonError at the root.
 */
export function messageFromJsonText<T extends object = MessageObject>(typeName: string, text: string, options: FromJsonOptions = {}): T {
  let json: unknown;
  try {
    json = text.trim() === '' ? {} : JSON.parse(text);
  } catch (e) {
    throw new ProtoJsonError(typeName, '', `not valid JSON (${e instanceof Error ? e.message : String(e)})`);
  }
  return messageFromJson<T>(typeName, json, options);
}

// ------------------------------------------------- single values (query)

function fieldOp(field: ValueInfo, where: string): number {
  const op = opOf(field);
  if (op === MESSAGE || op === ANY) fail(`${where} is a message (${field.typeName}) and has no string form`);
  return op;
}

/** Options of {@link fieldValueToString} and {@link fieldValueFromString}. */
export interface StringValueOptions {
  /** The field path an error names (default: the field's JSON name). */
  path?: string;
  /** The message type an error names as `typeName` (default: the field's type). */
  typeName?: string;
}

const STRING_PLAN = (field: ValueInfo): FieldPlan => ({ ts: '', json: '', key: '', card: PRESENCE, op: 0, type: field.typeName, keyType: 0, siblings: undefined, sub: undefined, enm: undefined });

/**
 * The proto3 JSON *string* form of one value of a field (a scalar, an enum,
 * a wrapper or Timestamp/Duration/FieldMask; for a repeated field, one
 * element), as a query parameter carries it: `5`, `true`, `LABEL_DETECTION`
 * (or `4` with enumAsInt), standard padded base64, `2019-03-01T10:00:00Z`,
 * `1.5s`, `displayName,productLabels`, `NaN`. Throws ProtoJsonError for a
 * message-typed field or a value of the wrong type (`path` as given, or the
 * field's JSON name).
 */
export function fieldValueToString(field: FieldInfo | ValueInfo, value: unknown, options: ToJsonOptions & StringValueOptions = {}): string {
  const path = options.path ?? ('jsonName' in field ? field.jsonName : '');
  try {
    return valueString(STRING_PLAN(field), fieldOp(field, path || 'the field'), value, options);
  } catch (e) {
    throw finish(rethrow(e, path === '' ? '' : `.${path}`), options.typeName ?? field.typeName ?? scalarName(field.scalar as number));
  }
}

/**
 * Reads one value of a field from its string form (a query parameter or a
 * path variable): the inverse of {@link fieldValueToString}, as lenient as
 * proto3 JSON (numbers in exponent form, enum names or numbers, standard or
 * URL-safe base64, Timestamp offsets, camel or snake FieldMask paths) plus
 * `1`/`0` for bools. Returns the ts-proto-shaped value (wrappers bare,
 * FieldMask `string[]`, Timestamp `{seconds, nanos}`). Throws ProtoJsonError
 * naming `path` (default: the field's JSON name).
 */
export function fieldValueFromString(field: FieldInfo | ValueInfo, text: string, options: StringValueOptions = {}): unknown {
  const path = options.path ?? ('jsonName' in field ? field.jsonName : '');
  try {
    const op = fieldOp(field, path || 'the field');
    if (op === ScalarType.BOOL) {
      if (text === 'true' || text === '1') return true;
      if (text === 'false' || text === '0') return false;
      fail(`expected true or false, got ${describe(text)}`);
    }
    return valueFromJson(STRING_PLAN(field), op, text, {});
  } catch (e) {
    throw finish(rethrow(e, path === '' ? '' : `.${path}`), options.typeName ?? field.typeName ?? scalarName(field.scalar as number));
  }
}
