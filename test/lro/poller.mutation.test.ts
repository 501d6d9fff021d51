/**
 * The poller (src/lro/poller.ts) on fake time, pinned by value: what its
 * option checks refuse and say, which deadline each way of making a handle
 * gives it (and what a timeout then reports), when the first poll goes out
 * with the poller's own randomness, and when the routing check runs. Fast
 * and in-process: this is the file the mutation run of the poller leans on.
 */
import assert from 'node:assert/strict';
import {
  Code,
  createPoller,
  type LroDescriptor,
  LroHandleError,
  LroRoutingError,
  LroTimeoutError,
  type OperationsRpc,
  VisionError,
} from 'vision-kit';
import type { Operation } from 'vision-kit/gen/google/longrunning/operations.js';
import { flush } from './support/fake-clock.js';
import { A, FakeOperations } from './support/fake-operations.js';
import { imagesResponse } from './support/messages.js';
import { D, rig, started } from './support/setup.js';

/** The INVALID_ARGUMENT VisionError `fn` throws, with exactly `message`. */
function refuses(fn: () => unknown, message: string, type: abstract new (...args: never[]) => VisionError = VisionError): void {
  assert.throws(fn, (e: unknown) => {
    assert.ok(e instanceof type, `expected a ${type.name}, got ${String(e)}`);
    assert.equal(e.code, Code.INVALID_ARGUMENT);
    assert.equal(e.rawMessage, message);
    return true;
  });
}

/** A fake transport whose `describe` records its calls and answers by `answer`. */
class Describing extends FakeOperations {
  asked: [OperationsRpc, string, unknown][] = [];
  where: (name: string) => string = (name) => `fake ${name}`;
  override describe(rpc: OperationsRpc, name: string, routes?: unknown): string {
    this.asked.push([rpc, name, routes]);
    return this.where(name);
  }
}

const IMAGES_TOTAL = 300_000;

