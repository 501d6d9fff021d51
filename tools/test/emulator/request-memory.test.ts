// The emulator's budget of request memory: first come, first served; a reservation that shrinks or is released lets
// the next in line in; a wait past its limit is RESOURCE_EXHAUSTED with a RetryInfo; a request larger than the whole
// budget is refused at once without one; an abort leaves the line; close refuses who waits; the counters follow.
import assert from 'node:assert/strict';
import { Code, VisionError } from 'vision-kit';
import { restStatusOf } from 'vision-kit/codec';
import type { BudgetReservation } from 'vision-kit/serving';
import { RequestMemoryBudget, requestMemoryStats } from '../../src/emulator/request-memory.js';

async function refusal(p: Promise<unknown>): Promise<VisionError> {
  try {
    await p;
  } catch (err) {
    assert.ok(err instanceof VisionError, String(err));
    return err;
  }
  assert.fail('expected a refusal');
}

describe('emulator: the budget of request memory', () => {
  it('grants in order, and lets the next in when room is made', async () => {
    const budget = new RequestMemoryBudget(requestMemoryStats(100), 10_000);
    const a = await budget.reserve(60);
    const order: string[] = [];
    const noted = (name: string) => (r: BudgetReservation) => {
      order.push(name);
      return r;
    };
    const b = budget.reserve(50).then(noted('b'));
    const c = budget.reserve(10).then(noted('c')); // fits, but waits behind b
    await new Promise((r) => setImmediate(r));
    assert.deepEqual(order, []);
    assert.equal(budget.stats.waitingRequests, 2);
    a.resize(40); // 40 + 50 fits: b, then c (40 + 50 + 10)
    const [rb, rc] = await Promise.all([b, c]);
    assert.deepEqual(order, ['b', 'c']);
    assert.deepEqual(budget.stats, {
      budgetBytes: 100,
      heldBytes: 100,
      peakHeldBytes: 100,
      heldRequests: 3,
      waitingRequests: 0,
      refusedRequests: 0,
    });
    for (const r of [a, rb, rc]) r.release();
    a.release(); // a second release does nothing
    assert.equal(budget.stats.heldBytes, 0);
    assert.equal(budget.stats.heldRequests, 0);
  });

  it('refuses after the wait with RESOURCE_EXHAUSTED and a RetryInfo, and at once (without one) what can never fit', async () => {
    const budget = new RequestMemoryBudget(requestMemoryStats(100), 50);
    const a = await budget.reserve(80);
    const t0 = performance.now();
    const waited = await refusal(budget.reserve(30));
    assert.ok(performance.now() - t0 >= 45);
    assert.equal(waited.code, Code.RESOURCE_EXHAUSTED);
    assert.equal(restStatusOf(waited), 429);
    assert.equal(waited.details[0]?.type, 'google.rpc.RetryInfo');
    assert.match(waited.rawMessage, /did not fit in its budget of 100 bytes within 50 ms \(--max-inflight-mib\)/);
    const never = await refusal(budget.reserve(101));
    assert.equal(never.code, Code.RESOURCE_EXHAUSTED);
    assert.deepEqual(never.details, []);
    assert.match(never.rawMessage, /101 bytes.*more than the 100 bytes/);
    assert.equal(budget.stats.refusedRequests, 2);
    a.release();
  });

  it('takes an aborted wait out of the line, and close refuses who waits', async () => {
    const budget = new RequestMemoryBudget(requestMemoryStats(100), 10_000);
    const a = await budget.reserve(100);
    const controller = new AbortController();
    const aborted = budget.reserve(10, controller.signal);
    const closed = budget.reserve(10);
    controller.abort(new VisionError(Code.CANCELLED, 'client left'));
    assert.equal((await refusal(aborted)).rawMessage, 'client left');
    assert.equal(budget.stats.waitingRequests, 1);
    budget.close();
    assert.equal((await refusal(closed)).code, Code.UNAVAILABLE);
    assert.equal((await refusal(budget.reserve(1))).code, Code.UNAVAILABLE);
    a.release();
    assert.equal(budget.stats.heldBytes, 0);
    assert.equal(budget.stats.waitingRequests, 0);
  });
});
