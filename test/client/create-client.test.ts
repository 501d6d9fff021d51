import assert from 'node:assert/strict';
import { Code, createRawClient, ImageAnnotator, Operations, ProductSearch, pages, paginate, VisionError } from 'vision-kit';
import type { Product } from 'vision-kit/gen/google/cloud/vision/v1p4beta1/product_search_service.js';
import type { Operation } from 'vision-kit/gen/google/longrunning/operations.js';
import { createMemoryTransport, type MemoryCallContext } from 'vision-kit/testing';

const PS = 'google.cloud.vision.v1p4beta1.ProductSearch';
const IA = 'google.cloud.vision.v1p4beta1.ImageAnnotator';
const OPS = 'google.longrunning.Operations';

describe('client: createRawClient', () => {
  it('has one method per RPC, lowerCamel, each resolving to the typed response', async () => {
    const transport = createMemoryTransport({
      [PS]: { GetProduct: (r) => ({ name: (r as { name: string }).name, displayName: 'Blue shoe' }) },
    });
    const client = createRawClient(ProductSearch, transport);
    assert.deepEqual(
      Object.keys(client),
      ProductSearch.methods.map((m) => m.name[0]?.toLowerCase() + m.name.slice(1)),
    );
    const product: Product = await client.getProduct({ name: 'projects/p/locations/us-west1/products/1' });
    assert.equal(product.displayName, 'Blue shoe');
    assert.deepEqual(product.productLabels, []);
    assert.equal(client.getProduct.ref.method.name, 'GetProduct');
    // @ts-expect-error a field GetProductRequest does not have
    const typo = () => client.getProduct({ nmae: 'x' });
    void typo;
  });

  it('merges default options under each call (headers merged, the call winning)', async () => {
    let ctx: MemoryCallContext | undefined;
    const transport = createMemoryTransport({
      [OPS]: {
        GetOperation: (_r, c) => {
          ctx = c;
          return { name: 'operations/1' };
        },
      },
    });
    const client = createRawClient(Operations, transport, { defaults: { headers: { 'x-a': '1', 'x-b': '1' }, timeout: 5000 } });
    await client.getOperation({ name: 'operations/1' }, { headers: { 'x-b': '2' } });
    assert.equal(ctx?.headers['x-a'], '1');
    assert.equal(ctx?.headers['x-b'], '2');
    assert.ok(ctx?.deadline !== undefined && ctx.deadline - Date.now() <= 5000);
  });

  it('lets a hook decide what operation-returning methods resolve to (the poller hook)', async () => {
    const transport = createMemoryTransport({
      [IA]: {
        AsyncBatchAnnotateImages: () => ({ name: 'operations/42' }),
        BatchAnnotateImages: () => ({ responses: [] }),
      },
    });
    const raw = createRawClient(ImageAnnotator, transport);
    const op: Operation = await raw.asyncBatchAnnotateImages({});
    assert.equal(op.name, 'operations/42');
    assert.equal(op.done, false);

    const wrapped = createRawClient(ImageAnnotator, transport, {
      operation: (operation, context) => ({ handle: operation.name, via: context.method.method.operationInfo?.responseType }),
    });
    const handle = await wrapped.asyncBatchAnnotateImages({});
    assert.deepEqual(handle, { handle: 'operations/42', via: 'google.cloud.vision.v1p4beta1.AsyncBatchAnnotateImagesResponse' });
    const sync = await wrapped.batchAnnotateImages({});
    assert.deepEqual(sync, { responses: [] }, 'other methods are untouched');
  });
});

describe('client: pagination', () => {
  function pagedTransport(total: number, pageSize: number) {
    const seen: string[] = [];
    const transport = createMemoryTransport({
      [PS]: {
        ListProducts: (r) => {
          const { pageToken, parent } = r as { pageToken: string; parent: string };
          seen.push(pageToken);
          const start = pageToken === '' ? 0 : Number(pageToken);
          const end = Math.min(total, start + pageSize);
          const products = [];
          for (let i = start; i < end; i++) products.push({ name: `${parent}/products/p${i}` });
          return { products, nextPageToken: end < total ? String(end) : '' };
        },
      },
    });
    return { seen, client: createRawClient(ProductSearch, transport) };
  }

  it('iterates every item across pages, following next_page_token', async () => {
    const { seen, client } = pagedTransport(7, 3);
    const names: string[] = [];
    for await (const product of paginate(client.listProducts, { parent: 'projects/p/locations/us-west1' })) names.push(product.name);
    assert.deepEqual(
      names,
      Array.from({ length: 7 }, (_, i) => `projects/p/locations/us-west1/products/p${i}`),
    );
    assert.deepEqual(seen, ['', '3', '6']);
  });

  it('pages() yields the responses, and an empty list is one page', async () => {
    const { client } = pagedTransport(0, 3);
    const all = [];
    for await (const page of pages(client.listProducts, { parent: 'projects/p/locations/us-west1' })) all.push(page);
    assert.equal(all.length, 1);
    assert.deepEqual(all[0]?.products, []);
  });

  it('stops with INTERNAL when a server hands back a token it gave before', async () => {
    const transport = createMemoryTransport({
      [OPS]: { ListOperations: () => ({ operations: [{ name: 'operations/1' }], nextPageToken: 'same' }) },
    });
    const client = createRawClient(Operations, transport);
    const got: string[] = [];
    await assert.rejects(
      (async () => {
        for await (const op of paginate(client.listOperations, { name: 'operations' })) got.push(op.name);
      })(),
      (e: unknown) => e instanceof VisionError && e.code === Code.INTERNAL && /twice/.test(e.message),
    );
    assert.deepEqual(got, ['operations/1', 'operations/1']);
  });

  it("a call's signal stops the iteration", async () => {
    const { client } = pagedTransport(100, 1);
    const controller = new AbortController();
    let n = 0;
    await assert.rejects(
      (async () => {
        for await (const _ of paginate(client.listProducts, { parent: 'projects/p/locations/us-west1' }, { signal: controller.signal })) {
          if (++n === 3) controller.abort();
        }
      })(),
      (e: unknown) => e instanceof VisionError && e.code === Code.CANCELLED,
    );
    assert.equal(n, 3);
  });
});
