/**
 * The protobuf binary format by reflection over the schema tables (the field
 * plans of field-plan.ts, shared with proto3 JSON), on our small wire reader
 * and writer (wire.ts: the same bytes as `@bufbuild/protobuf/wire`, which
 * ts-proto's code uses, in far less code). Output matches ts-proto's
 * `encode` byte for byte (declaration order, defaults skipped, packed
 * repeated scalars, map entries in key order of the object); `decode` gives
 * what ts-proto's `decode` gives. Browser-safe, but not on the browser entry's
 * path: there, Anys come from JSON and hold their message (held-any.ts).
 */
import type { Code } from '../core/code.js';
import * as codes from '../core/codes.js';
import { VisionError } from '../core/vision-error.js';
import { createMessage, type MessageObject, plainBytes, setOwn } from '../schema/create-message.js';
import { isInt64, isScalarDefault } from '../schema/scalar.js';
import * as scalarTypes from '../schema/scalar-types.js';
import * as kind from './field-kind.js';
import { type FieldPlan, type MessagePlan, planOf, wireTypeOf } from './field-plan.js';
import { provideAnyBytesCodec } from './held-any.js';
import { WireReader, WireType, WireWriter } from './wire.js';

/**
 * Bytes that are not a valid encoding of the type (truncated, a bad wire
 * type, nesting too deep), or a message that cannot be encoded. The code is
 * the caller's choice (INVALID_ARGUMENT by default: a server reading a
 * request; a client reading a response passes INTERNAL). Names the type.
 */
export class WireError extends VisionError {
  /** The message type being decoded or encoded. */
  readonly typeName: string;

  constructor(typeName: string, message: string, code: Code = codes.INVALID_ARGUMENT, cause?: unknown) {
    // VisionError leaves an undefined cause out itself.
    super(code, message, { cause });
    this.name = 'WireError';
    this.typeName = typeName;
  }
}

/** Options of {@link decodeMessage} and {@link encodeMessage}. */
export interface WireOptions {
  /** The code of a {@link WireError} (default INVALID_ARGUMENT). */
  code?: Code;
}

// This module's own constants, not imported bindings, in the walkers (see
// field-kind.ts). From WRAPPER up a value is a message on the wire; from
// MESSAGE up it is an object in memory too.
const MESSAGE = kind.MESSAGE,
  WRAPPER = kind.WRAPPER,
  FIELD_MASK = kind.FIELD_MASK;
const IMPLICIT = kind.IMPLICIT,
  PRESENCE = kind.PRESENCE,
  LIST = kind.LIST,
  MAP = kind.MAP;

// ---------------------------------------------------------------- encode

function writeScalar(w: WireWriter, t: number, v: unknown): void {
  switch (t) {
    case scalarTypes.DOUBLE:
      w.double(v as number);
      break;
    case scalarTypes.FLOAT:
      w.float(v as number);
      break;
    case scalarTypes.INT64:
      w.int64(v as string);
      break;
    case scalarTypes.UINT64:
      w.uint64(v as string);
      break;
    case scalarTypes.INT32:
      w.int32(v as number);
      break;
    case scalarTypes.FIXED64:
      w.fixed64(v as string);
      break;
    case scalarTypes.FIXED32:
      w.fixed32(v as number);
      break;
    case scalarTypes.BOOL:
      w.bool(v as boolean);
      break;
    case scalarTypes.STRING:
      w.string(v as string);
      break;
    case scalarTypes.BYTES:
      w.bytes(v as Uint8Array);
      break;
    case scalarTypes.UINT32:
      w.uint32(v as number);
      break;
    case scalarTypes.SFIXED32:
      w.sfixed32(v as number);
      break;
    case scalarTypes.SFIXED64:
      w.sfixed64(v as string);
      break;
    case scalarTypes.SINT32:
      w.sint32(v as number);
      break;
    case scalarTypes.SINT64:
      w.sint64(v as string);
      break;
    default:
      throw new Error(`unknown scalar type ${t}`);
  }
}

/** One value as a length-delimited body (message, wrapper, FieldMask); the tag is written already. */
function writeNested(w: WireWriter, f: FieldPlan, v: unknown, depth: number): void {
  w.fork();
  if (f.kind >= MESSAGE) writeMessage(w, (f.sub ??= planOf(f.type as string)), v as MessageObject, depth + 1);
  else if (f.kind === WRAPPER) {
    if (!isScalarDefault(f.scalar, v)) writeScalar(w.uint32((8 | wireTypeOf(f.scalar)) >>> 0), f.scalar, v);
  } else for (const p of v as string[]) w.uint32(10).string(p);
  w.join();
}

