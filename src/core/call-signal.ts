import { Code } from './code.js';
import { SignalHub, type AbortSubscriber } from './signal-hub.js';
import { sleep } from './sleep.js';
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
  /** True once the caller aborted or the deadline passed; never creates `signal`. */
  readonly aborted: boolean;
  /** What the call ends with once `aborted` (CANCELLED or DEADLINE_EXCEEDED, the first seen is kept); undefined before. */
  readonly reason: VisionError | undefined;
  /** Milliseconds left until the deadline (never below 0), or undefined. */
  remaining(): number | undefined;
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
  private controller: AbortController | undefined = undefined;
  private timer: ReturnType<typeof setTimeout> | undefined = undefined;
  private subscribed = false;
  private disposed = false;
  private ended: VisionError | undefined = undefined;

  constructor(
    private readonly parent: AbortSignal | undefined,
    private readonly timeoutMs: number | undefined,
  ) {
    this.deadline = timeoutMs === undefined || !Number.isFinite(timeoutMs) ? undefined : Date.now() + Math.max(0, timeoutMs);
  }

  get hasCallerSignal(): boolean {
    return this.parent !== undefined;
  }

  get signal(): AbortSignal {
    return (this.controller ??= this.link()).signal;
  }

  get aborted(): boolean {
    return this.reason !== undefined;
  }

  get reason(): VisionError | undefined {
    if (this.ended !== undefined) return this.ended;
    const controller = this.controller;
    if (controller !== undefined && controller.signal.aborted) this.ended = abortError(controller.signal);
    else if (this.parent?.aborted) this.ended = cancelledError(this.parent.reason);
    else if (this.deadline !== undefined && Date.now() >= this.deadline) this.ended = deadlineError(this.timeoutMs ?? 0);
    return this.ended;
  }

  remaining(): number | undefined {
    return this.deadline === undefined ? undefined : Math.max(0, this.deadline - Date.now());
  }

  wait(ms: number): Promise<void> {
    if (this.parent === undefined && this.controller === undefined) return sleep(ms);
    return sleep(ms, this.signal);
  }

  /** The caller's signal aborted (called through the hub). */
  onAbort(): void {
    this.controller?.abort(cancelledError(this.parent?.reason));
    this.dispose();
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
    if (this.subscribed && this.parent !== undefined) callers.unsubscribe(this.parent, this);
    this.subscribed = false;
  }

  private link(): AbortController {
    const controller = new AbortController();
    const reason = this.reason;
    if (reason !== undefined) {
      controller.abort(reason);
      return controller;
    }
    if (this.disposed) return controller;
    if (this.parent !== undefined) {
      callers.subscribe(this.parent, this);
      this.subscribed = true;
    }
    if (this.deadline !== undefined) {
      this.timer = setTimeout(() => {
        this.timer = undefined;
        controller.abort(deadlineError(this.timeoutMs ?? 0));
        this.dispose();
      }, this.deadline - Date.now());
    }
    return controller;
  }
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
