/**
 * Messages in ts-proto's shape without ts-proto's code: `createMessage`
 * gives what `X.fromPartial({})` gives, and `normalizeMessage` turns a deep
 * partial into the full shape, checking every value on the way.
 */
import { enumInfo, messageInfo, ScalarType, type FieldInfo, type MessageInfo, type ValueInfo } from './registry.js';
import { integerRange, isInt64, isInteger, parseWholeNumber, scalarDefault } from './scalar.js';
import { FieldPathError } from './schema-error.js';

/** A message object in ts-proto's shape (see CONTRIBUTING.md "Message shape"). */
export type MessageObject = Record<string, unknown>;

const templates = new Map<string, readonly (readonly [string, number])[]>();

// Template kinds: -1 undefined, -2 [], -3 {}, -4 new bytes, else a scalar type whose default is copied.
function template(info: MessageInfo): readonly (readonly [string, number])[] {
  let t = templates.get(info.fullName);
  if (t === undefined) {
    t = info.fields.map((f) => {
      const k = f.repeated ? -2 : f.map ? -3 : f.hasPresence ? -1 : f.kind === 'enum' ? ScalarType.INT32 : f.scalar === ScalarType.BYTES ? -4 : (f.scalar as number);
      return [f.tsName, k] as const;
    });
    templates.set(info.fullName, t);
  }
  return t;
}

/**
 * A new message of `fullName` with every field at its default, deep-equal to
 * ts-proto's `X.fromPartial({})`: scalars `""`/`0`/`false`/`"0"`, bytes empty,
 * enums 0, repeated `[]`, maps `{}`, message, wrapper, FieldMask, oneof and
 * proto3-optional fields `undefined`. Throws SchemaError for an unknown type.
 */
export function createMessage<T extends object = MessageObject>(fullName: string): T {
  const out: MessageObject = {};
  for (const [name, k] of template(messageInfo(fullName))) {
    out[name] = k === -1 ? undefined : k === -2 ? [] : k === -3 ? {} : k === -4 ? new Uint8Array(0) : scalarDefault(k);
  }
  return out as T;
}

/** Sets `obj[key] = value`, also for the key `__proto__` (an own property, never the prototype). */
export function setOwn(obj: MessageObject, key: string, value: unknown): void {
  if (key === '__proto__') Object.defineProperty(obj, key, { value, enumerable: true, writable: true, configurable: true });
  else obj[key] = value;
}

/** A plain `Uint8Array` view of `b` (Buffer and other subclasses deep-equal differently). */
export function plainBytes(b: Uint8Array): Uint8Array {
  return Object.getPrototypeOf(b) === Uint8Array.prototype ? b : new Uint8Array(b.buffer, b.byteOffset, b.byteLength);
}

/** @internal A failure on the way down a message; walkers add path segments while it unwinds. */
export class PathFailure {
  readonly segs: string[] = [];
  constructor(readonly reason: string) {}
}

function describe(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  if (v instanceof Uint8Array) return 'bytes';
  if (typeof v === 'string') return `the string ${JSON.stringify(v.length > 40 ? `${v.slice(0, 40)}…` : v)}`;
  if (typeof v === 'object') return 'an object';
  return `${typeof v} ${String(v)}`;
}

function isPlainObject(v: unknown): v is MessageObject {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof Uint8Array);
}

function normScalar(t: number, v: unknown): unknown {
  if (t === ScalarType.STRING) {
    if (typeof v === 'string') return v;
  } else if (t === ScalarType.BOOL) {
    if (typeof v === 'boolean') return v;
  } else if (t === ScalarType.BYTES) {
    if (v instanceof Uint8Array) return plainBytes(v);
  } else if (!isInteger(t)) {
    if (typeof v === 'number') return v;
  } else {
    let n: bigint | undefined;
    if (typeof v === 'bigint') n = v;
    else if (typeof v === 'number' && Number.isInteger(v)) n = BigInt(v);
    else if (typeof v === 'string' && isInt64(t)) n = parseWholeNumber(v);
    if (n !== undefined) {
      const [lo, hi] = integerRange(t);
      if (n < lo || n > hi) throw new PathFailure(`${String(n)} is out of range for ${scalarName(t)}`);
      return isInt64(t) ? n.toString() : Number(n);
    }
  }
  throw new PathFailure(`expected ${scalarName(t)}, got ${describe(v)}`);
}

/** The proto name of a scalar type number (`int64`, `string`, …). */
export function scalarName(t: number): string {
  return ['?', 'double', 'float', 'int64', 'uint64', 'int32', 'fixed64', 'fixed32', 'bool', 'string', '?', '?', 'bytes', 'uint32', '?', 'sfixed32', 'sfixed64', 'sint32', 'sint64'][t] ?? '?';
}

