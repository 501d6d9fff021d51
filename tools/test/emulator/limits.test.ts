// Documented limits (docs/emulator.md) that the other suites do not reach: 100 product sets
// per product, 20 MB images (sync, async, reference images), the same on
// both transports.
import assert from 'node:assert/strict';
import { Code } from 'vision-kit';
import { listTree, officialClients, rejection, startTestEmulator, type TestEmulator, upload, WIRES } from './support/harness.js';

describe('Limits', function () {
  this.timeout(60_000);
  let t: TestEmulator;
  before(async () => {
    t = await startTestEmulator({ opStepMs: 0 });
    await upload(t.emu, 'limits', 'huge.png', Buffer.alloc(20 * 1024 * 1024 + 1, 0x89), 'image/png');
  });
  after(() => t.close());

  // The proto of this API version (AddProductToProductSet): "One Product can be added to at most 100 ProductSets."
  // Google's quotas page (https://cloud.google.com/vision/product-search/quotas) says 5: the emulator keeps 100 and
  // lists the quotas page's figure among its documented differences (docs/emulator.md, "Where the emulator differs from Google").
  it('lets a product be in 100 product sets and refuses the 101st with FAILED_PRECONDITION', async () => {
    const base = `${t.emu.httpUrl}/v1p4beta1/projects/lim/locations/us-west1`;
    const post = (path: string, body: unknown) => fetch(`${base}${path}`, { method: 'POST', body: JSON.stringify(body) });
    assert.equal((await post('/products?productId=p', { displayName: 'p', productCategory: 'toys-v2' })).status, 200);
    for (let i = 0; i <= 100; i++) assert.equal((await post(`/productSets?productSetId=s${i}`, { displayName: `s${i}` })).status, 200);
    for (let i = 0; i < 100; i++)
      assert.equal((await post(`/productSets/s${i}:addProduct`, { product: 'projects/lim/locations/us-west1/products/p' })).status, 200);
    const res = await post('/productSets/s100:addProduct', { product: 'projects/lim/locations/us-west1/products/p' });
    const body = (await res.json()) as { error: { status: string; message: string } };
    assert.equal(res.status, 400);
    assert.equal(body.error.status, 'FAILED_PRECONDITION');
    assert.match(body.error.message, /100 product sets/);
    assert.equal(
      (await post('/productSets/s0:addProduct', { product: 'projects/lim/locations/us-west1/products/p' })).status,
      200,
      'adding again to a set it is in is fine',
    );
  });

  for (const wire of WIRES) {
    it(`refuses images over 20 MB (${wire}): per image when annotating, INVALID_ARGUMENT for a reference image`, async () => {
      const c = officialClients(t.emu, wire);
      try {
        const [res] = await c.imageAnnotator.batchAnnotateImages({
          requests: [{ image: { source: { imageUri: 'gs://limits/huge.png' } }, features: [{ type: 'IMAGE_PROPERTIES' }] }],
        });
        assert.equal(res.responses![0]!.error?.code, Code.INVALID_ARGUMENT);
        assert.match(res.responses![0]!.error!.message!, /20971520|20 MB|limit/);
        await c.productSearch.createProduct({
          parent: `projects/lim-${wire}/locations/us-west1`,
          productId: 'p',
          product: { displayName: 'p', productCategory: 'toys-v2' },
        });
        const before = await listTree(t.dir);
        const e = await rejection(
          c.productSearch.createReferenceImage({
            parent: `projects/lim-${wire}/locations/us-west1/products/p`,
            referenceImage: { uri: 'gs://limits/huge.png' },
          }),
        );
        assert.equal(e.code, Code.INVALID_ARGUMENT);
        assert.match(e.message, /reference_image\.uri/);
        assert.deepEqual(await listTree(t.dir), before);
      } finally {
        await c.close();
      }
    });
  }
});
