/**
 * The operation handle (src/lro/lro-handle.ts) on fake time, pinned by
 * value: when each GetOperation goes out, what the poller's stats say while
 * a wait is pending, what each refusal carries (code, handle, target,
 * attempts), what the progress callbacks and the iterator receive, and what
 * poll(), cancel() and delete() send. Fast and in-process: this is the file
 * the mutation run of the handle leans on (the rule suites cover the same
 * ground end to end). The clock refuses to arm more than a bounded number of
 * timers, so a mutant that polls in a loop fails an assertion instead of
 * hanging, and `state()` looks at a promise without moving time, so a wait
 * that should have settled at once cannot pass by settling later.
 */
import assert from 'node:assert/strict';
import { getEventListeners } from 'node:events';
import {
  Code,
  createPoller,
  LroAbortedError,
  type LroClock,
  LroDecodeError,
  LroOperationError,
  LroPollError,
  LroProtocolError,
  LroRequestError,
  LroTimeoutError,
  type OperationsCallOptions,
  type Poller,
  VisionError,
} from 'vision-kit';
import type { Operation } from 'vision-kit/gen/google/longrunning/operations.js';
import { FakeClock, flush } from './support/fake-clock.js';
import { A, FakeOperations } from './support/fake-operations.js';
import { any, imagesResponse, opMetadata, T } from './support/messages.js';
import { D, started } from './support/setup.js';

/** A fake clock that fails (throws from setTimer) once too many timers were armed: a polling loop ends as an error. */
class CappedClock extends FakeClock {
  left = 400;
  override setTimer(callback: () => void, ms: number): unknown {
    if (--this.left < 0) throw new Error('too many timers armed: the poller loops');
    return super.setTimer(callback, ms);
  }
}

/** A clock whose timers fire only when the test moves time, and then late: all at the new time. */
class LateClock implements LroClock {
  t = 0;
  private nextId = 1;
  private readonly timers = new Map<number, { at: number; callback: () => void }>();
  now(): number {
    return this.t;
  }
  wallNow(): number {
    return Date.UTC(2026, 0, 1) + this.t;
  }
  setTimer(callback: () => void, ms: number): unknown {
    const id = this.nextId++;
    this.timers.set(id, { at: this.t + ms, callback });
    return id;
  }
  clearTimer(handle: unknown): void {
    this.timers.delete(handle as number);
  }
  /** Moves time to `to`, then fires the timers due by then, in due order, without moving time back. */
  async jump(to: number): Promise<void> {
    this.t = to;
    for (;;) {
      const due = [...this.timers.entries()].filter(([, timer]) => timer.at <= to).sort(([, a], [, b]) => a.at - b.at)[0];
      if (due === undefined) break;
      this.timers.delete(due[0]);
      due[1].callback();
      await flush();
    }
  }
}

interface Setup {
  readonly clock: CappedClock;
  readonly ops: FakeOperations;
  readonly poller: Poller;
}

function setup(ops?: (clock: FakeClock) => FakeOperations, maxConsecutiveFailures?: number): Setup {
  const clock = new CappedClock();
  const transport = ops?.(clock) ?? new FakeOperations(clock);
  const poller = createPoller({
    transport,
    clock,
    random: () => 0.5,
    schedule: { jitter: 0, ...(maxConsecutiveFailures === undefined ? {} : { maxConsecutiveFailures }) },
  });
  return { clock, ops: transport, poller };
}

type State<T> = { s: 'pending' } | { s: 'ok'; v: T } | { s: 'err'; e: unknown };

/** What `promise` is after pending callbacks ran, with no fake time passing. */
async function state<T>(promise: Promise<T>): Promise<State<T>> {
  let r: State<T> = { s: 'pending' };
  promise.then(
    (v) => {
      r = { s: 'ok', v };
    },
    (e: unknown) => {
      r = { s: 'err', e };
    },
  );
  await flush();
  return r;
}

function errorOf<T>(s: State<T>): unknown {
  assert.equal(s.s, 'err', `expected a rejection, got ${s.s}`);
  return (s as { e: unknown }).e;
}

const getTimes = (ops: FakeOperations, name?: string): number[] => ops.of('GetOperation', name).map((c) => c.at);

const retryInfo = (seconds: number) => ({
  details: [{ type: 'google.rpc.RetryInfo', value: { retryDelay: { seconds: String(seconds), nanos: 0 } } }],
});

