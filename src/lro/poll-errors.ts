import * as codes from '../core/codes.js';
import type { VisionError } from '../core/vision-error.js';

/** Codes that retrying cannot fix: a poll failing with one ends the wait at once. */
const PERMANENT: ReadonlySet<number> = new Set([
  codes.OK,
  codes.INVALID_ARGUMENT,
  codes.NOT_FOUND,
  codes.ALREADY_EXISTS,
  codes.PERMISSION_DENIED,
  codes.FAILED_PRECONDITION,
  codes.OUT_OF_RANGE,
  codes.UNIMPLEMENTED,
  codes.DATA_LOSS,
  codes.UNAUTHENTICATED,
]);

/**
 * True for a GetOperation failure worth retrying on the schedule:
 * UNAVAILABLE, DEADLINE_EXCEEDED (the per-poll timeout included),
 * RESOURCE_EXHAUSTED, INTERNAL, UNKNOWN (network errors), ABORTED and
 * CANCELLED from the server. NOT_FOUND, PERMISSION_DENIED, UNAUTHENTICATED,
 * INVALID_ARGUMENT, UNIMPLEMENTED and the other client-side codes are permanent.
 */
export function isTransientPollError(err: VisionError): boolean {
  return !PERMANENT.has(err.code);
}

/**
 * The least time (ms) the server asked for before the next try: the
 * `google.rpc.RetryInfo` detail's `retry_delay` (REST answers carry an HTTP
 * `Retry-After` the same way once the transport turns it into that detail).
 * 0 when there is none.
 */
export function retryDelayOf(err: VisionError): number {
  const info = err.findDetail('google.rpc.RetryInfo')?.value as { retryDelay?: { seconds?: string | number; nanos?: number } } | undefined;
  const d = info?.retryDelay;
  if (d === undefined) return 0;
  const ms = Number(d.seconds ?? 0) * 1000 + (d.nanos ?? 0) / 1e6;
  return Number.isFinite(ms) && ms > 0 ? ms : 0;
}
