import { Code, VisionError } from 'vision-kit';
import type { Status } from 'vision-kit/gen/google/rpc/status.js';

/** A VisionError INVALID_ARGUMENT whose message starts with the image's label. */
export function invalidInput(label: string, reason: string, cause?: unknown): VisionError {
  return new VisionError(Code.INVALID_ARGUMENT, `${label}: ${reason}`, cause === undefined ? {} : { cause });
}

/**
 * The `google.rpc.Status` (ts-proto shape) for a per-image or per-file
 * problem. Anything that is not already a VisionError becomes INTERNAL; the
 * message always names the image (`label`) so a batch's errors can be told apart.
 */
export function statusOf(err: unknown, label: string): Status {
  const e = VisionError.from(err, Code.INTERNAL);
  const message = e.rawMessage.startsWith(label) ? e.rawMessage : `${label}: ${e.rawMessage}`;
  return { code: e.code, message, details: [] };
}

/** The error an aborted signal stands for: its reason when that is a VisionError, else CANCELLED. */
export function abortError(signal: AbortSignal): VisionError {
  const reason: unknown = signal.reason;
  return reason instanceof VisionError ? reason : new VisionError(Code.CANCELLED, 'the annotation was cancelled', { cause: reason });
}

/** Throws CANCELLED when the signal has fired (between pieces of work). */
export function throwIfAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw abortError(signal);
}
