/**
 * The gRPC transport's fast path. Calls without a caller signal: no linked
 * signal, listener or timer of ours (grpc-js enforces the deadline through
 * its `deadline` call option), yet deadlines, retries bounded by the
 * deadline, and cleanup hold as on every other path. Requests are encoded
 * through one shared writer: large and small requests in any order arrive
 * intact.
 */
import assert from 'node:assert/strict';
import { Code, createGrpcTransport, type Transport, VisionError } from 'vision-kit';
import type { MemoryHandlers } from 'vision-kit/testing';
import { timersFromSrc, watchLeaks } from '../reliability/support/leak-watch.js';
import { eventually, methodRef } from './support/behaviour-suite.js';
import { FIXTURE_HANDLERS } from './support/fixture-service.js';
import { type GrpcTestServer, startGrpcTestServer } from './support/grpc-test-server.js';

const PS = 'google.cloud.vision.v1p4beta1.ProductSearch';
const IA = 'google.cloud.vision.v1p4beta1.ImageAnnotator';

describe('transport: gRPC calls without a caller signal', () => {
  let server: GrpcTestServer;
  let transport: Transport;
  let listCalls = 0;
  const handlers: MemoryHandlers = {
    ...FIXTURE_HANDLERS,
    [IA]: {
      ...FIXTURE_HANDLERS[IA],
      // Answers with a digest of every image it got: the size and a sum of the bytes.
      BatchAnnotateImages: (request) => ({
        responses: (request as { requests: { image?: { content: Uint8Array } }[] }).requests.map((r) => {
          const bytes = r.image?.content ?? new Uint8Array();
          return { error: { code: 0, message: `${bytes.length}:${bytes.reduce((a, b) => (a + b) % 65521, 0)}`, details: [] } };
        }),
      }),
    },
    [PS]: {
      ...FIXTURE_HANDLERS[PS],
      // Never answers.
      CreateProduct: () => new Promise<object>(() => undefined),
      // Always busy.
      ListProducts: () => {
        listCalls++;
        throw new VisionError(Code.UNAVAILABLE, 'busy');
      },
    },
  };
  before(async () => {
    server = await startGrpcTestServer(handlers);
    transport = createGrpcTransport({ endpoint: server.address });
    // Connect before any watch starts (the channel's own timers are not the call's).
    await transport.unary(methodRef(PS, 'GetProduct'), { name: 'projects/p/locations/us-west1/products/x' });
  });
  after(async () => {
    transport.close();
    await server.close();
  });

  it('the deadline is still enforced: DEADLINE_EXCEEDED on time, the server sees the cancellation, nothing is left', async () => {
    const watch = watchLeaks();
    const before = server.cancelled.length;
    const t0 = performance.now();
    const err = await transport
      .unary(methodRef(PS, 'CreateProduct'), { parent: 'projects/p/locations/us-west1' }, { timeout: 150 })
      .catch((e: unknown) => e);
    const elapsed = performance.now() - t0;
    assert.ok(err instanceof VisionError, String(err));
    assert.equal(err.code, Code.DEADLINE_EXCEEDED);
    assert.ok(elapsed >= 140 && elapsed < 1500, `rejected after ${elapsed} ms`);
    await eventually(() => server.cancelled.length > before, 'the server saw the call end');
    const report = await watch.stop(500);
    assert.deepEqual(timersFromSrc(report.pendingTimers), []);
    assert.deepEqual(report.unhandledRejections, []);
  });

  it('500 concurrent successful calls leave no timer, listener or warning behind', async () => {
    const watch = watchLeaks();
    const ref = methodRef(PS, 'GetProduct');
    const answers = await Promise.all(
      Array.from({ length: 500 }, (_, i) =>
        transport.unary<{ name: string }>(ref, { name: `projects/p/locations/us-west1/products/p${i}` }),
      ),
    );
    assert.equal(answers[499]?.name, 'projects/p/locations/us-west1/products/p499');
    const report = await watch.stop(500);
    assert.deepEqual(timersFromSrc(report.pendingTimers), []);
    assert.deepEqual(
      report.warnings.map((w) => w.message),
      [],
    );
    assert.deepEqual(report.unhandledRejections, []);
  });

  it('retries without a signal are bounded by the deadline and leave no timer behind', async () => {
    const watch = watchLeaks();
    listCalls = 0;
    const t0 = performance.now();
    const err = await transport
      .unary(
        methodRef(PS, 'ListProducts'),
        { parent: 'projects/p/locations/us-west1' },
        {
          timeout: 300,
          retry: { initialBackoffMs: 20, multiplier: 1, jitter: 0 },
        },
      )
      .catch((e: unknown) => e);
    const elapsed = performance.now() - t0;
    assert.ok(err instanceof VisionError, String(err));
    assert.ok(err.code === Code.UNAVAILABLE || err.code === Code.DEADLINE_EXCEEDED, err.message);
    assert.ok(elapsed < 1500, `stopped after ${elapsed} ms`);
    assert.ok(listCalls >= 3 && listCalls <= 16, `${listCalls} calls`);
    const report = await watch.stop(500);
    assert.deepEqual(timersFromSrc(report.pendingTimers), []);
  });

  it('a deadline already past rejects at once, before any I/O', async () => {
    const seen = server.metadata.length;
    await assert.rejects(
      transport.unary(methodRef(PS, 'GetProduct'), { name: 'projects/p/locations/us-west1/products/x' }, { timeout: 0 }),
      (e: unknown) => e instanceof VisionError && e.code === Code.DEADLINE_EXCEEDED,
    );
    assert.equal(server.metadata.length, seen, 'the server saw nothing');
  });

  it('a fixed token and call headers still travel without a signal; the token stays out of errors', async () => {
    const token = 'ya29.fixed-secret-token';
    const authed = createGrpcTransport({ endpoint: server.address, token });
    try {
      const name = 'projects/p/locations/us-west1/products/missing';
      const err = await authed
        .unary(methodRef(PS, 'GetProduct'), { name }, { headers: { 'X-Vision-Test': 'abc' } })
        .catch((e: unknown) => e);
      assert.ok(err instanceof VisionError && err.code === Code.NOT_FOUND, String(err));
      const last = server.metadata.at(-1) ?? {};
      assert.equal(last['authorization'], `Bearer ${token}`);
      assert.equal(last['x-vision-test'], 'abc');
      assert.ok(!`${err.message}${err.stack}${JSON.stringify(err)}`.includes('fixed-secret'));
    } finally {
      authed.close();
    }
  });

  it('large and small requests in any order (one shared encoding buffer) reach the server intact', async () => {
    const ref = methodRef(IA, 'BatchAnnotateImages');
    const image = (size: number, seed: number): Uint8Array => Uint8Array.from({ length: size }, (_, i) => (i * 31 + seed) % 251);
    const digest = (bytes: Uint8Array): string => `${bytes.length}:${bytes.reduce((a, b) => (a + b) % 65521, 0)}`;
    const sizes = [10, 300_000, 7, 70_000, 1, 65_536, 200, 2_000_000, 3];
    // All at once: each request's bytes must be its own by the time grpc-js sends them.
    const calls = sizes.map((size, i) => {
      const images = [image(size, i), image(size >> 1, i + 1)];
      const answer = transport.unary<{ responses: { error?: { message: string } }[] }>(ref, {
        requests: images.map((content) => ({ image: { content }, features: [{ type: 4 }] })),
      });
      return { images, answer };
    });
    for (const [i, { images, answer }] of calls.entries()) {
      assert.deepEqual(
        (await answer).responses.map((r) => r.error?.message),
        images.map(digest),
        `request ${i} (${sizes[i]} bytes)`,
      );
    }
  });
});
