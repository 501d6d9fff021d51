/**
 * The scalar helpers' bit masks (src/schema/scalar.ts) against the lists of
 * type numbers they stand for, the integer ranges against their bounds, and
 * the flag constants (src/schema/field-flags.ts) against `FieldFlag` and the
 * generator's `FLAG`.
 */
import assert from 'node:assert/strict';
import * as fieldFlags from '../../src/schema/field-flags.js';
import { FieldFlag, ScalarType } from '../../src/schema/registry.js';
import { integerRange, isInt64, isInteger, isUnsigned } from '../../src/schema/scalar.js';
import { FLAG } from '../../tools/src/gen/tables/names.js';

const T = ScalarType;

describe('schema: scalar helpers', () => {
  it('tell the 64-bit, unsigned and integer kinds apart for every type number below 32', () => {
    const int64 = [T.INT64, T.UINT64, T.FIXED64, T.SFIXED64, T.SINT64] as number[];
    const unsigned = [T.UINT32, T.FIXED32, T.UINT64, T.FIXED64] as number[];
    const notInteger = [T.DOUBLE, T.FLOAT, T.BOOL, T.STRING, T.BYTES] as number[];
    for (let t = 0; t < 32; t++) {
      assert.equal(isInt64(t), int64.includes(t), `isInt64(${t})`);
      assert.equal(isUnsigned(t), unsigned.includes(t), `isUnsigned(${t})`);
      assert.equal(isInteger(t), !notInteger.includes(t), `isInteger(${t})`);
    }
  });

  it('give each integer kind its inclusive range', () => {
    assert.deepEqual(integerRange(T.INT32), [-2147483648n, 2147483647n]);
    assert.deepEqual(integerRange(T.SINT32), [-2147483648n, 2147483647n]);
    assert.deepEqual(integerRange(T.SFIXED32), [-2147483648n, 2147483647n]);
    assert.deepEqual(integerRange(T.UINT32), [0n, 4294967295n]);
    assert.deepEqual(integerRange(T.FIXED32), [0n, 4294967295n]);
    assert.deepEqual(integerRange(T.INT64), [-9223372036854775808n, 9223372036854775807n]);
    assert.deepEqual(integerRange(T.SINT64), [-9223372036854775808n, 9223372036854775807n]);
    assert.deepEqual(integerRange(T.SFIXED64), [-9223372036854775808n, 9223372036854775807n]);
    assert.deepEqual(integerRange(T.UINT64), [0n, 18446744073709551615n]);
    assert.deepEqual(integerRange(T.FIXED64), [0n, 18446744073709551615n]);
  });

  it('flag constants equal FieldFlag and the bits the generator writes', () => {
    assert.deepEqual({ ...fieldFlags }, { ...FieldFlag });
    assert.deepEqual(
      [FLAG.repeated, FLAG.map, FLAG.optional, FLAG.required, FLAG.outputOnly, FLAG.immutable],
      [fieldFlags.REPEATED, fieldFlags.MAP, fieldFlags.OPTIONAL, fieldFlags.REQUIRED, fieldFlags.OUTPUT_ONLY, fieldFlags.IMMUTABLE],
    );
  });
});
