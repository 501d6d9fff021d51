import assert from 'node:assert/strict';
import { Code, DEFAULT_RETRY, type MethodRef, VisionError } from 'vision-kit';
import { SERVICES } from 'vision-kit/gen/schema/services.js';
import { createMemoryTransport } from 'vision-kit/testing';
import { backoffMs, isIdempotent, resolveRetry } from '../../src/transport/retry.js';

const PS = 'google.cloud.vision.v1p4beta1.ProductSearch';
const OPS = 'google.longrunning.Operations';
const IA = 'google.cloud.vision.v1p4beta1.ImageAnnotator';

function ref(service: string, name: string): MethodRef {
  const method = SERVICES[service]?.find((m) => m.name === name);
  if (!method) throw new Error(`no ${name}`);
  return { service, method };
}

/** A memory transport whose handler fails `failures` times with `code`, then answers; counts calls. */
function flaky(service: string, method: string, failures: number, code: Code = Code.UNAVAILABLE) {
  const state = { calls: 0 };
  const transport = createMemoryTransport({
    [service]: {
      [method]: (request) => {
        state.calls++;
        if (state.calls <= failures) throw new VisionError(code, `injected failure ${state.calls}`);
        return { name: (request as { name?: string }).name ?? '' };
      },
    },
  });
  return { state, transport };
}

describe('transport: retry policy', () => {
  it('retries by default exactly the Get/List/Delete methods of ProductSearch and Operations', () => {
    for (const [service, rows] of Object.entries(SERVICES)) {
      for (const row of rows) {
        const want = service !== IA && /^(Get|List|Delete)/.test(row.name);
        assert.equal(isIdempotent({ service, method: row }), want, `${service}.${row.name}`);
      }
    }
  });

  it("backs off 100 ms × 1.3 up to 60 s (the service config's numbers)", () => {
    assert.deepEqual(
      [1, 2, 3].map((n) => Math.round(backoffMs(DEFAULT_RETRY, n))),
      [100, 130, 169],
    );
    assert.equal(backoffMs(DEFAULT_RETRY, 40), 60_000);
    assert.deepEqual([...DEFAULT_RETRY.codes].sort(), [Code.DEADLINE_EXCEEDED, Code.UNAVAILABLE].sort());
  });

  it('an idempotent call succeeds after two injected UNAVAILABLE answers', async () => {
    const { state, transport } = flaky(PS, 'GetProduct', 2);
    const product = await transport.unary<{ name: string }>(ref(PS, 'GetProduct'), { name: 'projects/p/locations/us-west1/products/a' });
    assert.equal(product.name, 'projects/p/locations/us-west1/products/a');
    assert.equal(state.calls, 3);
  });

  it('DEADLINE_EXCEEDED from the server is retried too (GetOperation)', async () => {
    const { state, transport } = flaky(OPS, 'GetOperation', 1, Code.DEADLINE_EXCEEDED);
    await transport.unary(ref(OPS, 'GetOperation'), { name: 'operations/1' });
    assert.equal(state.calls, 2);
  });

  it('a non-idempotent call is not retried', async () => {
    const { state, transport } = flaky(PS, 'CreateProduct', 2);
    await assert.rejects(
      transport.unary(ref(PS, 'CreateProduct'), { parent: 'projects/p/locations/us-west1' }),
      (e: unknown) => e instanceof VisionError && e.code === Code.UNAVAILABLE && /injected failure 1/.test(e.message),
    );
    assert.equal(state.calls, 1);
  });

  it('codes outside the policy are not retried', async () => {
    const { state, transport } = flaky(PS, 'GetProduct', 2, Code.NOT_FOUND);
    await assert.rejects(transport.unary(ref(PS, 'GetProduct'), { name: 'n' }), (e: unknown) => (e as VisionError).code === Code.NOT_FOUND);
    assert.equal(state.calls, 1);
  });

  it('retry: false turns retries off; an object turns them on (with its settings) for any method', async () => {
    const off = flaky(PS, 'GetProduct', 2);
    await assert.rejects(off.transport.unary(ref(PS, 'GetProduct'), { name: 'n' }, { retry: false }));
    assert.equal(off.state.calls, 1);

    const capped = flaky(PS, 'GetProduct', 5);
    await assert.rejects(capped.transport.unary(ref(PS, 'GetProduct'), { name: 'n' }, { retry: { maxAttempts: 2, initialBackoffMs: 1 } }));
    assert.equal(capped.state.calls, 2);

    const forced = flaky(PS, 'CreateProduct', 2);
    await forced.transport.unary(ref(PS, 'CreateProduct'), { parent: 'x' }, { retry: { initialBackoffMs: 1 } });
    assert.equal(forced.state.calls, 3);
    assert.equal(resolveRetry(ref(PS, 'CreateProduct'), undefined), undefined);
  });

  it("retries stop at the call's deadline", async () => {
    const { state, transport } = flaky(PS, 'ListProducts', Number.POSITIVE_INFINITY);
    const t0 = performance.now();
    await assert.rejects(
      transport.unary(
        ref(PS, 'ListProducts'),
        { parent: 'p' },
        { timeout: 250, retry: { initialBackoffMs: 20, multiplier: 1, jitter: 0 } },
      ),
      (e: unknown) => e instanceof VisionError && (e.code === Code.UNAVAILABLE || e.code === Code.DEADLINE_EXCEEDED),
    );
    const elapsed = performance.now() - t0;
    assert.ok(elapsed < 1000, `stopped after ${elapsed} ms`);
    assert.ok(state.calls >= 3 && state.calls <= 14, `${state.calls} calls`);
  });

  it("waits at least the server's RetryInfo delay before retrying", async () => {
    let calls = 0;
    const times: number[] = [];
    const transport = createMemoryTransport({
      [PS]: {
        GetProduct: () => {
          times.push(performance.now());
          if (++calls === 1) {
            throw new VisionError(Code.UNAVAILABLE, 'busy', {
              details: [{ type: 'google.rpc.RetryInfo', value: { retryDelay: { seconds: '0', nanos: 150_000_000 } } }],
            });
          }
          return {};
        },
      },
    });
    await transport.unary(ref(PS, 'GetProduct'), { name: 'n' }, { retry: { initialBackoffMs: 1 } });
    assert.equal(calls, 2);
    assert.ok((times[1] ?? 0) - (times[0] ?? 0) >= 145, `waited ${(times[1] ?? 0) - (times[0] ?? 0)} ms`);
  });

  it('an abort during a backoff wait rejects at once with CANCELLED', async () => {
    const { state, transport } = flaky(PS, 'GetProduct', Number.POSITIVE_INFINITY);
    const controller = new AbortController();
    const pending = transport.unary(
      ref(PS, 'GetProduct'),
      { name: 'n' },
      {
        signal: controller.signal,
        retry: { initialBackoffMs: 60_000, jitter: 0 },
      },
    );
    await new Promise((r) => setTimeout(r, 30));
    const t0 = performance.now();
    controller.abort();
    await assert.rejects(pending, (e: unknown) => e instanceof VisionError && e.code === Code.CANCELLED);
    assert.ok(performance.now() - t0 < 100);
    assert.equal(state.calls, 1);
  });
});
