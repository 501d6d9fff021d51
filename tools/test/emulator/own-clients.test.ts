// Every method of the three services through vision-kit's own typed clients
// (gRPC and REST transports) against the emulator, and the fault knob as the
// retry policy sees it: at a 30 % fault rate, retried Gets all succeed and
// non-retried starts are never duplicated (the server counts starts).
import assert from 'node:assert/strict';
import {
  Code,
  createGrpcTransport,
  createRawClient,
  createRestTransport,
  ImageAnnotator,
  Operations,
  ProductSearch,
  type Transport,
  VisionError,
} from 'vision-kit';
import { Feature_Type } from 'vision-kit/gen/google/cloud/vision/v1p4beta1/image_annotator.js';
import { png, startTestEmulator, type TestEmulator, upload, waitDone } from './support/harness.js';

const make = (kind: 'grpc' | 'rest', t: TestEmulator): Transport =>
  kind === 'grpc' ? createGrpcTransport({ endpoint: t.emu.grpcAddress }) : createRestTransport({ baseUrl: t.emu.httpUrl });

for (const kind of ['grpc', 'rest'] as const) {
  describe(`Every method through vision-kit's own ${kind} client`, () => {
    let t: TestEmulator;
    let transport: Transport;
    before(async () => {
      t = await startTestEmulator({ opStepMs: 0 });
      transport = make(kind, t);
      await upload(t.emu, 'own-in', 'a.png', await png(48, 32, [30, 140, 220], [240, 200, 20]), 'image/png');
      await upload(t.emu, 'own-in', 'in.csv', 'gs://own-in/a.png,csv-img,csv-set,csv-prod,toys-v2,CSV product,,\n', 'text/csv');
    });
    after(async () => {
      transport.close();
      await t.close();
    });

    it('calls all 19 ProductSearch, 4 ImageAnnotator and the Operations methods', async () => {
      const ps = createRawClient(ProductSearch, transport);
      const ia = createRawClient(ImageAnnotator, transport);
      const ops = createRawClient(Operations, transport);
      const parent = `projects/own-${kind}/locations/us-west1`;
      const set = await ps.createProductSet({ parent, productSetId: 's', productSet: { displayName: 'S' } });
      assert.equal((await ps.getProductSet({ name: set.name })).displayName, 'S');
      assert.equal(
        (await ps.updateProductSet({ productSet: { name: set.name, displayName: 'S2' }, updateMask: ['display_name'] })).displayName,
        'S2',
      );
      assert.equal((await ps.listProductSets({ parent })).productSets.length, 1);
      const product = await ps.createProduct({ parent, productId: 'p', product: { displayName: 'P', productCategory: 'toys-v2' } });
      assert.equal((await ps.getProduct({ name: product.name })).displayName, 'P');
      assert.equal(
        (await ps.updateProduct({ product: { name: product.name, description: 'd' }, updateMask: ['description'] })).description,
        'd',
      );
      assert.equal((await ps.listProducts({ parent })).products.length, 1);
      const image = await ps.createReferenceImage({
        parent: product.name,
        referenceImageId: 'r',
        referenceImage: { uri: 'gs://own-in/a.png' },
      });
      assert.equal((await ps.getReferenceImage({ name: image.name })).uri, 'gs://own-in/a.png');
      assert.equal((await ps.listReferenceImages({ parent: product.name })).referenceImages.length, 1);
      await ps.addProductToProductSet({ name: set.name, product: product.name });
      assert.equal((await ps.listProductsInProductSet({ name: set.name })).products.length, 1);
      const search = await ia.batchAnnotateImages({
        requests: [
          {
            image: { source: { imageUri: 'gs://own-in/a.png' } },
            features: [{ type: Feature_Type.PRODUCT_SEARCH }, { type: Feature_Type.IMAGE_PROPERTIES }],
            imageContext: { productSearchParams: { productSet: set.name, productCategories: ['toys-v2'] } },
          },
        ],
      });
      assert.equal(search.responses[0]!.productSearchResults?.results[0]?.product?.name, product.name);
      const files = await ia.batchAnnotateFiles({
        requests: [{ inputConfig: { gcsSource: { uri: 'gs://own-in/missing.pdf' }, mimeType: 'application/pdf' } }],
      });
      assert.equal(files.responses[0]!.error?.code, Code.NOT_FOUND);
      await ps.removeProductFromProductSet({ name: set.name, product: product.name });
      await ps.deleteReferenceImage({ name: image.name });
      await ps.deleteProduct({ name: product.name });
      await ps.deleteProductSet({ name: set.name });

      const imp = await ps.importProductSets({ parent, inputConfig: { gcsSource: { csvFileUri: 'gs://own-in/in.csv' } } });
      await waitDone(t.emu, imp.name);
      const purge = await ps.purgeProducts({ parent, productSetPurgeConfig: { productSetId: 'csv-set' }, force: true });
      await waitDone(t.emu, purge.name);
      const asyncImages = await ia.asyncBatchAnnotateImages({
        requests: [{ image: { source: { imageUri: 'gs://own-in/a.png' } }, features: [{ type: Feature_Type.IMAGE_PROPERTIES }] }],
        outputConfig: { gcsDestination: { uri: `gs://own-out/${kind}/` } },
      });
      const asyncFiles = await ia.asyncBatchAnnotateFiles({
        requests: [
          {
            inputConfig: { gcsSource: { uri: 'gs://own-in/none.pdf' }, mimeType: 'application/pdf' },
            outputConfig: { gcsDestination: { uri: `gs://own-out/${kind}-f/` } },
          },
        ],
      });
      await waitDone(t.emu, asyncImages.name);
      const failed = await ops.getOperation({ name: (await waitDone(t.emu, asyncFiles.name)).name as string });
      assert.equal(failed.error?.code, Code.NOT_FOUND, 'a missing input file fails the operation');
      const listed = await ops.listOperations({ name: 'operations', filter: 'done=true' });
      assert.ok(listed.operations.length >= 4);
      assert.equal((await ops.getOperation({ name: imp.name })).done, true);
      await ops.cancelOperation({ name: purge.name });
      await ops.deleteOperation({ name: purge.name });
      await assert.rejects(ops.getOperation({ name: purge.name }), (e: unknown) => e instanceof VisionError && e.code === Code.NOT_FOUND);
      if (kind === 'grpc') assert.equal((await ops.waitOperation({ name: imp.name, timeout: { seconds: '1', nanos: 0 } })).done, true);
      else
        await assert.rejects(
          ops.waitOperation({ name: imp.name }),
          (e: unknown) => e instanceof VisionError && e.code === Code.UNIMPLEMENTED,
        );
    });
  });
}