function normValue(f: ValueInfo, v: unknown, depth: number): unknown {
  if (f.kind === 'scalar') return normScalar(f.scalar as number, v);
  if (f.kind === 'enum') {
    if (typeof v === 'string') {
      const n = enumInfo(f.typeName as string).byName.get(v);
      if (n === undefined) throw new PathFailure(`unknown value ${JSON.stringify(v)} for enum ${f.typeName}`);
      return n;
    }
    if (typeof v === 'number' && Number.isInteger(v) && v >= -2147483648 && v <= 2147483647) return v + 0;
    throw new PathFailure(`expected a ${f.typeName} value, got ${describe(v)}`);
  }
  if (f.shape === 'wrapper') return normScalar(f.scalar as number, v);
  if (f.shape === 'fieldMask') {
    if (!Array.isArray(v)) throw new PathFailure(`expected a FieldMask as an array of paths, got ${describe(v)}`);
    return v.map((p, i) => {
      if (typeof p !== 'string') throw withSeg(new PathFailure(`expected a path string, got ${describe(p)}`), `[${i}]`);
      return p;
    });
  }
  return normMessage(messageInfo(f.typeName as string), v, depth + 1);
}

function withSeg(e: unknown, seg: string): unknown {
  if (e instanceof PathFailure) e.segs.push(seg);
  return e;
}

function normMessage(info: MessageInfo, partial: unknown, depth: number): MessageObject {
  if (!isPlainObject(partial)) throw new PathFailure(`expected a ${info.fullName} object, got ${describe(partial)}`);
  if (depth > 100) throw new PathFailure('messages nested more than 100 deep');
  const out = createMessage(info.fullName);
  let f: FieldInfo | undefined;
  let seg = '';
  try {
    for (const key of Object.keys(partial)) {
      seg = `.${key}`;
      f = info.byTsName.get(key);
      if (f === undefined) throw new PathFailure(`unknown field ${JSON.stringify(key)} of ${info.fullName}`);
      const v = partial[key];
      if (v === undefined || v === null) continue;
      if (f.repeated) {
        if (!Array.isArray(v)) throw new PathFailure(`expected an array, got ${describe(v)}`);
        const a = new Array<unknown>(v.length);
        for (let i = 0; i < v.length; i++) {
          seg = `.${key}[${i}]`;
          if (v[i] === undefined || v[i] === null) throw new PathFailure('null is not allowed in a repeated field');
          a[i] = normValue(f, v[i], depth);
        }
        out[key] = a;
      } else if (f.map) {
        if (!isPlainObject(v)) throw new PathFailure(`expected a map object, got ${describe(v)}`);
        const m: MessageObject = {};
        for (const k of Object.keys(v)) {
          seg = `.${key}[${JSON.stringify(k)}]`;
          checkMapKey(f.map.key, k);
          const x = v[k];
          if (x === undefined || x === null) throw new PathFailure('null is not allowed as a map value');
          setOwn(m, k, normValue(f.map.value, x, depth));
        }
        out[key] = m;
      } else {
        if (f.oneof !== undefined) {
          for (const o of info.oneofs.get(f.oneof) as readonly FieldInfo[]) {
            if (o !== f && out[o.tsName] !== undefined) throw new PathFailure(`oneof ${f.oneof} already has ${o.tsName} set`);
          }
        }
        out[key] = normValue(f, v, depth);
      }
    }
  } catch (e) {
    throw withSeg(e, seg);
  }
  return out;
}

/** Checks a map key's text against the key type (integers in range, `true`/`false`). */
export function checkMapKey(t: number, k: string): void {
  if (t === ScalarType.STRING) return;
  if (t === ScalarType.BOOL) {
    if (k === 'true' || k === 'false') return;
  } else if (/^-?\d+$/.test(k)) {
    const n = BigInt(k);
    const [lo, hi] = integerRange(t);
    if (n >= lo && n <= hi && n.toString() === k) return;
  }
  throw new PathFailure(`${JSON.stringify(k)} is not a valid ${scalarName(t)} map key`);
}

/**
 * Turns a deep partial (as callers write requests) into the full message
 * shape of `fullName`, like ts-proto's `fromPartial`, but checking every
 * value: unknown properties, wrong JS types, integers out of range, null in
 * a list, two members of one oneof are a {@link FieldPathError} naming the
 * path (`requests[0].features[1].type`). `null`/`undefined` mean unset.
 * Lenient where it is unambiguous: int64 kinds from numbers or bigints
 * (stored as canonical decimal strings), enums by value name, Buffers as
 * plain Uint8Array views. Always returns a fresh object (bytes are shared).
 */
export function normalizeMessage<T extends object = MessageObject>(fullName: string, partial: unknown): T {
  const info = messageInfo(fullName);
  try {
    return normMessage(info, partial, 0) as T;
  } catch (e) {
    throw toPathError(e, fullName);
  }
}

/** Internal: turns a collected path failure into a FieldPathError (anything else passes through). */
export function toPathError(e: unknown, typeName: string): unknown {
  if (!(e instanceof PathFailure)) return e;
  const path = e.segs.reverse().join('').replace(/^\./, '');
  return new FieldPathError(typeName, path, e.reason);
}
