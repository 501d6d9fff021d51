import assert from 'node:assert/strict';
import { getEventListeners } from 'node:events';
import { Code, LroAbortedError, LroPollError, LroTimeoutError } from 'vision-kit';
import { A } from './support/fake-operations.js';
import { any, imagesResponse, opMetadata } from './support/messages.js';
import { D, rig, started } from './support/setup.js';

describe('lro deadlines and aborts', () => {
  describe('rule 4: one deadline per wait', () => {
    it('wait({timeout}) rejects at the deadline; no poll starts at or after it', async () => {
      const { clock, ops, poller } = rig();
      ops.script('operations/t', A.pending());
      const lro = poller.fromOperation(D.images, started('operations/t'));
      const r = await clock.run(lro.wait({ timeout: 10_000 }));
      assert.ok(!r.ok && r.error instanceof LroTimeoutError);
      assert.equal(r.at, 10_000);
      const times = ops.of('GetOperation').map((c) => c.at);
      assert.ok(
        times.every((t) => t < 10_000),
        String(times),
      );
      assert.deepEqual(times, [500, 1250, 2375, 4062.5, 6593.75]);
      assert.equal(clock.pending, 0);
    });

    it("without a timeout the handle's deadline applies: start + the method's total (300 s for images)", async () => {
      const { clock, ops, poller } = rig();
      ops.script('operations/t2', A.pending());
      const lro = poller.fromOperation(D.images, started('operations/t2'));
      await clock.advance(100_000);
      const r = await clock.run(lro.wait());
      assert.ok(!r.ok && r.error instanceof LroTimeoutError);
      assert.equal(r.at, 300_000);
      assert.equal(r.error.timeoutMs, 300_000);
    });

    it('an explicit deadline given at start replaces the default', async () => {
      const { clock, ops, poller } = rig();
      ops.script('operations/t3', A.pending());
      const lro = poller.fromOperation(D.images, started('operations/t3'), { deadline: clock.wallNow() + 42_000 });
      const r = await clock.run(lro.wait());
      assert.ok(!r.ok && r.error instanceof LroTimeoutError);
      assert.equal(r.at, 42_000);
    });

    it('an in-flight poll is aborted at the deadline', async () => {
      const { clock, ops, poller } = rig();
      ops.ignoreTimeouts = true;
      ops.script('operations/slow', A.pending(undefined, 50_000));
      const lro = poller.resume(D.images, 'operations/slow', { schedule: { pollTimeout: 60_000 } });
      const r = await clock.run(lro.wait({ timeout: 3000 }));
      assert.ok(!r.ok && r.error instanceof LroTimeoutError);
      assert.equal(r.at, 3000);
      const [call] = ops.calls;
      assert.equal(call?.aborted, true);
      assert.equal(call?.settledAt, 3000);
      assert.equal(poller.stats().timerArmed, false);
      assert.equal(poller.stats().inFlight, 0);
    });

    it('is measured on the monotonic clock: a wall-clock jump changes nothing', async () => {
      const { clock, ops, poller } = rig();
      ops.script('operations/mono', A.pending());
      const lro = poller.resume(D.images, 'operations/mono');
      const wait = lro.wait({ timeout: 20_000 });
      await clock.advance(1000);
      clock.jumpWall(3_600_000);
      const r = await clock.run(wait);
      assert.ok(!r.ok && r.error instanceof LroTimeoutError);
      assert.equal(r.at, 20_000);
    });
  });

  describe('rule 5: a timeout is local', () => {
    it('sends no CancelOperation, carries name, last snapshot and handle; the same handle waits again', async () => {
      const { clock, ops, poller } = rig();
      ops.script('operations/again', A.pending(opMetadata(2)));
      const lro = poller.fromOperation(D.images, started('operations/again'));
      const r = await clock.run(lro.wait({ timeout: 5000 }));
      assert.ok(!r.ok && r.error instanceof LroTimeoutError);
      const e = r.error;
      assert.equal(e.code, Code.DEADLINE_EXCEEDED);
      assert.equal(e.operationName, 'operations/again');
      assert.equal(e.snapshot?.name, 'operations/again');
      assert.deepEqual(e.snapshot?.metadata, opMetadata(2));
      assert.deepEqual(e.handle, lro.toJSON());
      assert.match(e.message, /goes on on the server/);
      assert.equal(ops.of('CancelOperation').length, 0);

      ops.script('operations/again', A.pending(opMetadata(2)), A.done(imagesResponse('gs://later/')));
      const again = await clock.run(lro.wait({ timeout: 60_000 }));
      assert.ok(again.ok);
      assert.equal(again.value?.outputConfig?.gcsDestination?.uri, 'gs://later/');
    });
  });

  describe('rule 6: per-poll timeout', () => {
    it('each GetOperation gets min(per-poll limit, time left)', async () => {
      const { clock, ops, poller } = rig();
      ops.script('operations/pt', A.pending());
      const lro = poller.resume(D.images, 'operations/pt', { schedule: { pollTimeout: 4000 } });
      await clock.run(lro.wait({ timeout: 10_000 }).catch(() => undefined));
      const got = ops.of('GetOperation').map((c) => [c.at, c.timeout]);
      assert.deepEqual(
        got,
        got.map(([at]) => [at, Math.min(4000, 10_000 - (at as number))]),
      );
      assert.ok(
        got.some(([, t]) => (t as number) < 4000),
        'the last polls are cut to the time left',
      );
    });

    it('running out of per-poll time is a retryable poll error', async () => {
      const { clock, ops, poller } = rig();
      ops.script('operations/hang', A.hang(), A.hang(), A.done(imagesResponse('gs://h/')));
      const lro = poller.resume(D.images, 'operations/hang', { schedule: { pollTimeout: 2000 } });
      const r = await clock.run(lro.wait());
      assert.ok(r.ok);
      const calls = ops.of('GetOperation');
      assert.equal(calls.length, 3);
      assert.deepEqual(
        calls.map((c) => c.settledAt),
        [2000, 2000 + 500 + 2000, 2000 + 500 + 2000 + 750],
      );
    });
  });

  describe('rule 12: AbortSignal', () => {
    it('an already aborted signal rejects before any call', async () => {
      const { ops, poller } = rig();
      ops.script('operations/x', A.pending());
      const lro = poller.resume(D.images, 'operations/x');
      await assert.rejects(
        lro.wait({ signal: AbortSignal.abort('no thanks') }),
        (e) => e instanceof LroAbortedError && e.code === Code.CANCELLED && /no thanks/.test(e.message),
      );
      assert.equal(ops.calls.length, 0);
    });

    it('an abort during a sleep clears the timer, rejects at once and sends nothing more', async () => {
      const { clock, ops, poller } = rig();
      ops.script('operations/s', A.pending());
      const lro = poller.fromOperation(D.images, started('operations/s'));
      const ac = new AbortController();
      const wait = lro.wait({ signal: ac.signal });
      await clock.advance(600);
      assert.equal(ops.calls.length, 1);
      assert.ok(clock.pending > 0);
      ac.abort();
      await assert.rejects(wait, LroAbortedError);
      assert.equal(clock.pending, 0);
      await clock.advance(600_000);
      assert.equal(ops.calls.length, 1);
      assert.equal(ops.of('CancelOperation').length, 0, 'aborting never cancels the server operation');
    });

    it('an abort during a call cancels the call and ignores its late answer', async () => {
      const { clock, ops, poller } = rig();
      ops.ignoreAbort = true;
      ops.script('operations/late', A.pending(opMetadata(1)), A.pending(opMetadata(2), 1000));
      const lro = poller.resume(D.images, 'operations/late');
      const ac = new AbortController();
      const wait = lro.wait({ signal: ac.signal });
      await clock.advance(700);
      assert.equal(ops.calls.length, 2);
      ac.abort();
      await assert.rejects(wait, LroAbortedError);
      assert.equal(ops.calls[1]?.aborted, true);
      await clock.advance(5000);
      assert.equal(lro.metadata?.state, 1, 'the late answer (state 2) was ignored');
      assert.equal(ops.of('CancelOperation').length, 0);
      assert.equal(poller.stats().inFlight, 0);
    });

    it("one waiter's abort does not affect another's", async () => {
      const { clock, ops, poller } = rig();
      ops.script('operations/two', A.pending(), A.pending(), A.pending(), A.done(imagesResponse('gs://two/')));
      const lro = poller.resume(D.images, 'operations/two');
      const ac = new AbortController();
      const a = lro.wait({ signal: ac.signal });
      const b = lro.wait();
      await clock.advance(100);
      ac.abort();
      await assert.rejects(a, LroAbortedError);
      const r = await clock.run(b);
      assert.ok(r.ok);
      assert.equal(ops.calls.length, 4);
    });
  });

  describe('rule 13: no leaks', () => {
    it('after settle or abort: zero timers, zero abort listeners', async () => {
      const { clock, ops, poller } = rig();
      ops.script('operations/l1', A.pending(), A.done(imagesResponse('gs://l/')));
      ops.script('operations/l2', A.pending());
      const ac = new AbortController();
      const one = poller.resume(D.images, 'operations/l1');
      const two = poller.resume(D.images, 'operations/l2');
      const w1 = one.wait({ signal: ac.signal, timeout: 60_000 });
      const w2 = two.wait({ signal: ac.signal, timeout: 60_000 });
      assert.equal(getEventListeners(ac.signal, 'abort').length, 1, 'one listener for both waits');
      const r1 = await clock.run(w1);
      assert.ok(r1.ok);
      assert.equal(getEventListeners(ac.signal, 'abort').length, 1, 'still needed by the other wait');
      ac.abort();
      await assert.rejects(w2, LroAbortedError);
      assert.equal(getEventListeners(ac.signal, 'abort').length, 0);
      assert.equal(clock.pending, 0);
      assert.deepEqual(poller.stats(), { inFlight: 0, peakInFlight: 2, queued: 0, scheduled: 0, timerArmed: false, signals: 0 });
    });

    it('1,000 waits sharing one signal raise no warning and leave nothing behind', async () => {
      const { clock, ops, poller } = rig({ maxInFlight: 50 });
      const warnings: Error[] = [];
      const onWarning = (w: Error): void => {
        warnings.push(w);
      };
      process.on('warning', onWarning);
      try {
        const ac = new AbortController();
        const waits: Promise<unknown>[] = [];
        for (let i = 0; i < 1000; i++) {
          const name = `operations/many${i}`;
          ops.script(name, A.pending(), i % 2 === 0 ? A.done(imagesResponse('gs://m/')) : A.pending());
          waits.push(
            poller
              .resume(D.images, name)
              .wait({ signal: ac.signal })
              .catch((e: unknown) => e),
          );
        }
        assert.equal(getEventListeners(ac.signal, 'abort').length, 1);
        await clock.advance(2000);
        ac.abort();
        const results = await Promise.all(waits);
        assert.equal(results.filter((x) => x instanceof LroAbortedError).length, 500);
        await new Promise((resolve) => setImmediate(resolve));
        assert.deepEqual(warnings, []);
        assert.equal(getEventListeners(ac.signal, 'abort').length, 0);
        assert.equal(clock.pending, 0);
        assert.equal(poller.stats().scheduled, 0);
        assert.equal(poller.stats().signals, 0);
      } finally {
        process.off('warning', onWarning);
      }
    });
  });

  describe('rule 16: RetryInfo sets a minimum for the next sleep', () => {
    const retryInfo = (seconds: number) => ({
      details: [{ type: 'google.rpc.RetryInfo', value: { retryDelay: { seconds: String(seconds), nanos: 0 } } }],
    });

    it('the next poll waits at least the delay the server asked for', async () => {
      const { clock, ops, poller } = rig();
      ops.script('operations/ri', A.fail(Code.UNAVAILABLE, 'busy', retryInfo(7)), A.done(imagesResponse('gs://ri/')));
      const r = await clock.run(poller.resume(D.images, 'operations/ri').wait());
      assert.ok(r.ok);
      assert.deepEqual(
        ops.calls.map((c) => c.at),
        [0, 7000],
      );
    });

    it('a delay past the deadline rejects now with a timeout', async () => {
      const { clock, ops, poller } = rig();
      ops.script('operations/ri2', A.pending(), A.fail(Code.RESOURCE_EXHAUSTED, 'slow down', retryInfo(120)));
      const r = await clock.run(poller.resume(D.images, 'operations/ri2').wait({ timeout: 30_000 }));
      assert.ok(!r.ok && r.error instanceof LroTimeoutError);
      assert.equal(r.at, 500, 'rejected when the answer came, not at the deadline');
      assert.ok(r.error.cause instanceof LroPollError);
      assert.match(r.error.message, /retry after 120000 ms/);
      assert.equal(clock.pending, 0);
    });
  });

  it('the error of a timed-out wait lets a second process resume (handle is plain data)', async () => {
    const { clock, ops, poller } = rig();
    ops.script('operations/h', A.pending(any('google.cloud.vision.v1p4beta1.OperationMetadata', { state: 2 })));
    const r = await clock.run(poller.fromOperation(D.images, started('operations/h')).wait({ timeout: 1000 }));
    assert.ok(!r.ok && r.error instanceof LroTimeoutError);
    const saved = JSON.parse(JSON.stringify(r.error.handle));
    const other = rig();
    other.ops.script('operations/h', A.done(imagesResponse('gs://resumed/')));
    const resumed = other.poller.resume(D.images, saved);
    const again = await other.clock.run(resumed.wait());
    assert.ok(again.ok);
    assert.equal(again.value?.outputConfig?.gcsDestination?.uri, 'gs://resumed/');
  });
});
