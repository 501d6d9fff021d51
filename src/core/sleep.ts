/** The longest delay one setTimeout takes (longer ones fire at once). */
export const MAX_TIMER_MS = 2 ** 31 - 1;

/**
 * Calls `callback` after `ms`, like setTimeout, but past its 2^31 − 1 ms
 * (~24.8 days) limit too: a longer wait re-arms instead of firing at once.
 * Returns the function that cancels it.
 */
export function setLongTimeout(callback: () => void, ms: number): () => void {
  let timer: ReturnType<typeof setTimeout>;
  const arm = (left: number): void => {
    timer = setTimeout(() => (left > MAX_TIMER_MS ? arm(left - MAX_TIMER_MS) : callback()), Math.min(Math.max(0, left), MAX_TIMER_MS));
  };
  arm(ms);
  return () => clearTimeout(timer);
}

/**
 * An abort-aware sleep: resolves after `ms`, or rejects with the signal's
 * reason as soon as it aborts. The timer and the listener are always removed.
 * Waits past setTimeout's limit re-arm ({@link setLongTimeout}) rather than
 * firing at once (a long retry backoff would otherwise turn into a tight loop).
 */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    if (signal?.aborted) {
      reject(signal.reason);
      return;
    }
    const onAbort = (): void => {
      cancel();
      reject(signal?.reason);
    };
    const cancel = setLongTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