describe('poller, pinned by value (mutation tests)', () => {
  describe('createPoller', () => {
    it('refuses options that are not an object, and a transport that is not one', () => {
      refuses(() => createPoller(null as never), 'createPoller: options must be an object, got null');
      refuses(() => createPoller({} as never), 'createPoller: options.transport must be an object, got undefined');
      // A Transport (unary) where an OperationsTransport belongs, as plain JavaScript can give: refused now, not at the first poll.
      refuses(
        () => createPoller({ transport: { kind: 'rest', unary: () => undefined } as never }),
        'createPoller: options.transport.get (wrap a Transport with createOperationsTransport) must be a function, got undefined',
      );
    });

    it('refuses an option it does not know (a misspelt name), naming all it knows', () => {
      const { ops } = rig();
      refuses(
        () => createPoller({ transport: ops, maxInflight: 3 } as never),
        'createPoller: maxInflight is not an option; the options are transport, maxInFlight, schedule, clock, random, unpack',
      );
    });

    it('refuses a maxInFlight that is not a whole number ≥ 1, and takes 1', () => {
      const { ops, clock } = rig();
      for (const bad of [0, -1, 1.5, Number.NaN]) {
        refuses(() => createPoller({ transport: ops, clock, maxInFlight: bad }), `maxInFlight must be a whole number ≥ 1, got ${bad}`);
      }
      const poller = createPoller({ transport: ops, clock, maxInFlight: 1 });
      assert.equal(poller.transport, ops);
    });

    it('draws jitter from its own random source', async () => {
      for (const [r, at] of [
        [0, 1000],
        [1, 500],
      ] as const) {
        const { ops, clock } = rig();
        const poller = createPoller({
          transport: ops,
          clock,
          random: () => r,
          schedule: { initialDelay: 1000, multiplier: 1, maxDelay: 1000, jitter: 0.5 },
        });
        ops.script('operations/j', A.done(imagesResponse('gs://j/')));
        const wait = poller.fromOperation(D.images, started('operations/j')).wait();
        await clock.advance(5000);
        await wait;
        assert.deepEqual(
          ops.of('GetOperation').map((c) => c.at),
          [at],
        );
      }
    });
  });

  describe('fromOperation', () => {
    it('refuses a descriptor that is not an object, and a response with no name', () => {
      const { poller } = rig();
      refuses(
        () => poller.fromOperation(null as never, started('operations/x')),
        'fromOperation: descriptor (from descriptorOf(client.method) or VISION_OPERATIONS) must be an object, got null',
      );
      const msg = `cannot resume operation: the response of ${D.images.method} is not an Operation with a name`;
      refuses(() => poller.fromOperation(D.images, undefined as never), msg, LroHandleError);
      refuses(() => poller.fromOperation(D.images, started('')), msg, LroHandleError);
      refuses(() => poller.fromOperation(D.images, { ...started('x'), name: 7 } as never), msg, LroHandleError);
    });

    it('asks the transport where a pending operation would be polled (its GetOperation, with the routes), but not for a done one', () => {
      const { clock } = rig();
      const ops = new Describing(clock);
      const poller = createPoller({ transport: ops, clock });
      poller.fromOperation(D.images, started('operations/p'));
      assert.deepEqual(ops.asked, [['GetOperation', 'operations/p', D.images.routes]]);
      const done: Operation = { ...started('operations/d'), done: true, response: imagesResponse('gs://d/') };
      poller.fromOperation(D.images, done);
      assert.equal(ops.asked.length, 1);
    });

    it('throws the routing error of a pending operation, sends nothing, and lets other failures of describe pass', () => {
      const { clock } = rig();
      const ops = new Describing(clock);
      const poller = createPoller({ transport: ops, clock });
      const routing = new LroRoutingError('GetOperation', 'jobs/1', ['GET /v1/{name=operations/*}']);
      ops.where = (name) => {
        if (name === 'jobs/1') throw routing;
        throw new Error('describe broke');
      };
      assert.throws(
        () => poller.fromOperation(D.images, started('jobs/1')),
        (e: unknown) => e === routing,
      );
      assert.equal(poller.fromOperation(D.images, started('operations/2')).name, 'operations/2');
      // A done operation is never polled: its name need not route.
      const done = poller.fromOperation(D.images, { ...started('jobs/1'), done: true, response: imagesResponse('gs://r/') });
      assert.equal(done.done, true);
      assert.equal(ops.calls.length, 0);
    });

    it('works over a transport without describe', () => {
      const { clock } = rig();
      const ops = new FakeOperations(clock);
      const bare = { kind: 'bare', get: ops.get.bind(ops), cancel: ops.cancel.bind(ops), delete: ops.delete.bind(ops) };
      const poller = createPoller({ transport: bare, clock });
      assert.equal(poller.fromOperation(D.images, started('operations/b')).name, 'operations/b');
    });

    it('without a deadline: start + total, and a timeout reports that span', async () => {
      const { clock, ops, poller } = rig();
      ops.script('operations/t', A.pending());
      const wall = clock.wallNow();
      const lro = poller.fromOperation(D.images, started('operations/t'));
      assert.equal(lro.deadline?.getTime(), wall + IMAGES_TOTAL);
      const wait = lro.wait().catch((e: unknown) => e);
      await clock.advance(IMAGES_TOTAL);
      const err = await wait;
      assert.ok(err instanceof LroTimeoutError);
      assert.equal(err.timeoutMs, IMAGES_TOTAL);
    });

    it('with a deadline (a Date or epoch ms): that deadline, and a timeout reports no span', async () => {
      for (const as of ['date', 'number'] as const) {
        const { clock, ops, poller } = rig();
        ops.script('operations/e', A.pending());
        await clock.advance(50);
        const at = clock.wallNow() + 2000;
        const lro = poller.fromOperation(D.images, started('operations/e'), { deadline: as === 'date' ? new Date(at) : at });
        assert.equal(lro.deadline?.getTime(), at);
        const wait = lro.wait().catch((e: unknown) => e);
        await clock.advance(1999);
        assert.equal(clock.now(), 2049);
        let settled = false;
        void wait.then(() => {
          settled = true;
        });
        await flush();
        assert.equal(settled, false);
        await clock.advance(1);
        await flush();
        assert.equal(settled, true, 'not settled at its deadline');
        const err = await wait;
        assert.ok(err instanceof LroTimeoutError);
        assert.equal(err.timeoutMs, undefined);
      }
    });

    it('refuses a deadline that is not a date', () => {
      const { poller } = rig();
      for (const bad of [new Date(Number.NaN), Number.NaN, 'tomorrow' as never]) {
        refuses(
          () => poller.fromOperation(D.images, started('operations/n'), { deadline: bad }),
          'cannot resume operation: the deadline is not a valid date',
          LroHandleError,
        );
      }
    });
  });

  describe('resume', () => {
    it('refuses a descriptor that is not an object and an empty name', () => {
      const { poller } = rig();
      refuses(
        () => poller.resume(null as never, 'operations/x'),
        'resume: descriptor (from descriptorOf(client.method) or VISION_OPERATIONS) must be an object, got null',
      );
      refuses(() => poller.resume(D.images, ''), 'cannot resume operation: the operation name is empty', LroHandleError);
      // A saved handle passed as its JSON text (JSON.parse forgotten) is not taken for a name.
      refuses(
        () => poller.resume(D.images, JSON.stringify({ name: 'operations/x', method: D.images.method })),
        'cannot resume operation: the name is JSON: JSON.parse a saved handle',
        LroHandleError,
      );
    });

    it('by name: the deadline is now + the total', async () => {
      const { clock, poller } = rig();
      await clock.advance(70);
      const lro = poller.resume(D.images, 'operations/r');
      assert.equal(lro.deadline?.getTime(), clock.wallNow() + IMAGES_TOTAL);
    });

    it('a deadline option replaces the name’s and the saved handle’s deadline, and the wait times out then', async () => {
      for (const from of ['name', 'saved'] as const) {
        const { clock, ops, poller } = rig();
        await clock.advance(100);
        const wall = clock.wallNow();
        const saved = {
          name: 'operations/s',
          method: D.images.method,
          startTime: new Date(wall - 5000).toISOString(),
          deadline: new Date(wall + 900_000).toISOString(),
        };
        ops.script('operations/s', A.pending());
        const lro = poller.resume(D.images as LroDescriptor<unknown, unknown>, from === 'name' ? 'operations/s' : saved, {
          deadline: wall + 1500,
        });
        assert.equal(lro.deadline?.getTime(), wall + 1500);
        const wait = lro.wait().catch((e: unknown) => e);
        await clock.advance(1499);
        let settled = false;
        void wait.then(() => {
          settled = true;
        });
        await flush();
        assert.equal(settled, false, `${from}: settled before its deadline`);
        await clock.advance(1);
        await flush();
        assert.equal(settled, true, 'not settled at its deadline');
        const err = await wait;
        assert.ok(err instanceof LroTimeoutError, from);
        assert.equal(err.timeoutMs, undefined);
        assert.equal(clock.now(), 1600);
      }
    });
  });
});
