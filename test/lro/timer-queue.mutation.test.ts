/**
 * The poller's timer queue on a fake clock, pinned by value: what fires
 * when, in which order (due time, then deadlines before polls, then
 * insertion order), how many timers are armed and for how long, and that
 * moving or cancelling an entry leaves the rest in order. Each check looks at
 * the firing log, so a broken heap shows as a wrong order, not as a hang.
 */
import assert from 'node:assert/strict';
import type { LroClock } from 'vision-kit';
import { type TimedEntry, TimerQueue } from '../../src/lro/timer-queue.js';
import { FakeClock } from './support/fake-clock.js';

interface Named extends TimedEntry {
  readonly name: string;
}

function setup(): { clock: FakeClock; queue: TimerQueue; log: string[]; entry: (name: string, rank?: number, then?: () => void) => Named } {
  const clock = new FakeClock();
  const queue = new TimerQueue(clock);
  const log: string[] = [];
  const entry = (name: string, rank = 1, then?: () => void): Named => ({
    name,
    due: 0,
    heapIndex: -1,
    seq: 0,
    rank,
    onDue() {
      log.push(`${name}@${clock.now()}`);
      then?.();
    },
  });
  return { clock, queue, log, entry };
}

/** A clock whose timers fire only when the test says so, one per `step`. */
class StepClock implements LroClock {
  private t = 0;
  private nextId = 1;
  readonly timers = new Map<number, { at: number; callback: () => void }>();
  now(): number {
    return this.t;
  }
  wallNow(): number {
    return this.t;
  }
  setTimer(callback: () => void, ms: number): unknown {
    const id = this.nextId++;
    this.timers.set(id, { at: this.t + ms, callback });
    return id;
  }
  clearTimer(handle: unknown): void {
    this.timers.delete(handle as number);
  }
  /** The due times of the armed timers. */
  get armedAt(): number[] {
    return [...this.timers.values()].map((timer) => timer.at);
  }
  /** Moves to the earliest timer and fires it (that one only). */
  step(): void {
    const [id, timer] = [...this.timers.entries()].sort(([, a], [, b]) => a.at - b.at)[0]!;
    this.timers.delete(id);
    this.t = Math.max(this.t, timer.at);
    timer.callback();
  }
}

function stepSetup(): { clock: StepClock; queue: TimerQueue; log: string[]; entry: (name: string, rank?: number) => Named } {
  const clock = new StepClock();
  const queue = new TimerQueue(clock);
  const log: string[] = [];
  const entry = (name: string, rank = 1): Named => ({
    name,
    due: 0,
    heapIndex: -1,
    seq: 0,
    rank,
    onDue() {
      log.push(`${name}@${clock.now()}`);
    },
  });
  return { clock, queue, log, entry };
}

// These run first: a heap or firing loop broken in a way that would spin
// forever is caught here by a value, one timer at a time.
describe('lro timer queue: one timer at a time', () => {
  it('keeps its size and positions through schedules and cancellations, and arms for the earliest', () => {
    const { clock, queue, entry } = stepSetup();
    const a = entry('a');
    const b = entry('b');
    const c = entry('c');
    queue.schedule(a, 30);
    queue.schedule(b, 10);
    queue.schedule(c, 20);
    assert.deepEqual(clock.armedAt, [10]);
    assert.deepEqual([a, b, c].map((e) => e.heapIndex).sort(), [0, 1, 2]);
    assert.equal(b.heapIndex, 0, 'the earliest is on top');
    queue.cancel(b);
    assert.deepEqual([queue.size, b.heapIndex], [2, -1]);
    assert.deepEqual([a.heapIndex, c.heapIndex].sort(), [0, 1]);
    assert.equal(c.heapIndex, 0);
    queue.cancel(a);
    assert.deepEqual([queue.size, a.heapIndex, c.heapIndex], [1, -1, 0]);
    queue.cancel(c);
    assert.deepEqual([queue.size, c.heapIndex, clock.armedAt.length], [0, -1, 0]);
  });

  it('runs a due entry once when its timer fires, and arms no timer after the last', () => {
    const { clock, queue, log, entry } = stepSetup();
    queue.schedule(entry('e'), 10);
    clock.step();
    assert.deepEqual(log, ['e@10']);
    assert.deepEqual([queue.size, clock.armedAt.length, queue.armed], [0, 0, false]);
  });

  it('runs what is due at each firing and no more, re-arming for the next (also after an early firing)', () => {
    const { clock, queue, log, entry } = stepSetup();
    const b = entry('b');
    queue.schedule(entry('a'), 30);
    queue.schedule(b, 10);
    queue.schedule(entry('c'), 20);
    queue.schedule(entry('d'), 40);
    queue.cancel(b);
    // The timer armed for b stays; firing early runs nothing and re-arms.
    assert.deepEqual(clock.armedAt, [10]);
    clock.step();
    assert.deepEqual([log, clock.armedAt], [[], [20]]);
    clock.step();
    assert.deepEqual(log, ['c@20']);
    assert.deepEqual(clock.armedAt, [30]);
    clock.step();
    assert.deepEqual(log, ['c@20', 'a@30']);
    clock.step();
    assert.deepEqual(log, ['c@20', 'a@30', 'd@40']);
  });

  it('puts a deadline queued after a poll for the same instant first', () => {
    const { clock, queue, log, entry } = stepSetup();
    queue.schedule(entry('poll', 1), 50);
    queue.schedule(entry('deadline', 0), 50);
    clock.step();
    assert.deepEqual(log, ['deadline@50', 'poll@50']);
  });
});

