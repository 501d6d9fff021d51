import { type CallSignal, createCallSignal } from '../core/call-signal.js';
import { badOption, checkKeys, checkNumber, checkObject, type OptionNames, shown } from '../core/check-options.js';
import * as codes from '../core/codes.js';
import { VisionError } from '../core/vision-error.js';
import { TransportClosedError } from './closed-error.js';
import { ConnectionError } from './connection-error.js';
import { type AttemptContext, checkRetry, DEFAULT_CONNECT_RETRY_MS, DEFAULT_RETRY, resolveRetry, retryWaitMs } from './retry.js';
import { type CallOptions, DEFAULT_TIMEOUT_MS, type MethodRef } from './transport.js';

/**
 * The frame every transport's `unary` runs in: links the caller's signal and
 * the deadline, retries per the call's policy, turns whatever is thrown into a
 * VisionError (an abort into its CANCELLED or DEADLINE_EXCEEDED reason) and
 * releases the listener and the timer when the call settles.
 *
 * The first attempt starts synchronously, outside any async frame, and the
 * retry machinery only runs after a failure: a call that succeeds at once
 * costs the attempt's promise and one `then`. The linked signal is made only
 * when an attempt reads `ctx.signal` (see {@link CallSignal}); an attempt that
 * enforces `ctx.deadline` itself and has no caller signal to follow
 * (`ctx.hasCallerSignal` false) need not read it, and then the call registers
 * nothing at all.
 *
 * A {@link ConnectionError} (the server could not be reached at all) is
 * retried for `connectRetryMs` only, counted from its first occurrence in a
 * row, not for the whole deadline: a wrong port fails in seconds. When its
 * request never left (refused, unreachable, DNS, proxy), that holds for
 * every method, idempotent or not, unless the call says `retry: false`;
 * failures that waiting does not cure (`tls`, `not-grpc`, `not-http1`) are
 * not retried, nor is a {@link TransportClosedError} (a closed transport
 * does not reopen).
 */
export function runUnary<T>(
  method: MethodRef,
  callOptions: CallOptions | null | undefined,
  attempt: (ctx: AttemptContext) => Promise<T>,
  connectRetryMs: number = DEFAULT_CONNECT_RETRY_MS,
): Promise<T> {
  const options = callOptions ?? undefined; // null reads as no options, as it did before options were checked
  if (options !== undefined) {
    try {
      checkCallOptions(method.method.name, options);
    } catch (err) {
      return Promise.reject(err);
    }
  }
  const call = createCallSignal({ signal: options?.signal, timeoutMs: options?.timeout ?? DEFAULT_TIMEOUT_MS });
  const ended = call.reason;
  if (ended !== undefined) {
    call.dispose();
    return Promise.reject(ended);
  }
  return start(call, attempt).then(
    (value) => {
      call.dispose();
      return value;
    },
    (err: unknown) => retryOrFail(method, options, call, attempt, err, connectRetryMs),
  );
}

/** The names of `CallOptions`, and the typed client's `lro`. */
const CALL_OPTIONS: OptionNames<CallOptions> & { readonly lro: 1 } = { signal: 1, timeout: 1, retry: 1, headers: 1, lro: 1 };

/**
 * Checks a call's options with a few typeof tests (the per-call cost):
 * `timeout` a number ≥ 0 (Infinity for none; NaN refused), `signal` an
 * object, `retry` per {@link checkRetry}. Throws INVALID_ARGUMENT
 * `<where>: <option> …`.
 */
export function checkCallOptions(where: string, options: CallOptions): void {
  checkObject(where, 'options', options);
  // `lro` is the typed client's (ClientCallOptions): it rides along to the operation hook.
  checkKeys(where, options, CALL_OPTIONS);
  if (options.timeout !== undefined) checkNumber(where, 'timeout', options.timeout);
  const signal = options.signal as Partial<AbortSignal> | undefined;
  if (
    signal !== undefined &&
    (typeof signal !== 'object' || signal === null || typeof signal.addEventListener !== 'function' || typeof signal.aborted !== 'boolean')
  ) {
    badOption(where, `signal must be an AbortSignal, got ${shown(signal)}`);
  }
  if (options.retry !== undefined) checkRetry(where, options.retry);
}

/** One attempt (the call signal is its context); a synchronous throw becomes a rejection. */
function start<T>(call: CallSignal, attempt: (ctx: AttemptContext) => Promise<T>): Promise<T> {
  try {
    return attempt(call);
  } catch (err) {
    return Promise.reject(err);
  }
}

/** After a failed first attempt: retries per the call's policy, or settles with the error, then releases the call. */
async function retryOrFail<T>(
  method: MethodRef,
  options: CallOptions | undefined,
  call: CallSignal,
  attempt: (ctx: AttemptContext) => Promise<T>,
  err: unknown,
  connectRetryMs: number,
): Promise<T> {
  try {
    const policy = resolveRetry(method, options?.retry);
    // A request that never left may be sent again whatever the method: the default policy then, unless retries are off.
    const unsentPolicy = options?.retry === false ? undefined : (policy ?? DEFAULT_RETRY);
    let unreachableSince: number | undefined;
    let unreachableAttempts = 0;
    for (let n = 1; call.reason === undefined; n++) {
      if (err instanceof TransportClosedError) break;
      let wait: number | undefined;
      if (err instanceof ConnectionError) {
        if (!err.transient) break;
        unreachableSince ??= Date.now();
        unreachableAttempts++;
        const left = unreachableSince + connectRetryMs - Date.now();
        const p = err.neverSent ? unsentPolicy : policy;
        wait = p === undefined || left <= 0 ? undefined : retryWaitMs(p, n, err, err.code, call.deadline);
        if (wait === undefined) {
          if (unreachableAttempts > 1) err = err.afterRetries(unreachableAttempts, Date.now() - unreachableSince);
          break;
        }
        wait = Math.min(wait, left);
      } else {
        unreachableSince = undefined;
        unreachableAttempts = 0;
        if (policy === undefined) break;
        wait = retryWaitMs(policy, n, err, err instanceof VisionError ? err.code : codes.UNKNOWN, call.deadline);
        if (wait === undefined) break;
      }
      await call.wait(wait);
      try {
        return await start(call, attempt);
      } catch (next) {
        err = next;
      }
    }
    throw err;
  } catch (e) {
    throw call.reason ?? VisionError.from(e);
  } finally {
    call.dispose();
  }
}
