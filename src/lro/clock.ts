import { MAX_TIMER_MS } from '../core/sleep.js';

/**
 * Time as the poller sees it: a monotonic clock for deadlines and sleeps, the
 * wall clock only to turn deadlines into plain data (`toJSON`) and back, and
 * one-shot timers. Tests inject a fake one; nothing in the poller reads
 * `Date.now`, `performance.now` or `setTimeout` directly.
 */
export interface LroClock {
  /** Milliseconds on a monotonic clock (never goes back). */
  now(): number;
  /** Milliseconds since the epoch (for saved handles only). */
  wallNow(): number;
  /** Calls `callback` once after `ms` milliseconds; returns a handle for {@link LroClock.clearTimer}. */
  setTimer(callback: () => void, ms: number): unknown;
  /** Cancels a timer of {@link LroClock.setTimer}; a handle that already fired is ignored. */
  clearTimer(handle: unknown): void;
}

/** The real clock: `performance.now()`, `Date.now()` and `setTimeout`. */
export const systemClock: LroClock = {
  now: () => performance.now(),
  wallNow: () => Date.now(),
  setTimer: (callback, ms) => setTimeout(callback, Math.min(MAX_TIMER_MS, Math.max(0, ms))),
  clearTimer: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};
