/**
 * What the Timestamp and Duration helpers (`timestamp.ts`, `duration.ts`)
 * share: their error, reading the `seconds` and `nanos` of a message, and
 * splitting a number of milliseconds into whole seconds and nanoseconds
 * exactly.
 *
 * Exactness: a message holds whole nanoseconds; a JavaScript number of
 * milliseconds holds them too while it is small enough (below 2^33 ms, about
 * 99 days, the gap between neighbouring numbers is under a nanosecond), and
 * beyond that rounds to the nearest number it can hold. Conversions here add
 * no error of their own: milliseconds are split into an integer part and a
 * fraction without rounding, and the fraction is rounded to the nearest
 * nanosecond once.
 */
import { shown } from '../core/check-options.js';
import * as codes from '../core/codes.js';
import { VisionError } from '../core/vision-error.js';

/** A Timestamp or Duration that cannot be converted: out of its range, not a whole number, an invalid Date. INVALID_ARGUMENT. */
export class TimeValueError extends VisionError {
  /** The helper that refused, e.g. `timestampFromDate`. */
  readonly where: string;

  constructor(where: string, message: string) {
    super(codes.INVALID_ARGUMENT, `${where}: ${message}`);
    this.name = 'TimeValueError';
    this.where = where;
  }
}

/** A Timestamp or Duration as the helpers accept it: ts-proto's shape, `seconds` also as a number or bigint, missing parts 0. */
export interface TimeMessageInput {
  /** Whole seconds: a decimal string (ts-proto's int64), a safe integer or a bigint. */
  readonly seconds?: string | number | bigint | undefined;
  /** Nanoseconds, a whole number. */
  readonly nanos?: number | undefined;
}

const INTEGER_TEXT = /^-?\d{1,20}$/;

/** `seconds` and `nanos` of a message as safe integers; throws {@link TimeValueError} for anything else. */
export function readParts(where: string, value: unknown): { seconds: number; nanos: number } {
  if (value === null || typeof value !== 'object') throw new TimeValueError(where, `expected a message object, got ${shown(value)}`);
  const { seconds: s, nanos: n } = value as TimeMessageInput;
  let seconds: number;
  if (s === undefined || s === null) seconds = 0;
  else if (typeof s === 'string' && INTEGER_TEXT.test(s)) seconds = Number(s);
  else if (typeof s === 'number') seconds = s;
  else if (typeof s === 'bigint') seconds = Number(s);
  else throw new TimeValueError(where, `seconds must be a whole number as a decimal string, number or bigint (got ${shown(s)})`);
  if (!Number.isSafeInteger(seconds)) throw new TimeValueError(where, `seconds ${String(s)} is not a whole number in range`);
  const nanos = n === undefined || n === null ? 0 : n;
  if (typeof nanos !== 'number' || !Number.isInteger(nanos))
    throw new TimeValueError(where, `nanos must be a whole number (got ${shown(n)})`);
  return { seconds: seconds === 0 ? 0 : seconds, nanos: nanos === 0 ? 0 : nanos };
}

/**
 * A finite number of milliseconds as whole seconds (rounded toward the past)
 * and nanoseconds (0–999,999,999), rounded to the nearest nanosecond once.
 */
export function splitMillis(ms: number): { seconds: number; nanos: number } {
  const whole = Math.floor(ms);
  const fraction = ms - whole; // exact: the fraction's bits are ms's own
  const rest = ((whole % 1000) + 1000) % 1000;
  let seconds = (whole - rest) / 1000;
  let nanos = rest * 1_000_000 + Math.round(fraction * 1_000_000);
  if (nanos >= 1_000_000_000) {
    seconds += 1;
    nanos -= 1_000_000_000;
  }
  return { seconds: seconds === 0 ? 0 : seconds, nanos };
}

/** Whole seconds and nanoseconds (same sign) as milliseconds: the whole milliseconds exactly, plus the rest. */
export function joinMillis(seconds: number, nanos: number): number {
  const wholeMs = seconds * 1000 + Math.trunc(nanos / 1_000_000);
  const rest = nanos % 1_000_000;
  const ms = rest === 0 ? wholeMs : wholeMs + rest / 1_000_000;
  return ms === 0 ? 0 : ms;
}

/** `n` with thousands separators, for messages. */
export function grouped(n: number): string {
  return n.toLocaleString('en-US');
}
