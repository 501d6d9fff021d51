import type { Timestamp } from 'vision-kit/gen/google/protobuf/timestamp.js';

/** Compares two timestamps (seconds as decimal strings, then nanos). */
export function compareTimestamps(a: Timestamp, b: Timestamp): number {
  const sa = BigInt(a.seconds || '0');
  const sb = BigInt(b.seconds || '0');
  if (sa !== sb) return sa < sb ? -1 : 1;
  return (a.nanos ?? 0) - (b.nanos ?? 0);
}

/** The Unix epoch, the value of a product set that was never indexed. */
export const EPOCH: Timestamp = { seconds: '0', nanos: 0 };
