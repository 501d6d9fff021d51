/**
 * proto3 JSON to messages: the reader. It walks the field plans
 * (field-plan.ts) over a parsed JSON value and builds the message in
 * ts-proto's shape (every field present, defaults filled), with plain loops
 * and switches (no closures per call).
 *
 * Decisions where the mapping leaves room (docs/proto-json.md): JSON and
 * proto names; `null` = unset (an error inside lists and maps); a field given
 * under both names is an error; float values are rounded to float32 (as gRPC
 * delivers them); Timestamp accepts lowercase 't'/'z' and any offset;
 * FieldMask paths in lowerCamel or snake_case; enum values by name, number or
 * numeric string; an `Any` holds the message read from it (held-any.ts: its
 * bytes are made only if they are read). {@link valueFromJson} also reads
 * one value from its query string form (field-text.ts).
 */
import { checkMapKey, createMessage, describe, type MessageObject, plainBytes, scalarName, setOwn } from '../../schema/create-message.js';
import { enumInfo, wrapperScalar } from '../../schema/registry.js';
import { isInt64, parseWholeNumber } from '../../schema/scalar.js';
import * as scalarTypes from '../../schema/scalar-types.js';
import { base64Decode } from '../base64.js';
import * as kind from '../field-kind.js';
import { type FieldPlan, type MessagePlan, planOf, ROOT_PLAN, rootKind } from '../field-plan.js';
import { holdAny } from '../held-any.js';
import {
  expected,
  fail,
  finish,
  inRange,
  isObject,
  item,
  listOf,
  mapOf,
  outOfRange,
  ProtoJsonError,
  rethrow,
  tooDeep,
  unknownEnum,
  unknownField,
} from './json-error.js';
import { anyTypeName, MASK_PATH, MAX_DURATION, MAX_SECONDS, MIN_SECONDS, OUTSIDE_DURATION, OUTSIDE_YEARS } from './well-known.js';

