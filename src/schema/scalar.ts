/**
 * Scalar helpers shared by the message factory, proto3 JSON and the binary
 * codec: ts-proto defaults, default tests, integer ranges and exact integer
 * parsing (int64 kinds travel as decimal strings).
 */

import * as scalarTypes from '../schema/scalar-types.js';

// The sets of type numbers below are bit masks (bit `t` set for type `t`): one shift and
// mask tests a type. test/schema/scalar.test.ts holds them equal to the lists they stand for.

/** True for the 64-bit integer kinds (held as decimal strings). `t`: a type number below 32, as every kind is. */
export function isInt64(t: number): boolean {
  // int64, uint64, fixed64, sfixed64, sint64: bits 3, 4, 6, 16, 18.
  return ((0x50058 >> t) & 1) === 1;
}

/** True for the unsigned integer kinds. `t`: a type number below 32. */
export function isUnsigned(t: number): boolean {
  // uint32, fixed32, uint64, fixed64: bits 13, 7, 4, 6.
  return ((0x20d0 >> t) & 1) === 1;
}

/** True for every integer kind (32 and 64 bit). `t`: a scalar type number. */
export function isInteger(t: number): boolean {
  // double, float, bool, string, bytes: bits 1, 2, 8, 9, 12 (the kinds that are not integers).
  return ((0x1306 >> t) & 1) === 0;
}

/** ts-proto's default for a scalar: `""`, `false`, `"0"`, `new Uint8Array(0)` or `0`. */
export function scalarDefault(t: number): string | number | boolean | Uint8Array {
  if (t === scalarTypes.STRING) return '';
  if (t === scalarTypes.BOOL) return false;
  if (t === scalarTypes.BYTES) return new Uint8Array(0);
  return isInt64(t) ? '0' : 0;
}

/** True when `v` is the default of scalar type `t` (what implicit-presence fields leave out). */
export function isScalarDefault(t: number, v: unknown): boolean {
  if (t === scalarTypes.BYTES) return (v as Uint8Array).length === 0;
  if (isInt64(t)) return v === '0' || v === 0;
  return v === '' || v === false || v === 0;
}

const I32 = [-(2n ** 31n), 2n ** 31n - 1n] as const;
const U32 = [0n, 2n ** 32n - 1n] as const;
const I64 = [-(2n ** 63n), 2n ** 63n - 1n] as const;
const U64 = [0n, 2n ** 64n - 1n] as const;

/** The inclusive range of an integer kind. */
export function integerRange(t: number): readonly [bigint, bigint] {
  if (isInt64(t)) return isUnsigned(t) ? U64 : I64;
  return isUnsigned(t) ? U32 : I32;
}

const DECIMAL = /^(-?)(\d+)(?:\.(\d*))?(?:[eE]([+-]?\d+))?$/;

/**
 * Parses a decimal integer written as proto3 JSON allows: an optional '-',
 * digits, an optional fraction and exponent, as long as the value is whole
 * ("1e2", "1.0", "1.5e1"). Returns undefined for anything else; exact for any
 * size (no float rounding).
 */
export function parseWholeNumber(text: string): bigint | undefined {
  const m = DECIMAL.exec(text);
  if (m === null) return undefined;
  const frac = m[3] ?? '';
  let digits = (m[2] as string) + frac;
  let exp = (m[4] === undefined ? 0 : Number(m[4])) - frac.length;
  digits = digits.replace(/^0+(?=\d)/, '');
  if (exp < 0) {
    const cut = digits.length + exp;
    const dropped = cut <= 0 ? digits : digits.slice(cut);
    if (/[^0]/.test(dropped)) return undefined;
    digits = cut <= 0 ? '0' : digits.slice(0, cut);
    exp = 0;
  }
  // Anything past 40 digits is out of every range; keep the string bounded.
  if (digits !== '0' && digits.length + exp > 40) exp = 40;
  const n = BigInt(digits + (digits === '0' ? '' : '0'.repeat(exp)));
  return m[1] === '-' ? -n : n;
}
