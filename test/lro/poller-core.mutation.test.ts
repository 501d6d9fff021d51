/**
 * The poller's shared core (src/lro/poller-core.ts), pinned by value: the
 * cap on calls in flight, the first-in-first-out order of due polls, the
 * counts the poller's stats read (in flight, peak, queued), and polls
 * withdrawn while they wait. Fast and in-process, over polls of the test's
 * own that start a call when told to.
 */
import assert from 'node:assert/strict';
import { registryUnpacker } from '../../src/lro/any-unpacker.js';
import { PollerCore, type QueuedPoll } from '../../src/lro/poller-core.js';
import { FakeClock } from './support/fake-clock.js';
import { FakeOperations } from './support/fake-operations.js';

function core(maxInFlight: number): PollerCore {
  const clock = new FakeClock();
  return new PollerCore(new FakeOperations(clock), clock, () => 0.5, registryUnpacker, maxInFlight, { jitter: 0 });
}

/** A poll that, when started, leaves the FIFO, counts a call and records its id. */
function poll(c: PollerCore, started: string[], id: string): QueuedPoll {
  const p: QueuedPoll = {
    queued: false,
    startPoll(): void {
      p.queued = false;
      c.callStarted();
      started.push(id);
    },
  };
  return p;
}

describe('poller core (mutation checks by value)', () => {
  it('keeps what it was made with, and starts with nothing counted', () => {
    const clock = new FakeClock();
    const ops = new FakeOperations(clock);
    const random = (): number => 0.25;
    const schedule = { jitter: 0.1 };
    const c = new PollerCore(ops, clock, random, registryUnpacker, 3, schedule);
    assert.equal(c.transport, ops);
    assert.equal(c.clock, clock);
    assert.equal(c.random, random);
    assert.equal(c.unpack, registryUnpacker);
    assert.equal(c.maxInFlight, 3);
    assert.equal(c.schedule, schedule);
    assert.deepEqual([c.active, c.peak, c.queued, c.queue.size, c.queue.armed, c.hub.size], [0, 0, 0, 0, false, 0]);
  });

  it('starts polls at once up to the cap, then queues them once each', () => {
    const c = core(2);
    const started: string[] = [];
    const [a, b, d, e] = ['a', 'b', 'd', 'e'].map((id) => poll(c, started, id)) as [QueuedPoll, QueuedPoll, QueuedPoll, QueuedPoll];
    c.requestPoll(a);
    c.requestPoll(b);
    assert.deepEqual(started, ['a', 'b']);
    assert.deepEqual([c.active, c.peak, c.queued], [2, 2, 0]);
    c.requestPoll(d);
    c.requestPoll(e);
    c.requestPoll(d);
    assert.deepEqual(started, ['a', 'b']);
    assert.equal(c.queued, 2);
    assert.equal(d.queued, true);
    assert.equal(e.queued, true);
  });

  it('starts queued polls first in, first out as calls end, as many as slots free up', () => {
    const c = core(1);
    const started: string[] = [];
    const polls = ['a', 'b', 'd', 'e'].map((id) => poll(c, started, id));
    for (const p of polls) c.requestPoll(p);
    assert.deepEqual(started, ['a']);
    assert.equal(c.queued, 3);
    c.callEnded();
    assert.deepEqual(started, ['a', 'b']);
    assert.deepEqual([c.active, c.peak, c.queued], [1, 1, 2]);
    c.callEnded();
    c.callEnded();
    assert.deepEqual(started, ['a', 'b', 'd', 'e']);
    assert.deepEqual([c.active, c.peak, c.queued], [1, 1, 0]);
    c.callEnded();
    assert.deepEqual([c.active, c.peak, c.queued], [0, 1, 0]);
  });

  it('skips withdrawn polls and fills every free slot at once', () => {
    const c = core(2);
    const started: string[] = [];
    const [a, b, d, e, f] = ['a', 'b', 'd', 'e', 'f'].map((id) => poll(c, started, id)) as QueuedPoll[] as [
      QueuedPoll,
      QueuedPoll,
      QueuedPoll,
      QueuedPoll,
      QueuedPoll,
    ];
    for (const p of [a, b, d, e, f]) c.requestPoll(p);
    d.queued = false; // withdrawn: nobody waits on it any more
    assert.equal(c.queued, 3, 'a withdrawn poll still counts until skipped');
    c.active = 0; // both calls ended together
    c.callEnded();
    // active went to -1 and back up through two starts: e and f, not d.
    assert.deepEqual(started, ['a', 'b', 'e', 'f']);
    assert.equal(c.active, 1);
    assert.equal(c.queued, 0);
    // A poll queued again after the FIFO emptied goes in and out again (the list has no stale tail).
    c.active = 2;
    c.requestPoll(d);
    assert.equal(c.queued, 1);
    c.callEnded();
    assert.deepEqual(started, ['a', 'b', 'e', 'f', 'd']);
    assert.equal(c.peak, 2);
  });

  it('keeps FIFO order across thousands of queued polls, with more queued while it drains', () => {
    const c = core(1);
    const started: string[] = [];
    const ids = Array.from({ length: 3000 }, (_, i) => `p${i}`);
    for (const id of ids) c.requestPoll(poll(c, started, id));
    assert.equal(c.queued, 2999);
    for (let i = 0; i < 1500; i++) c.callEnded();
    assert.equal(c.queued, 1499);
    for (const id of ['x', 'y']) c.requestPoll(poll(c, started, id));
    assert.equal(c.queued, 1501);
    for (let i = 0; i < 1501; i++) c.callEnded();
    assert.deepEqual(started, [...ids, 'x', 'y']);
    assert.deepEqual([c.active, c.peak, c.queued], [1, 1, 0]);
  });
});
