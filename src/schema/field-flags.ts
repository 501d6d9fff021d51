/**
 * The field flag bits of a `FieldRow` as plain numeric constants, one per
 * name of `FieldFlag` (registry.ts; the generator's tables,
 * tools/src/gen/tables/names.ts, write them): a module that imports nothing
 * at run time, so a bundler writes each use as its number (a property of
 * the `FieldFlag` object stays a property read). test/schema/scalar.test.ts
 * holds them equal to `FieldFlag`.
 */

/** A repeated (non-map) field. */
export const REPEATED = 1;
/** A map field. */
export const MAP = 2;
/** A proto3 `optional` field. */
export const OPTIONAL = 4;
/** `google.api.field_behavior` REQUIRED. */
export const REQUIRED = 8;
/** `google.api.field_behavior` OUTPUT_ONLY. */
export const OUTPUT_ONLY = 16;
/** `google.api.field_behavior` IMMUTABLE. */
export const IMMUTABLE = 32;
