/**
 * Rule 4, a wait that begins past the handle's own deadline (a saved handle
 * resumed late, or a handle waited on again after its deadline): it still
 * looks once — one GetOperation, sent at once — and only then can time out.
 * A `timeout` the caller passes is final (`timeout: 0` sends nothing). Pinned
 * by value on fake time: the GetOperation calls and their times, the result
 * or the error's code, cause and message.
 */
import assert from 'node:assert/strict';
import { Code, LroOperationError, LroPollError, LroTimeoutError } from 'vision-kit';
import { A } from './support/fake-operations.js';
import { imagesResponse } from './support/messages.js';
import { D, rig, started } from './support/setup.js';

/** A handle saved at the start of AsyncBatchAnnotateImages (deadline: start + 300 s), as another process would save it. */
function savedAt(startWall: number, name: string): { name: string; method: string; startTime: string; deadline: string } {
  return {
    name,
    method: D.images.method,
    startTime: new Date(startWall).toISOString(),
    deadline: new Date(startWall + 300_000).toISOString(),
  };
}

const getTimes = (ops: ReturnType<typeof rig>['ops']): number[] => ops.of('GetOperation').map((c) => c.at);

describe('lro deadlines (rule 4): a wait past the handle deadline looks once', () => {
  it('the README resume, 10 minutes after the start: a done operation resolves after one call', async () => {
    const { clock, ops, poller } = rig();
    ops.script('operations/readme', A.done(imagesResponse('gs://out/')));
    const saved = savedAt(clock.wallNow() - 600_000, 'operations/readme');
    const r = await clock.run(poller.resume(D.images, saved).wait());
    assert.ok(r.ok, `expected a result, got ${r.ok ? '' : String(r.error)}`);
    assert.equal(r.at, 0);
    assert.equal((r.value as { outputConfig: { gcsDestination: { uri: string } } }).outputConfig.gcsDestination.uri, 'gs://out/');
    assert.deepEqual(getTimes(ops), [0]);
    assert.equal(clock.pending, 0);
  });

  it('not done: one call, then a timeout whose message names the option to pass; wait({ timeout }) then waits', async () => {
    const { clock, ops, poller } = rig();
    ops.script('operations/slow', A.pending(), A.pending(), A.done(imagesResponse('gs://slow/')));
    const lro = poller.resume(D.images, savedAt(clock.wallNow() - 600_000, 'operations/slow'));
    const r = await clock.run(lro.wait());
    assert.ok(!r.ok && r.error instanceof LroTimeoutError);
    assert.equal(r.error.code, Code.DEADLINE_EXCEEDED);
    assert.equal(r.at, 0);
    assert.equal(r.error.cause, undefined);
    assert.equal(r.error.timeoutMs, undefined);
    assert.equal(
      r.error.rawMessage,
      'operation "operations/slow" did not finish within its deadline (one look past it found it not done); it goes on on the server; to wait longer, pass a timeout: wait({ timeout: ms })',
    );
    assert.deepEqual(r.error.handle, lro.toJSON());
    assert.deepEqual(getTimes(ops), [0]);
    assert.equal(clock.pending, 0);

    const again = await clock.run(lro.wait({ timeout: 10_000 }));
    assert.ok(again.ok);
    // The schedule went on from the one look: sleeps of 500 ms then 750 ms (500 × 1.5^k).
    assert.deepEqual(getTimes(ops), [0, 500, 1250]);
  });

  it('a transient failure of the one look times out with the poll error as its cause', async () => {
    const { clock, ops, poller } = rig();
    ops.script('operations/down', A.fail(Code.UNAVAILABLE, 'down'), A.done(imagesResponse('gs://x/')));
    const r = await clock.run(poller.resume(D.images, savedAt(clock.wallNow() - 600_000, 'operations/down')).wait());
    assert.ok(!r.ok && r.error instanceof LroTimeoutError);
    assert.equal(r.at, 0);
    assert.ok(r.error.cause instanceof LroPollError);
    assert.equal(r.error.cause.cause instanceof Error ? (r.error.cause.cause as { code?: number }).code : undefined, Code.UNAVAILABLE);
    assert.match(r.error.rawMessage, /\(the one look past it failed\)/);
    assert.deepEqual(getTimes(ops), [0]);
    assert.equal(clock.pending, 0);
  });

  it('a permanent poll error or a failed operation from the one look rejects as itself', async () => {
    const { clock, ops, poller } = rig();
    ops.script('operations/gone', A.fail(Code.NOT_FOUND, 'no such operation'));
    ops.script('operations/bad', A.failed({ code: Code.INVALID_ARGUMENT, message: 'bad image', details: [] }));
    const gone = await clock.run(poller.resume(D.images, savedAt(clock.wallNow() - 600_000, 'operations/gone')).wait());
    assert.ok(!gone.ok && gone.error instanceof LroPollError);
    assert.equal(gone.error.permanent, true);
    const bad = await clock.run(poller.resume(D.images, savedAt(clock.wallNow() - 600_000, 'operations/bad')).wait());
    assert.ok(!bad.ok && bad.error instanceof LroOperationError);
    assert.equal(bad.error.code, Code.INVALID_ARGUMENT);
    assert.deepEqual(getTimes(ops), [0, 0]);
  });

  it('a look that hangs ends at the per-poll limit (30 s) with a timeout, after one call', async () => {
    const { clock, ops, poller } = rig();
    ops.ignoreTimeouts = true;
    ops.script('operations/hang', A.hang());
    const r = await clock.run(poller.resume(D.images, savedAt(clock.wallNow() - 600_000, 'operations/hang')).wait());
    assert.ok(!r.ok && r.error instanceof LroTimeoutError);
    assert.equal(r.at, 30_000);
    assert.deepEqual(getTimes(ops), [0]);
    assert.equal(clock.pending, 0);
  });

  it('two waits past the deadline share the one look', async () => {
    const { clock, ops, poller } = rig();
    ops.script('operations/two', A.done(imagesResponse('gs://two/')));
    const lro = poller.resume(D.images, savedAt(clock.wallNow() - 600_000, 'operations/two'));
    const [a, b] = await Promise.all([clock.run(lro.wait()), clock.run(lro.wait())]);
    assert.ok(a.ok && b.ok);
    assert.equal(a.value, b.value);
    assert.deepEqual(getTimes(ops), [0]);
  });

  it('a handle of this process waited on again after its deadline looks at once, not after the first sleep', async () => {
    const { clock, ops, poller } = rig();
    ops.script('operations/mine', A.done(imagesResponse('gs://mine/')));
    const lro = poller.fromOperation(D.images, started('operations/mine'));
    await clock.advance(300_000);
    const r = await clock.run(lro.wait());
    assert.ok(r.ok);
    assert.equal(r.at, 300_000);
    assert.deepEqual(getTimes(ops), [300_000]);
  });

  it('an explicit timeout stays final: wait({ timeout: 0 }) past the deadline sends nothing', async () => {
    const { clock, ops, poller } = rig();
    ops.script('operations/zero', A.done(imagesResponse('gs://zero/')));
    const r = await clock.run(poller.resume(D.images, savedAt(clock.wallNow() - 600_000, 'operations/zero')).wait({ timeout: 0 }));
    assert.ok(!r.ok && r.error instanceof LroTimeoutError);
    assert.equal(r.error.timeoutMs, 0);
    assert.equal(ops.calls.length, 0);
  });

  it('a wait within the deadline keeps polling after a late wait beside it timed out', async () => {
    const { clock, ops, poller } = rig();
    ops.script('operations/mix', A.pending(), A.pending(), A.done(imagesResponse('gs://mix/')));
    const lro = poller.resume(D.images, savedAt(clock.wallNow() - 600_000, 'operations/mix'));
    const patient = lro.wait({ timeout: 60_000 });
    const late = lro.wait();
    const [p, l] = await Promise.all([clock.run(patient), clock.run(late)]);
    assert.ok(!l.ok && l.error instanceof LroTimeoutError);
    assert.equal(l.at, 0);
    assert.ok(p.ok);
    assert.deepEqual(getTimes(ops), [0, 500, 1250]);
  });
});
