/**
 * One AbortSignal shared by many calls in flight (a page cancelling all its
 * work, a CLI's Ctrl-C): every call and every wait on it adds at most one
 * `abort` listener in all, so no MaxListenersExceededWarning at 11 calls;
 * aborting cancels them all with CANCELLED; once they settle no listener is
 * left. Over the memory transport (the frame every transport shares) and the
 * poller.
 */
import assert from 'node:assert/strict';
import { Code, createClient, createRawClient, ProductSearch, VisionError } from 'vision-kit';
import { createMemoryTransport } from 'vision-kit/testing';
import { abortListenerCount, watchLeaks } from './support/leak-watch.js';

const PS = 'google.cloud.vision.v1p4beta1.ProductSearch';
const OPS = 'google.longrunning.Operations';
const PRODUCTS = 'projects/p/locations/us-west1/products';

describe('reliability: one signal shared by many calls', () => {
  it('500 concurrent calls add one abort listener, finish without a warning, and leave none', async () => {
    const watch = watchLeaks();
    const transport = createMemoryTransport({
      [PS]: { GetProduct: async (req) => new Promise((r) => setTimeout(() => r({ name: (req as { name: string }).name }), 5)) },
    });
    const ps = createRawClient(ProductSearch, transport);
    const controller = new AbortController();
    const calls = Array.from({ length: 500 }, (_, i) => ps.getProduct({ name: `${PRODUCTS}/p${i}` }, { signal: controller.signal }));
    assert.equal(abortListenerCount(controller.signal), 1);
    const answers = await Promise.all(calls);
    assert.equal(answers[499]?.name, `${PRODUCTS}/p499`);
    assert.equal(abortListenerCount(controller.signal), 0);
    transport.close();
    const report = await watch.stop();
    assert.deepEqual(
      report.warnings.map((w) => w.message),
      [],
    );
    assert.deepEqual(report.pendingTimers, []);
  });

  it('aborting the shared signal cancels every call in flight with CANCELLED, and every poller wait', async () => {
    const watch = watchLeaks();
    const never = (): Promise<object> => new Promise(() => undefined);
    const transport = createMemoryTransport({
      [PS]: { GetProduct: never, ImportProductSets: () => ({ name: 'projects/p/locations/us-west1/operations/1', done: false }) },
      [OPS]: { GetOperation: () => ({ name: 'projects/p/locations/us-west1/operations/1', done: false }) },
    });
    const ps = createRawClient(ProductSearch, transport);
    const lros = createClient(ProductSearch, transport, { lro: { schedule: { initialDelay: 5, maxDelay: 10 } } });
    const controller = new AbortController();
    const calls = Array.from({ length: 50 }, (_, i) => ps.getProduct({ name: `${PRODUCTS}/p${i}` }, { signal: controller.signal }));
    const op = await lros.importProductSets({ parent: 'projects/p/locations/us-west1' });
    const waits = Array.from({ length: 50 }, () => op.wait({ signal: controller.signal }));
    assert.ok(abortListenerCount(controller.signal) <= 2, `${abortListenerCount(controller.signal)} listeners`);
    await new Promise((r) => setTimeout(r, 30));
    controller.abort(new Error('user left the page'));
    for (const r of await Promise.allSettled([...calls, ...waits])) {
      assert.equal(r.status, 'rejected');
      const e = (r as PromiseRejectedResult).reason as unknown;
      assert.ok(e instanceof VisionError && e.code === Code.CANCELLED, String(e));
    }
    assert.equal(abortListenerCount(controller.signal), 0);
    transport.close();
    const report = await watch.stop();
    assert.deepEqual(
      report.warnings.map((w) => w.message),
      [],
    );
    assert.deepEqual(report.pendingTimers, []);
    assert.deepEqual(report.unhandledRejections, []);
  });
});