function mapKey(t: number, k: string): unknown {
  if (t === scalarTypes.STRING || isInt64(t)) return k;
  return t === scalarTypes.BOOL ? k === 'true' : Number(k);
}

function writeMessage(w: WireWriter, p: MessagePlan, m: MessageObject, depth: number): void {
  if (depth > 100) throw new Error('messages nested more than 100 deep');
  for (const f of p.fields) {
    const v = m[f.ts];
    if (v === undefined || v === null) continue;
    switch (f.card) {
      case IMPLICIT:
        if (isScalarDefault(f.scalar, v)) break;
        writeScalar(w.uint32(f.tag), f.scalar, v);
        break;
      case PRESENCE:
        if (f.kind >= WRAPPER) writeNested(w.uint32(f.tag), f, v, depth);
        else writeScalar(w.uint32(f.tag), f.scalar, v);
        break;
      case LIST: {
        const a = v as unknown[];
        if (f.packed) {
          if (a.length === 0) break;
          w.uint32(((f.no << 3) | WireType.LengthDelimited) >>> 0).fork();
          for (const x of a) writeScalar(w, f.scalar, x);
          w.join();
        } else if (f.kind >= WRAPPER) for (const x of a) writeNested(w.uint32(f.tag), f, x, depth);
        else for (const x of a) writeScalar(w.uint32(f.tag), f.scalar, x);
        break;
      }
      default:
        for (const k of Object.keys(v)) {
          const x = (v as MessageObject)[k];
          w.uint32(f.tag).fork();
          const key = mapKey(f.keyType, k);
          if (!isScalarDefault(f.keyType, key)) writeScalar(w.uint32((8 | wireTypeOf(f.keyType)) >>> 0), f.keyType, key);
          if (f.kind >= WRAPPER) {
            if (x !== undefined) {
              w.uint32(18);
              writeNested(w, f, x, depth);
            }
          } else if (!isScalarDefault(f.scalar, x)) writeScalar(w.uint32(((2 << 3) | f.wt) >>> 0), f.scalar, x);
          w.join();
        }
    }
  }
}

/**
 * Encodes a message (ts-proto shape) of `typeName` to protobuf binary, the
 * same bytes ts-proto's `X.encode(m).finish()` gives. Throws {@link WireError}
 * for a value the writer refuses (an int64 string that is not a number, …).
 */
export function encodeMessage(typeName: string, message: object, options: WireOptions = {}): Uint8Array {
  const p = planOf(typeName);
  try {
    const w = new WireWriter();
    writeMessage(w, p, message as MessageObject, 0);
    return w.finish();
  } catch (e) {
    throw new WireError(typeName, `cannot encode ${typeName}: ${e instanceof Error ? e.message : String(e)}`, options.code, e);
  }
}

// ---------------------------------------------------------------- decode

function readScalar(r: WireReader, t: number): unknown {
  switch (t) {
    case scalarTypes.DOUBLE:
      return r.double();
    case scalarTypes.FLOAT:
      return r.float();
    case scalarTypes.INT64:
      return r.int64().toString();
    case scalarTypes.UINT64:
      return r.uint64().toString();
    case scalarTypes.INT32:
      return r.int32();
    case scalarTypes.FIXED64:
      return r.fixed64().toString();
    case scalarTypes.FIXED32:
      return r.fixed32();
    case scalarTypes.BOOL:
      return r.bool();
    case scalarTypes.STRING:
      return r.string();
    case scalarTypes.BYTES:
      return r.bytes();
    case scalarTypes.UINT32:
      return r.uint32();
    case scalarTypes.SFIXED32:
      return r.sfixed32();
    case scalarTypes.SFIXED64:
      return r.sfixed64().toString();
    case scalarTypes.SINT32:
      return r.sint32();
    case scalarTypes.SINT64:
      return r.sint64().toString();
    default:
      throw new Error(`unknown scalar type ${t}`);
  }
}

function end(r: WireReader): number {
  const len = r.uint32();
  const e = r.pos + len;
  if (e > r.len) throw new Error('premature EOF');
  return e;
}

