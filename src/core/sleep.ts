/** The longest delay one setTimeout takes (longer ones fire at once). */
export const MAX_TIMER_MS = 2 ** 31 - 1;

/**
 * An abort-aware sleep: resolves after `ms`, or rejects with the signal's
 * reason as soon as it aborts. The timer and the listener are always removed.
 * Waits past setTimeout's 2^31 − 1 ms (~24.8 days) re-arm rather than firing
 * at once (a long retry backoff would otherwise turn into a tight loop).
 */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    if (signal?.aborted) {
      reject(signal.reason);
      return;
    }
    let timer: ReturnType<typeof setTimeout>;
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    const arm = (left: number): void => {
      timer = setTimeout(() => {
        if (left > MAX_TIMER_MS) return arm(left - MAX_TIMER_MS);
        signal?.removeEventListener('abort', onAbort);
        resolve();
      }, Math.min(Math.max(0, left), MAX_TIMER_MS));
    };
    arm(ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
