/** Conversions between milliseconds and the ts-proto Timestamp/Duration shapes. */
import { setTimeout as delay } from 'node:timers/promises';
import type { Duration } from 'vision-kit/gen/google/protobuf/duration.js';
import type { Timestamp } from 'vision-kit/gen/google/protobuf/timestamp.js';

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

/**
 * Waits `ms` milliseconds, or rejects with the signal's own reason (a
 * VisionError when the serving layer aborts a call) as soon as it aborts.
 */
export async function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  try {
    await delay(ms, undefined, signal === undefined ? undefined : { signal });
  } catch (err) {
    if (signal?.aborted) throw signal.reason;
    throw err;
  }
}
