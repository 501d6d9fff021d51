/**
 * Messages to proto3 JSON: the writer. It produces JSON text directly (no
 * intermediate objects, then no second walk by JSON.stringify), walking the
 * field plans (field-plan.ts) with plain loops and switches (no closures per
 * call), and checks the message as it goes: wrong JS types, integers out of
 * range, unknown properties, two members of a oneof.
 *
 * Decisions where the mapping leaves room (docs/proto-json.md): lowerCamel
 * keys; implicit-presence fields left out at their default; presence fields
 * (messages, wrappers, oneof members, proto3 `optional`) written iff set;
 * floats (32-bit) in their shortest form that reads back to the same
 * float32; unknown enum numbers as numbers. A value JSON writes as a string
 * is written by {@link valueString}, which is also the form a query
 * parameter carries (field-text.ts).
 */
import type { Any } from '../../../gen/google/protobuf/any.js';
import { checkMapKey, describe, type MessageObject, scalarName } from '../../schema/create-message.js';
import { enumInfo, wrapperScalar } from '../../schema/registry.js';
import { isInt64, isScalarDefault, parseWholeNumber, scalarDefault } from '../../schema/scalar.js';
import * as scalarTypes from '../../schema/scalar-types.js';
import { base64Encode } from '../base64.js';
import * as kind from '../field-kind.js';
import { type FieldPlan, type MessagePlan, planOf, ROOT_PLAN, rootKind } from '../field-plan.js';
import { anyMessage, heldMessage } from '../held-any.js';
import {
  expected,
  fail,
  finish,
  inRange,
  isObject,
  item,
  listOf,
  mapOf,
  rethrow,
  tooDeep,
  unknownEnum,
  unknownField,
} from './json-error.js';
import { anyTypeName, MASK_PATH, MAX_DURATION, MAX_SECONDS, MIN_SECONDS, OUTSIDE_DURATION, OUTSIDE_YEARS } from './well-known.js';

/** A JSON value as `JSON.parse` returns it. */
export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };

/** Options of {@link messageToJson}. */
export interface ToJsonOptions {
  /** Enums as numbers instead of names (Google's `$alt=json;enum-encoding=int`). */
  enumAsInt?: boolean;
  /**
   * Take values as client requests are written, as `normalizeMessage` takes
   * them: enum values by name too, integers as bigints too, int64 kinds in
   * any whole-number text (`"1e2"`, written as `"100"`). The REST transport
   * writes callers' requests this way (instead of normalising them first).
   */
  lenient?: boolean;
}

// This module's own constants, not imported bindings, in the walkers (see field-kind.ts).
const ENUM = kind.ENUM,
  MESSAGE = kind.MESSAGE,
  WRAPPER = kind.WRAPPER,
  FIELD_MASK = kind.FIELD_MASK;
const TIMESTAMP = kind.TIMESTAMP,
  DURATION = kind.DURATION,
  ANY = kind.ANY;
const IMPLICIT = kind.IMPLICIT,
  PRESENCE = kind.PRESENCE,
  LIST = kind.LIST;

/** How deep the writer is in nested messages (Any included); reset by each entry point. */
let depth = 0;

/**
 * A float field's JSON number: the shortest decimal that reads back (as
 * float32) to the same value (9 digits always do). Values that are not
 * float32 (as a caller may write them) print as they are, and so do short
 * ones: at most 6 characters hold at most 6 significant digits, where
 * String's shortest form is already the float32 one (and toPrecision, the
 * slow path, costs). Not finite values are the caller's (quoted NaN/Infinity).
 */
