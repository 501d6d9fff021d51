/**
 * fast-check arbitraries for random valid messages of any schema type, in
 * ts-proto's full shape (what `X.decode` would give): every field present,
 * at most one member per oneof, floats as float32 values, int64 as canonical
 * decimal strings, Timestamps and Durations in range, FieldMask paths with a
 * lowerCamel form, Any holding a random message of gen/schema (registered
 * test tables are left out of Any, so runs do not depend on test order). Recursion is
 * bounded by `maxDepth` (nested messages beyond it are unset, lists of them
 * empty). Reused by transcoding round trips and fuzzers.
 */
import fc from 'fast-check';
import { encodeMessage, enumInfo, type FieldInfo, messageInfo, TYPE_URL_PREFIX } from 'vision-kit/codec';
import { MESSAGES } from 'vision-kit/gen/schema/messages.js';
import { ScalarType, type ValueInfo } from '../../src/schema/registry.js';
import { integerRange } from '../../src/schema/scalar.js';

/** Options of {@link arbitraryMessage}. */
export interface ArbitraryMessageOptions {
  /** How deep messages nest (the root is depth 0). Default 3. */
  maxDepth?: number;
  /** Most elements of a repeated field or entries of a map. Default 3. */
  maxLength?: number;
  /** Leave out Any fields (set them unset) — e.g. for types whose JSON must not depend on the registry. */
  noAny?: boolean;
  /** Only values that also survive a path segment or query parameter: no NaN/Infinity. Default false. */
  finiteOnly?: boolean;
}

type Obj = Record<string, unknown>;

const MAX_DURATION = 315576000000;

function scalarArb(t: number, o: Required<ArbitraryMessageOptions>): fc.Arbitrary<unknown> {
  switch (t) {
    case ScalarType.STRING:
      return fc.oneof(fc.string({ maxLength: 8 }), fc.string({ unit: 'binary', maxLength: 6 }));
    case ScalarType.BOOL:
      return fc.boolean();
    case ScalarType.BYTES:
      return fc.uint8Array({ maxLength: 12 });
    case ScalarType.FLOAT:
      return fc.float({ noNaN: o.finiteOnly, noDefaultInfinity: o.finiteOnly }).map((x) => (x === 0 ? 0 : x));
    case ScalarType.DOUBLE:
      return fc.double({ noNaN: o.finiteOnly, noDefaultInfinity: o.finiteOnly }).map((x) => (x === 0 ? 0 : x));
    default: {
      const [lo, hi] = integerRange(t);
      const big = fc.bigInt({ min: lo, max: hi });
      const small = fc.bigInt({ min: lo > -1000n ? lo : -1000n, max: 1000n });
      const n = fc.oneof(small, big);
      return t === ScalarType.INT64 ||
        t === ScalarType.UINT64 ||
        t === ScalarType.FIXED64 ||
        t === ScalarType.SFIXED64 ||
        t === ScalarType.SINT64
        ? n.map((x) => x.toString())
        : n.map((x) => Number(x));
    }
  }
}

const SEGMENT = fc.stringMatching(/^[a-z][a-z0-9]{0,4}(_[a-z][a-z0-9]{0,3}){0,2}$/);

/** FieldMask paths (snake_case, each with a lowerCamel JSON form). */
export const arbitraryMaskPaths = fc.array(
  fc.array(SEGMENT, { minLength: 1, maxLength: 3 }).map((s) => s.join('.')),
  { maxLength: 3 },
);

/** A Timestamp in the proto3 JSON range, ts-proto shaped. */
export const arbitraryTimestamp = fc.record(
  {
    seconds: fc.integer({ min: -62135596800, max: 253402300799 }).map(String),
    nanos: fc.oneof(
      fc.constant(0),
      fc.integer({ min: 0, max: 999 }).map((n) => n * 1e6),
      fc.integer({ min: 0, max: 999999999 }),
    ),
  },
  { noNullPrototype: true },
);

/** A Duration in range with matching signs, ts-proto shaped. */
export const arbitraryDuration = fc
  .tuple(fc.integer({ min: 0, max: MAX_DURATION }), fc.integer({ min: 0, max: 999999999 }), fc.boolean())
  .map(([s, n, neg]) => ({ seconds: String(neg ? -s || 0 : s), nanos: neg ? -n || 0 : n }));

const cache = new Map<string, fc.Arbitrary<unknown>>();