describe('lro timer queue: order, timers and moves, by value', () => {
  it('fires entries in due order with one timer armed at a time, for the earliest due time', async () => {
    const { clock, queue, log, entry } = setup();
    queue.schedule(entry('a'), 300);
    queue.schedule(entry('b'), 100);
    queue.schedule(entry('c'), 200);
    queue.schedule(entry('d'), 400);
    assert.deepEqual(clock.armed, [300, 100], 'a later entry does not re-arm; an earlier one does');
    assert.equal(clock.pending, 1);
    assert.equal(queue.size, 4);
    assert.equal(queue.armed, true);
    await clock.advance(250);
    assert.deepEqual(log, ['b@100', 'c@200']);
    assert.deepEqual(clock.armed, [300, 100, 100, 100], 'each firing arms the next due time only');
    await clock.advance(1000);
    assert.deepEqual(log, ['b@100', 'c@200', 'a@300', 'd@400']);
    assert.equal(queue.size, 0);
    assert.equal(queue.armed, false);
    assert.equal(clock.pending, 0);
  });

  it('at the same instant runs deadlines (rank 0) before polls (rank 1), then in the order they were queued', async () => {
    const { clock, queue, log, entry } = setup();
    queue.schedule(entry('poll1', 1), 50);
    queue.schedule(entry('poll2', 1), 50);
    queue.schedule(entry('deadline1', 0), 50);
    queue.schedule(entry('poll3', 1), 50);
    queue.schedule(entry('deadline2', 0), 50);
    queue.schedule(entry('early', 1), 40);
    await clock.advance(100);
    assert.deepEqual(log, ['early@40', 'deadline1@50', 'deadline2@50', 'poll1@50', 'poll2@50', 'poll3@50']);
  });

  it('counts an entry due within a millisecond of the timer as due (real timers fire a little early)', async () => {
    const { clock, queue, log, entry } = setup();
    queue.schedule(entry('a'), 10);
    queue.schedule(entry('b'), 11);
    queue.schedule(entry('c'), 12);
    await clock.advance(10);
    assert.deepEqual(log, ['a@10', 'b@10']);
    await clock.advance(5);
    assert.deepEqual(log, ['a@10', 'b@10', 'c@12']);
  });

  it('moves an entry that is scheduled again, and forgets a cancelled one', async () => {
    const { clock, queue, log, entry } = setup();
    const a = entry('a');
    const b = entry('b');
    const c = entry('c');
    queue.schedule(a, 100);
    queue.schedule(b, 200);
    queue.schedule(c, 300);
    queue.schedule(a, 250);
    assert.equal(queue.size, 3);
    queue.cancel(b);
    assert.equal(b.heapIndex, -1);
    queue.cancel(b);
    assert.equal(queue.size, 2);
    await clock.advance(1000);
    assert.deepEqual(log, ['a@250', 'c@300']);
    assert.equal(a.heapIndex, -1);
  });

  it('disarms its timer when the last entry is cancelled, and re-arms for an earlier one', () => {
    const { clock, queue, entry } = setup();
    const a = entry('a');
    const b = entry('b');
    queue.schedule(a, 100);
    queue.schedule(b, 200);
    queue.cancel(a);
    assert.equal(queue.armed, true, 'b is still queued');
    queue.cancel(b);
    assert.equal(queue.armed, false);
    assert.equal(clock.pending, 0);
    queue.schedule(a, 500);
    queue.schedule(b, 50);
    assert.deepEqual(clock.armed, [100, 500, 50]);
    assert.equal(clock.pending, 1);
  });

  it('runs an entry queued by another one in the same firing when it is already due, later ones later', async () => {
    const { clock, queue, log, entry } = setup();
    const now = entry('now');
    const later = entry('later');
    queue.schedule(
      entry('first', 1, () => {
        queue.schedule(now, clock.now());
        queue.schedule(later, clock.now() + 40);
      }),
      20,
    );
    await clock.advance(100);
    assert.deepEqual(log, ['first@20', 'now@20', 'later@60']);
  });

  it('keeps the order of many entries through moves and cancellations (against a sorted list)', async () => {
    const { clock, queue, log, entry } = setup();
    let seed = 12345;
    const random = (n: number): number => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed % n;
    };
    const entries = Array.from({ length: 60 }, (_, i) => entry(`e${i}`, random(2)));
    const model = new Map<Named, { due: number; seq: number }>();
    let seq = 0;
    for (let step = 0; step < 400; step++) {
      const e = entries[random(entries.length)]!;
      if (random(5) === 0) {
        queue.cancel(e);
        model.delete(e);
      } else {
        const due = 1 + random(40) * 5;
        queue.schedule(e, due);
        model.set(e, { due, seq: seq++ });
      }
      assert.equal(queue.size, model.size);
    }
    const expected = [...model.entries()]
      .sort(([a, x], [b, y]) => x.due - y.due || a.rank - b.rank || x.seq - y.seq)
      .map(([e, { due }]) => `${e.name}@${due}`);
    await clock.advance(1000);
    assert.deepEqual(log, expected);
    assert.equal(queue.size, 0);
  });
});
