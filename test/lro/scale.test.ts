import assert from 'node:assert/strict';
import { A } from './support/fake-operations.js';
import { imagesResponse, opMetadata } from './support/messages.js';
import { D, rig, started } from './support/setup.js';

describe('lro scale (rule 21)', () => {
  it('1,000 operations started together never exceed the cap and spread their polls out', async () => {
    let seed = 42;
    const random = (): number => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed / 2 ** 31;
    };
    const { clock, ops, poller } = rig({ maxInFlight: 8, random, schedule: { jitter: 0.3 } });
    const waits: Promise<unknown>[] = [];
    for (let i = 0; i < 1000; i++) {
      const name = `operations/s${i}`;
      ops.script(name, A.pending(opMetadata(2), 20), A.pending(opMetadata(2), 20), A.done(imagesResponse('gs://s/'), opMetadata(3)));
      waits.push(poller.fromOperation(D.images, started(name)).wait());
    }
    const r = await clock.run(Promise.all(waits));
    assert.ok(r.ok);
    assert.equal(ops.calls.length, 3000);
    assert.ok(poller.stats().peakInFlight <= 8, `peak ${poller.stats().peakInFlight}`);
    assert.equal(poller.stats().peakInFlight, 8, 'the cap was reached (so it is what held them back)');
    // Never more than the cap overlapping, checked from the calls themselves.
    const events = ops.calls.flatMap((c) => [
      [c.at, 1],
      [c.settledAt as number, -1],
    ]);
    events.sort((a, b) => (a[0] as number) - (b[0] as number) || (a[1] as number) - (b[1] as number));
    let open = 0;
    for (const [, d] of events) {
      open += d as number;
      assert.ok(open <= 8);
    }
    // Spread: the first polls were due between 350 and 500 ms (jitter 0.3).
    const firsts = new Map<string, number>();
    for (const c of ops.calls) if (!firsts.has(c.name)) firsts.set(c.name, c.at);
    const starts = [...firsts.values()];
    assert.ok(Math.min(...starts) >= 350);
    const byInstant = new Map<number, number>();
    for (const t of starts) byInstant.set(t, (byInstant.get(t) ?? 0) + 1);
    assert.ok(Math.max(...byInstant.values()) <= 8, 'no more than the cap start at one instant');
    assert.equal(poller.stats().queued, 0);
    assert.equal(clock.pending, 0);
  });

  it('due polls wait their turn first in, first out', async () => {
    const { clock, ops, poller } = rig({ maxInFlight: 1 });
    const names = ['operations/q0', 'operations/q1', 'operations/q2', 'operations/q3'];
    for (const n of names) ops.script(n, A.pending(undefined, 10), A.done(imagesResponse('gs://q/')));
    const waits = names.map((n) => poller.resume(D.images, n).wait());
    await clock.run(Promise.all(waits));
    assert.deepEqual(
      ops.calls.slice(0, 4).map((c) => c.name),
      names,
    );
    assert.deepEqual(
      ops.calls.slice(0, 4).map((c) => c.at),
      [0, 10, 20, 30],
    );
    assert.equal(poller.stats().peakInFlight, 1);
  });

  it('keeps only the latest snapshot per operation', async () => {
    const { clock, ops, poller } = rig();
    ops.script('operations/latest', A.pending(opMetadata(1)), A.pending(opMetadata(2)), A.pending(opMetadata(2, 3)));
    const lro = poller.resume(D.images, 'operations/latest');
    const wait = lro.wait({ timeout: 2000 }).catch(() => undefined);
    await clock.run(wait);
    assert.equal(ops.calls.length, 3);
    assert.deepEqual(lro.snapshot?.metadata, opMetadata(2, 3));
    assert.equal(lro.metadata?.updateTime?.seconds, '1700000003');
  });
});
