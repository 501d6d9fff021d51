/**
 * A fast path to proto3 JSON *text*: `messageToJsonText(t, m, o)` returns
 * exactly `JSON.stringify(messageToJson(t, m, o))` without building the
 * intermediate JSON object (the client's request bodies and the gateway's
 * compact answers are the hot paths of transcoding).
 *
 * It is not a second codec: it writes the structure (keys, objects, arrays,
 * maps, presence and default rules) and the plain scalars itself, and takes
 * every special form (float32, wrappers, Timestamp, Duration, FieldMask,
 * Any) from proto-json.ts. Anything it does not expect (a value of the wrong
 * type, a null in a list, deep nesting) makes it start over on the reference
 * path, so errors are the reference's `ProtoJsonError`s, with their paths.
 * A property test checks both give the same text for every schema type.
 * (Kept in its own module so it can move next to proto-json.ts.)
 */
import { base64Encode } from '@bufbuild/protobuf/wire';
import { enumInfo, messageInfo, ScalarType, wrapperScalar, type FieldInfo } from '../schema/registry.js';
import { isScalarDefault } from '../schema/scalar.js';
import { messageToJson, type ToJsonOptions } from './proto-json.js';

const enum Op {
  STRING = 1,
  BOOL,
  INT32,
  INT64,
  DOUBLE,
  FLOAT,
  BYTES,
  ENUM,
  MESSAGE,
  /** Anything with a special JSON form: taken from messageToJson of `wkt`. */
  SPECIAL,
}

const enum Card {
  IMPLICIT,
  PRESENCE,
  LIST,
  MAP,
}

interface FieldPlan {
  /** ts-proto property name. */
  readonly ts: string;
  /** `"jsonName":` ready to write. */
  readonly key: string;
  /** `,"jsonName":`. */
  readonly nextKey: string;
  readonly card: Card;
  readonly op: Op;
  /** The scalar type (for the default test of implicit fields). */
  readonly scalar: number;
  /** Message type for MESSAGE, the well-known type for SPECIAL. */
  readonly type: string | undefined;
  /** For SPECIAL: wrap the value as `{ [wrap]: v }` before handing it to messageToJson. */
  readonly wrap: string | undefined;
  /** Enum number → quoted name. */
  names: Map<number, string> | undefined;
  sub: MessagePlan | undefined;
}

interface MessagePlan {
  readonly fields: readonly FieldPlan[];
}

const plans = new Map<string, MessagePlan>();

const SPECIAL_TYPES = new Set(['google.protobuf.Timestamp', 'google.protobuf.Duration', 'google.protobuf.Any']);

function opOf(f: { kind: string; scalar: number | undefined; typeName: string | undefined; shape: string | undefined }): [Op, string | undefined, string | undefined] {
  if (f.kind === 'enum') return [Op.ENUM, f.typeName, undefined];
  if (f.kind === 'message') {
    if (f.shape === 'wrapper') return [Op.SPECIAL, f.typeName, 'value'];
    if (f.shape === 'fieldMask') return [Op.SPECIAL, f.typeName, 'paths'];
    if (SPECIAL_TYPES.has(f.typeName!)) return [Op.SPECIAL, f.typeName, undefined];
    return [Op.MESSAGE, f.typeName, undefined];
  }
  switch (f.scalar) {
    case ScalarType.STRING:
      return [Op.STRING, undefined, undefined];
    case ScalarType.BOOL:
      return [Op.BOOL, undefined, undefined];
    case ScalarType.BYTES:
      return [Op.BYTES, undefined, undefined];
    case ScalarType.DOUBLE:
      return [Op.DOUBLE, undefined, undefined];
    case ScalarType.FLOAT:
      return [Op.FLOAT, undefined, undefined];
    case ScalarType.INT64:
    case ScalarType.UINT64:
    case ScalarType.FIXED64:
    case ScalarType.SFIXED64:
    case ScalarType.SINT64:
      return [Op.INT64, undefined, undefined];
    default:
      return [Op.INT32, undefined, undefined];
  }
}

function planOf(typeName: string): MessagePlan {
  let p = plans.get(typeName);
  if (p === undefined) {
    const info = messageInfo(typeName);
    p = {
      fields: info.fields.map((f: FieldInfo): FieldPlan => {
        const v = f.map ? f.map.value : f;
        const [op, type, wrap] = opOf(v);
        return {
          ts: f.tsName,
          key: `${JSON.stringify(f.jsonName)}:`,
          nextKey: `,${JSON.stringify(f.jsonName)}:`,
          card: f.map ? Card.MAP : f.repeated ? Card.LIST : f.hasPresence ? Card.PRESENCE : Card.IMPLICIT,
          op,
          scalar: v.scalar ?? 0,
          type,
          wrap,
          names: undefined,
          sub: undefined,
        };
      }),
    };
    plans.set(typeName, p);
  }
  return p;
}

/** The shortest decimal that reads back as the same float32 (proto-json.ts's float form). */
function float32(v: number): number {
  for (let p = 6; p < 10; p++) {
    const s = Number(v.toPrecision(p));
    if (Math.fround(s) === v) return s;
  }
  return v;
}

/**
 * float32Text(v) === String(float32(v)). When the shortest decimal of `v` has
 * at most 6 digits, the search above returns `v` itself (whether or not it
 * is a float32), so that decimal is the answer without the search.
 */
function float32Text(v: number): string {
  const s = String(v);
  return s.length <= 6 && !s.includes('e') ? s : String(float32(v));
}

/** Thrown inside the fast path when the input needs the reference path. */
const DETOUR: unique symbol = Symbol('detour');

/** The text written so far (a rope: appending is cheap, the consumer flattens it once). */
interface Writer {
  s: string;
}

