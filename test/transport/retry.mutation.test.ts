/**
 * Retry timing and validation pinned by value: the length of each wait (no
 * jitter, full and half jitter, the server's RetryInfo), giving up at once
 * when the next wait would reach the deadline, the attempt cap, and each
 * refusal of a bad `retry` option with its field and range.
 */
import assert from 'node:assert/strict';
import { Code, DEFAULT_RETRY, type MethodRef, type RetryPolicy, VisionError } from 'vision-kit';
import { SERVICES } from 'vision-kit/gen/schema/services.js';
import { createMemoryTransport } from 'vision-kit/testing';
import { backoffMs, checkRetry, resolveRetry, retryWaitMs, serverRetryDelayMs } from '../../src/transport/retry.js';

const PS = 'google.cloud.vision.v1p4beta1.ProductSearch';
const FAR = () => Date.now() + 3_600_000;

function ref(service: string, name: string): MethodRef {
  const method = SERVICES[service]?.find((m) => m.name === name);
  if (!method) throw new Error(`no ${name}`);
  return { service, method };
}

function policy(overrides: Partial<RetryPolicy>): RetryPolicy {
  return { ...DEFAULT_RETRY, ...overrides };
}

function retryInfo(retryDelay: unknown): VisionError {
  return new VisionError(Code.UNAVAILABLE, 'busy', { details: [{ type: 'google.rpc.RetryInfo', value: { retryDelay } }] });
}

function samples(p: RetryPolicy, retry: number, n = 200): number[] {
  return Array.from({ length: n }, () => retryWaitMs(p, retry, new Error('x'), Code.UNAVAILABLE, undefined)!);
}

function refused(retry: unknown, message: string): void {
  assert.throws(
    () => checkRetry('GetProduct', retry),
    (e: unknown) =>
      e instanceof VisionError && e.code === Code.INVALID_ARGUMENT && e.message === `[INVALID_ARGUMENT] GetProduct: ${message}`,
    message,
  );
}

