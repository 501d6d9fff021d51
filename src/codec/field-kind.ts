/**
 * What one value of a field is, as the small integer both codecs switch on:
 * a scalar type number (1–18, `ScalarType`) or one of the kinds below. One
 * definition for the binary codec and proto3 JSON, so that the two cannot
 * number a kind differently (they did, each with its own table).
 *
 * The order is part of the definition, and the binary codec tests ranges:
 * from WRAPPER up, a value is a message on the wire (length-delimited); from
 * MESSAGE up, it is an object in memory as well (a wrapper holds the bare
 * scalar, a FieldMask `string[]`). TIMESTAMP, DURATION and ANY are plain
 * messages but for proto3 JSON, which gives them forms of their own. A
 * field's cardinality is a second integer, IMPLICIT to MAP.
 *
 * Plain numeric constants, in a module that imports nothing at run time, so
 * that esbuild inlines them as literals in the minified browser bundle. The
 * codecs' walkers copy them into constants of their own module
 * (`const ENUM = kind.ENUM`) instead of comparing with the imported bindings,
 * which V8 reads through the exporting module's cell on every use: run from
 * source (tsx: the tests and benchmarks), that measured 3–10% slower writing
 * a full-shape request and about 2.5% slower binary decoding.
 */
import type { ValueInfo } from '../schema/registry.js';

/** An enum value: an int32 on the wire, a name (or number) in JSON. */
export const ENUM = 20;
/** A wrapper (`google.protobuf.Int32Value`, …): the bare scalar in memory and in JSON, a one-field message on the wire. */
export const WRAPPER = 21;
/** `google.protobuf.FieldMask`: snake_case paths (`string[]`) in memory, a message of paths on the wire, `"a.bC,d"` in JSON. */
export const FIELD_MASK = 22;
/** A message: an object in memory, length-delimited on the wire, a JSON object. */
export const MESSAGE = 23;
/** `google.protobuf.Timestamp`: a plain message in memory and on the wire, an RFC 3339 string in JSON. */
export const TIMESTAMP = 24;
/** `google.protobuf.Duration`: a plain message in memory and on the wire, `"1.5s"` in JSON. */
export const DURATION = 25;
/** `google.protobuf.Any`: a plain message in memory and on the wire, `{"@type", …}` in JSON (the message of its type, through the registry). */
export const ANY = 26;

/** Cardinality: a singular field without presence (left out at its default). */
export const IMPLICIT = 0;
/** Cardinality: a singular field with presence (messages, wrappers, oneof members, proto3 `optional`). */
export const PRESENCE = 1;
/** Cardinality: a repeated field. */
export const LIST = 2;
/** Cardinality: a map field. */
export const MAP = 3;

/** The well-known message types with a kind of their own (wrappers are found by `wrapperScalar`). */
const SPECIAL: { readonly [typeName: string]: number } = {
  'google.protobuf.FieldMask': FIELD_MASK,
  'google.protobuf.Timestamp': TIMESTAMP,
  'google.protobuf.Duration': DURATION,
  'google.protobuf.Any': ANY,
};

/** The kind of one value of a field (of its elements, of a map's values). */
export function kindOf(v: ValueInfo): number {
  if (v.kind === 'scalar') return v.scalar as number;
  if (v.kind === 'enum') return ENUM;
  if (v.shape === 'wrapper') return WRAPPER;
  return messageKind(v.typeName as string);
}

/** The kind of a whole message of `typeName`: one of the special well-known types, or MESSAGE (wrappers are the caller's, by `wrapperScalar`). */
export function messageKind(typeName: string): number {
  return SPECIAL[typeName] ?? MESSAGE;
}
