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

/** One entry of the FIFO. */
interface QueuedNode {
  readonly poll: QueuedPoll;
  next: QueuedNode | undefined;
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
  /** The FIFO of due polls, a singly linked list: first out at `#first`, last in at `#last`. */
  #first: QueuedNode | undefined;
  #last: QueuedNode | undefined;
  #size = 0;

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
    return this.#size;
  }

  /** A poll is due: start it if a slot is free, else queue it (first in, first out). */
  requestPoll(poll: QueuedPoll): void {
    if (this.active < this.maxInFlight) {
      poll.startPoll();
      return;
    }
    if (poll.queued) return;
    poll.queued = true;
    const node: QueuedNode = { poll, next: undefined };
    if (this.#last === undefined) this.#first = node;
    else this.#last.next = node;
    this.#last = node;
    this.#size++;
  }

  /** Counts a call that starts. */
  callStarted(): void {
    this.active++;
    if (this.active > this.peak) this.peak = this.active;
  }

  /** Counts a call that settled and starts queued polls while slots are free (withdrawn ones are dropped on the way). */
  callEnded(): void {
    this.active--;
    while (this.active < this.maxInFlight) {
      const node = this.#first;
      if (node === undefined) return;
      this.#first = node.next;
      if (this.#first === undefined) this.#last = undefined;
      this.#size--;
      if (node.poll.queued) node.poll.startPoll();
    }
  }
}
