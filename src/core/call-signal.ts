import { Code } from './code.js';
import { SignalHub, type AbortSubscriber } from './signal-hub.js';
import { VisionError } from './vision-error.js';

/**
 * Every call's link to its caller's signal goes through one hub, so that any
 * number of calls in flight on one signal add one `abort` listener to it
 * (no MaxListenersExceededWarning at 11 concurrent calls), removed when the
 * last of them ends.
 */
const callers = new SignalHub();

/** What {@link createCallSignal} links together. */
export interface CallSignalInit {
  /** The caller's signal; its abort cancels the call (CANCELLED). */
  signal?: AbortSignal | undefined;
  /** Milliseconds from now until the call's deadline (DEADLINE_EXCEEDED); none when undefined. */
  timeoutMs?: number | undefined;
}

/** A linked signal with its deadline, released with {@link CallSignal.dispose}. */
export interface CallSignal {
  /** Aborts when the caller aborts or the deadline passes; its reason is a {@link VisionError}. */
  readonly signal: AbortSignal;
  /** The deadline as epoch milliseconds, or undefined when there is none. */
  readonly deadline: number | undefined;
  /** Milliseconds left until the deadline (never below 0), or undefined. */
  remaining(): number | undefined;
  /** Removes the listener on the caller's signal and the deadline timer. Idempotent. */
  dispose(): void;
}

/**
 * Links a caller's signal and a deadline into one signal, the way every call
 * and poll waits. The resulting signal's `reason` is always a VisionError:
 * CANCELLED (keeping the caller's reason as `cause`, or the caller's own
 * VisionError reason) or DEADLINE_EXCEEDED. Call `dispose()` when the call
 * ends, whatever the outcome, so nothing stays registered on a long-lived
 * caller signal and no timer keeps the process alive.
 */
export function createCallSignal(init: CallSignalInit = {}): CallSignal {
  const controller = new AbortController();
  const parent = init.signal;
  const timeoutMs = init.timeoutMs;
  const deadline = timeoutMs === undefined || !Number.isFinite(timeoutMs) ? undefined : Date.now() + Math.max(0, timeoutMs);
  let timer: ReturnType<typeof setTimeout> | undefined;
  let disposed = false;

  const subscriber: AbortSubscriber = {
    onAbort: () => {
      controller.abort(cancelledError(parent?.reason));
      dispose();
    },
  };
  function dispose(): void {
    if (disposed) return;
    disposed = true;
    if (timer !== undefined) clearTimeout(timer);
    timer = undefined;
    if (parent !== undefined) callers.unsubscribe(parent, subscriber);
  }

  if (parent?.aborted) {
    controller.abort(cancelledError(parent.reason));
    disposed = true;
  } else if (deadline !== undefined && deadline <= Date.now()) {
    controller.abort(deadlineError(timeoutMs ?? 0));
    disposed = true;
  } else {
    if (parent !== undefined) callers.subscribe(parent, subscriber);
    if (deadline !== undefined) {
      timer = setTimeout(() => {
        controller.abort(deadlineError(timeoutMs ?? 0));
        dispose();
      }, deadline - Date.now());
    }
  }
  return {
    signal: controller.signal,
    deadline,
    remaining: () => (deadline === undefined ? undefined : Math.max(0, deadline - Date.now())),
    dispose,
  };
}

/** The error of a call cancelled through the caller's signal. */
export function cancelledError(reason: unknown): VisionError {
  if (reason instanceof VisionError) return reason;
  const text = reason instanceof Error ? reason.message : reason === undefined ? '' : String(reason);
  return new VisionError(Code.CANCELLED, text ? `the call was cancelled: ${text}` : 'the call was cancelled', {
    cause: reason,
  });
}

/** The error of a call whose deadline passed. */
export function deadlineError(timeoutMs: number): VisionError {
  return new VisionError(Code.DEADLINE_EXCEEDED, `the deadline of ${timeoutMs} ms was exceeded`);
}

/** The VisionError an aborted signal stands for (its reason, normalised). */
export function abortError(signal: AbortSignal): VisionError {
  const reason: unknown = signal.reason;
  if (reason instanceof VisionError) return reason;
  if (reason instanceof Error && reason.name === 'TimeoutError') return VisionError.from(reason);
  return cancelledError(reason);
}
