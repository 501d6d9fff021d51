/**
 * The typed clients against the real emulator (startEmulator, in-process,
 * free ports, a temporary data dir): a Product Search workflow, errors,
 * pagination, and an async annotation operation. Reads after writes are
 * compared across transports: the same resource reads deep-equal over each.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  Code,
  createGrpcTransport,
  createRawClient,
  createRestTransport,
  ImageAnnotator,
  locationName,
  Operations,
  ProductSearch,
  paginate,
  productName,
  productSetName,
  type Transport,
  VisionError,
} from 'vision-kit';
import { unpackAny } from 'vision-kit/codec';
import { Feature_Type } from 'vision-kit/gen/google/cloud/vision/v1p4beta1/image_annotator.js';
import { type RunningEmulator, startEmulator } from '../../tools/src/emulator/emulator.js';

const root = fileURLToPath(new URL('../..', import.meta.url));

describe('client: typed clients against the emulator', function () {
  this.timeout(30_000);
  let emulator: RunningEmulator;
  let dataDir: string;
  const transports: { label: string; transport: Transport }[] = [];

  before(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'vk-clients-'));
    emulator = await startEmulator({ grpcPort: 0, httpPort: 0, dataDir, opStepMs: 1, log: () => undefined });
    transports.push(
      { label: 'gRPC', transport: createGrpcTransport({ endpoint: emulator.grpcAddress }) },
      { label: 'REST', transport: createRestTransport({ baseUrl: emulator.httpUrl }) },
      { label: 'REST-int', transport: createRestTransport({ baseUrl: emulator.httpUrl, enumAsInt: true }) },
    );
    const image = readFileSync(join(root, 'samples/flag.png'));
    const upload = await fetch(`${emulator.httpUrl}/upload/storage/v1/b/vk-in/o?uploadType=media&name=flag.png`, {
      method: 'POST',
      headers: { 'content-type': 'image/png' },
      body: image,
    });
    assert.equal(upload.status, 200, await upload.text());
  });
  after(async () => {
    for (const t of transports) t.transport.close();
    await emulator?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('runs a Product Search workflow on every transport, and every transport reads the same resources alike', async () => {
    const parent = locationName.format({ project: 'demo', location: 'us-west1' });
    for (const { label, transport } of transports) {
      const ps = createRawClient(ProductSearch, transport);
      const set = await ps.createProductSet({ parent, productSetId: `set-${label}`, productSet: { displayName: `Set ${label}` } });
      assert.equal(set.name, productSetName.format({ project: 'demo', location: 'us-west1', product_set: `set-${label}` }));
      for (let i = 0; i < 3; i++) {
        const product = await ps.createProduct({
          parent,
          productId: `p${i}-${label}`,
          product: {
            displayName: `Shoe ${i}`,
            productCategory: 'apparel-v2',
            productLabels: [{ key: 'color', value: i % 2 ? 'red' : 'blue' }],
          },
        });
        assert.deepEqual(productName.parse(product.name), { project: 'demo', location: 'us-west1', product: `p${i}-${label}` });
        await ps.addProductToProductSet({ name: set.name, product: product.name });
      }
      const inSet: string[] = [];
      for await (const p of paginate(ps.listProductsInProductSet, { name: set.name, pageSize: 1 })) inSet.push(p.displayName);
      assert.deepEqual(inSet, ['Shoe 0', 'Shoe 1', 'Shoe 2'], label);

      const updated = await ps.updateProduct({
        product: { name: `${parent}/products/p1-${label}`, description: 'new' },
        updateMask: ['description'],
      });
      assert.equal(updated.description, 'new');
      assert.equal(updated.displayName, 'Shoe 1', 'fields outside the mask are kept');

      const missing = await ps.getProduct({ name: `${parent}/products/nope` }).catch((e: unknown) => e);
      assert.ok(missing instanceof VisionError && missing.code === Code.NOT_FOUND, String(missing));
      await ps.deleteProduct({ name: `${parent}/products/p2-${label}` });
    }
    // Every transport reads every resource alike.
    const reads = await Promise.all(
      transports.map(async ({ transport }) => {
        const ps = createRawClient(ProductSearch, transport);
        const all = [];
        for await (const p of paginate(ps.listProducts, { parent, pageSize: 2 })) all.push(p);
        const sets = [];
        for await (const s of paginate(ps.listProductSets, { parent })) sets.push(s);
        return { all, sets };
      }),
    );
    for (const r of reads) assert.deepStrictEqual(r, reads[0]);
    assert.equal(reads[0]?.all.length, 2 * transports.length);
  });

  it("the emulator's NOT_FOUND is a deep-equal VisionError on every transport", async () => {
    const name = productName.format({ project: 'demo', location: 'us-west1', product: 'never-made' });
    const errors = await Promise.all(
      transports.map(({ transport }) =>
        createRawClient(ProductSearch, transport)
          .getProduct({ name })
          .catch((e: unknown) => e),
      ),
    );
    const first = errors[0];
    assert.ok(first instanceof VisionError && first.code === Code.NOT_FOUND && first.httpStatus === 404, String(first));
    for (const e of errors) assert.deepStrictEqual(e, first);
  });

  it('starts an async annotation and follows the operation to its result on every transport', async () => {
    for (const { label, transport } of transports) {
      const annotator = createRawClient(ImageAnnotator, transport);
      const operations = createRawClient(Operations, transport);
      let op = await annotator.asyncBatchAnnotateImages({
        requests: [{ image: { source: { imageUri: 'gs://vk-in/flag.png' } }, features: [{ type: Feature_Type.IMAGE_PROPERTIES }] }],
        outputConfig: { gcsDestination: { uri: `gs://vk-out/${label}/` }, batchSize: 1 },
      });
      assert.match(op.name, /^operations\//);
      for (let i = 0; !op.done && i < 200; i++) {
        await new Promise((r) => setTimeout(r, 10));
        op = await operations.getOperation({ name: op.name });
      }
      assert.equal(op.done, true, label);
      assert.equal(op.error, undefined, JSON.stringify(op.error));
      const response = unpackAny<{ outputConfig?: { gcsDestination?: { uri: string } } }>(
        op.response ?? assert.fail('no response'),
        'google.cloud.vision.v1p4beta1.AsyncBatchAnnotateImagesResponse',
      );
      assert.equal(response.outputConfig?.gcsDestination?.uri, `gs://vk-out/${label}/`);
    }
  });
});
