import assert from 'node:assert/strict';
import { getEventListeners } from 'node:events';
import { Code, VisionError } from 'vision-kit';
import { abortError, createCallSignal } from '../../src/core/call-signal.js';
import { raceSignal } from '../../src/core/race-signal.js';
import { sleep } from '../../src/core/sleep.js';

/** Number of pending timers of this process. */
function timers(): number {
  return process.getActiveResourcesInfo().filter((r) => r === 'Timeout').length;
}

describe('core: call signals, abort-aware sleep, race', () => {
  it('a deadline aborts the linked signal with DEADLINE_EXCEEDED and removes the parent listener', async () => {
    const parent = new AbortController();
    const call = createCallSignal({ signal: parent.signal, timeoutMs: 20 });
    const linked = call.signal; // made (and linked) on first read
    assert.equal(getEventListeners(parent.signal, 'abort').length, 1);
    await new Promise((r) => linked.addEventListener('abort', r, { once: true }));
    const reason = abortError(call.signal);
    assert.equal(reason.code, Code.DEADLINE_EXCEEDED);
    assert.equal(getEventListeners(parent.signal, 'abort').length, 0);
  });

  it("the caller's abort becomes CANCELLED, keeping the caller's reason as cause", () => {
    const parent = new AbortController();
    const call = createCallSignal({ signal: parent.signal, timeoutMs: 60_000 });
    assert.equal(call.signal.aborted, false);
    const before = timers();
    parent.abort(new Error('user went away'));
    assert.equal(call.signal.aborted, true);
    const reason = abortError(call.signal);
    assert.equal(reason.code, Code.CANCELLED);
    assert.match(reason.rawMessage, /user went away/);
    assert.equal(timers(), before - 1, 'the deadline timer is cleared');
  });

  it('dispose() after a normal end leaves no listener and no timer, 10,000 times over', () => {
    const parent = new AbortController();
    const before = timers();
    for (let i = 0; i < 10_000; i++) {
      const call = createCallSignal({ signal: parent.signal, timeoutMs: 600_000 });
      if (i % 2 === 0) assert.equal(call.signal.aborted, false); // half of them linked, half never read
      call.dispose();
      call.dispose();
    }
    assert.equal(getEventListeners(parent.signal, 'abort').length, 0);
    assert.equal(timers(), before);
  });

  it('an already aborted caller signal gives an aborted call signal at once', () => {
    const call = createCallSignal({ signal: AbortSignal.abort(new VisionError(Code.ABORTED, 'mine')) });
    assert.equal(call.signal.aborted, true);
    assert.equal(abortError(call.signal).code, Code.ABORTED, 'a VisionError reason is kept as is');
  });

  it('a zero timeout is already past its deadline', () => {
    const call = createCallSignal({ timeoutMs: 0 });
    assert.equal(abortError(call.signal).code, Code.DEADLINE_EXCEEDED);
  });

  it('until its signal is read, a call signal registers nothing, yet knows when the caller aborted or the deadline passed', async () => {
    const parent = new AbortController();
    const before = timers();
    const call = createCallSignal({ signal: parent.signal, timeoutMs: 30 });
    assert.equal(getEventListeners(parent.signal, 'abort').length, 0);
    assert.equal(timers(), before);
    assert.equal(call.hasCallerSignal, true);
    const reason = (): VisionError | undefined => call.reason;
    assert.equal(reason(), undefined);
    await new Promise((r) => setTimeout(r, 40));
    assert.ok(call.reason !== undefined);
    assert.equal(reason()?.code, Code.DEADLINE_EXCEEDED);
    parent.abort(new Error('too late'));
    assert.equal(reason()?.code, Code.DEADLINE_EXCEEDED, 'the first reason seen is kept');
    // Read after the deadline: made already aborted, with the same reason and nothing registered.
    const settled = timers();
    assert.equal(call.signal.aborted, true);
    assert.equal(abortError(call.signal).code, Code.DEADLINE_EXCEEDED);
    assert.equal(timers(), settled);
    assert.equal(getEventListeners(parent.signal, 'abort').length, 0);
    call.dispose();

    const other = new AbortController();
    const second = createCallSignal({ signal: other.signal, timeoutMs: 60_000 });
    other.abort(new Error('user went away'));
    assert.equal(second.reason?.code, Code.CANCELLED);
    assert.match(second.reason?.rawMessage ?? '', /user went away/);
    assert.equal(createCallSignal({ timeoutMs: 60_000 }).hasCallerSignal, false);
  });

  it('a signal first read after dispose() is made without a listener or a timer', () => {
    const parent = new AbortController();
    const before = timers();
    const call = createCallSignal({ signal: parent.signal, timeoutMs: 60_000 });
    call.dispose();
    assert.equal(call.signal.aborted, false);
    assert.equal(getEventListeners(parent.signal, 'abort').length, 0);
    assert.equal(timers(), before);
  });

  it('wait() is a plain timer without a caller signal, and rejects at once with CANCELLED when the caller aborts', async () => {
    const plain = createCallSignal({ timeoutMs: 60_000 });
    const t0 = performance.now();
    await plain.wait(15);
    assert.ok(performance.now() - t0 >= 14);
    plain.dispose();

    const parent = new AbortController();
    const call = createCallSignal({ signal: parent.signal, timeoutMs: 60_000 });
    const before = timers();
    const waiting = call.wait(60_000);
    parent.abort(new Error('stop'));
    await assert.rejects(waiting, (e: unknown) => e instanceof VisionError && e.code === Code.CANCELLED);
    call.dispose();
    assert.equal(timers(), before, 'the wait and the deadline timers are cleared');
    assert.equal(getEventListeners(parent.signal, 'abort').length, 0);
  });

  it('sleep resolves after its time and rejects at once with the reason on abort, leaving nothing behind', async () => {
    const c = new AbortController();
    const t0 = performance.now();
    await sleep(15, c.signal);
    assert.ok(performance.now() - t0 >= 14);
    assert.equal(getEventListeners(c.signal, 'abort').length, 0);
    const before = timers();
    const pending = sleep(60_000, c.signal);
    c.abort('stop');
    await assert.rejects(pending, (e) => e === 'stop');
    assert.equal(timers(), before);
    assert.equal(getEventListeners(c.signal, 'abort').length, 0);
  });

  it("sleep past setTimeout's limit (2^31 - 1 ms) waits instead of resolving at once, and still aborts cleanly", async () => {
    const c = new AbortController();
    await sleep(1); // mocha arms its own timeout timer once the test is under way
    const before = timers();
    let settled = false;
    const pending = sleep(2 ** 31 + 10, c.signal).finally(() => (settled = true));
    await sleep(60);
    assert.equal(settled, false, 'a 24.8-day sleep is still sleeping after 60 ms');
    c.abort('stop');
    await assert.rejects(pending, (e) => e === 'stop');
    assert.equal(timers(), before);
    assert.equal(getEventListeners(c.signal, 'abort').length, 0);
  });

  it('raceSignal settles with the promise, or with the reason when the signal wins', async () => {
    const c = new AbortController();
    assert.equal(await raceSignal(Promise.resolve(7), c.signal), 7);
    assert.equal(getEventListeners(c.signal, 'abort').length, 0);
    const never = new Promise<number>(() => undefined);
    const raced = raceSignal(never, c.signal);
    c.abort(new VisionError(Code.CANCELLED, 'x'));
    await assert.rejects(raced, (e) => e instanceof VisionError && e.code === Code.CANCELLED);
  });
});