/**
 * `JSON.stringify(s)` for a string: short strings with nothing to escape
 * (no `"`, `\\`, control character or surrogate) are quoted as they are,
 * which spares a copy; anything else goes to JSON.stringify.
 */
function quote(s: string): string {
  const n = s.length;
  if (n > 80) return JSON.stringify(s);
  for (let i = 0; i < n; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x20 || c === 0x22 || c === 0x5c || (c >= 0xd800 && c <= 0xdfff)) return JSON.stringify(s);
  }
  return `"${s}"`;
}

function value(b: Writer, fp: FieldPlan, v: unknown, o: ToJsonOptions, depth: number): void {
  switch (fp.op) {
    case Op.STRING:
      if (typeof v === 'string') return void (b.s += quote(v));
      break;
    case Op.BOOL:
      if (typeof v === 'boolean') return void (b.s += v ? 'true' : 'false');
      break;
    case Op.INT32:
      if (typeof v === 'number' && Number.isFinite(v)) return void (b.s += String(v));
      break;
    case Op.INT64:
      if (typeof v === 'string') return void (b.s += quote(v));
      if ((typeof v === 'number' && Number.isFinite(v)) || typeof v === 'bigint') return void (b.s += `"${String(v)}"`);
      break;
    case Op.DOUBLE:
      if (typeof v === 'number') return void (b.s += Number.isFinite(v) ? String(v) : `"${String(v)}"`);
      break;
    case Op.FLOAT:
      if (typeof v === 'number') return void (b.s += Number.isFinite(v) ? float32Text(v) : `"${String(v)}"`);
      break;
    case Op.BYTES:
      if (v instanceof Uint8Array) return void (b.s += `"${base64Encode(v)}"`);
      break;
    case Op.ENUM:
      if (typeof v === 'number' && Number.isFinite(v)) {
        if (o.enumAsInt) return void (b.s += String(v));
        const name = (fp.names ??= quotedNames(fp.type!)).get(v);
        return void (b.s += name === undefined ? String(v) : name);
      }
      break;
    case Op.MESSAGE:
      if (typeof v === 'object' && v !== null && !Array.isArray(v)) return message(b, (fp.sub ??= planOf(fp.type!)), v as Record<string, unknown>, o, depth + 1);
      break;
    case Op.SPECIAL: {
      let text: string;
      try {
        text = JSON.stringify(messageToJson(fp.type!, fp.wrap === undefined ? (v as object) : { [fp.wrap]: v }, o));
      } catch {
        break; // the reference path reports it, with the field's path
      }
      b.s += text;
      return;
    }
  }
  throw DETOUR;
}

function quotedNames(enumName: string): Map<number, string> {
  const out = new Map<number, string>();
  for (const [n, name] of enumInfo(enumName).byNumber) out.set(n, JSON.stringify(name));
  return out;
}

function message(b: Writer, p: MessagePlan, m: Record<string, unknown>, o: ToJsonOptions, depth: number): void {
  if (depth > 100) throw DETOUR;
  b.s += '{';
  let first = true;
  const fs = p.fields;
  for (let i = 0; i < fs.length; i++) {
    const fp = fs[i]!;
    const v = m[fp.ts];
    if (v === undefined || v === null) continue;
    switch (fp.card) {
      case Card.IMPLICIT:
        if (fp.op === Op.ENUM ? v === 0 : isScalarDefault(fp.scalar, v)) continue;
        b.s += first ? fp.key : fp.nextKey;
        value(b, fp, v, o, depth);
        break;
      case Card.PRESENCE:
        b.s += first ? fp.key : fp.nextKey;
        value(b, fp, v, o, depth);
        break;
      case Card.LIST: {
        if (!Array.isArray(v)) throw DETOUR;
        const n = v.length;
        if (n === 0) continue;
        b.s += (first ? fp.key : fp.nextKey) + '[';
        for (let j = 0; j < n; j++) {
          const x = v[j] as unknown;
          if (x === undefined || x === null) throw DETOUR;
          if (j !== 0) b.s += ',';
          value(b, fp, x, o, depth);
        }
        b.s += ']';
        break;
      }
      default: {
        if (typeof v !== 'object' || Array.isArray(v)) throw DETOUR;
        const keys = Object.keys(v);
        if (keys.length === 0) continue;
        b.s += (first ? fp.key : fp.nextKey) + '{';
        for (let j = 0; j < keys.length; j++) {
          const k = keys[j]!;
          const x = (v as Record<string, unknown>)[k];
          if (x === undefined || x === null) throw DETOUR;
          b.s += j === 0 ? `${quote(k)}:` : `,${quote(k)}:`;
          value(b, fp, x, o, depth);
        }
        b.s += '}';
      }
    }
    first = false;
  }
  b.s += '}';
}

/**
 * `JSON.stringify(messageToJson(typeName, message, options))`, faster: the
 * same text for every input, and the same `ProtoJsonError` for bad input.
 */
export function messageToJsonText(typeName: string, message_: object, options: ToJsonOptions = {}): string {
  const p = typeof message_ === 'object' && message_ !== null && !Array.isArray(message_) ? plainPlan(typeName) : undefined;
  if (p !== undefined) {
    try {
      const b = { s: '' };
      message(b, p, message_ as Record<string, unknown>, options, 0);
      return b.s;
    } catch (e) {
      if (e !== DETOUR) throw e;
    }
  }
  return JSON.stringify(messageToJson(typeName, message_, options));
}

/** The plan of a plain message type; undefined for well-known types with special JSON (the reference handles those). */
function plainPlan(typeName: string): MessagePlan | undefined {
  if (wrapperScalar(typeName) !== undefined || typeName === 'google.protobuf.FieldMask' || SPECIAL_TYPES.has(typeName)) return undefined;
  return planOf(typeName);
}