describe("Fault knobs through vision-kit's own clients", function () {
  this.timeout(60_000);
  for (const kind of ['grpc', 'rest'] as const) {
    it(`at --fault-rate 0.3 (${kind}): every retried Get succeeds; failed starts are reported, never duplicated`, async () => {
      const t = await startTestEmulator({ opStepMs: 0, faultSeed: 3 });
      const transport = make(kind, t);
      try {
        const ps = createRawClient(ProductSearch, transport);
        const parent = 'projects/faults/locations/us-west1';
        const set = await ps.createProductSet({ parent, productSetId: 'f', productSet: { displayName: 'F' } });
        await upload(t.emu, 'own-in', 'a.png', await png(8, 8, [1, 2, 3]), 'image/png');
        t.emu.knobs.faultRate = 0.3;
        for (let i = 0; i < 60; i++) assert.equal((await ps.getProductSet({ name: set.name })).displayName, 'F');
        const ia = createRawClient(ImageAnnotator, transport);
        let started = 0;
        let refused = 0;
        for (let i = 0; i < 30; i++) {
          try {
            await ia.asyncBatchAnnotateImages({
              requests: [{ image: { source: { imageUri: 'gs://own-in/a.png' } }, features: [{ type: Feature_Type.IMAGE_PROPERTIES }] }],
              outputConfig: { gcsDestination: { uri: `gs://own-out/faults-${kind}-${i}/` } },
            });
            started++;
          } catch (e) {
            assert.ok(e instanceof VisionError && e.code === Code.UNAVAILABLE, String(e));
            refused++;
          }
        }
        assert.ok(refused > 0 && started > 0);
        assert.equal(t.emu.stats.operationStarts, started, 'one server-side start per successful call, none for refused ones');
        assert.ok(t.emu.stats.faultsInjected >= refused);
      } finally {
        transport.close();
        await t.close();
      }
    });
  }
});
