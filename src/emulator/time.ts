/** Conversions between milliseconds and the ts-proto Timestamp/Duration shapes. */
import type { Duration } from '../../gen/google/protobuf/duration.js';
import type { Timestamp } from '../../gen/google/protobuf/timestamp.js';

/** Milliseconds since the epoch → Timestamp. */
export function timestampFromMs(ms: number): Timestamp {
  const seconds = Math.floor(ms / 1000);
  return { seconds: String(seconds), nanos: Math.round((ms - seconds * 1000) * 1e6) };
}

/** Duration → milliseconds (undefined stays undefined). */
export function msFromDuration(d: Duration | undefined): number | undefined {
  if (!d) return undefined;
  return Number(d.seconds) * 1000 + d.nanos / 1e6;
}