function valueArb(v: ValueInfo, depth: number, o: Required<ArbitraryMessageOptions>): fc.Arbitrary<unknown> | undefined {
  if (v.kind === 'scalar') return scalarArb(v.scalar as number, o);
  if (v.kind === 'enum') {
    const values = enumInfo(v.typeName as string).values.map(([, n]) => n);
    return fc.oneof({ weight: 9, arbitrary: fc.constantFrom(...values) }, { weight: 1, arbitrary: fc.integer({ min: 0, max: 100 }) });
  }
  if (v.shape === 'wrapper') return scalarArb(v.scalar as number, o);
  if (v.shape === 'fieldMask') return arbitraryMaskPaths;
  if (v.typeName === 'google.protobuf.Timestamp') return arbitraryTimestamp;
  if (v.typeName === 'google.protobuf.Duration') return arbitraryDuration;
  if (depth >= o.maxDepth) return undefined;
  if (v.typeName === 'google.protobuf.Any') return o.noAny ? undefined : anyArb(depth + 1, o);
  return messageArb(v.typeName as string, depth + 1, o);
}

function anyArb(depth: number, o: Required<ArbitraryMessageOptions>): fc.Arbitrary<unknown> {
  const key = `Any@${depth}/${JSON.stringify(o)}`;
  let a = cache.get(key);
  if (a === undefined) {
    const names = Object.keys(MESSAGES).filter((n) => n !== 'google.protobuf.Any' && !n.endsWith('Entry'));
    a = fc
      .constantFrom(...names)
      .chain((name) =>
        (messageArb(name, depth, o) as fc.Arbitrary<Obj>).map((m) => ({ typeUrl: TYPE_URL_PREFIX + name, value: encodeMessage(name, m) })),
      );
    cache.set(key, a);
  }
  return a;
}

function fieldArb(f: FieldInfo, depth: number, o: Required<ArbitraryMessageOptions>): fc.Arbitrary<unknown> {
  if (f.map) {
    const value = valueArb(f.map.value, depth, o);
    if (value === undefined) return fc.constant({});
    const key = (scalarArb(f.map.key, o) as fc.Arbitrary<unknown>).map((k) => String(k)).filter((k) => k !== '__proto__');
    return fc.array(fc.tuple(key, value), { maxLength: o.maxLength }).map((entries) => Object.fromEntries(entries));
  }
  const value = valueArb(f, depth, o);
  if (f.repeated) return value === undefined ? fc.constant([]) : fc.array(value, { maxLength: o.maxLength });
  if (value === undefined) return fc.constant(undefined);
  return f.hasPresence ? fc.option(value, { nil: undefined, freq: 2 }) : value;
}

function messageArb(typeName: string, depth: number, o: Required<ArbitraryMessageOptions>): fc.Arbitrary<unknown> {
  const key = `${typeName}@${depth}/${JSON.stringify(o)}`;
  let a = cache.get(key);
  if (a !== undefined) return a;
  // Well-known types with special JSON must hold values that have that JSON.
  if (typeName === 'google.protobuf.Timestamp') return arbitraryTimestamp;
  if (typeName === 'google.protobuf.Duration') return arbitraryDuration;
  if (typeName === 'google.protobuf.FieldMask') return fc.record({ paths: arbitraryMaskPaths }, { noNullPrototype: true });
  if (typeName === 'google.protobuf.Any') {
    return depth >= o.maxDepth || o.noAny ? fc.constant(null).map(() => ({ typeUrl: '', value: new Uint8Array(0) })) : anyArb(depth + 1, o);
  }
  const info = messageInfo(typeName);
  const plain: Record<string, fc.Arbitrary<unknown>> = {};
  const oneofs: fc.Arbitrary<[string, unknown] | undefined>[] = [];
  for (const f of info.fields) if (f.oneof === undefined) plain[f.tsName] = fieldArb(f, depth, o);
  for (const members of info.oneofs.values()) {
    const choices = members.flatMap((m) => {
      const v = valueArb(m, depth, o);
      return v === undefined ? [] : [v.map((x): [string, unknown] => [m.tsName, x])];
    });
    oneofs.push(choices.length === 0 ? fc.constant(undefined) : fc.option(fc.oneof(...choices), { nil: undefined }));
  }
  const unset = [...info.oneofs.values()].flat().map((m) => m.tsName);
  a = fc.tuple(fc.record(plain, { noNullPrototype: true }), fc.tuple(...oneofs)).map(([rec, picks]) => {
    const out: Obj = { ...rec };
    for (const name of unset) out[name] = undefined;
    for (const p of picks) if (p !== undefined) out[p[0]] = p[1];
    return out;
  });
  cache.set(key, a);
  return a;
}

/** Random valid messages of `typeName` in ts-proto's full shape. */
export function arbitraryMessage<T extends object = Obj>(typeName: string, options: ArbitraryMessageOptions = {}): fc.Arbitrary<T> {
  const o: Required<ArbitraryMessageOptions> = { maxDepth: 3, maxLength: 3, noAny: false, finiteOnly: false, ...options };
  return messageArb(typeName, 0, o) as fc.Arbitrary<T>;
}
