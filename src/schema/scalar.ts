/**
 * Scalar helpers shared by the message factory, proto3 JSON and the binary
 * codec: ts-proto defaults, default tests, integer ranges and exact integer
 * parsing (int64 kinds travel as decimal strings).
 */

import * as scalarTypes from '../schema/scalar-types.js';

/** True for the 64-bit integer kinds (held as decimal strings). */
export function isInt64(t: number): boolean {
  return (
    t === scalarTypes.INT64 ||
    t === scalarTypes.UINT64 ||
    t === scalarTypes.FIXED64 ||
    t === scalarTypes.SFIXED64 ||
    t === scalarTypes.SINT64
  );
}

/** True for the unsigned integer kinds. */
export function isUnsigned(t: number): boolean {
  return t === scalarTypes.UINT32 || t === scalarTypes.FIXED32 || t === scalarTypes.UINT64 || t === scalarTypes.FIXED64;
}

/** True for every integer kind (32 and 64 bit). */
export function isInteger(t: number): boolean {
  return (
    t !== scalarTypes.DOUBLE && t !== scalarTypes.FLOAT && t !== scalarTypes.BOOL && t !== scalarTypes.STRING && t !== scalarTypes.BYTES
  );
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

const I32 = [-2147483648n, 2147483647n] as const;
const U32 = [0n, 4294967295n] as const;
const I64 = [-9223372036854775808n, 9223372036854775807n] as const;
const U64 = [0n, 18446744073709551615n] as const;

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
