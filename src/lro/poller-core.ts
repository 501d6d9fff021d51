import { SignalHub } from '../core/signal-hub.js';
import type { AnyUnpacker } from './any-unpacker.js';
import type { LroClock } from './clock.js';
import type { OperationsTransport } from './operations-transport.js';
import type { PollScheduleOverrides } from './schedule.js';
import { TimerQueue } from './timer-queue.js';

/** An operation whose poll can wait its turn in the FIFO of a {@link PollerCore}. */
export interface QueuedPoll {
  /** True while it waits in the FIFO (cleared when started or withdrawn). */
  queued: boolean;
  /** Starts the poll now (it is withdrawn from the FIFO and the timer queue when nobody waits any more). */
  startPoll(): void;
}

/**
 * What every handle of one poller shares: the transport, clock and
 * randomness, one timer queue (one armed timer at most), one abort hub, and
 * the cap on GetOperation calls in flight with its FIFO of due polls.
 */
export class PollerCore {
  /** One timer for every due poll and deadline. */
  readonly queue: TimerQueue;
  /** One abort listener per signal. */
  readonly hub = new SignalHub();
  /** Calls in flight now. */
  active = 0;
  /** The most calls in flight at once so far. */
  peak = 0;
  #fifo: (QueuedPoll | undefined)[] = [];
  #head = 0;

  constructor(
    readonly transport: OperationsTransport,
    readonly clock: LroClock,
    readonly random: () => number,
    readonly unpack: AnyUnpacker,
    readonly maxInFlight: number,
    readonly schedule: PollScheduleOverrides | undefined,
  ) {
    this.queue = new TimerQueue(clock);
  }

  /** Polls waiting for a free slot (withdrawn ones included until skipped). */
  get queued(): number {
    return this.#fifo.length - this.#head;
  }

  /** A poll is due: start it if a slot is free, else queue it (first in, first out). */
  requestPoll(poll: QueuedPoll): void {
    if (this.active < this.maxInFlight) {
      poll.startPoll();
      return;
    }
    if (poll.queued) return;
    poll.queued = true;
    this.#fifo.push(poll);
  }

  /** Counts a call that starts. */
  callStarted(): void {
    this.active++;
    if (this.active > this.peak) this.peak = this.active;
  }

  /** Counts a call that settled and starts queued polls while slots are free. */
  callEnded(): void {
    this.active--;
    while (this.active < this.maxInFlight && this.#head < this.#fifo.length) {
      const next = this.#fifo[this.#head];
      this.#fifo[this.#head] = undefined;
      this.#head++;
      if (next?.queued) next.startPoll();
    }
    if (this.#head === this.#fifo.length) {
      this.#fifo = [];
      this.#head = 0;
    } else if (this.#head > 1024 && this.#head * 2 > this.#fifo.length) {
      this.#fifo = this.#fifo.slice(this.#head);
      this.#head = 0;
    }
  }
}
