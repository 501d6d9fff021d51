/**
 * Messages in ts-proto's shape without ts-proto's code: `createMessage`
 * gives what `X.fromPartial({})` gives, and `normalizeMessage` turns a deep
 * partial into the full shape, checking every value on the way.
 */

import * as scalarTypes from '../schema/scalar-types.js';
import { enumInfo, type FieldInfo, type MessageInfo, messageInfo, type ValueInfo } from './registry.js';
import { integerRange, isInt64, isInteger, parseWholeNumber, scalarDefault } from './scalar.js';
import { FieldPathError } from './schema-error.js';

/** A message object in ts-proto's shape (see CONTRIBUTING.md "Message shape"). */
export type MessageObject = Record<string, unknown>;

/** Per-message plan: fields with their default kind (see {@link fresh}) and lookups resolved once. */
interface Plan {
  readonly info: MessageInfo;
  readonly fields: readonly PlanField[];
  /** Immutable defaults in declaration order; cloning it gives every new message one hidden class. */
  readonly template: MessageObject;
  /** Fields whose default is a new object ([], {}, empty bytes). */
  readonly mutable: readonly PlanField[];
}

interface PlanField {
  readonly f: FieldInfo;
  readonly ts: string;
  /** -1 undefined, -2 [], -3 {}, -4 new bytes, else a scalar type whose default is copied. */
  readonly def: number;
  readonly siblings: readonly string[] | undefined;
  sub: Plan | undefined;
}

const plans = new Map<string, Plan>();

function planOf(fullName: string): Plan {
  let p = plans.get(fullName);
  if (p === undefined) {
    const info = messageInfo(fullName);
    const fields = info.fields.map(
      (f): PlanField => ({
        f,
        ts: f.tsName,
        def: f.repeated
          ? -2
          : f.map
            ? -3
            : f.hasPresence
              ? -1
              : f.kind === 'enum'
                ? scalarTypes.INT32
                : f.scalar === scalarTypes.BYTES
                  ? -4
                  : (f.scalar as number),
        siblings: f.oneof === undefined ? undefined : (info.oneofs.get(f.oneof) as FieldInfo[]).filter((o) => o !== f).map((o) => o.tsName),
        sub: undefined,
      }),
    );
    const template: MessageObject = {};
    for (const pf of fields) template[pf.ts] = pf.def < -1 ? undefined : fresh(pf.def);
    p = { info, fields, template, mutable: fields.filter((pf) => pf.def < -1) };
    plans.set(fullName, p);
  }
  return p;
}

function newMessage(p: Plan): MessageObject {
  const out = { ...p.template };
  for (const pf of p.mutable) out[pf.ts] = fresh(pf.def);
  return out;
}

function fresh(k: number): unknown {
  return k === -1 ? undefined : k === -2 ? [] : k === -3 ? {} : k === -4 ? new Uint8Array(0) : scalarDefault(k);
}

/**
 * A new message of `fullName` with every field at its default, deep-equal to
 * ts-proto's `X.fromPartial({})`: scalars `""`/`0`/`false`/`"0"`, bytes empty,
 * enums 0, repeated `[]`, maps `{}`, message, wrapper, FieldMask, oneof and
 * proto3-optional fields `undefined`. Throws SchemaError for an unknown type.
 */
