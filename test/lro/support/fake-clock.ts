import type { LroClock } from 'vision-kit';

interface FakeTimer {
  readonly id: number;
  readonly due: number;
  readonly callback: () => void;
}

/** Lets pending promise callbacks run (a few macrotask turns; no time passes on the fake clock). */
export async function flush(turns = 3): Promise<void> {
  for (let i = 0; i < turns; i++) await new Promise<void>((resolve) => setImmediate(resolve));
}

/**
 * Fake time for the poller: a monotonic clock that moves only when a test
 * calls `advance`, a wall clock that can jump on its own, and timers that
 * fire in due order as time passes. Counts pending timers (rule 13).
 */
export class FakeClock implements LroClock {
  private t = 0;
  private wallOffset = Date.UTC(2026, 0, 1);
  private nextId = 1;
  private readonly timers = new Map<number, FakeTimer>();
  /** Every delay ever passed to setTimer (for checks of single-timer use). */
  readonly armed: number[] = [];

  now(): number {
    return this.t;
  }

  wallNow(): number {
    return this.wallOffset + this.t;
  }

  setTimer(callback: () => void, ms: number): unknown {
    const id = this.nextId++;
    this.armed.push(ms);
    this.timers.set(id, { id, due: this.t + Math.max(0, ms), callback });
    return id;
  }

  clearTimer(handle: unknown): void {
    this.timers.delete(handle as number);
  }

  /** Timers armed and not yet fired or cleared. */
  get pending(): number {
    return this.timers.size;
  }

  /** Moves the wall clock (as an NTP step would); the monotonic clock does not move. */
  jumpWall(ms: number): void {
    this.wallOffset += ms;
  }

  /** Advances time by `ms`, firing due timers in order and letting promises settle between them. */
  async advance(ms: number): Promise<void> {
    const end = this.t + ms;
    await flush();
    for (;;) {
      let next: FakeTimer | undefined;
      for (const timer of this.timers.values()) {
        if (timer.due <= end && (next === undefined || timer.due < next.due || (timer.due === next.due && timer.id < next.id)))
          next = timer;
      }
      if (next === undefined) break;
      this.timers.delete(next.id);
      if (next.due > this.t) this.t = next.due;
      next.callback();
      await flush();
    }
    this.t = end;
    await flush();
  }

  /** Advances until `promise` settles (at most `limit` ms), then returns its outcome. */
  async run<T>(
    promise: Promise<T>,
    limit = 48 * 3600_000,
    step?: number,
  ): Promise<{ ok: true; value: T; at: number } | { ok: false; error: unknown; at: number }> {
    let outcome: { ok: true; value: T; at: number } | { ok: false; error: unknown; at: number } | undefined;
    promise.then(
      (value) => {
        outcome = { ok: true, value, at: this.t };
      },
      (error: unknown) => {
        outcome = { ok: false, error, at: this.t };
      },
    );
    await flush();
    const end = this.t + limit;
    while (outcome === undefined && this.t < end) {
      const next = this.nextDue();
      const target = step !== undefined ? Math.min(this.t + step, end) : next === undefined ? end : Math.min(next, end);
      await this.advance(Math.max(0, target - this.t));
    }
    if (outcome === undefined) throw new Error(`promise did not settle within ${limit} ms of fake time`);
    return outcome;
  }

  /** The due time of the earliest pending timer. */
  nextDue(): number | undefined {
    let due: number | undefined;
    for (const timer of this.timers.values()) if (due === undefined || timer.due < due) due = timer.due;
    return due;
  }
}
