import assert from 'node:assert/strict';
import { getEventListeners } from 'node:events';
import { Code, type MethodRef, VisionError } from 'vision-kit';
import { SERVICES } from 'vision-kit/gen/schema/services.js';
import { createMemoryTransport, type MemoryCallContext } from 'vision-kit/testing';

const PS = 'google.cloud.vision.v1p4beta1.ProductSearch';
function ref(name: string): MethodRef {
  return { service: PS, method: SERVICES[PS]?.find((m) => m.name === name) ?? assert.fail(name) };
}

describe('transport: memory', () => {
  it('normalises the request for the handler (a copy) and the response for the caller', async () => {
    let seen: object | undefined;
    const transport = createMemoryTransport({
      [PS]: {
        CreateProduct: (request) => {
          seen = request;
          return { name: 'projects/p/locations/us-west1/products/x', displayName: 'Shoe' };
        },
      },
    });
    const request = { parent: 'projects/p/locations/us-west1', product: { displayName: 'Shoe' } };
    const frozen = structuredClone(request);
    const product = await transport.unary(ref('CreateProduct'), request);
    assert.deepEqual(request, frozen, "the caller's object is untouched");
    assert.deepEqual(seen, {
      parent: 'projects/p/locations/us-west1',
      product: { name: '', displayName: 'Shoe', description: '', productCategory: '', productLabels: [] },
      productId: '',
    });
    assert.deepEqual(product, {
      name: 'projects/p/locations/us-west1/products/x',
      displayName: 'Shoe',
      description: '',
      productCategory: '',
      productLabels: [],
    });
  });

  it('a bad request fails before the handler runs, naming the field', async () => {
    let called = false;
    const transport = createMemoryTransport({
      [PS]: {
        CreateProduct: () => {
          called = true;
          return {};
        },
      },
    });
    await assert.rejects(
      transport.unary(ref('CreateProduct'), { parent: 'p', product: { displayName: 7 } }),
      (e: unknown) => e instanceof VisionError && e.code === Code.INVALID_ARGUMENT && /product\.displayName/.test(e.message),
    );
    assert.equal(called, false);
  });

  it('errors: a missing handler is UNIMPLEMENTED, a plain throw UNKNOWN, a bad answer INTERNAL', async () => {
    const transport = createMemoryTransport({
      [PS]: {
        GetProduct: () => {
          throw new TypeError('boom');
        },
        GetProductSet: () => ({ nope: 1 }),
      },
    });
    await assert.rejects(
      transport.unary(ref('DeleteProduct'), { name: 'n' }),
      (e: unknown) => (e as VisionError).code === Code.UNIMPLEMENTED,
    );
    await assert.rejects(
      transport.unary(ref('GetProduct'), { name: 'n' }, { retry: false }),
      (e: unknown) => e instanceof VisionError && e.code === Code.UNKNOWN && e.rawMessage === 'boom' && e.httpStatus === 500,
    );
    await assert.rejects(
      transport.unary(ref('GetProductSet'), { name: 'n' }, { retry: false }),
      (e: unknown) => e instanceof VisionError && e.code === Code.INTERNAL && /nope/.test(e.message),
    );
  });

  it('cancels: the handler sees its signal abort and the call rejects CANCELLED at once', async () => {
    let context: MemoryCallContext | undefined;
    const transport = createMemoryTransport({
      [PS]: {
        GetProduct: (_request, ctx) => {
          context = ctx;
          return new Promise<object>(() => undefined);
        },
      },
    });
    const controller = new AbortController();
    const pending = transport.unary(ref('GetProduct'), { name: 'n' }, { signal: controller.signal });
    await new Promise((r) => setTimeout(r, 10));
    controller.abort();
    await assert.rejects(pending, (e: unknown) => e instanceof VisionError && e.code === Code.CANCELLED);
    assert.equal(context?.signal.aborted, true);
    assert.equal(getEventListeners(controller.signal, 'abort').length, 0);
  });

  it('a deadline gives DEADLINE_EXCEEDED', async () => {
    const transport = createMemoryTransport({ [PS]: { CreateProduct: () => new Promise<object>(() => undefined) } });
    await assert.rejects(
      transport.unary(ref('CreateProduct'), { parent: 'p' }, { timeout: 30 }),
      (e: unknown) => e instanceof VisionError && e.code === Code.DEADLINE_EXCEEDED,
    );
  });

  it('sends headers and credentials to the handler, and never lets a token into an error', async () => {
    const token = 'ya29.secret-token-value';
    let headers: Readonly<Record<string, string>> = {};
    const transport = createMemoryTransport(
      {
        [PS]: {
          GetProduct: (_r, ctx) => {
            headers = ctx.headers;
            throw new VisionError(Code.PERMISSION_DENIED, `denied for ${ctx.headers['authorization']}`);
          },
        },
      },
      { token: async () => token, apiKey: 'key-12345' },
    );
    const err = await transport.unary(ref('GetProduct'), { name: 'n' }, { headers: { 'X-Trace': 't1' } }).catch((e: unknown) => e);
    assert.equal(headers['authorization'], `Bearer ${token}`);
    assert.equal(headers['x-goog-api-key'], 'key-12345');
    assert.equal(headers['x-trace'], 't1');
    assert.ok(err instanceof VisionError && err.code === Code.PERMISSION_DENIED);
    assert.ok(!JSON.stringify({ m: err.message, s: err.stack, r: err.rawMessage }).includes('secret-token'));
    assert.match(err.message, /\[redacted\]/);
  });

  it('a failing token provider is UNAUTHENTICATED and the handler is not called', async () => {
    let called = false;
    const transport = createMemoryTransport(
      {
        [PS]: {
          GetProduct: () => {
            called = true;
            return {};
          },
        },
      },
      { token: () => Promise.reject(new Error('no credentials here')) },
    );
    await assert.rejects(
      transport.unary(ref('GetProduct'), { name: 'n' }),
      (e: unknown) => e instanceof VisionError && e.code === Code.UNAUTHENTICATED && /no credentials here/.test(e.message),
    );
    assert.equal(called, false);
  });
});
