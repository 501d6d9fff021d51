/**
 * `google.protobuf.Duration` ↔ milliseconds. Messages hold
 * `{ seconds: string, nanos: number }` (ts-proto's shape), both parts with
 * the same sign. Range: ±315,576,000,000 s (about 10,000 years), as
 * duration.proto defines it; anything outside, parts of opposite signs or a
 * non-whole number is a {@link TimeValueError}. Exact to the nanosecond
 * while a number can hold it (see `time-value.ts`).
 */
import type { Duration } from '../../gen/google/protobuf/duration.js';
import { grouped, joinMillis, readParts, splitMillis, type TimeMessageInput, TimeValueError } from './time-value.js';

/** The largest Duration's seconds (either sign). */
const MAX_SECONDS = 315_576_000_000;

function checked(where: string, seconds: number, nanos: number, what: () => string): Duration {
  if (nanos < -999_999_999 || nanos > 999_999_999) throw new TimeValueError(where, `nanos ${nanos} is outside -999,999,999 to 999,999,999`);
  if ((seconds > 0 && nanos < 0) || (seconds < 0 && nanos > 0)) {
    throw new TimeValueError(where, `seconds ${seconds} and nanos ${nanos} have opposite signs`);
  }
  if (Math.abs(seconds) > MAX_SECONDS) {
    throw new TimeValueError(where, `${what()} is outside the Duration range, ±${grouped(MAX_SECONDS)} s (about 10,000 years)`);
  }
  return { seconds: String(seconds), nanos };
}

/** Milliseconds (a fraction for sub-millisecond parts; negative for a negative Duration) as a Duration, to the nearest nanosecond. */
export function durationFromMillis(ms: number): Duration {
  if (typeof ms !== 'number' || !Number.isFinite(ms))
    throw new TimeValueError('durationFromMillis', `expected a finite number of milliseconds, got ${String(ms)}`);
  const { seconds, nanos } = splitMillis(Math.abs(ms));
  const negative = ms < 0;
  return checked(
    'durationFromMillis',
    negative && seconds !== 0 ? -seconds : seconds,
    negative && nanos !== 0 ? -nanos : nanos,
    () => `${ms} ms`,
  );
}

/** A Duration as milliseconds, the sub-millisecond part as the fraction. */
export function durationToMillis(duration: Duration | TimeMessageInput): number {
  const { seconds, nanos } = readParts('durationToMillis', duration);
  checked('durationToMillis', seconds, nanos, () => `seconds ${seconds}`);
  return joinMillis(seconds, nanos);
}
