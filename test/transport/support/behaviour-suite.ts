/**
 * One behaviour suite, written as a function of a transport (connect-node's
 * `transport.spec.ts` idea), run over gRPC, REST and memory against real
 * servers on 127.0.0.1.
 */
import assert from 'node:assert/strict';
import { Code, type Credentials, createRawClient, type MethodRef, ProductSearch, type Transport, VisionError } from 'vision-kit';
import { normalizeMessage } from 'vision-kit/codec';
import { SERVICES } from 'vision-kit/gen/schema/services.js';
import type { MemoryCallContext, MemoryHandler, MemoryHandlers } from 'vision-kit/testing';
import { FIXTURE_HANDLERS, notFound, REQUESTS } from './fixture-service.js';

/** A server hosting handlers, and transports to it. */
export interface Harness {
  /** A transport to the server (with credentials when given). */
  transport(credentials?: Credentials): Transport;
  /** Methods whose calls the server saw cancelled. */
  readonly cancelled: readonly string[];
  /** Stops the server. */
  close(): Promise<void>;
}

/** Starts a server for the handlers. */
export type StartHarness = (handlers: MemoryHandlers) => Promise<Harness>;

/** A method's ref by service and name. */
export function methodRef(service: string, name: string): MethodRef {
  const method = SERVICES[service]?.find((m) => m.name === name);
  if (method === undefined) throw new Error(`no method ${service}.${name}`);
  return { service, method };
}

/** The answer the fixture gives for a request, in the full shape. */
export async function expectedAnswer(ref: MethodRef, request: object): Promise<object> {
  const handler = FIXTURE_HANDLERS[ref.service]?.[ref.method.name];
  if (handler === undefined) throw new Error(`no fixture for ${ref.method.name}`);
  const context: MemoryCallContext = { method: ref, signal: new AbortController().signal, headers: {}, deadline: undefined };
  return normalizeMessage(ref.method.output, await handler(normalizeMessage(ref.method.input, request), context));
}

/** Handlers that can be swapped per test over the fixture. */
export class SwitchableHandlers {
  private readonly overrides = new Map<string, MemoryHandler>();
  /** The handlers to host. */
  readonly handlers: MemoryHandlers;

  constructor() {
    const handlers: Record<string, Record<string, MemoryHandler>> = {};
    for (const [service, rows] of Object.entries(SERVICES)) {
      handlers[service] = {};
      for (const row of rows) {
        const key = `${service}/${row.name}`;
        handlers[service][row.name] = (request, ctx) => {
          const handler = this.overrides.get(key) ?? FIXTURE_HANDLERS[service]?.[row.name];
          if (handler === undefined) throw new VisionError(Code.UNIMPLEMENTED, row.name);
          return handler(request, ctx);
        };
      }
    }
    this.handlers = handlers;
  }

  /** Overrides one method until {@link reset}. */
  set(ref: MethodRef, handler: MemoryHandler): void {
    this.overrides.set(`${ref.service}/${ref.method.name}`, handler);
  }

  /** Back to the fixture. */
  reset(): void {
    this.overrides.clear();
  }
}

const PS = 'google.cloud.vision.v1p4beta1.ProductSearch';

/** Waits for `p` to settle: what it rejected with (undefined if it resolved) and how long it took, in ms. */
export async function failure(p: Promise<unknown>): Promise<{ error: unknown; ms: number }> {
  const t0 = performance.now();
  const error = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  return { error, ms: performance.now() - t0 };
}