describe('transport: retry waits and refusals, by value', () => {
  it('waits exactly the backoff without jitter: 100, 130, 169 ms, capped by maxBackoffMs', () => {
    const p = policy({ jitter: 0 });
    assert.deepEqual(
      [1, 2, 3].map((n) => retryWaitMs(p, n, new Error('x'), Code.UNAVAILABLE, FAR())),
      [100, 130, 100 * 1.3 ** 2],
    );
    assert.equal(retryWaitMs(policy({ jitter: 0, maxBackoffMs: 120 }), 3, new Error('x'), Code.UNAVAILABLE, undefined), 120);
    assert.equal(backoffMs(policy({ initialBackoffMs: 10, multiplier: 2, maxBackoffMs: 1000 }), 4), 80);
    assert.equal(backoffMs(policy({ initialBackoffMs: 10, multiplier: 2, maxBackoffMs: 50 }), 4), 50);
  });

  it('full jitter (the default) spreads each wait over [0, backoff]; half jitter over [backoff / 2, backoff]', () => {
    const full = samples(DEFAULT_RETRY, 2);
    assert.ok(
      full.every((w) => w >= 0 && w <= 130),
      `out of [0, 130]: ${full.filter((w) => w < 0 || w > 130)}`,
    );
    assert.ok(Math.min(...full) < 40 && Math.max(...full) > 90, `not spread: ${Math.min(...full)}..${Math.max(...full)}`);
    const half = samples(policy({ jitter: 0.5 }), 1);
    assert.ok(
      half.every((w) => w >= 50 && w <= 100),
      `out of [50, 100]: ${half.filter((w) => w < 50 || w > 100)}`,
    );
    assert.ok(Math.min(...half) < 60 && Math.max(...half) > 90, `not spread: ${Math.min(...half)}..${Math.max(...half)}`);
  });

  it('treats a jitter outside 0–1 in a merged policy as its nearest bound', () => {
    const over = samples(policy({ jitter: 3 }), 1);
    assert.ok(
      over.every((w) => w >= 0 && w <= 100),
      `jitter 3: ${over.filter((w) => w < 0 || w > 100)}`,
    );
    assert.ok(Math.min(...over) < 40);
    assert.deepEqual(new Set(samples(policy({ jitter: -1 }), 1, 20)), new Set([100]));
  });

  it("waits the server's RetryInfo delay when it asks for more than the backoff, the backoff otherwise", () => {
    const p = policy({ jitter: 0 });
    assert.equal(retryWaitMs(p, 1, retryInfo({ seconds: '2', nanos: 500_000_000 }), Code.UNAVAILABLE, undefined), 2500);
    assert.equal(retryWaitMs(p, 1, retryInfo({ seconds: 0, nanos: 1_000_000 }), Code.UNAVAILABLE, undefined), 100);
    assert.equal(serverRetryDelayMs(retryInfo({ seconds: 3 })), 3000);
    assert.equal(serverRetryDelayMs(retryInfo({ nanos: 250_000_000 })), 250);
    assert.equal(serverRetryDelayMs(retryInfo({})), 0);
    assert.equal(serverRetryDelayMs(retryInfo({ seconds: '-1' })), undefined, 'a negative delay is ignored');
    assert.equal(serverRetryDelayMs(retryInfo({ seconds: 'soon' })), undefined, 'a delay that is not a number is ignored');
    assert.equal(serverRetryDelayMs(new VisionError(Code.UNAVAILABLE, 'no details')), undefined);
    assert.equal(serverRetryDelayMs(new Error('plain')), undefined);
  });

  it('gives up when the next wait would reach the deadline, and only then', () => {
    const p = policy({ jitter: 0 });
    const err = new Error('x');
    assert.equal(retryWaitMs(p, 1, err, Code.UNAVAILABLE, Date.now() + 5_000), 100);
    assert.equal(retryWaitMs(p, 1, err, Code.UNAVAILABLE, Date.now() + 60), undefined);
    assert.equal(retryWaitMs(p, 1, err, Code.UNAVAILABLE, Date.now() + 100), undefined, 'a wait ending at the deadline is not taken');
    assert.equal(
      retryWaitMs(p, 1, retryInfo({ seconds: 10 }), Code.UNAVAILABLE, Date.now() + 5_000),
      undefined,
      "the server's delay counts",
    );
  });

  it('stops after maxAttempts attempts in all, and never retries a code outside the policy', () => {
    const p = policy({ maxAttempts: 3, jitter: 0 });
    assert.equal(retryWaitMs(p, 2, new Error('x'), Code.UNAVAILABLE, undefined), 130);
    assert.equal(retryWaitMs(p, 3, new Error('x'), Code.UNAVAILABLE, undefined), undefined);
    assert.equal(retryWaitMs(p, 1, new Error('x'), Code.NOT_FOUND, undefined), undefined);
    assert.equal(retryWaitMs(policy({ codes: [Code.NOT_FOUND], jitter: 0 }), 1, new Error('x'), Code.NOT_FOUND, undefined), 100);
  });

  it('a call whose next wait would pass its deadline fails at once with the last error, not DEADLINE_EXCEEDED', async () => {
    let calls = 0;
    const transport = createMemoryTransport({
      [PS]: {
        ListProducts: () => {
          calls++;
          throw new VisionError(Code.UNAVAILABLE, `injected failure ${calls}`);
        },
      },
    });
    const t0 = performance.now();
    await assert.rejects(
      transport.unary(
        ref(PS, 'ListProducts'),
        { parent: 'p' },
        { timeout: 1_000, retry: { initialBackoffMs: 600, multiplier: 1, jitter: 0 } },
      ),
      (e: unknown) => e instanceof VisionError && e.code === Code.UNAVAILABLE && e.message.endsWith('injected failure 2'),
    );
    const elapsed = performance.now() - t0;
    assert.equal(calls, 2);
    assert.ok(elapsed >= 590 && elapsed < 950, `ended after ${elapsed} ms: one 600 ms wait, then no second one`);
  });

  it('resolves the policy: false is none, undefined is the default for idempotent methods, an object overrides field by field', () => {
    assert.equal(resolveRetry(ref(PS, 'GetProduct'), false), undefined);
    assert.equal(resolveRetry(ref(PS, 'GetProduct'), undefined), DEFAULT_RETRY);
    assert.deepEqual(resolveRetry(ref(PS, 'CreateProduct'), { maxAttempts: 2, jitter: undefined }), { ...DEFAULT_RETRY, maxAttempts: 2 });
  });

  it('refuses a bad retry option naming the field and its range', () => {
    refused(null, 'retry must be an object, got null');
    refused(true, 'retry must be an object, got true');
    refused({ jitter: 1.5 }, 'retry.jitter must be a number from 0 to 1, got 1.5');
    refused({ jitter: -0.1 }, 'retry.jitter must be a number from 0 to 1, got -0.1');
    refused({ multiplier: 0.5 }, 'retry.multiplier must be a number ≥ 1, got 0.5');
    refused({ initialBackoffMs: -1 }, 'retry.initialBackoffMs must be a number ≥ 0, got -1');
    refused({ maxBackoffMs: -1 }, 'retry.maxBackoffMs must be a number ≥ 0, got -1');
    refused({ maxAttempts: 0 }, 'retry.maxAttempts must be a number ≥ 1, got 0');
    refused({ maxAttempts: '3' }, 'retry.maxAttempts must be a number ≥ 1, got "3"');
    refused({ tries: 3 }, 'retry.tries is not a retry option');
    refused({ codes: 14 }, 'retry.codes must be an array of Code numbers, got 14');
    refused({ codes: [14, 99] }, 'retry.codes must be an array of Code numbers, got object');
    checkRetry('GetProduct', false);
    checkRetry('GetProduct', { jitter: 0, multiplier: 1, initialBackoffMs: 0, maxBackoffMs: 0, maxAttempts: 1, codes: [Code.ABORTED] });
    checkRetry('GetProduct', { jitter: undefined, tries: undefined });
  });
});
