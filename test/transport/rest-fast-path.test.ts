/**
 * What the REST transport gives fetch to follow: the call's signal when
 * there is a deadline or a caller's signal (so either stops the request on
 * the wire), and nothing at all for a call with neither (`timeout:
 * Infinity`, no signal): then the call registers no listener or timer.
 */
import assert from 'node:assert/strict';
import { Code, createRestTransport, type Transport, VisionError } from 'vision-kit';
import type { MemoryHandlers } from 'vision-kit/testing';
import { timersFromSrc, watchLeaks } from '../reliability/support/leak-watch.js';
import { eventually, methodRef } from './support/behaviour-suite.js';
import { FIXTURE_HANDLERS } from './support/fixture-service.js';
import { type RestTestServer, startRestTestServer } from './support/rest-test-server.js';

const PS = 'google.cloud.vision.v1p4beta1.ProductSearch';
const PARENT = 'projects/p/locations/us-west1';

describe('transport: REST signals on the wire', () => {
  let server: RestTestServer;
  let transport: Transport;
  const handlers: MemoryHandlers = {
    ...FIXTURE_HANDLERS,
    // Never answers.
    [PS]: { ...FIXTURE_HANDLERS[PS], CreateProduct: () => new Promise<object>(() => undefined) },
  };
  before(async () => {
    server = await startRestTestServer(handlers);
    transport = createRestTransport({ baseUrl: server.baseUrl });
    await transport.unary(methodRef(PS, 'GetProduct'), { name: `${PARENT}/products/x` });
  });
  after(async () => {
    transport.close();
    await server.close();
  });

  it('a deadline stops the request on the wire (the server sees it go) and rejects with DEADLINE_EXCEEDED', async () => {
    const before = server.cancelled.length;
    const t0 = performance.now();
    const err = await transport.unary(methodRef(PS, 'CreateProduct'), { parent: PARENT }, { timeout: 150 }).catch((e: unknown) => e);
    assert.ok(err instanceof VisionError && err.code === Code.DEADLINE_EXCEEDED, String(err));
    assert.ok(performance.now() - t0 < 1500);
    await eventually(() => server.cancelled.length > before, 'the server saw the request go');
  });

  it('without a deadline or a signal, a call registers nothing', async () => {
    const watch = watchLeaks();
    const answers = await Promise.all(
      Array.from({ length: 50 }, (_, i) =>
        transport.unary<{ name: string }>(
          methodRef(PS, 'GetProduct'),
          { name: `${PARENT}/products/p${i}` },
          { timeout: Number.POSITIVE_INFINITY },
        ),
      ),
    );
    assert.equal(answers[49]?.name, `${PARENT}/products/p49`);
    const report = await watch.stop(500);
    assert.deepEqual(timersFromSrc(report.pendingTimers), []);
    assert.deepEqual(report.unhandledRejections, []);
  });

  it("without a deadline, the caller's abort still stops the request on the wire with CANCELLED", async () => {
    const before = server.cancelled.length;
    const controller = new AbortController();
    const pending = transport.unary(
      methodRef(PS, 'CreateProduct'),
      { parent: PARENT },
      { timeout: Number.POSITIVE_INFINITY, signal: controller.signal },
    );
    await new Promise((r) => setTimeout(r, 50));
    controller.abort();
    await assert.rejects(pending, (e: unknown) => e instanceof VisionError && e.code === Code.CANCELLED);
    await eventually(() => server.cancelled.length > before, 'the server saw the request go');
  });
});
