/**
 * `google.protobuf.Timestamp` ↔ `Date` and milliseconds since the epoch.
 * Messages hold `{ seconds: string, nanos: number }` (ts-proto's shape);
 * these helpers are how a program reads `createTime` or writes a time.
 * Range: 0001-01-01T00:00:00Z to 9999-12-31T23:59:59.999999999Z, as
 * timestamp.proto defines it; anything outside, a non-whole number or an
 * invalid Date is a {@link TimeValueError}. A Date holds milliseconds, so
 * `timestampToDate` drops the sub-millisecond part (toward the past);
 * `timestampToMillis` keeps it as the fraction (exact while the number can
 * hold it, see `time-value.ts`).
 */
import type { Timestamp } from '../../gen/google/protobuf/timestamp.js';
import { grouped, joinMillis, readParts, splitMillis, type TimeMessageInput, TimeValueError } from './time-value.js';

/** The earliest Timestamp's seconds: 0001-01-01T00:00:00Z. */
const MIN_SECONDS = -62_135_596_800;
/** The latest Timestamp's seconds: 9999-12-31T23:59:59Z. */
const MAX_SECONDS = 253_402_300_799;

function checked(where: string, seconds: number, nanos: number, what: () => string): Timestamp {
  if (nanos < 0 || nanos > 999_999_999) throw new TimeValueError(where, `nanos ${nanos} is outside 0 to 999,999,999`);
  if (seconds < MIN_SECONDS || seconds > MAX_SECONDS) {
    throw new TimeValueError(
      where,
      `${what()} is outside the Timestamp range, 0001-01-01T00:00:00Z to 9999-12-31T23:59:59.999999999Z (seconds ${grouped(MIN_SECONDS)} to ${grouped(MAX_SECONDS)})`,
    );
  }
  return { seconds: String(seconds), nanos };
}

/** A Date as a Timestamp (exact: a Date holds whole milliseconds). */
export function timestampFromDate(date: Date): Timestamp {
  const ms = date instanceof Date ? date.getTime() : Number.NaN;
  if (!Number.isFinite(ms)) throw new TimeValueError('timestampFromDate', date instanceof Date ? 'the Date is invalid' : 'expected a Date');
  const { seconds, nanos } = splitMillis(ms);
  return checked('timestampFromDate', seconds, nanos, () => date.toISOString());
}

/** A Timestamp as a Date, the sub-millisecond part dropped (toward the past). */
export function timestampToDate(timestamp: Timestamp | TimeMessageInput): Date {
  const { seconds, nanos } = readParts('timestampToDate', timestamp);
  checked('timestampToDate', seconds, nanos, () => `seconds ${seconds}`);
  return new Date(seconds * 1000 + Math.floor(nanos / 1_000_000));
}

/** Milliseconds since 1970-01-01T00:00:00Z (a fraction for sub-millisecond parts) as a Timestamp, to the nearest nanosecond. */
export function timestampFromMillis(ms: number): Timestamp {
  if (typeof ms !== 'number' || !Number.isFinite(ms))
    throw new TimeValueError('timestampFromMillis', `expected a finite number of milliseconds, got ${String(ms)}`);
  const { seconds, nanos } = splitMillis(ms);
  return checked('timestampFromMillis', seconds, nanos, () => `${ms} ms`);
}

/** A Timestamp as milliseconds since 1970-01-01T00:00:00Z, the sub-millisecond part as the fraction. */
export function timestampToMillis(timestamp: Timestamp | TimeMessageInput): number {
  const { seconds, nanos } = readParts('timestampToMillis', timestamp);
  checked('timestampToMillis', seconds, nanos, () => `seconds ${seconds}`);
  return joinMillis(seconds, nanos);
}
