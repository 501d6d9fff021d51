/**
 * The canonical codes as plain numeric constants, one per name of
 * {@link Code} (code.ts): what the library's own modules compare and throw
 * with (`codes.NOT_FOUND`). A module that imports nothing at run time, so a
 * bundler writes each use as its number; `Code.NOT_FOUND`, a property of
 * an object, stays a property read in every bundle. The public `Code`
 * object holds the same numbers (test/core/codes.test.ts).
 */

/** `Code.OK`. */
export const OK = 0;
/** `Code.CANCELLED`. */
export const CANCELLED = 1;
/** `Code.UNKNOWN`. */
export const UNKNOWN = 2;
/** `Code.INVALID_ARGUMENT`. */
export const INVALID_ARGUMENT = 3;
/** `Code.DEADLINE_EXCEEDED`. */
export const DEADLINE_EXCEEDED = 4;
/** `Code.NOT_FOUND`. */
export const NOT_FOUND = 5;
/** `Code.ALREADY_EXISTS`. */
export const ALREADY_EXISTS = 6;
/** `Code.PERMISSION_DENIED`. */
export const PERMISSION_DENIED = 7;
/** `Code.RESOURCE_EXHAUSTED`. */
export const RESOURCE_EXHAUSTED = 8;
/** `Code.FAILED_PRECONDITION`. */
export const FAILED_PRECONDITION = 9;
/** `Code.ABORTED`. */
export const ABORTED = 10;
/** `Code.OUT_OF_RANGE`. */
export const OUT_OF_RANGE = 11;
/** `Code.UNIMPLEMENTED`. */
export const UNIMPLEMENTED = 12;
/** `Code.INTERNAL`. */
export const INTERNAL = 13;
/** `Code.UNAVAILABLE`. */
export const UNAVAILABLE = 14;
/** `Code.DATA_LOSS`. */
export const DATA_LOSS = 15;
/** `Code.UNAUTHENTICATED`. */
export const UNAUTHENTICATED = 16;