export function createMessage<T extends object = MessageObject>(fullName: string): T {
  return newMessage(planOf(fullName)) as T;
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

/** @internal A short description of a wrong value for error messages. */
export function describe(v: unknown): string {
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
  if (t === scalarTypes.STRING) {
    if (typeof v === 'string') return v;
  } else if (t === scalarTypes.BOOL) {
    if (typeof v === 'boolean') return v;
  } else if (t === scalarTypes.BYTES) {
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

/** Scalar type names by number (`?` where no scalar has the number). */
const SCALAR_NAMES =
  /* @__PURE__ */ '? double float int64 uint64 int32 fixed64 fixed32 bool string ? ? bytes uint32 ? sfixed32 sfixed64 sint32 sint64'.split(
    ' ',
  );

/** The proto name of a scalar type number (`int64`, `string`, …). */
export function scalarName(t: number): string {
  return SCALAR_NAMES[t] ?? '?';
}

function normValue(f: ValueInfo, pf: PlanField | undefined, v: unknown, depth: number): unknown {
  if (f.kind === 'scalar') return normScalar(f.scalar as number, v);
  if (f.kind === 'enum') {
    if (typeof v === 'number' && Number.isInteger(v) && v >= -2147483648 && v <= 2147483647) return v + 0;
    if (typeof v === 'string') {
      const n = enumInfo(f.typeName as string).byName.get(v);
      if (n === undefined) throw new PathFailure(`unknown value ${JSON.stringify(v)} for enum ${f.typeName}`);
      return n;
    }
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
  const sub = pf === undefined ? planOf(f.typeName as string) : (pf.sub ??= planOf(f.typeName as string));
  return normMessage(sub, v, depth + 1);
}

function withSeg(e: unknown, seg: string): unknown {
  if (e instanceof PathFailure) e.segs.push(seg);
  return e;
}

function normMessage(p: Plan, partial: unknown, depth: number): MessageObject {
  if (!isPlainObject(partial)) throw new PathFailure(`expected a ${p.info.fullName} object, got ${describe(partial)}`);
  if (depth > 100) throw new PathFailure('messages nested more than 100 deep');
  // The defaults that are new objects ([], {}, empty bytes) are made at the end, only for fields left unset.
  const out = { ...p.template };
  let found = 0;
  // Where we are, for the error path (built only when something fails).
  let key = '';
  let at: number | string = -1;
  try {
    for (const pf of p.fields) {
      key = pf.ts;
      at = -1;
      const v = partial[key];
      if (v === undefined) continue;
      found++;
      if (v === null) continue;
      const f = pf.f;
      if (f.repeated) {
        if (!Array.isArray(v)) throw new PathFailure(`expected an array, got ${describe(v)}`);
        const n = v.length;
        const a = new Array<unknown>(n);
        for (at = 0; at < n; at++) {
          const x = v[at] as unknown;
          if (x === undefined || x === null) throw new PathFailure('null is not allowed in a repeated field');
          a[at] = normValue(f, pf, x, depth);
        }
        out[key] = a;
      } else if (f.map) {
        if (!isPlainObject(v)) throw new PathFailure(`expected a map object, got ${describe(v)}`);
        const m: MessageObject = {};
        for (const k of Object.keys(v)) {
          at = k;
          checkMapKey(f.map.key, k);
          const x = v[k];
          if (x === undefined || x === null) throw new PathFailure('null is not allowed as a map value');
          setOwn(m, k, normValue(f.map.value, undefined, x, depth));
        }
        out[key] = m;
      } else {
        if (pf.siblings !== undefined) {
          for (const o of pf.siblings) if (out[o] !== undefined) throw new PathFailure(`oneof ${f.oneof} already has ${o} set`);
        }
        out[key] = normValue(f, pf, v, depth);
      }
    }
    // Every property that is set must be a field: count them without allocating.
    let given = 0;
    for (const k in partial) if (partial[k] !== undefined) given++;
    const unknown = given === found ? undefined : Object.keys(partial).find((k) => partial[k] !== undefined && !p.info.byTsName.has(k));
    if (unknown !== undefined) {
      key = unknown;
      at = -1;
      throw new PathFailure(`unknown field ${JSON.stringify(unknown)} of ${p.info.fullName}`);
    }
  } catch (e) {
    throw withSeg(e, `.${key}${at === -1 ? '' : typeof at === 'number' ? `[${at}]` : `[${JSON.stringify(at)}]`}`);
  }
  for (const pf of p.mutable) if (out[pf.ts] === undefined) out[pf.ts] = fresh(pf.def);
  return out;
}

/** Checks a map key's text against the key type (integers in range, `true`/`false`). */
export function checkMapKey(t: number, k: string): void {
  if (t === scalarTypes.STRING) return;
  if (t === scalarTypes.BOOL) {
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
  try {
    return normMessage(planOf(fullName), partial, 0) as T;
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
