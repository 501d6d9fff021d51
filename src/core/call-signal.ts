import * as codes from '../core/codes.js';
import { type AbortSubscriber, SignalHub } from './signal-hub.js';
import { setLongTimeout, sleep } from './sleep.js';
import { messageOf, VisionError } from './vision-error.js';

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

/**
 * A caller's signal and a deadline, linked, released with
 * {@link CallSignal.dispose}. The linked `signal` is made when it is first
 * read: until then nothing is registered (no AbortController, no listener on
 * the caller's signal, no timer), and `aborted` / `reason` are worked out
 * from the caller's signal and the clock. A transport that enforces the
 * deadline itself (grpc-js's `deadline` call option) and has no caller signal
 * to follow need never read it.
 */
export interface CallSignal {
  /**
   * Aborts when the caller aborts or the deadline passes; its reason is a
   * {@link VisionError}. Reading it the first time links the caller's signal
   * and arms the deadline timer (both released by `dispose()`); after
   * `dispose()` it is made without either.
   */
  readonly signal: AbortSignal;
  /** The deadline as epoch milliseconds, or undefined when there is none. */
  readonly deadline: number | undefined;
  /** True when the caller passed a signal (so an attempt must follow `signal` to stop on an abort). */
  readonly hasCallerSignal: boolean;
  /**
   * What the call ends with once the caller aborted or the deadline passed
   * (CANCELLED or DEADLINE_EXCEEDED; the first seen is kept), else undefined.
   * Never creates `signal`.
   */
  readonly reason: VisionError | undefined;
  /**
   * Waits `ms`, or rejects with the call's reason as soon as the caller
   * aborts (or `signal`, once made, aborts). Without a caller signal and with
   * `signal` never read, a plain timer: the caller bounds `ms` by the deadline.
   */
  wait(ms: number): Promise<void>;
  /** Removes the listener on the caller's signal and the deadline timer. Idempotent. */
  dispose(): void;
}

/**
 * Links a caller's signal and a deadline into one signal, the way every call
 * waits. The resulting signal's `reason` is always a VisionError: CANCELLED
 * (keeping the caller's reason as `cause`, or the caller's own VisionError
 * reason) or DEADLINE_EXCEEDED. Call `dispose()` when the call ends, whatever
 * the outcome, so nothing stays registered on a long-lived caller signal and
 * no timer keeps the process alive.
 */
export function createCallSignal(init: CallSignalInit = {}): CallSignal {
  return new LinkedCallSignal(init.signal, init.timeoutMs);
}

/** {@link CallSignal}, with the AbortController, the caller link and the timer made on first read of `signal`. */
class LinkedCallSignal implements CallSignal, AbortSubscriber {
  readonly deadline: number | undefined;
  readonly hasCallerSignal: boolean;
  readonly #parent: AbortSignal | undefined;
  readonly #timeoutMs: number;
  #controller: AbortController | undefined;
  #cancelTimer: (() => void) | undefined;
  #subscribed = false;
  #disposed = false;
  #ended: VisionError | undefined;

  constructor(parent: AbortSignal | undefined, timeoutMs: number | undefined) {
    this.#parent = parent;
    this.hasCallerSignal = parent !== undefined;
    this.#timeoutMs = timeoutMs ?? 0;
    this.deadline = timeoutMs === undefined || !Number.isFinite(timeoutMs) ? undefined : Date.now() + Math.max(0, timeoutMs);
  }

  get signal(): AbortSignal {
    return (this.#controller ??= this.#link()).signal;
  }

  get reason(): VisionError | undefined {
    if (this.#ended === undefined) {
      const parent = this.#parent;
      if (this.#controller?.signal.aborted) this.#ended = abortError(this.#controller.signal);
      else if (parent?.aborted) this.#ended = cancelledError(parent.reason);
      else if (this.deadline !== undefined && Date.now() >= this.deadline) this.#ended = deadlineError(this.#timeoutMs);
    }
    return this.#ended;
  }

  wait(ms: number): Promise<void> {
    return sleep(ms, this.#parent === undefined && this.#controller === undefined ? undefined : this.signal);
  }

  /** The caller's signal aborted (called through the hub). */
  onAbort(): void {
    this.#controller?.abort(cancelledError(this.#parent?.reason));
    this.dispose();
  }

  dispose(): void {
    if (this.#disposed) return;
    this.#disposed = true;
    this.#cancelTimer?.();
    if (this.#subscribed) callers.unsubscribe(this.#parent!, this);
  }

  #link(): AbortController {
    const controller = new AbortController();
    const reason = this.reason;
    if (reason !== undefined) controller.abort(reason);
    else if (!this.#disposed) {
      if (this.#parent !== undefined) {
        callers.subscribe(this.#parent, this);
        this.#subscribed = true;
      }
      if (this.deadline !== undefined) {
        this.#cancelTimer = setLongTimeout(() => {
          controller.abort(deadlineError(this.#timeoutMs));
          this.dispose();
        }, this.deadline - Date.now());
      }
    }
    return controller;
  }
}

/** The error of a call cancelled through the caller's signal. */
export function cancelledError(reason: unknown): VisionError {
  if (reason instanceof VisionError) return reason;
  const text = reason === undefined ? '' : messageOf(reason);
  return new VisionError(codes.CANCELLED, `the call was cancelled${text && `: ${text}`}`, {
    cause: reason,
  });
}

/** The error of a call whose deadline passed. */
export function deadlineError(timeoutMs: number): VisionError {
  return new VisionError(codes.DEADLINE_EXCEEDED, `the deadline of ${timeoutMs} ms was exceeded`);
}

/** The VisionError an aborted signal stands for (its reason, normalised). */
export function abortError(signal: AbortSignal): VisionError {
  const reason: unknown = signal.reason;
  if (reason instanceof VisionError) return reason;
  if (reason instanceof Error && reason.name === 'TimeoutError') return VisionError.from(reason);
  return cancelledError(reason);
}
