import assert from 'node:assert/strict';
import { Code, LroOperationError, LroPollError, LroRequestError, VisionError } from 'vision-kit';
import { A } from './support/fake-operations.js';
import { imagesResponse, opMetadata } from './support/messages.js';
import { D, rig, started } from './support/setup.js';

describe('lro poll errors, cancel and delete', () => {
  describe('rule 14: transient poll errors are retried on the schedule', () => {
    const transient: [string, number, number | undefined][] = [
      ['UNAVAILABLE', Code.UNAVAILABLE, undefined],
      ['DEADLINE_EXCEEDED', Code.DEADLINE_EXCEEDED, undefined],
      ['RESOURCE_EXHAUSTED (HTTP 429)', Code.RESOURCE_EXHAUSTED, 429],
      ['INTERNAL (HTTP 500)', Code.INTERNAL, 500],
      ['a network error (UNKNOWN)', Code.UNKNOWN, undefined],
      ['HTTP 502 (UNAVAILABLE)', Code.UNAVAILABLE, 502],
    ];
    for (const [label, code, httpStatus] of transient) {
      it(`${label} is retried and the wait goes on`, async () => {
        const { clock, ops, poller } = rig();
        ops.script(
          'operations/tr',
          A.fail(code, 'flaky', { httpStatus }),
          A.fail(code, 'flaky', { httpStatus }),
          A.done(imagesResponse('gs://t/')),
        );
        const r = await clock.run(poller.resume(D.images, 'operations/tr').wait());
        assert.ok(r.ok, String(!r.ok && r.error));
        assert.deepEqual(
          ops.calls.map((c) => c.at),
          [0, 500, 1250],
          'on the schedule',
        );
      });
    }

    it('a bounded count of consecutive failures rejects with a poll error carrying the last cause', async () => {
      const { clock, ops, poller } = rig({ schedule: { maxConsecutiveFailures: 4 } });
      ops.script(
        'operations/down',
        A.pending(opMetadata(2)),
        A.fail(Code.UNAVAILABLE, 'one'),
        A.fail(Code.UNAVAILABLE, 'two'),
        A.fail(Code.UNAVAILABLE, 'three'),
        A.fail(Code.INTERNAL, 'four'),
      );
      const r = await clock.run(poller.resume(D.images, 'operations/down').wait());
      assert.ok(!r.ok && r.error instanceof LroPollError);
      const e = r.error;
      assert.equal(e.attempts, 4);
      assert.equal(e.permanent, false);
      assert.equal(e.code, Code.INTERNAL);
      assert.ok(e.cause instanceof VisionError && e.cause.rawMessage === 'four');
      assert.equal(e.target, 'fake GetOperation operations/down');
      assert.match(e.message, /failed 4 times in a row.*four/);
      assert.deepEqual(e.snapshot?.metadata, opMetadata(2), 'the last snapshot');
      assert.deepEqual(e.handle, {
        name: 'operations/down',
        method: D.images.method,
        startTime: new Date(Date.UTC(2026, 0, 1)).toISOString(),
        deadline: new Date(Date.UTC(2026, 0, 1) + 300_000).toISOString(),
      });
      assert.equal(ops.calls.length, 5);
    });

    it('a success resets the count', async () => {
      const { clock, ops, poller } = rig({ schedule: { maxConsecutiveFailures: 2 } });
      ops.script(
        'operations/reset',
        A.fail(Code.UNAVAILABLE),
        A.pending(),
        A.fail(Code.UNAVAILABLE),
        A.pending(),
        A.fail(Code.UNAVAILABLE),
        A.done(),
      );
      const r = await clock.run(poller.resume(D.images, 'operations/reset').wait());
      assert.ok(r.ok);
      assert.equal(ops.calls.length, 6);
    });
  });

  describe('rule 15: permanent poll errors reject at once', () => {
    for (const code of [Code.NOT_FOUND, Code.PERMISSION_DENIED, Code.UNAUTHENTICATED, Code.INVALID_ARGUMENT, Code.UNIMPLEMENTED]) {
      it(`code ${code} rejects after one call`, async () => {
        const { clock, ops, poller } = rig();
        ops.script('operations/perm', A.fail(code, 'nope', { httpStatus: code === Code.UNIMPLEMENTED ? 501 : undefined }));
        const r = await clock.run(poller.resume(D.images, 'operations/perm').wait());
        assert.ok(!r.ok && r.error instanceof LroPollError);
        assert.equal(r.error.code, code);
        assert.equal(r.error.permanent, true);
        assert.equal(r.at, 0);
        assert.equal(ops.calls.length, 1);
        assert.equal(clock.pending, 0);
      });
    }
  });

  describe('rule 17: cancel() and delete()', () => {
    it('cancel() sends CancelOperation once; the waits go on and see the cancellation', async () => {
      const { clock, ops, poller } = rig();
      ops.script('operations/cx', A.pending(opMetadata(2)));
      const lro = poller.fromOperation(D.files, started('operations/cx'));
      const wait = lro.wait();
      await clock.advance(25_000);
      await Promise.all([lro.cancel(), lro.cancel(), lro.cancel()]);
      assert.equal(ops.of('CancelOperation').length, 1);
      const r = await clock.run(wait);
      assert.ok(!r.ok && r.error instanceof LroOperationError && r.error.cancelled);
      assert.equal(r.at, 25_000, 'looked again at once after the cancel');
      await lro.cancel();
      assert.equal(ops.of('CancelOperation').length, 1, 'no call once done');
    });

    it('cancel() of an operation already done sends nothing', async () => {
      const { ops, poller } = rig();
      const lro = poller.fromOperation(D.images, {
        name: 'operations/dd',
        done: true,
        metadata: undefined,
        response: imagesResponse('gs://d/'),
        error: undefined,
      });
      await lro.cancel();
      assert.equal(ops.calls.length, 0);
    });

    it('UNIMPLEMENTED rejects cancel() only; pending waits go on', async () => {
      const { clock, ops, poller } = rig();
      ops.cancelError = new VisionError(Code.UNIMPLEMENTED, 'cancel is not supported', { httpStatus: 501 });
      ops.script('operations/nocancel', A.pending(), A.pending(), A.done(imagesResponse('gs://n/')));
      const lro = poller.resume(D.images, 'operations/nocancel');
      const wait = lro.wait();
      await clock.advance(10);
      await assert.rejects(
        lro.cancel(),
        (e) =>
          e instanceof LroRequestError &&
          e.rpc === 'CancelOperation' &&
          e.code === Code.UNIMPLEMENTED &&
          /fake CancelOperation/.test(e.message),
      );
      const r = await clock.run(wait);
      assert.ok(r.ok);
    });

    it('delete() sends DeleteOperation and changes nothing locally', async () => {
      const { clock, ops, poller } = rig();
      ops.script('operations/del', A.pending(opMetadata(2)), A.done(imagesResponse('gs://del/')));
      const lro = poller.resume(D.images, 'operations/del');
      await lro.poll();
      const before = { done: lro.done, snapshot: lro.snapshot, metadata: lro.metadata };
      await lro.delete();
      assert.equal(ops.of('DeleteOperation').length, 1);
      assert.deepEqual({ done: lro.done, snapshot: lro.snapshot, metadata: lro.metadata }, before);
      const r = await clock.run(lro.wait());
      assert.ok(r.ok, 'waiting still works');
      ops.deleteError = new VisionError(Code.PERMISSION_DENIED, 'not yours');
      await assert.rejects(
        lro.delete(),
        (e) => e instanceof LroRequestError && e.rpc === 'DeleteOperation' && e.code === Code.PERMISSION_DENIED,
      );
    });
  });

  describe('poll()', () => {
    it('makes one GetOperation now, shared with one in flight, and updates the snapshot', async () => {
      const { clock, ops, poller } = rig();
      ops.script('operations/poll', A.pending(opMetadata(1), 100), A.pending(opMetadata(2)));
      const lro = poller.resume(D.images, 'operations/poll');
      const a = lro.poll();
      const b = lro.poll();
      await clock.advance(100);
      const [sa, sb] = await Promise.all([a, b]);
      assert.equal(sa, sb);
      assert.equal(ops.calls.length, 1);
      assert.equal(lro.metadata?.state, 1);
      const next = await lro.poll();
      assert.equal(lro.snapshot, next);
      assert.equal(lro.metadata?.state, 2);
      assert.equal(clock.pending, 0, 'poll() alone schedules nothing');
    });

    it("one poll()'s abort leaves a shared call to the others", async () => {
      const { clock, ops, poller } = rig();
      ops.script('operations/share', A.pending(opMetadata(2), 100));
      const lro = poller.resume(D.images, 'operations/share');
      const ac = new AbortController();
      const a = lro.poll({ signal: ac.signal });
      const b = lro.poll({ signal: new AbortController().signal });
      await clock.advance(10);
      ac.abort();
      await assert.rejects(a, /aborted/);
      await clock.advance(100);
      assert.equal((await b).name, 'operations/share');
      assert.equal(ops.calls.length, 1);
      assert.equal(ops.calls[0]?.aborted, false, 'the call went on for the other caller');
      const c = new AbortController();
      const last = lro.poll({ signal: c.signal });
      await clock.advance(100);
      await last;
      c.abort();
      assert.equal(ops.calls[1]?.aborted, false, 'an abort after the answer changes nothing');
    });

    it('rejects with a poll error on failure, and with an abort error when its signal aborts', async () => {
      const { clock, ops, poller } = rig();
      ops.script('operations/pe', A.fail(Code.NOT_FOUND, 'gone'), A.hang());
      const lro = poller.resume(D.images, 'operations/pe');
      await assert.rejects(lro.poll(), (e) => e instanceof LroPollError && e.code === Code.NOT_FOUND);
      const ac = new AbortController();
      const p = lro.poll({ signal: ac.signal });
      await clock.advance(10);
      ac.abort();
      await assert.rejects(p, /aborted/);
      assert.equal(ops.calls[1]?.aborted, true);
    });
  });
});