function float32Text(v: number): string {
  const s = String(v);
  if (s.length > 6 && Math.fround(v) === v)
    for (let p = 6; ; p++) {
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

const DECIMAL = /^-?\d+$/;

/**
 * True when a value of kind `op` as a lenient caller gives it stands for the
 * kind's default (what an implicit-presence field leaves out): an enum's
 * zero by name (of enum `enumType`), a zero bigint or whole-number text.
 */
export function isLenientDefault(op: number, enumType: string | undefined, v: unknown): boolean {
  if (typeof v === 'bigint') return v === 0n;
  if (typeof v !== 'string') return false;
  if (op === ENUM) return enumInfo(enumType as string).byName.get(v) === 0;
  return isInt64(op) && parseWholeNumber(v) === 0n;
}

/** Strings JSON can hold between quotes as they are (no quote, backslash, control or surrogate). */
// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what JSON must escape.
const PLAIN = /^[^"\\\u0000-\u001f\ud800-\udfff]*$/;

function secondsAndNanos(v: unknown, what: string): [number, number] {
  if (!isObject(v)) expected(`a ${what} object`, v);
  const m = v as MessageObject;
  const s = Number(m.seconds ?? 0);
  const n = (m.nanos ?? 0) as number;
  if (!Number.isInteger(s)) fail(`${what} seconds ${describe(m.seconds)} is not an integer`);
  if (!Number.isInteger(n) || n <= -1e9 || n >= 1e9) fail(`${what} nanos ${describe(n)} is out of range`);
  return [s, n];
}

function timestampString(v: unknown): string {
  const [s, n] = secondsAndNanos(v, 'Timestamp');
  if (s < MIN_SECONDS || s > MAX_SECONDS || n < 0) fail(`Timestamp ${s}s ${n}ns ${OUTSIDE_YEARS}`);
  return `${new Date(s * 1000).toISOString().slice(0, 19)}${fraction(n)}Z`;
}

function durationString(v: unknown): string {
  const [s, n] = secondsAndNanos(v, 'Duration');
  if (Math.abs(s) > MAX_DURATION) fail(`Duration of ${s}s ${OUTSIDE_DURATION}`);
  if ((s < 0 && n > 0) || (s > 0 && n < 0)) fail(`Duration seconds ${s} and nanos ${n} have different signs`);
  return `${s < 0 || n < 0 ? '-' : ''}${Math.abs(s)}${fraction(Math.abs(n))}s`;
}

/** snake_case paths → `"a.bC,d"`; refuses paths that would not read back the same. */
function fieldMaskString(v: unknown): string {
  if (!Array.isArray(v)) expected('a FieldMask (array of paths)', v);
  let out = '';
  for (let i = 0; i < v.length; i++) {
    const p = v[i] as unknown;
    if (typeof p !== 'string') expected('a FieldMask path string', p);
    if (!MASK_PATH.test(p) || /[A-Z]|_(?![a-z])/.test(p)) fail(`FieldMask path ${JSON.stringify(p)} has no lowerCamel JSON form`);
    out += (i ? ',' : '') + p.replace(/_([a-z])/g, (_m, c: string) => c.toUpperCase());
  }
  return out;
}

function anyText(v: unknown, o: ToJsonOptions): string {
  if (!isObject(v)) expected('an Any object', v);
  const any = v as { typeUrl?: unknown; value?: unknown };
  const typeUrl = any.typeUrl ?? '';
  // An Any read from JSON holds its message: its bytes are made only when `value` is read.
  const value = heldMessage(v) === undefined ? (any.value ?? EMPTY) : EMPTY;
  if (typeof typeUrl !== 'string' || !(value instanceof Uint8Array)) fail('expected an Any with a string typeUrl and bytes value');
  if (typeUrl === '' && value.length === 0) return '{}';
  if (++depth > 100) tooDeep();
  const name = anyTypeName(typeUrl);
  const msg = anyMessage(v as unknown as Any, name) as MessageObject;
  const op = rootKind(name);
  const head = `{"@type":${JSON.stringify(typeUrl)}`;
  const out = op === MESSAGE ? messageText(planOf(name), msg, o, head, undefined) : `${head},"value":${rootText(name, op, msg, o)}}`;
  depth--;
  return out;
}
const EMPTY = new Uint8Array(0);

/**
 * The string form of one value of kind `op` (field-kind.ts): a scalar, an
 * enum or a string-valued well-known type (FieldMask, Timestamp, Duration;
 * a wrapper's value is passed as its scalar). JSON writes it between quotes
 * where it is a string; a query parameter carries it as it is (field-text.ts).
 * Fails (a PathFailure) for a value of the wrong JS type.
 */
export function valueString(fp: FieldPlan, op: number, v: unknown, o: ToJsonOptions): string {
  switch (op) {
    case scalarTypes.STRING:
      if (typeof v === 'string') return v;
      break;
    case scalarTypes.BOOL:
      if (typeof v === 'boolean') return String(v);
      break;
    case scalarTypes.INT32:
    case scalarTypes.SINT32:
    case scalarTypes.SFIXED32:
    case scalarTypes.UINT32:
    case scalarTypes.FIXED32:
      if (typeof v === 'number' && (op === scalarTypes.UINT32 || op === scalarTypes.FIXED32 ? v >>> 0 : v | 0) === v) return String(v);
      if (o.lenient && typeof v === 'bigint') return inRange(op, v);
      break;
    case scalarTypes.INT64:
    case scalarTypes.SINT64:
    case scalarTypes.SFIXED64:
    case scalarTypes.UINT64:
    case scalarTypes.FIXED64: {
      // Numbers only while exact; larger values must come as strings (or bigints). A string
      // is written as given, or canonical when lenient (any whole-number text).
      const n =
        typeof v === 'string'
          ? o.lenient
            ? parseWholeNumber(v)
            : DECIMAL.test(v)
              ? BigInt(v)
              : undefined
          : typeof v === 'bigint'
            ? v
            : Number.isSafeInteger(v)
              ? BigInt(v as number)
              : undefined;
      if (n === undefined) break;
      const s = inRange(op, n);
      return typeof v === 'string' && !o.lenient ? v : s;
    }
    case scalarTypes.DOUBLE:
      if (typeof v === 'number') return String(v);
      break;
    case scalarTypes.FLOAT:
      if (typeof v === 'number') return float32Text(v);
      break;
    case scalarTypes.BYTES:
      if (v instanceof Uint8Array) return base64Encode(v);
      break;
    case ENUM:
      if (typeof v === 'number' && (v | 0) === v)
        return (o.enumAsInt ? undefined : (fp.enm ??= enumInfo(fp.type as string)).byNumber.get(v)) ?? String(v);
      if (o.lenient && typeof v === 'string') {
        const n = (fp.enm ??= enumInfo(fp.type as string)).byName.get(v);
        if (n === undefined) unknownEnum(v, fp.type);
        return o.enumAsInt ? String(n) : v;
      }
      break;
    case FIELD_MASK:
      return fieldMaskString(v);
    case TIMESTAMP:
      return timestampString(v);
    case DURATION:
      return durationString(v);
  }
  // Messages have no string form: the callers never pass them.
  return expected(op === ENUM ? `a ${fp.type} number` : scalarName(op), v);
}

function valueText(fp: FieldPlan, op: number, v: unknown, o: ToJsonOptions): string {
  switch (op) {
    case scalarTypes.STRING:
      if (typeof v !== 'string') break;
      return PLAIN.test(v) ? `"${v}"` : JSON.stringify(v);
    case scalarTypes.BOOL:
    case scalarTypes.INT32:
    case scalarTypes.SINT32:
    case scalarTypes.SFIXED32:
    case scalarTypes.UINT32:
    case scalarTypes.FIXED32:
      return valueString(fp, op, v, o);
    case scalarTypes.DOUBLE:
    case scalarTypes.FLOAT:
      if (typeof v !== 'number') break;
      return Number.isFinite(v) ? valueString(fp, op, v, o) : `"${v}"`;
    case ENUM:
      // Numbers bare (with enumAsInt, or unknown to the enum), names quoted.
      if (typeof v === 'number' && (o.enumAsInt || !(fp.enm ??= enumInfo(fp.type as string)).byNumber.has(v)))
        return valueString(fp, op, v, o);
      return o.enumAsInt ? valueString(fp, op, v, o) : `"${valueString(fp, op, v, o)}"`;
    case MESSAGE:
      if (!isObject(v)) break;
      return messageText((fp.sub ??= planOf(fp.type as string)), v as MessageObject, o, '{', undefined);
    case ANY:
      return anyText(v, o);
    case WRAPPER:
      // A wrapper is its scalar, bare.
      return valueText(fp, fp.scalar, v, o);
    default:
      return `"${valueString(fp, op, v, o)}"`;
  }
  return expected(op === MESSAGE ? `a ${fp.type} object` : scalarName(op), v);
}

function messageText(p: MessagePlan, m: MessageObject, o: ToJsonOptions, head: string, omit: readonly string[] | undefined): string {
  if (++depth > 100) tooDeep();
  const fs = p.fields;
  let out = head;
  let sep = head === '{' ? '' : ',';
  let fp: FieldPlan | undefined;
  // The index or key inside the field at fault, if any.
  let at: number | string | undefined;
  let found = 0;
  try {
    for (let i = 0; i < fs.length; i++) {
      fp = fs[i] as FieldPlan;
      const v = m[fp.ts];
      if (v === undefined) continue;
      found++;
      if (v === null || omit?.includes(fp.ts)) continue;
      at = undefined;
      const op = fp.kind;
      switch (fp.card) {
        case IMPLICIT:
          if (op === ENUM ? v === 0 : isScalarDefault(op, v)) continue;
          // A zero bigint (taken for the 64-bit kinds without `lenient` too) is the default as well.
          if (o.lenient ? isLenientDefault(op, fp.type, v) : v === 0n) continue;
          out += sep + fp.key + valueText(fp, op, v, o);
          break;
        case PRESENCE:
          if (fp.siblings !== undefined) for (const s of fp.siblings) if (m[s] != null) fail(`oneof member ${s} is set too`);
          out += sep + fp.key + valueText(fp, op, v, o);
          break;
        case LIST: {
          const n = listOf(v).length;
          if (n === 0) continue;
          let a = '[';
          for (at = 0; at < n; at++) a += (at === 0 ? '' : ',') + valueText(fp, op, item((v as unknown[])[at], true), o);
          out += `${sep}${fp.key}${a}]`;
          break;
        }
        default: {
          const map = mapOf(v);
          let r = '';
          for (const k in map) {
            at = k;
            checkMapKey(fp.keyType, k);
            r += `${r === '' ? '{' : ','}${JSON.stringify(k)}:${valueText(fp, op, item(map[k], false), o)}`;
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
        unknownField(k, `of ${p.typeName}`);
      }
    }
  } catch (e) {
    throw rethrow(e, fp === undefined ? `.${at}` : `.${fp.json}${at === undefined ? '' : `[${JSON.stringify(at)}]`}`);
  }
  depth--;
  return `${out}}`;
}

function rootText(typeName: string, op: number, m: MessageObject, o: ToJsonTextOptions): string {
  if (!isObject(m)) expected(`a ${typeName} object`, m);
  if (op === WRAPPER)
    return valueText(ROOT_PLAN, wrapperScalar(typeName) as number, m.value ?? scalarDefault(wrapperScalar(typeName) as number), o);
  if (op === FIELD_MASK) return valueText(ROOT_PLAN, op, m.paths ?? [], o);
  if (op === MESSAGE) return messageText(planOf(typeName), m, o, '{', o.omit);
  return valueText(ROOT_PLAN, op, m, o);
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
    return rootText(typeName, rootKind(typeName), message as MessageObject, options);
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