function readNested(r: WireReader, f: FieldPlan, depth: number): unknown {
  const e = end(r);
  if (f.kind >= MESSAGE) return readMessage(r, (f.sub ??= planOf(f.type as string)), e, depth + 1);
  let value: unknown = f.kind === WRAPPER ? defaultOf(f.scalar) : [];
  while (r.pos < e) {
    const tag = r.uint32();
    if (f.kind === WRAPPER && tag === (8 | wireTypeOf(f.scalar)) >>> 0) value = readScalar(r, f.scalar);
    else if (f.kind === FIELD_MASK && tag === 10) (value as string[]).push(r.string());
    else skip(r, tag);
  }
  done(r, e);
  return value;
}

function defaultOf(t: number): unknown {
  if (t === scalarTypes.STRING) return '';
  if (t === scalarTypes.BOOL) return false;
  if (t === scalarTypes.BYTES) return new Uint8Array(0);
  return isInt64(t) ? '0' : 0;
}

function skip(r: WireReader, tag: number): void {
  const wt = tag & 7;
  if (tag >>> 3 === 0 || wt === WireType.EndGroup || wt > 5) throw new Error(`invalid tag ${tag}`);
  r.skip(wt, tag >>> 3);
}

function done(r: WireReader, e: number): void {
  if (r.pos !== e) throw new Error('a length-delimited field overruns its parent');
}

function readMessage(r: WireReader, p: MessagePlan, e: number, depth: number): MessageObject {
  if (depth > 100) throw new Error('messages nested more than 100 deep');
  const m = createMessage(p.typeName);
  while (r.pos < e) {
    const tag = r.uint32();
    const f = p.byNumber.get(tag >>> 3);
    if (f === undefined) {
      skip(r, tag);
      continue;
    }
    const wt = tag & 7;
    // Only repeated fields are packed (field-plan.ts).
    if (f.packed && wt === WireType.LengthDelimited) {
      const e2 = end(r);
      const a = m[f.ts] as unknown[];
      while (r.pos < e2) a.push(readScalar(r, f.scalar));
      done(r, e2);
      continue;
    }
    if (wt !== (f.card === MAP ? WireType.LengthDelimited : f.wt)) {
      skip(r, tag);
      continue;
    }
    switch (f.card) {
      case IMPLICIT:
      case PRESENCE:
        m[f.ts] = f.kind >= WRAPPER ? readNested(r, f, depth) : readScalar(r, f.scalar);
        break;
      case LIST:
        (m[f.ts] as unknown[]).push(f.kind >= WRAPPER ? readNested(r, f, depth) : readScalar(r, f.scalar));
        break;
      default: {
        const e2 = end(r);
        let key = defaultOf(f.keyType);
        let value: unknown = f.kind >= WRAPPER ? undefined : defaultOf(f.scalar);
        while (r.pos < e2) {
          const t = r.uint32();
          if (t === (8 | wireTypeOf(f.keyType)) >>> 0) key = readScalar(r, f.keyType);
          else if (t === (16 | f.wt) >>> 0) value = f.kind >= WRAPPER ? readNested(r, f, depth) : readScalar(r, f.scalar);
          else skip(r, t);
        }
        done(r, e2);
        // ts-proto drops an entry whose message value is missing.
        if (value !== undefined) setOwn(m[f.ts] as MessageObject, String(key), value);
      }
    }
  }
  done(r, e);
  return m;
}

/**
 * Decodes protobuf binary as a message of `typeName` (ts-proto shape,
 * deep-equal to ts-proto's `X.decode(bytes)`). Unknown fields are skipped.
 * Malformed bytes throw {@link WireError} naming the type, with
 * `options.code` (INVALID_ARGUMENT by default).
 */
export function decodeMessage<T extends object = MessageObject>(typeName: string, bytes: Uint8Array, options: WireOptions = {}): T {
  const p = planOf(typeName);
  try {
    const r = new WireReader(plainBytes(bytes));
    return readMessage(r, p, r.len, 0) as T;
  } catch (e) {
    throw new WireError(typeName, `cannot decode ${typeName}: ${e instanceof Error ? e.message : String(e)}`, options.code, e);
  }
}

// Loading this module gives held Anys (read from JSON) their bytes, and the
// readers of Any bytes their decoder (held-any.ts).
provideAnyBytesCodec({ encode: encodeMessage, decode: decodeMessage });
