/** Something to tell when a signal aborts. */
export interface AbortSubscriber {
  /** Called once, when the signal aborts. */
  onAbort(): void;
}

/**
 * One abort listener per signal, however many waits share it: 1,000 waits
 * on one AbortSignal add one listener (no MaxListeners warning), and the
 * listener is removed when the last of them goes.
 */
export class SignalHub {
  readonly #subscribers = new Map<AbortSignal, { readonly set: Set<AbortSubscriber>; readonly listener: () => void }>();

  /** Calls `subscriber.onAbort()` when `signal` aborts (once), until {@link SignalHub.unsubscribe}. */
  subscribe(signal: AbortSignal, subscriber: AbortSubscriber): void {
    let entry = this.#subscribers.get(signal);
    if (entry === undefined) {
      const set = new Set<AbortSubscriber>();
      const listener = (): void => {
        this.#subscribers.delete(signal);
        for (const s of [...set]) s.onAbort();
        set.clear();
      };
      entry = { set, listener };
      this.#subscribers.set(signal, entry);
      signal.addEventListener('abort', listener, { once: true });
    }
    entry.set.add(subscriber);
  }

  /** Stops telling `subscriber`; removes the signal's listener when nobody is left. */
  unsubscribe(signal: AbortSignal, subscriber: AbortSubscriber): void {
    const entry = this.#subscribers.get(signal);
    if (entry === undefined) return;
    entry.set.delete(subscriber);
    if (entry.set.size === 0) {
      this.#subscribers.delete(signal);
      signal.removeEventListener('abort', entry.listener);
    }
  }

  /** Signals with at least one subscriber (for tests of leaks). */
  get size(): number {
    return this.#subscribers.size;
  }
}