/** Waits until `check()` holds (polling every 5 ms), or fails after `ms`. */
export async function eventually(check: () => boolean, what: string, ms = 2000): Promise<void> {
  const until = Date.now() + ms;
  while (!check()) {
    if (Date.now() > until) assert.fail(`timed out waiting for: ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

/**
 * The suite. `skip` names methods the transport cannot carry (WaitOperation
 * over REST, which the transport-specific tests cover).
 */
export function describeTransportBehaviour(name: string, start: StartHarness): void {
  describe(`transport behaviour: ${name}`, () => {
    const switchable = new SwitchableHandlers();
    let harness: Harness;
    let transport: Transport;

    before(async () => {
      harness = await start(switchable.handlers);
      transport = harness.transport();
    });
    after(async () => {
      transport?.close();
      await harness?.close();
    });
    afterEach(() => switchable.reset());

    for (const [service, methods] of Object.entries(REQUESTS)) {
      for (const [method, request] of Object.entries(methods)) {
        it(`${method} answers the typed result the server sent`, async () => {
          const ref = methodRef(service, method);
          const got = await transport.unary(ref, request);
          assert.deepStrictEqual(got, await expectedAnswer(ref, request));
        });
      }
    }

    it('covers every method that has an HTTP rule', () => {
      const covered = Object.entries(REQUESTS).flatMap(([s, m]) => Object.keys(m).map((n) => `${s}.${n}`));
      const withRule = Object.entries(SERVICES).flatMap(([s, rows]) => rows.filter((r) => r.http.length > 0).map((r) => `${s}.${r.name}`));
      assert.deepEqual(covered.sort(), withRule.sort());
      assert.equal(withRule.filter((n) => !n.startsWith('google.longrunning')).length, 23);
    });

    it('a typed client call resolves to the same message', async () => {
      const client = createRawClient(ProductSearch, transport);
      const product = await client.getProduct({ name: 'projects/p/locations/us-west1/products/x' });
      assert.deepStrictEqual(
        product,
        await expectedAnswer(methodRef(PS, 'GetProduct'), { name: 'projects/p/locations/us-west1/products/x' }),
      );
    });

    it('a server error arrives as a VisionError with code, message, HTTP status and the typed ErrorInfo', async () => {
      const name = 'projects/p/locations/us-west1/products/missing';
      const err = await transport.unary(methodRef(PS, 'GetProduct'), { name }).catch((e: unknown) => e);
      assert.ok(err instanceof VisionError, String(err));
      assert.equal(err.code, Code.NOT_FOUND);
      assert.equal(err.codeName, 'NOT_FOUND');
      assert.equal(err.rawMessage, `Product not found: ${name}`);
      assert.equal(err.httpStatus, 404);
      assert.deepStrictEqual(err.details, [
        {
          type: 'google.rpc.ErrorInfo',
          value: { reason: 'PRODUCT_NOT_FOUND', domain: 'vision.googleapis.com', metadata: { product: name } },
        },
      ]);
      assert.deepStrictEqual(err.details, notFound(name).details);
    });

    it('an AbortSignal cancels an in-flight call, and the server sees it', async () => {
      const ref = methodRef(PS, 'CreateProductSet');
      let started = false;
      switchable.set(ref, (_r, ctx) => {
        started = true;
        return new Promise<object>((_resolve, reject) => ctx.signal.addEventListener('abort', () => reject(new Error('gone'))));
      });
      const controller = new AbortController();
      const pending = transport.unary(ref, REQUESTS[PS]?.['CreateProductSet'] ?? {}, { signal: controller.signal });
      await eventually(() => started, 'the server got the call');
      const before = harness.cancelled.length;
      controller.abort();
      await assert.rejects(pending, (e: unknown) => e instanceof VisionError && e.code === Code.CANCELLED);
      await eventually(() => harness.cancelled.length > before, 'the server saw the cancellation');
      assert.equal(harness.cancelled.at(-1), 'CreateProductSet');
    });

    it('a deadline gives DEADLINE_EXCEEDED', async () => {
      const ref = methodRef(PS, 'CreateProduct');
      switchable.set(ref, () => new Promise<object>(() => undefined));
      const t0 = performance.now();
      await assert.rejects(
        transport.unary(ref, { parent: 'projects/p/locations/us-west1' }, { timeout: 150 }),
        (e: unknown) => e instanceof VisionError && e.code === Code.DEADLINE_EXCEEDED,
      );
      assert.ok(performance.now() - t0 < 2000);
    });

    it('an idempotent call succeeds after two injected UNAVAILABLE answers', async () => {
      const ref = methodRef(PS, 'GetReferenceImage');
      let calls = 0;
      switchable.set(ref, (r, ctx) => {
        calls++;
        if (calls <= 2) throw new VisionError(Code.UNAVAILABLE, `try again (${calls})`);
        return FIXTURE_HANDLERS[PS]?.['GetReferenceImage']?.(r, ctx) ?? {};
      });
      const request = REQUESTS[PS]?.['GetReferenceImage'] ?? {};
      const got = await transport.unary(ref, request);
      assert.equal(calls, 3);
      assert.deepStrictEqual(got, await expectedAnswer(ref, request));
    });

    it('a non-idempotent call is not retried', async () => {
      const ref = methodRef(PS, 'AddProductToProductSet');
      let calls = 0;
      switchable.set(ref, () => {
        calls++;
        throw new VisionError(Code.UNAVAILABLE, 'try again');
      });
      await assert.rejects(
        transport.unary(ref, REQUESTS[PS]?.['AddProductToProductSet'] ?? {}),
        (e: unknown) => e instanceof VisionError && e.code === Code.UNAVAILABLE && e.rawMessage === 'try again',
      );
      assert.equal(calls, 1);
    });

    it('sends call headers and credentials, and keeps the token out of errors', async () => {
      const token = 'ya29.very-secret-access-token';
      const ref = methodRef(PS, 'GetProductSet');
      let seen: Readonly<Record<string, string>> = {};
      switchable.set(ref, (_r, ctx) => {
        seen = ctx.headers;
        throw new VisionError(Code.PERMISSION_DENIED, `caller ${ctx.headers['authorization']} may not`);
      });
      const authed = harness.transport({ token: async () => token });
      try {
        const err = await authed
          .unary(ref, { name: 'projects/p/locations/us-west1/productSets/s' }, { headers: { 'x-vision-test': 'abc' } })
          .catch((e: unknown) => e);
        assert.equal(seen['authorization'], `Bearer ${token}`);
        assert.equal(seen['x-vision-test'], 'abc');
        assert.ok(err instanceof VisionError && err.code === Code.PERMISSION_DENIED, String(err));
        const shown = `${err.message}\n${err.stack}\n${JSON.stringify(err)}\n${String(err.cause)}`;
        assert.ok(!shown.includes('very-secret'), shown);
      } finally {
        authed.close();
      }
    });
  });
}