/** Options of {@link messageFromJson}. */
export interface FromJsonOptions {
  /** Skip unknown fields and unknown enum names instead of failing (for responses). */
  ignoreUnknownFields?: boolean;
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

/** How deep the reader is in nested messages (Any included); reset by each entry point. */
let depth = 0;

const SKIP = Symbol('skip');
const NUMBER = /^-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?$/;
/** Base64 (standard or URL-safe): the characters, then the padding. */
const BASE64 = /^([A-Za-z0-9+/\-_]*)(={0,2})$/;
const TIME = /^(\d{4})-(\d\d)-(\d\d)[Tt](\d\d):(\d\d):(\d\d)(?:\.(\d{1,9}))?(?:([Zz])|([+-])(\d\d):(\d\d))$/;
const DURATION_TEXT = /^(-?)(\d+)(?:\.(\d{1,9}))?s$/;

function integerFromJson(t: number, v: unknown): number | string {
  let n: bigint | undefined;
  if (typeof v === 'number') {
    if (!Number.isInteger(v)) fail(`${v} is not a whole number for ${scalarName(t)}`);
    n = BigInt(v);
  } else if (typeof v === 'string') {
    n = parseWholeNumber(v);
    if (n === undefined) fail(`${describe(v)} is not a ${scalarName(t)} value`);
  } else {
    expected(`${scalarName(t)} (a number or a decimal string)`, v);
  }
  const s = inRange(t, n);
  return isInt64(t) ? s : Number(s);
}

function floatFromJson(t: number, v: unknown): number {
  let d: number;
  if (typeof v === 'number') d = v;
  else if (v === 'NaN' || v === 'Infinity' || v === '-Infinity') return Number(v);
  else if (typeof v === 'string' && NUMBER.test(v)) d = Number(v);
  else return expected(scalarName(t), v);
  const r = t === scalarTypes.FLOAT ? Math.fround(d) : d;
  if (!Number.isFinite(r)) outOfRange(v, t);
  // -0 reads as 0.
  return r + 0;
}

function bytesFromJson(v: unknown): Uint8Array {
  if (typeof v !== 'string') expected('base64 bytes', v);
  const m = BASE64.exec(v);
  // Unpadded, or padded to a multiple of 4; never one character past a group of 4.
  if (m === null || (m[1] as string).length % 4 === 1 || (m[2] !== '' && v.length % 4 !== 0)) fail(`${describe(v)} is not valid base64`);
  return plainBytes(base64Decode(m[1] as string));
}

function wellFormed(s: string): boolean {
  return !/[\uD800-\uDFFF]/.test(s) || !/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/.test(s);
}

function enumFromJson(fp: FieldPlan, v: unknown, o: FromJsonOptions): number | typeof SKIP {
  // An int32 (-0 read as 0), by number or numeric string; else a name.
  if (typeof v === 'number') {
    if ((v | 0) === v) return v | 0;
  } else if (typeof v === 'string') {
    const n = (fp.enm ??= enumInfo(fp.type as string)).byName.get(v);
    if (n !== undefined) return n;
    const x = Number(v);
    if (/^-?\d+$/.test(v) && (x | 0) === x) return x | 0;
    if (o.ignoreUnknownFields) return SKIP;
    unknownEnum(v, fp.type);
  }
  return expected(`a ${fp.type} name or number`, v);
}

function daysFromCivil(y: number, m: number, d: number): number {
  const date = new Date(0);
  date.setUTCFullYear(y, m - 1, d);
  // A day past its month's end (or 0) moves the month, and so does month 0 or 13.
  return date.getUTCMonth() === m - 1 ? Math.round(date.getTime() / 864e5) : NaN;
}

function timestampFromJson(v: unknown): MessageObject {
  const m = typeof v === 'string' ? TIME.exec(v) : null;
  if (m === null) return expected('an RFC 3339 timestamp', v);
  const num = (i: number): number => Number(m[i] ?? 0);
  const days = daysFromCivil(num(1), num(2), num(3));
  if (Number.isNaN(days) || num(4) > 23 || num(5) > 59 || num(6) > 59 || num(10) > 23 || num(11) > 59)
    fail(`${describe(v)} is not a valid date and time`);
  // Without an offset (Z), hours and minutes 10 and 11 read as 0.
  const offset = (m[9] === '-' ? -1 : 1) * (num(10) * 3600 + num(11) * 60);
  const seconds = days * 86400 + num(4) * 3600 + num(5) * 60 + num(6) - offset;
  if (seconds < MIN_SECONDS || seconds > MAX_SECONDS) fail(`${describe(v)} ${OUTSIDE_YEARS}`);
  return { seconds: String(seconds), nanos: Number((m[7] ?? '').padEnd(9, '0')) };
}

function durationFromJson(v: unknown): MessageObject {
  const m = typeof v === 'string' ? DURATION_TEXT.exec(v) : null;
  if (m === null) return expected('a duration such as "1.5s"', v);
  const s = Number(m[2]);
  if (s > MAX_DURATION) fail(`${describe(v)} ${OUTSIDE_DURATION}`);
  const n = Number((m[3] ?? '').padEnd(9, '0'));
  const sign = m[1] === '-' ? -1 : 1;
  // String(-0) is "0"; the nanos of "-0s" are 0, not -0.
  return { seconds: String(sign * s), nanos: sign * n + 0 };
}

function fieldMaskFromJson(v: unknown): string[] {
  if (typeof v !== 'string') expected('a FieldMask string such as "displayName,description"', v);
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
  if (!isObject(v)) expected('an Any object with "@type"', v);
  const obj = v;
  const url = obj['@type'];
  if (Object.keys(obj).length === 0) return { typeUrl: '', value: new Uint8Array(0) };
  if (typeof url !== 'string' || url === '') fail('an Any needs a non-empty "@type"');
  if (++depth > 100) tooDeep();
  let name: string;
  let msg: MessageObject;
  try {
    name = anyTypeName(url);
    const op = rootKind(name);
    if (op === MESSAGE) msg = messageFromPlan(planOf(name), obj, o, true);
    else {
      for (const k of Object.keys(obj))
        if (k !== '@type' && k !== 'value' && !o.ignoreUnknownFields) unknownField(k, `in an Any of ${name}`);
      if (!('value' in obj)) fail(`an Any of ${name} needs "value"`);
      msg = rootFromJson(name, op, obj.value, o);
    }
  } catch (e) {
    throw rethrow(e, '');
  }
  depth--;
  return holdAny(url, name, msg) as unknown as MessageObject;
}

/**
 * One value of kind `op` (field-kind.ts) read from its JSON form; `fp`
 * gives the enum or message type. A string is read as a query parameter's
 * text is (field-text.ts). Returns the ts-proto-shaped value, or a private
 * skip marker for an unknown enum name when `o.ignoreUnknownFields` is set.
 * Fails (a PathFailure, given its path by the caller) for a bad value.
 */
export function valueFromJson(fp: FieldPlan, op: number, v: unknown, o: FromJsonOptions): unknown {
  switch (op) {
    case scalarTypes.STRING:
      if (typeof v !== 'string') break;
      if (!wellFormed(v)) fail('the string is not valid UTF-16 (lone surrogate)');
      return v;
    case scalarTypes.BOOL:
      if (typeof v === 'boolean') return v;
      break;
    case scalarTypes.DOUBLE:
    case scalarTypes.FLOAT:
      return floatFromJson(op, v);
    case scalarTypes.BYTES:
      return bytesFromJson(v);
    case ENUM:
      return enumFromJson(fp, v, o);
    case MESSAGE:
      if (!isObject(v)) break;
      return messageFromPlan((fp.sub ??= planOf(fp.type as string)), v, o, false);
    case FIELD_MASK:
      return fieldMaskFromJson(v);
    case TIMESTAMP:
      return timestampFromJson(v);
    case DURATION:
      return durationFromJson(v);
    case ANY:
      return anyFromJson(v, o);
    case WRAPPER:
      // A wrapper is its scalar, bare.
      return valueFromJson(fp, fp.scalar, v, o);
    default:
      return integerFromJson(op, v);
  }
  return expected(op === MESSAGE ? `a ${fp.type} object` : scalarName(op), v);
}

function messageFromPlan(p: MessagePlan, obj: { [key: string]: unknown }, o: FromJsonOptions, inAny: boolean): MessageObject {
  if (++depth > 100) tooDeep();
  const out = createMessage(p.typeName);
  let key: string | undefined;
  // The index or key inside the field at fault, if any.
  let at: string | undefined;
  try {
    for (key of Object.keys(obj)) {
      at = undefined;
      const fp = p.byName.get(key);
      if (fp === undefined) {
        if (o.ignoreUnknownFields || (inAny && key === '@type')) continue;
        unknownField(key, `of ${p.typeName}`);
      }
      // Given twice means under both names: caught at the proto name.
      if (key !== fp.json && Object.hasOwn(obj, fp.json)) fail(`field ${fp.json} is given twice (by JSON name and proto name)`);
      const v = obj[key];
      if (v === null) continue;
      switch (fp.card) {
        case IMPLICIT:
        case PRESENCE: {
          if (fp.siblings !== undefined) {
            for (const s of fp.siblings) if (out[s] !== undefined) fail(`oneof member ${s} is already set`);
          }
          const x = valueFromJson(fp, fp.kind, v, o);
          if (x !== SKIP) out[fp.ts] = x;
          break;
        }
        case LIST: {
          const list = listOf(v);
          const a: unknown[] = [];
          for (let j = 0; j < list.length; j++) {
            at = `[${j}]`;
            const y = valueFromJson(fp, fp.kind, item(list[j], true), o);
            if (y !== SKIP) a.push(y);
          }
          out[fp.ts] = a;
          break;
        }
        default: {
          const map = mapOf(v);
          const r: MessageObject = {};
          for (const k of Object.keys(map)) {
            at = `[${JSON.stringify(k)}]`;
            checkMapKey(fp.keyType, k);
            const y = valueFromJson(fp, fp.kind, item(map[k], false), o);
            if (y !== SKIP) setOwn(r, k, y);
          }
          out[fp.ts] = r;
        }
      }
    }
  } catch (e) {
    // An unknown key "" is named by the parent's path.
    throw rethrow(e, key ? `.${key}${at ?? ''}` : '');
  }
  depth--;
  return out;
}

function rootFromJson(typeName: string, op: number, json: unknown, o: FromJsonOptions): MessageObject {
  if (op === MESSAGE) {
    if (!isObject(json)) expected(`a ${typeName} JSON object`, json);
    return messageFromPlan(planOf(typeName), json, o, false);
  }
  if (json === null) expected(`a ${typeName} value`, json);
  if (op === WRAPPER) return { value: valueFromJson(ROOT_PLAN, wrapperScalar(typeName) as number, json, o) };
  if (op === FIELD_MASK) return { paths: fieldMaskFromJson(json) };
  return valueFromJson(ROOT_PLAN, op, json, o) as MessageObject;
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
    return rootFromJson(typeName, rootKind(typeName), json, options) as T;
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
