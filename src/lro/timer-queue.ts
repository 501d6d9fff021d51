import type { LroClock } from './clock.js';

/**
 * Something with a due time in a {@link TimerQueue}. The queue owns
 * `due`, `rank`-ordering and `heapIndex`; `onDue` runs once when the time
 * comes (unless the entry was cancelled or rescheduled first).
 */
export interface TimedEntry {
  /** Monotonic due time (ms); set by the queue. */
  due: number;
  /** Position in the heap, or -1 when not queued; set by the queue. */
  heapIndex: number;
  /** Insertion order among equal due times; set by the queue. */
  seq: number;
  /** Among equal due times, lower ranks run first (deadlines before polls). */
  readonly rank: number;
  /** Called when the entry is due. */
  onDue(): void;
}

/**
 * A binary min-heap of due times driven by one timer: however many
 * operations and deadlines are pending, at most one timer is armed, and none
 * when the heap is empty.
 */
export class TimerQueue {
  readonly #heap: TimedEntry[] = [];
  #timer: unknown = undefined;
  #armedFor = Infinity;
  #nextSeq = 0;

  readonly #clock: LroClock;
  /** @param clock the clock whose timers and time the queue uses. */
  constructor(clock: LroClock) {
    this.#clock = clock;
  }

  /** Number of queued entries. */
  get size(): number {
    return this.#heap.length;
  }

  /** True while a timer is armed. */
  get armed(): boolean {
    return this.#timer !== undefined;
  }

  /** Queues `entry` for `due` (monotonic ms), moving it if it is already queued. */
  schedule(entry: TimedEntry, due: number): void {
    if (entry.heapIndex >= 0) this.#removeAt(entry.heapIndex);
    entry.due = due;
    entry.seq = this.#nextSeq++;
    entry.heapIndex = this.#heap.length;
    this.#heap.push(entry);
    this.#up(entry.heapIndex);
    this.#arm();
  }

  /** Removes `entry` if queued. Disarms the timer when nothing is left. */
  cancel(entry: TimedEntry): void {
    if (entry.heapIndex < 0) return;
    this.#removeAt(entry.heapIndex);
    if (this.#heap.length === 0) this.#disarm();
  }

  #arm(): void {
    const top = this.#heap[0];
    if (top === undefined) {
      this.#disarm();
      return;
    }
    if (this.#timer !== undefined && this.#armedFor <= top.due) return;
    this.#disarm();
    this.#armedFor = top.due;
    this.#timer = this.#clock.setTimer(() => this.#fire(), top.due - this.#clock.now());
  }

  #disarm(): void {
    if (this.#timer !== undefined) this.#clock.clearTimer(this.#timer);
    this.#timer = undefined;
    this.#armedFor = Infinity;
  }

  #fire(): void {
    this.#timer = undefined;
    this.#armedFor = Infinity;
    // Real timers may fire a fraction of a millisecond before the monotonic
    // clock reaches the due time; count that as due.
    const now = this.#clock.now() + 1;
    for (;;) {
      const top = this.#heap[0];
      if (top === undefined || top.due > now) break;
      this.#removeAt(0);
      top.onDue();
    }
    this.#arm();
  }

  #less(a: TimedEntry, b: TimedEntry): boolean {
    if (a.due !== b.due) return a.due < b.due;
    if (a.rank !== b.rank) return a.rank < b.rank;
    return a.seq < b.seq;
  }

  #removeAt(i: number): void {
    const heap = this.#heap;
    const gone = heap[i] as TimedEntry;
    const last = heap.pop() as TimedEntry;
    gone.heapIndex = -1;
    if (last !== gone) {
      heap[i] = last;
      last.heapIndex = i;
      this.#down(i);
      this.#up(last.heapIndex);
    }
  }

  #up(i: number): void {
    const heap = this.#heap;
    const item = heap[i] as TimedEntry;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      const p = heap[parent] as TimedEntry;
      if (!this.#less(item, p)) break;
      heap[i] = p;
      p.heapIndex = i;
      i = parent;
    }
    heap[i] = item;
    item.heapIndex = i;
  }

  #down(i: number): void {
    const heap = this.#heap;
    const n = heap.length;
    const item = heap[i] as TimedEntry;
    for (;;) {
      const l = 2 * i + 1;
      if (l >= n) break;
      const r = l + 1;
      const c = r < n && this.#less(heap[r] as TimedEntry, heap[l] as TimedEntry) ? r : l;
      const child = heap[c] as TimedEntry;
      if (!this.#less(child, item)) break;
      heap[i] = child;
      child.heapIndex = i;
      i = c;
    }
    heap[i] = item;
    item.heapIndex = i;
  }
}
