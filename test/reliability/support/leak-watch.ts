/**
 * Watches a stretch of a test for leaks: live handles and requests by type
 * (`process.getActiveResourcesInfo()`: sockets, servers, file requests),
 * timers created meanwhile and still pending (tracked with async_hooks, with
 * where they were made; mocha's own per-test timer is not counted),
 * unhandled promise rejections and process warnings (such as
 * MaxListenersExceededWarning). `stop()` waits a moment for sockets that are
 * closing to close, then reports what is left over the baseline.
 */
import { createHook } from 'node:async_hooks';
import { getEventListeners } from 'node:events';

/** What a {@link LeakWatch} found. */
export interface LeakReport {
  /** Resource types with more live instances than at the start, and by how many. */
  readonly extraResources: Readonly<Record<string, number>>;
  /** Every reason of an unhandled rejection seen meanwhile. */
  readonly unhandledRejections: readonly unknown[];
  /** Every process warning emitted meanwhile. */
  readonly warnings: readonly Error[];
  /** Timers made meanwhile that are still pending, with the first frames of where each was made. */
  readonly pendingTimers: readonly string[];
  /** Resource counts at the start and the end, for reports. */
  readonly before: Readonly<Record<string, number>>;
  readonly after: Readonly<Record<string, number>>;
}

/** A running watch. */
export interface LeakWatch {
  /** Stops watching; waits up to `settleMs` for the resource counts to fall back to the baseline. */
  stop(settleMs?: number): Promise<LeakReport>;
}

/** Live resources by type (`TCPSocketWrap`, `TCPServerWrap`, …); timers are counted apart. */
export function activeResources(): Record<string, number> {
  const out: Record<string, number> = {};
  for (const type of process.getActiveResourcesInfo()) if (type !== 'Timeout' && type !== 'Immediate') out[type] = (out[type] ?? 0) + 1;
  return out;
}

interface TimerLike {
  hasRef?(): boolean;
  _destroyed?: boolean;
}

function extra(before: Record<string, number>, after: Record<string, number>): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [type, n] of Object.entries(after)) if (n > (before[type] ?? 0)) out[type] = n - (before[type] ?? 0);
  return out;
}

/** Starts watching now (the baseline is taken here). */
export function watchLeaks(): LeakWatch {
  const before = activeResources();
  const timers = new Map<number, { resource: TimerLike; stack: string }>();
  const hook = createHook({
    init(id, type, _trigger, resource) {
      if (type !== 'Timeout') return;
      const stack = (new Error().stack ?? '')
        .split('\n')
        .slice(4, 10)
        .map((l) => l.trim())
        .join(' < ');
      if (!/[\\/]mocha[\\/]lib[\\/]/.test(stack)) timers.set(id, { resource: resource as TimerLike, stack });
    },
    destroy(id) {
      timers.delete(id);
    },
  }).enable();
  const pending = (): string[] => [...timers.values()].filter((t) => t.resource._destroyed !== true).map((t) => t.stack);
  const unhandledRejections: unknown[] = [];
  const warnings: Error[] = [];
  const onRejection = (reason: unknown): void => {
    unhandledRejections.push(reason);
  };
  const onWarning = (w: Error): void => {
    warnings.push(w);
  };
  process.on('unhandledRejection', onRejection);
  process.on('warning', onWarning);
  return {
    async stop(settleMs = 3000) {
      const end = Date.now() + settleMs;
      let after = activeResources();
      while ((Object.keys(extra(before, after)).length > 0 || pending().length > 0) && Date.now() < end) {
        await new Promise((r) => setTimeout(r, 50));
        after = activeResources();
      }
      hook.disable();
      const pendingTimers = pending();
      // Give late rejections (a promise settled in the last turn) one more turn to show up.
      await new Promise((r) => setImmediate(r));
      process.off('unhandledRejection', onRejection);
      process.off('warning', onWarning);
      return { extraResources: extra(before, after), pendingTimers, unhandledRejections, warnings, before, after };
    },
  };
}

/** How many `abort` listeners a signal still has (a wait that forgot to remove its own leaks one). */
export function abortListenerCount(signal: AbortSignal): number {
  return getEventListeners(signal, 'abort').length;
}

/** Of a {@link LeakReport}'s pending timers, those made by vision-kit's own code (not a test server's or an HTTP client's keep-alive timers). */
export function timersFromSrc(timers: readonly string[]): string[] {
  return timers.filter((stack) => stack.split(' < ').some((frame) => /[\\/]src[\\/]/.test(frame) && !/node_modules/.test(frame)));
}
