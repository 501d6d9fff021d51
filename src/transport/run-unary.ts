import { abortError, createCallSignal } from '../core/call-signal.js';
import { Code } from '../core/code.js';
import { VisionError } from '../core/vision-error.js';
import { resolveRetry, withRetry, type AttemptContext } from './retry.js';
import { DEFAULT_TIMEOUT_MS, type CallOptions, type MethodRef } from './transport.js';

/**
 * The frame every transport's `unary` runs in: links the caller's signal and
 * the deadline, retries per the call's policy, turns whatever is thrown into a
 * VisionError (an abort into its CANCELLED or DEADLINE_EXCEEDED reason) and
 * releases the listener and the timer when the call settles.
 */
export async function runUnary<T>(
  method: MethodRef,
  options: CallOptions | undefined,
  attempt: (ctx: AttemptContext) => Promise<T>,
): Promise<T> {
  const call = createCallSignal({ signal: options?.signal, timeoutMs: options?.timeout ?? DEFAULT_TIMEOUT_MS });
  try {
    if (call.signal.aborted) throw abortError(call.signal);
    const policy = resolveRetry(method, options?.retry);
    return await withRetry(policy, call.signal, call.deadline, attempt, (err) =>
      err instanceof VisionError ? err.code : Code.UNKNOWN,
    );
  } catch (err) {
    if (call.signal.aborted) throw abortError(call.signal);
    throw VisionError.from(err);
  } finally {
    call.dispose();
  }
}