describe('lro handle, pinned by value (mutation tests)', () => {
  describe('its fields', () => {
    it('a fresh handle is not done; one resumed from a handle saved without a deadline has none', async () => {
      const { clock, ops, poller } = setup();
      const lro = poller.fromOperation(D.images, started('operations/f'));
      assert.equal(lro.done, false);
      assert.ok(lro.deadline instanceof Date);

      const saved = { name: 'operations/nd', method: D.images.method, startTime: new Date(clock.wallNow()).toISOString() };
      const open = poller.resume(D.images, saved);
      assert.equal(open.done, false);
      assert.equal(open.deadline, undefined);
      assert.deepEqual(open.toJSON(), saved);
      assert.deepEqual(Object.keys(open.toJSON()), ['name', 'method', 'startTime']);

      // A wait without a deadline queues only its poll: no deadline entry.
      ops.script('operations/nd', A.pending(), A.done(imagesResponse('gs://nd/')));
      const wait = open.wait();
      assert.equal(poller.stats().scheduled, 1);
      const r = await clock.run(wait);
      assert.ok(r.ok);
      assert.deepEqual(getTimes(ops), [0, 500]);
      assert.equal(open.done, true);
    });
  });

  describe('a wait that settles at once', () => {
    it('a handle already done answers from the cache, with no timer and no call', async () => {
      const { clock, ops, poller } = setup();
      const ok = poller.fromOperation(D.images, { ...started('operations/ok'), done: true, response: imagesResponse('gs://ok/') });
      const first = await state(ok.wait());
      assert.equal(first.s, 'ok');
      assert.equal((first as { v: { outputConfig: { gcsDestination: { uri: string } } } }).v.outputConfig.gcsDestination.uri, 'gs://ok/');
      const failed = poller.fromOperation(D.images, {
        ...started('operations/bad'),
        done: true,
        error: { code: Code.NOT_FOUND, message: 'gone', details: [] },
      });
      const e = errorOf(await state(failed.wait()));
      assert.ok(e instanceof LroOperationError);
      assert.equal(e.code, Code.NOT_FOUND);
      assert.equal(e.cancelled, false);
      assert.equal(e.handle, undefined, 'a finished operation has nothing to resume');
      assert.equal(e.operationName, 'operations/bad');
      // The same error object each time.
      assert.equal(errorOf(await state(failed.wait())), e);
      assert.equal(ops.calls.length, 0);
      assert.equal(clock.pending, 0);
      assert.equal(poller.stats().scheduled, 0);
    });

    it('an aborted signal rejects before any call, with a handle to resume', async () => {
      const { clock, ops, poller } = setup();
      const lro = poller.resume(D.images, 'operations/ab');
      const signal = AbortSignal.abort('no thanks');
      const calls: Promise<unknown>[] = [lro.wait({ signal }), lro.poll({ signal }), lro.cancel({ signal }), lro.delete({ signal })];
      const states = await Promise.all(calls.map((p) => state(p)));
      for (const s of states) {
        const e = errorOf(s);
        assert.ok(e instanceof LroAbortedError);
        assert.equal(e.code, Code.CANCELLED);
        assert.match(e.message, /"operations\/ab" was aborted: no thanks/);
        assert.deepEqual(e.handle, lro.toJSON());
      }
      assert.equal(ops.calls.length, 0);
      assert.equal(clock.pending, 0);
      assert.equal(poller.stats().signals, 0);
    });

    it('a timeout of 0 rejects at once; a negative one is refused by name', async () => {
      const { clock, ops, poller } = setup();
      const lro = poller.resume(D.images, 'operations/zero');
      const e = errorOf(await state(lro.wait({ timeout: 0 })));
      assert.ok(e instanceof LroTimeoutError);
      assert.equal(e.code, Code.DEADLINE_EXCEEDED);
      assert.equal(e.timeoutMs, 0);
      assert.deepEqual(e.handle, lro.toJSON());
      assert.equal(poller.stats().scheduled, 0);
      assert.equal(clock.pending, 0);

      const bad = errorOf(await state(lro.wait({ timeout: -1 })));
      assert.ok(bad instanceof VisionError);
      assert.equal(bad.code, Code.INVALID_ARGUMENT);
      assert.equal(bad.rawMessage, 'wait: timeout must be a number ≥ 0, got -1');
      assert.equal(ops.calls.length, 0);
    });

    it('a handle past its saved deadline looks once (one GetOperation, at once), then times out', async () => {
      const { clock, ops, poller } = setup();
      ops.script('operations/late', A.pending());
      const saved = {
        name: 'operations/late',
        method: D.images.method,
        startTime: new Date(clock.wallNow() - 10_000).toISOString(),
        deadline: new Date(clock.wallNow()).toISOString(),
      };
      const r = await clock.run(poller.resume(D.images, saved).wait());
      assert.ok(!r.ok);
      assert.equal(r.at, 0);
      const e = r.error;
      assert.ok(e instanceof LroTimeoutError);
      assert.equal(e.timeoutMs, undefined);
      assert.match(e.message, /within its deadline \(one look past it found it not done\);/);
      assert.deepEqual(getTimes(ops), [0]);
      assert.equal(clock.pending, 0);
    });
  });

  describe('a wait past the handle deadline looks once', () => {
    const late = (clock: FakeClock, name: string) => ({
      name,
      method: D.images.method,
      startTime: new Date(clock.wallNow() - 600_000).toISOString(),
      deadline: new Date(clock.wallNow() - 300_000).toISOString(),
    });

    it('a transient failure of the look times out at once with the poll error as cause', async () => {
      const { clock, ops, poller } = setup();
      ops.script('operations/lf', A.fail(Code.UNAVAILABLE, 'down'));
      const lro = poller.resume(D.images, late(clock, 'operations/lf'));
      const r = await clock.run(lro.wait());
      assert.ok(!r.ok && r.error instanceof LroTimeoutError);
      assert.equal(r.at, 0);
      assert.deepEqual(r.error.handle, lro.toJSON());
      assert.ok(r.error.cause instanceof LroPollError);
      assert.equal(r.error.cause.attempts, 1);
      assert.equal(
        r.error.rawMessage,
        'operation "operations/lf" did not finish within its deadline (the one look past it failed); it goes on on the server; to wait longer, pass a timeout: wait({ timeout: ms })',
      );
      assert.deepEqual(getTimes(ops), [0]);
      assert.equal(clock.pending, 0);
    });

    it('a look that hangs is given the per-poll limit, then times out', async () => {
      const { clock, ops, poller } = setup();
      ops.ignoreTimeouts = true;
      ops.script('operations/lh', A.hang());
      const r = await clock.run(poller.resume(D.images, late(clock, 'operations/lh')).wait());
      assert.ok(!r.ok && r.error instanceof LroTimeoutError);
      assert.equal(r.at, 30_000);
      assert.equal(r.error.cause, undefined);
      assert.deepEqual(getTimes(ops), [0]);
      assert.equal(clock.pending, 0);
    });

    it('the look goes out at once, not at the next planned poll; the schedule goes on from it', async () => {
      const { clock, ops, poller } = setup();
      ops.script('operations/lo', A.pending(), A.pending(), A.done(imagesResponse('gs://lo/')));
      const lro = poller.fromOperation(D.images, started('operations/lo'));
      await clock.advance(300_000);
      const r = await clock.run(lro.wait());
      assert.ok(!r.ok && r.error instanceof LroTimeoutError);
      assert.equal(r.at, 300_000);
      assert.equal(r.error.timeoutMs, 300_000);
      assert.deepEqual(getTimes(ops), [300_000]);
      const again = await clock.run(lro.wait({ timeout: 10_000 }));
      assert.ok(again.ok);
      assert.deepEqual(getTimes(ops), [300_000, 300_750, 301_875]);
    });

    it('a done answer to the look resolves every late wait with one call', async () => {
      const { clock, ops, poller } = setup();
      ops.script('operations/ld', A.done(imagesResponse('gs://ld/')));
      const lro = poller.resume(D.images, late(clock, 'operations/ld'));
      const [a, b] = await Promise.all([clock.run(lro.wait()), clock.run(lro.wait())]);
      assert.ok(a.ok && b.ok);
      assert.equal(a.at, 0);
      assert.equal(a.value, b.value);
      assert.deepEqual(getTimes(ops), [0]);
    });
  });

  describe('the schedule of one handle', () => {
    it('no poll is queued at or after the deadline', async () => {
      const { clock, ops, poller } = setup();
      ops.script('operations/edge', A.pending());
      const lro = poller.fromOperation(D.images, started('operations/edge'));
      const wait = lro.wait({ timeout: 500 });
      assert.equal(poller.stats().scheduled, 1, 'the deadline only: the first poll (at 500) would be at the deadline');
      const r = await clock.run(wait);
      assert.ok(!r.ok && r.error instanceof LroTimeoutError);
      assert.equal(r.at, 500);
      assert.equal(r.error.timeoutMs, 500);
      assert.deepEqual(getTimes(ops), []);

      const other = poller.fromOperation(D.images, started('operations/edge2'));
      const start = clock.now();
      const w2 = other.wait({ timeout: 600 });
      assert.equal(poller.stats().scheduled, 2, 'its deadline and the first poll (500 ms after start, before the deadline)');
      assert.deepEqual(getTimes(ops, 'operations/edge2'), []);
      ops.script('operations/edge2', A.pending());
      const r2 = await clock.run(w2);
      assert.ok(!r2.ok, String(r2));
      assert.equal(r2.at - start, 600);
      assert.deepEqual(getTimes(ops, 'operations/edge2'), [start + 500]);
    });

    it('polls go on until the latest deadline of the waits, whichever came first', async () => {
      const { clock, ops, poller } = setup();
      ops.script('operations/two', A.pending());
      const lro = poller.fromOperation(D.images, started('operations/two'));
      const long = clock.run(lro.wait({ timeout: 10_000 }));
      const short = lro.wait({ timeout: 2_000 });
      assert.equal(poller.stats().scheduled, 3, 'two deadlines and one poll');
      const s = await clock.run(short);
      assert.ok(!s.ok && s.error instanceof LroTimeoutError);
      assert.equal(s.at, 2000);
      assert.equal(s.error.timeoutMs, 2000);
      const l = await long;
      assert.ok(!l.ok && l.error instanceof LroTimeoutError);
      assert.equal(l.at, 10_000);
      assert.deepEqual(getTimes(ops), [500, 1250, 2375, 4062.5, 6593.75]);
      assert.deepEqual(
        ops.calls.map((c) => c.timeout),
        [9500, 8750, 7625, 5937.5, 3406.25],
        'each poll gets the time left to the latest deadline',
      );
      assert.equal(clock.pending, 0);
    });

    it('a second wait while a poll is in flight adds its deadline and no poll', async () => {
      const { clock, ops, poller } = setup();
      ops.script('operations/fl', A.pending(undefined, 1000), A.done(imagesResponse('gs://fl/')));
      const lro = poller.resume(D.images, 'operations/fl');
      const a = lro.wait({ timeout: 60_000 });
      await clock.advance(10);
      assert.equal(poller.stats().inFlight, 1);
      assert.equal(poller.stats().scheduled, 1, "the first wait's deadline");
      const b = lro.wait({ timeout: 30_000 });
      assert.equal(poller.stats().scheduled, 2);
      const [ra, rb] = await Promise.all([clock.run(a), clock.run(b)]);
      assert.ok(ra.ok && rb.ok);
      assert.deepEqual(getTimes(ops), [0, 1500]);
    });

    it('a wait that comes after polling stopped short of an earlier deadline starts it again', async () => {
      const { clock, ops, poller } = setup();
      ops.script('operations/again', A.pending(), A.pending(), A.done(imagesResponse('gs://again/')));
      const lro = poller.resume(D.images, 'operations/again');
      const short = lro.wait({ timeout: 1000 });
      short.catch(() => undefined);
      await clock.advance(600);
      assert.deepEqual(getTimes(ops), [0, 500]);
      assert.equal(poller.stats().scheduled, 1, 'the deadline only: the next poll (1250) would pass it');
      const long = lro.wait({ timeout: 60_000 });
      assert.equal(poller.stats().scheduled, 3);
      const s = await clock.run(short);
      assert.ok(!s.ok && s.error instanceof LroTimeoutError);
      assert.equal(s.at, 1000);
      const r = await clock.run(long);
      assert.ok(r.ok);
      assert.equal(r.at, 1250);
      assert.deepEqual(getTimes(ops), [0, 500, 1250]);
    });

    it('a poll whose timer fires at or after the deadline is not sent', async () => {
      for (const at of [600, 700]) {
        const clock = new LateClock();
        const ops = new FakeOperations(clock as unknown as FakeClock);
        const poller = createPoller({ transport: ops, clock, random: () => 0.5, schedule: { jitter: 0 } });
        ops.script('operations/late', A.pending());
        const lro = poller.fromOperation(D.images, started('operations/late'));
        const wait = state(lro.wait({ timeout: 600 }));
        await clock.jump(at);
        const e = errorOf(await wait);
        assert.ok(e instanceof LroTimeoutError, String(e));
        assert.equal(ops.calls.length, 0, `the poll due at 500 fired at ${at}`);
        assert.deepEqual(poller.stats(), { inFlight: 0, peakInFlight: 0, queued: 0, scheduled: 0, timerArmed: false, signals: 0 });
      }
    });

    it('an answer that lands on the deadline leaves the wait to its deadline timer', async () => {
      const { clock, ops, poller } = setup();
      ops.ignoreTimeouts = true;
      ops.script('operations/edge', A.pending(undefined, 1000));
      const r = await clock.run(poller.resume(D.images, 'operations/edge').wait({ timeout: 1000 }));
      assert.ok(!r.ok && r.error instanceof LroTimeoutError);
      assert.equal(r.at, 1000);
      assert.equal(r.error.cause, undefined);
      assert.equal(
        r.error.rawMessage,
        'operation "operations/edge" did not finish within the deadline (1000 ms); it goes on on the server; to wait longer, pass a timeout: wait({ timeout: ms })',
      );
      assert.deepEqual(getTimes(ops), [0]);
    });

    it('a poll() outside any wait does not move the schedule', async () => {
      const { clock, ops, poller } = setup();
      ops.script('operations/p', A.pending(), A.pending(), A.pending(), A.done(imagesResponse('gs://p/')));
      const lro = poller.resume(D.images, 'operations/p');
      const op = await clock.run(lro.poll());
      assert.ok(op.ok);
      assert.equal(op.value.name, 'operations/p');
      assert.equal(op.value.done, false);
      assert.equal(poller.stats().scheduled, 0);
      await clock.advance(100);
      const r = await clock.run(lro.wait());
      assert.ok(r.ok);
      assert.deepEqual(getTimes(ops), [0, 100, 600, 1350]);
    });

    it('a failed poll() outside any wait does not move the schedule either', async () => {
      const { clock, ops, poller } = setup();
      ops.script('operations/pf', A.fail(Code.UNAVAILABLE, 'down'), A.done(imagesResponse('gs://pf/')));
      const lro = poller.resume(D.images, 'operations/pf');
      const p = await clock.run(lro.poll());
      assert.ok(!p.ok && p.error instanceof LroPollError);
      assert.equal(p.error.attempts, 1);
      assert.equal(p.error.permanent, false);
      assert.equal(poller.stats().scheduled, 0);
      await clock.advance(100);
      const r = await clock.run(lro.wait());
      assert.ok(r.ok);
      assert.deepEqual(getTimes(ops), [0, 100]);
    });
  });

  describe('poll errors', () => {
    it('transient failures are counted in a row and end the wait at the limit, naming the target', async () => {
      const { clock, ops, poller } = setup(undefined, 3);
      ops.script('operations/tr', A.fail(Code.UNAVAILABLE, 'down'));
      const lro = poller.resume(D.images, 'operations/tr');
      const r = await clock.run(lro.wait({ timeout: 20_000 }));
      assert.ok(!r.ok && r.error instanceof LroPollError);
      assert.equal(r.error.attempts, 3);
      assert.equal(r.error.permanent, false);
      assert.equal(r.error.code, Code.UNAVAILABLE);
      assert.equal(r.error.rpc, 'GetOperation');
      assert.equal(r.error.target, 'fake GetOperation operations/tr');
      assert.equal(
        r.error.rawMessage,
        'polling operation "operations/tr" failed 3 times in a row (fake GetOperation operations/tr): down; ' +
          'it may still be running: wait() again, or resume() its handle later',
      );
      assert.deepEqual(r.error.handle, lro.toJSON());
      assert.equal(r.at, 1250);
      assert.deepEqual(getTimes(ops), [0, 500, 1250]);
      assert.equal(clock.pending, 0);
    });

    it('an answer resets the count; a permanent failure ends the wait at once', async () => {
      const { clock, ops, poller } = setup(undefined, 3);
      ops.script(
        'operations/rs',
        A.fail(Code.UNAVAILABLE),
        A.fail(Code.INTERNAL),
        A.pending(),
        A.fail(Code.UNAVAILABLE),
        A.fail(Code.UNAVAILABLE),
        A.fail(Code.PERMISSION_DENIED, 'no'),
      );
      const r = await clock.run(poller.resume(D.images, 'operations/rs').wait({ timeout: 20_000 }));
      assert.ok(!r.ok && r.error instanceof LroPollError);
      assert.equal(r.error.attempts, 3);
      assert.equal(r.error.permanent, true);
      assert.equal(r.error.code, Code.PERMISSION_DENIED);
      assert.equal(r.error.rawMessage, 'polling operation "operations/rs" failed (fake GetOperation operations/rs): no');
      assert.deepEqual(getTimes(ops), [0, 500, 1250, 2375, 4062.5, 6593.75]);
    });

    it('after a wait ended on poll errors, the next wait polls again with a fresh count', async () => {
      const { clock, ops, poller } = setup(undefined, 2);
      ops.script(
        'operations/fresh',
        A.fail(Code.UNAVAILABLE),
        A.fail(Code.UNAVAILABLE),
        A.fail(Code.UNAVAILABLE),
        A.done(imagesResponse('gs://fresh/')),
      );
      const lro = poller.resume(D.images, 'operations/fresh');
      const first = await clock.run(lro.wait({ timeout: 20_000 }));
      assert.ok(!first.ok && first.error instanceof LroPollError);
      assert.equal(first.error.attempts, 2);
      assert.equal(poller.stats().scheduled, 0);
      const start = clock.now();
      const second = await clock.run(lro.wait({ timeout: 20_000 }));
      assert.ok(second.ok);
      assert.equal(start, 500);
      assert.deepEqual(getTimes(ops), [0, 500, 500, 1250], 'the second wait polls at once, then after the next sleep');

      ops.script('operations/perm', A.fail(Code.NOT_FOUND), A.fail(Code.UNAVAILABLE), A.done(imagesResponse('gs://perm/')));
      const perm = poller.resume(D.images, 'operations/perm');
      const p1 = await clock.run(perm.wait({ timeout: 20_000 }));
      assert.ok(!p1.ok && p1.error instanceof LroPollError);
      assert.equal(p1.error.attempts, 1);
      assert.ok((await clock.run(perm.wait({ timeout: 20_000 }))).ok, 'one failure after a permanent one does not reach the limit of 2');
    });

    it("a dropped call's failure does not count against the next wait", async () => {
      const { clock, ops, poller } = setup(undefined, 2);
      ops.script('operations/drop', A.pending(undefined, 1000), A.fail(Code.UNAVAILABLE), A.done(imagesResponse('gs://drop/')));
      const lro = poller.resume(D.images, 'operations/drop');
      const ac = new AbortController();
      const first = lro.wait({ signal: ac.signal });
      await clock.advance(10);
      ac.abort();
      assert.ok(errorOf(await state(first)) instanceof LroAbortedError);
      assert.equal(ops.calls[0]?.aborted, true);
      const r = await clock.run(lro.wait());
      assert.ok(r.ok, String(!r.ok && r.error));
      assert.deepEqual(getTimes(ops), [0, 10, 510]);
    });

    it('a transport that throws instead of rejecting is a poll error, and one without describe() names no target', async () => {
      class Throwing extends FakeOperations {
        override get(): Promise<Operation> {
          throw new VisionError(Code.NOT_FOUND, 'thrown');
        }
      }
      const { clock, poller } = setup((c) => new Throwing(c));
      const r = await clock.run(poller.resume(D.images, 'operations/th').wait({ timeout: 20_000 }));
      assert.ok(!r.ok && r.error instanceof LroPollError);
      assert.equal(r.error.code, Code.NOT_FOUND);
      assert.equal(r.error.attempts, 1);
      assert.equal(r.at, 0);
      assert.equal(poller.stats().inFlight, 0);

      class Anonymous extends FakeOperations {
        override describe(): string {
          throw new Error('cannot say');
        }
      }
      const other = setup((c) => new Anonymous(c));
      other.ops.script('operations/an', A.fail(Code.NOT_FOUND));
      const r2 = await other.clock.run(other.poller.resume(D.images, 'operations/an').wait({ timeout: 20_000 }));
      assert.ok(!r2.ok && r2.error instanceof LroPollError);
      assert.equal(r2.error.target, undefined);
      assert.equal(r2.error.rawMessage, 'polling operation "operations/an" failed: scripted failure');
    });

    it('a RetryInfo that reaches the deadline exactly rejects now; one short of it waits', async () => {
      const { clock, ops, poller } = setup();
      ops.script('operations/ri', A.fail(Code.UNAVAILABLE, 'busy', retryInfo(5)));
      const lro = poller.resume(D.images, 'operations/ri');
      const r = await clock.run(lro.wait({ timeout: 5000 }));
      assert.ok(!r.ok && r.error instanceof LroTimeoutError);
      assert.equal(r.at, 0);
      assert.equal(r.error.timeoutMs, 5000);
      assert.deepEqual(r.error.handle, lro.toJSON());
      assert.ok(r.error.cause instanceof LroPollError);
      assert.equal(
        r.error.rawMessage,
        'operation "operations/ri" did not finish within the deadline (5000 ms) (the server asked to retry after 5000 ms, past the deadline); it goes on on the server; to wait longer, pass a timeout: wait({ timeout: ms })',
      );

      ops.script('operations/ri2', A.fail(Code.UNAVAILABLE, 'busy', retryInfo(5)), A.done(imagesResponse('gs://ri2/')));
      const start = clock.now();
      const r2 = await clock.run(poller.resume(D.images, 'operations/ri2').wait({ timeout: 5100 }));
      assert.ok(r2.ok);
      assert.deepEqual(
        getTimes(ops, 'operations/ri2').map((t) => t - start),
        [0, 5000],
      );
    });

    it('a bad answer is a protocol error with a handle to resume', async () => {
      const { clock, ops, poller } = setup();
      ops.script('operations/raw', A.raw('OK'));
      const lro = poller.resume(D.images, 'operations/raw');
      const r = await clock.run(lro.wait());
      assert.ok(!r.ok && r.error instanceof LroProtocolError);
      assert.equal(r.error.code, Code.INTERNAL);
      assert.deepEqual(r.error.handle, lro.toJSON());
    });
  });

  describe('decoding', () => {
    it('a response of another type names both; decode errors carry no handle', async () => {
      const { clock, ops, poller } = setup();
      ops.script('operations/wt', A.done(any(T.importResponse)));
      const r = await clock.run(poller.resume(D.images, 'operations/wt').wait());
      assert.ok(!r.ok && r.error instanceof LroDecodeError);
      assert.equal(
        r.error.rawMessage,
        `the response of operation "operations/wt" cannot be decoded as ${T.imagesResponse}: the answer holds a ${T.importResponse} (type URL "type.googleapis.com/${T.importResponse}")`,
      );
      assert.equal(r.error.handle, undefined);
      assert.equal(r.error.expectedType, T.imagesResponse);

      ops.script(
        'operations/gb',
        A.done({ typeUrl: `type.googleapis.com/${T.imagesResponse}`, value: new Uint8Array([0x0a, 0xff, 0xff]) }),
      );
      const g = await clock.run(poller.resume(D.images, 'operations/gb').wait());
      assert.ok(!g.ok && g.error instanceof LroDecodeError);
      assert.equal(g.error.handle, undefined);
      assert.ok(g.error.cause !== undefined);
    });

    it('metadata of another type is kept as metadataError while polling goes on; a good one clears it', async () => {
      const { clock, ops, poller } = setup();
      ops.script(
        'operations/md',
        A.pending(opMetadata(2)),
        A.pending(any(T.importResponse)),
        A.pending(opMetadata(2)),
        A.done(imagesResponse('gs://md/'), opMetadata(3)),
      );
      const lro = poller.resume(D.images, 'operations/md');
      const seen: number[] = [];
      const wait = lro.wait({ onProgress: (m) => seen.push(m.state as number) });
      const metadataError = (): LroDecodeError | undefined => lro.metadataError;
      await clock.advance(0);
      assert.equal(metadataError(), undefined);
      await clock.advance(500);
      const e = metadataError();
      assert.ok(e instanceof LroDecodeError);
      assert.equal(e.part, 'metadata');
      assert.equal(e.handle, undefined);
      assert.equal((lro.metadata as { state: number }).state, 2);
      await clock.advance(750);
      assert.equal(metadataError(), undefined);
      const r = await clock.run(wait);
      assert.ok(r.ok);
      assert.deepEqual(seen, [2, 3]);
    });
  });

  describe('progress callbacks', () => {
    it('the callback gets the metadata and the snapshot it came with, once per change', async () => {
      const { clock, ops, poller } = setup();
      ops.script('operations/cb', A.pending(opMetadata(2)), A.pending(opMetadata(2)), A.done(imagesResponse('gs://cb/'), opMetadata(3)));
      const lro = poller.resume(D.images, 'operations/cb');
      const calls: [number, string | undefined, boolean | undefined][] = [];
      const r = await clock.run(lro.wait({ onProgress: (m, snap) => calls.push([m.state as number, snap?.name, snap?.done]) }));
      assert.ok(r.ok);
      assert.deepEqual(calls, [
        [2, 'operations/cb', false],
        [3, 'operations/cb', true],
      ]);
    });

    it('a wait that starts when metadata is known hears it first, unless it ended before', async () => {
      const { clock, ops, poller } = setup();
      const lro = poller.fromOperation(D.images, { ...started('operations/known'), metadata: opMetadata(1) });
      const seen: number[] = [];
      const ac = new AbortController();
      const aborted = lro.wait({ signal: ac.signal, onProgress: (m) => seen.push(m.state as number) });
      ac.abort();
      assert.ok(errorOf(await state(aborted)) instanceof LroAbortedError);
      assert.equal(seen.length, 0, 'an ended wait hears nothing');
      assert.equal(poller.stats().signals, 0);

      ops.script('operations/known', A.done(imagesResponse('gs://known/'), opMetadata(3)));
      const r = await clock.run(lro.wait({ onProgress: (m) => seen.push(m.state as number) }));
      assert.ok(r.ok);
      assert.deepEqual(seen, [1, 3]);
    });

    it('a callback that throws ends that wait with the error and stops the loop', async () => {
      const { clock, ops, poller } = setup();
      ops.script('operations/boom', A.pending(opMetadata(2)));
      const lro = poller.resume(D.images, 'operations/boom');
      const r = await clock.run(
        lro.wait({
          onProgress: () => {
            throw new Error('boom');
          },
        }),
      );
      assert.ok(!r.ok && r.error instanceof VisionError);
      assert.equal(r.error.rawMessage, 'boom');
      assert.equal(r.at, 0);
      assert.deepEqual(poller.stats(), { inFlight: 0, peakInFlight: 1, queued: 0, scheduled: 0, timerArmed: false, signals: 0 });
      await clock.advance(60_000);
      assert.deepEqual(getTimes(ops), [0]);
    });
  });

  describe('the progress iterator', () => {
    it('on a done handle yields the last metadata, then ends; with none it ends at once', async () => {
      const { ops, poller } = setup();
      const lro = poller.fromOperation(D.images, {
        ...started('operations/it'),
        done: true,
        metadata: opMetadata(3),
        response: imagesResponse('gs://it/'),
      });
      const it = lro.progress();
      const first = await state(it.next());
      assert.ok(first.s === 'ok' && !first.v.done, JSON.stringify(first));
      assert.equal((first.v.value as { state: number }).state, 3);
      const end = { s: 'ok', v: { value: undefined, done: true } };
      assert.deepEqual(await state(it.next()), end);
      assert.deepEqual(await state(it.next()), end);

      const bare = poller.fromOperation(D.images, { ...started('operations/bare'), done: true, response: imagesResponse('gs://b/') });
      assert.deepEqual(await state(bare.progress().next()), end);
      const failed = poller.fromOperation(D.images, {
        ...started('operations/itx'),
        done: true,
        error: { code: Code.ABORTED, message: 'nope', details: [] },
      });
      const fit = failed.progress();
      const thrown = await state(fit.next());
      assert.ok(thrown.s === 'err' && thrown.e instanceof LroOperationError);
      assert.deepEqual(await state(fit.next()), end, 'the failure is thrown once');
      assert.equal(ops.calls.length, 0);
    });

    it('yields each change and ends when the operation does; a failure is thrown once', async () => {
      const { clock, ops, poller } = setup();
      ops.script('operations/itr', A.pending(opMetadata(1)), A.pending(opMetadata(2)), A.done(imagesResponse('gs://i/'), opMetadata(3)));
      const it = poller.resume(D.images, 'operations/itr').progress();
      const states: number[] = [];
      for (;;) {
        const step = await clock.run(it.next());
        assert.ok(step.ok);
        if (step.value.done) {
          assert.deepEqual(step.value, { value: undefined, done: true });
          break;
        }
        states.push(step.value.value.state as number);
      }
      assert.deepEqual(states, [1, 2, 3]);

      ops.script('operations/itf', A.failed({ code: Code.ABORTED, message: 'nope', details: [] }));
      const failing = poller.resume(D.images, 'operations/itf').progress();
      const f = await clock.run(failing.next());
      assert.ok(!f.ok && f.error instanceof LroOperationError);
      assert.equal(f.error.code, Code.ABORTED);
      assert.deepEqual(await state(failing.next()), { s: 'ok', v: { value: undefined, done: true } });
    });

    it('return() before the first next() starts nothing; after it, next() ends at once', async () => {
      const { ops, poller } = setup();
      const lro = poller.resume(D.images, 'operations/ret');
      const it = lro.progress();
      assert.deepEqual(await it.return?.(), { value: undefined, done: true });
      const after = await state(it.next());
      assert.deepEqual(after, { s: 'ok', v: { value: undefined, done: true } });
      assert.deepEqual(poller.stats().scheduled, 0);
      assert.equal(ops.calls.length, 0);
    });

    it('return() during a wait releases it: the loop stops, a pending next() ends', async () => {
      const { clock, ops, poller } = setup();
      ops.script('operations/rel', A.pending(opMetadata(1)), A.pending(opMetadata(2)));
      const lro = poller.resume(D.images, 'operations/rel');
      const ac = new AbortController();
      const it = lro.progress({ signal: ac.signal, timeout: 60_000 });
      const first = await clock.run(it.next());
      assert.ok(first.ok && !first.value.done);
      const pending = it.next();
      assert.equal((await state(pending)).s, 'pending');
      assert.deepEqual(await it.return?.(), { value: undefined, done: true });
      assert.deepEqual(await state(pending), { s: 'ok', v: { value: undefined, done: true } });
      assert.deepEqual(poller.stats(), { inFlight: 0, peakInFlight: 1, queued: 0, scheduled: 0, timerArmed: false, signals: 0 });
      await clock.advance(10_000);
      assert.deepEqual(getTimes(ops), [0]);
    });
  });

  describe('signals', () => {
    it('a wait with a signal lets go of it when it settles, times out or is aborted', async () => {
      const { clock, ops, poller } = setup();
      ops.script('operations/s1', A.done(imagesResponse('gs://s1/')));
      ops.script('operations/s2', A.pending());
      const ac = new AbortController();
      const ok = poller.resume(D.images, 'operations/s1').wait({ signal: ac.signal });
      assert.equal(poller.stats().signals, 1);
      assert.ok((await clock.run(ok)).ok);
      assert.equal(poller.stats().signals, 0);
      const late = await clock.run(poller.resume(D.images, 'operations/s2').wait({ signal: ac.signal, timeout: 1000 }));
      assert.ok(!late.ok && late.error instanceof LroTimeoutError);
      assert.equal(poller.stats().signals, 0);
      const gone = poller.resume(D.images, 'operations/s2').wait({ signal: ac.signal });
      ac.abort(new Error('stop'));
      const e = errorOf(await state(gone));
      assert.ok(e instanceof LroAbortedError);
      assert.match(e.message, /aborted: stop;/);
      assert.deepEqual(e.handle, { name: 'operations/s2', method: D.images.method, ...pickTimes(e.handle) });
      assert.equal(poller.stats().signals, 0);
    });
  });

  describe('poll()', () => {
    it('shares the loop’s call; a wait aborted meanwhile does not abort it', async () => {
      const { clock, ops, poller } = setup();
      ops.script('operations/sh', A.pending(opMetadata(2), 1000));
      const lro = poller.resume(D.images, 'operations/sh');
      const ac = new AbortController();
      const wait = lro.wait({ signal: ac.signal });
      await clock.advance(10);
      const polled = lro.poll();
      assert.equal(ops.calls.length, 1);
      ac.abort();
      assert.ok(errorOf(await state(wait)) instanceof LroAbortedError);
      const r = await clock.run(polled);
      assert.ok(r.ok);
      assert.equal(r.at, 1000);
      assert.equal(r.value.name, 'operations/sh');
      assert.equal(ops.calls[0]?.aborted, false);
      assert.equal(ops.calls.length, 1);
    });

    it('a poll with a signal aborts its call when it is the only one waiting', async () => {
      const { clock, ops, poller } = setup();
      ops.script('operations/solo', A.pending(undefined, 1000));
      const lro = poller.resume(D.images, 'operations/solo');
      const ac = new AbortController();
      const p = lro.poll({ signal: ac.signal, timeout: 1234 });
      await clock.advance(10);
      assert.equal(ops.calls[0]?.timeout, 1234);
      ac.abort('enough');
      const e = errorOf(await state(p));
      assert.ok(e instanceof LroAbortedError);
      assert.match(e.message, /aborted: enough;/);
      assert.equal(ops.calls[0]?.aborted, true);
      assert.equal(getEventListeners(ac.signal, 'abort').length, 0, 'the listener went with the abort');
      assert.deepEqual(poller.stats(), { inFlight: 0, peakInFlight: 1, queued: 0, scheduled: 0, timerArmed: false, signals: 0 });
    });

    it('a poll with a signal that is not aborted resolves with the answer and lets go of its listener', async () => {
      const { clock, ops, poller } = setup();
      ops.script('operations/pl', A.pending(undefined, 100), A.fail(Code.NOT_FOUND, 'gone', {}, 100));
      const lro = poller.resume(D.images, 'operations/pl');
      const ac = new AbortController();
      const r = await clock.run(lro.poll({ signal: ac.signal }));
      assert.ok(r.ok);
      assert.equal(r.value.done, false);
      assert.equal(ops.calls[0]?.timeout, 30_000, "the schedule's per-poll limit");
      const f = await clock.run(lro.poll({ signal: ac.signal }));
      assert.ok(!f.ok && f.error instanceof LroPollError);
      assert.equal(f.error.code, Code.NOT_FOUND);
      assert.equal(getEventListeners(ac.signal, 'abort').length, 0);
      ac.abort();
      await flush();
      assert.equal(ops.calls.length, 2);
      assert.equal(ops.calls[1]?.aborted, false);
    });

    it('two polls with signals share one call; one leaving does not abort it for the other', async () => {
      const { clock, ops, poller } = setup();
      ops.script('operations/two', A.pending(undefined, 1000));
      const lro = poller.resume(D.images, 'operations/two');
      const a = new AbortController();
      const b = new AbortController();
      const pa = lro.poll({ signal: a.signal });
      const pb = lro.poll({ signal: b.signal });
      a.abort();
      assert.ok(errorOf(await state(pa)) instanceof LroAbortedError);
      a.abort();
      const r = await clock.run(pb);
      assert.ok(r.ok);
      assert.equal(ops.calls.length, 1);
      assert.equal(ops.calls[0]?.aborted, false);
    });

    it('a poll with a signal leaves the call to a wait that still needs it', async () => {
      const { clock, ops, poller } = setup();
      ops.script('operations/pw', A.pending(undefined, 1000), A.done(imagesResponse('gs://pw/')));
      const lro = poller.resume(D.images, 'operations/pw');
      const ac = new AbortController();
      const p = lro.poll({ signal: ac.signal });
      const wait = lro.wait();
      ac.abort();
      assert.ok(errorOf(await state(p)) instanceof LroAbortedError);
      const r = await clock.run(wait);
      assert.ok(r.ok);
      assert.equal(ops.calls[0]?.aborted, false);
      assert.deepEqual(getTimes(ops), [0, 1500]);
    });

    it('on a done handle answers the last snapshot with no call', async () => {
      const { ops, poller } = setup();
      const op = { ...started('operations/pd'), done: true, response: imagesResponse('gs://pd/') };
      const lro = poller.fromOperation(D.images, op);
      assert.equal(await lro.poll(), op);
      assert.equal(ops.calls.length, 0);
    });
  });

  describe('cancel() and delete()', () => {
    it('cancel() sends one CancelOperation, shared by concurrent callers; then the waits look again at once', async () => {
      const { clock, ops, poller } = setup();
      ops.script('operations/cx', A.pending());
      const lro = poller.resume(D.files, 'operations/cx');
      const wait = lro.wait();
      await clock.advance(100);
      assert.deepEqual(getTimes(ops), [0]);
      const c1 = lro.cancel();
      const c2 = lro.cancel();
      assert.equal(c1, c2);
      assert.equal(await c1, undefined);
      assert.equal(ops.of('CancelOperation').length, 1);
      assert.equal(ops.of('CancelOperation')[0]?.timeout, 30_000);
      const r = await clock.run(wait);
      assert.ok(!r.ok && r.error instanceof LroOperationError);
      assert.equal(r.error.cancelled, true);
      assert.equal(r.at, 100);
      assert.deepEqual(getTimes(ops), [0, 100]);
      assert.equal(await lro.cancel(), undefined);
      assert.equal(ops.of('CancelOperation').length, 1, 'nothing once the operation is done');
    });

    it('a cancel() after the first one settled sends again; without waits it schedules nothing', async () => {
      const { clock, ops, poller } = setup();
      const lro = poller.resume(D.files, 'operations/cy');
      await lro.cancel({ timeout: 77 });
      assert.equal(poller.stats().scheduled, 0);
      assert.equal(clock.pending, 0);
      ops.cancelError = new VisionError(Code.UNIMPLEMENTED, 'no cancel here');
      const e = await lro.cancel().catch((err: unknown) => err);
      assert.ok(e instanceof LroRequestError);
      assert.equal(e.rpc, 'CancelOperation');
      assert.equal(e.code, Code.UNIMPLEMENTED);
      assert.equal(e.target, 'fake CancelOperation operations/cy');
      assert.equal(e.handle, undefined);
      assert.equal(e.rawMessage, 'CancelOperation of "operations/cy" failed (fake CancelOperation operations/cy): no cancel here');
      assert.deepEqual(
        ops.of('CancelOperation').map((c) => c.timeout),
        [77, 30_000],
      );
    });

    it('a cancel() while a poll is in flight leaves that poll to finish', async () => {
      const { clock, ops, poller } = setup();
      ops.script('operations/cf', A.pending(undefined, 1000));
      const lro = poller.resume(D.files, 'operations/cf');
      const wait = lro.wait();
      await clock.advance(10);
      await lro.cancel();
      const r = await clock.run(wait);
      assert.ok(!r.ok && r.error instanceof LroOperationError);
      assert.equal(r.error.cancelled, true);
      assert.equal(ops.calls[0]?.aborted, false);
      assert.deepEqual(getTimes(ops), [0, 21_000]);
    });

    it('delete() sends DeleteOperation and changes nothing locally; its failure is a request error', async () => {
      const { ops, poller } = setup();
      const lro = poller.fromOperation(D.images, { ...started('operations/del'), done: true, response: imagesResponse('gs://d/') });
      await lro.delete();
      await lro.delete({ timeout: 5 });
      assert.deepEqual(
        ops.of('DeleteOperation').map((c) => [c.name, c.timeout]),
        [
          ['operations/del', 30_000],
          ['operations/del', 5],
        ],
      );
      assert.equal(lro.done, true);
      ops.deleteError = new VisionError(Code.PERMISSION_DENIED, 'not yours');
      const e = await lro.delete().catch((err: unknown) => err);
      assert.ok(e instanceof LroRequestError);
      assert.equal(e.rpc, 'DeleteOperation');
      assert.equal(e.code, Code.PERMISSION_DENIED);
      assert.equal(e.target, 'fake DeleteOperation operations/del');
      assert.equal(e.rawMessage, 'DeleteOperation of "operations/del" failed (fake DeleteOperation operations/del): not yours');
    });

    it('a transport that throws from cancel() or delete() gives a request error too', async () => {
      class Throwing extends FakeOperations {
        override cancel(_name: string, _options?: OperationsCallOptions): Promise<void> {
          throw new VisionError(Code.UNAVAILABLE, 'thrown cancel');
        }
        override delete(_name: string, _options?: OperationsCallOptions): Promise<void> {
          throw new VisionError(Code.UNAVAILABLE, 'thrown delete');
        }
      }
      const { poller } = setup((c) => new Throwing(c));
      const lro = poller.resume(D.images, 'operations/tt');
      for (const [call, rpc] of [
        [() => lro.cancel(), 'CancelOperation'],
        [() => lro.delete(), 'DeleteOperation'],
      ] as const) {
        const e = await call().catch((err: unknown) => err);
        assert.ok(e instanceof LroRequestError);
        assert.equal(e.rpc, rpc);
        assert.equal(e.code, Code.UNAVAILABLE);
      }
    });
  });
});

/** The two time fields of a saved handle (their values are checked elsewhere). */
function pickTimes(handle: unknown): { startTime: string; deadline: string } {
  const h = handle as { startTime: string; deadline: string };
  return { startTime: h.startTime, deadline: h.deadline };
}
