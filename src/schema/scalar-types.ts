/**
 * The scalar type numbers as plain numeric constants, one per name of
 * `ScalarType` (registry.ts): what the codecs switch on
 * (`scalarTypes.STRING`). A module that imports nothing at run time, so a
 * bundler writes each use as its number (a property of the `ScalarType`
 * object stays a property read). test/schema/registry.test.ts holds them
 * equal to `ScalarType`.
 */

/** `double`. */
export const DOUBLE = 1;
/** `float`. */
export const FLOAT = 2;
/** `int64`. */
export const INT64 = 3;
/** `uint64`. */
export const UINT64 = 4;
/** `int32`. */
export const INT32 = 5;
/** `fixed64`. */
export const FIXED64 = 6;
/** `fixed32`. */
export const FIXED32 = 7;
/** `bool`. */
export const BOOL = 8;
/** `string`. */
export const STRING = 9;
/** `bytes`. */
export const BYTES = 12;
/** `uint32`. */
export const UINT32 = 13;
/** `sfixed32`. */
export const SFIXED32 = 15;
/** `sfixed64`. */
export const SFIXED64 = 16;
/** `sint32`. */
export const SINT32 = 17;
/** `sint64`. */
export const SINT64 = 18;
