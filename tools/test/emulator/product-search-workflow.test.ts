// A whole Product Search workflow over both wires of the official client:
// sets, products, reference images from gs:// files, membership, listing in
// pages, CSV import with per-line statuses, product search over the catalog,
// purge (force, product set, orphans), with BatchOperationMetadata moving.
import assert from 'node:assert/strict';
import { Code } from 'vision-kit';
import { productPhoto, retake } from './annotators/synthetic-images.js';
import {
  getOperationRest,
  type OfficialClients,
  officialClients,
  rejection,
  startTestEmulator,
  type TestEmulator,
  upload,
  WIRES,
  waitDone,
} from './support/harness.js';

const CSV = [
  'gs://catalog/p1.png,p1-front,shoes,shoe-1,apparel-v2,Shoe one,"color=red,style=sport","10,10,470,10,470,350,10,350"',
  'gs://catalog/p1.png,,shoes,shoe-1,apparel-v2,,,"0,0,400,0,400,320,0,320"',
  'gs://catalog/p2.png,p2-front,shoes,shoe-2,apparel-v2,Shoe two,color=blue,',
  'gs://catalog/missing.png,m1,shoes,ghost,apparel-v2,,,',
  'gs://catalog/p1.png,bad-cat,shoes,shoe-3,cars,,,',
  'not-a-uri,x,shoes,shoe-4,toys-v2,,,',
  'gs://catalog/p1.png,p1-front,shoes,shoe-1,apparel-v2,,,',
  '"unterminated,quote,shoes,shoe-5,toys-v2',
  'gs://catalog/p2.png,p2-hat,hats,shoe-2,apparel-v2,,,',
  'gs://catalog/../p1.png,esc,shoes,shoe-6,toys-v2,,,',
].join('\n');
const EXPECTED_CODES = [
  0,
  0,
  0,
  Code.NOT_FOUND,
  Code.INVALID_ARGUMENT,
  Code.INVALID_ARGUMENT,
  Code.ALREADY_EXISTS,
  Code.INVALID_ARGUMENT,
  0,
  Code.INVALID_ARGUMENT,
];

for (const wire of WIRES) {
  describe(`Product Search workflow over ${wire} (official client)`, () => {
    const loc = `projects/wf-${wire}/locations/europe-west1`;
    let t: TestEmulator;
    let c: OfficialClients;
    before(async () => {
      t = await startTestEmulator({ opStepMs: 5 });
      c = officialClients(t.emu, wire);
      await upload(t.emu, 'catalog', 'p1.png', await productPhoto(11), 'image/png');
      await upload(t.emu, 'catalog', 'p2.png', await productPhoto(22), 'image/png');
      await upload(t.emu, 'catalog', 'p3.png', await productPhoto(33), 'image/png');
      await upload(t.emu, 'catalog', 'import.csv', CSV, 'text/csv');
    });
    after(async () => {
      await c.close();
      await t.close();
    });

    it('imports a CSV: one status per line, images, products and sets created, metadata PROCESSING → SUCCESSFUL', async () => {
      const [op] = await c.productSearch.importProductSets({
        parent: loc,
        inputConfig: { gcsSource: { csvFileUri: 'gs://catalog/import.csv' } },
      });
      assert.match(op.name!, new RegExp(`^${loc}/operations/[0-9a-f]+$`));
      const first = await getOperationRest(t.emu, op.name!);
      assert.equal((first.metadata as { state: string }).state, 'PROCESSING');
      assert.equal((first.metadata as { endTime?: string }).endTime, undefined);
      const done = await waitDone(t.emu, op.name!);
      const meta = done.metadata as { state: string; submitTime: string; endTime: string };
      assert.equal(meta.state, 'SUCCESSFUL');
      assert.ok(Date.parse(meta.endTime) >= Date.parse(meta.submitTime));
      const response = done.response as {
        statuses: { code?: number; message?: string }[];
        referenceImages: { name: string; uri: string; boundingPolys?: unknown[] }[];
      };
      assert.deepEqual(
        response.statuses.map((s) => s.code ?? 0),
        EXPECTED_CODES,
      );
      response.statuses.forEach((s, i) => {
        if (s.code) assert.match(s.message ?? '', new RegExp(`^line ${i + 1}\\b`), `status ${i} names its line`);
      });
      assert.match(response.statuses[4]!.message!, /column 5 \(product-category\)/);
      assert.match(response.statuses[5]!.message!, /column 1 \(image-uri\)/);
      assert.deepEqual(
        response.referenceImages.map((r) => r.name.split('/').pop()),
        ['p1-front', 'p2-front', 'p2-hat'],
      );
      const [p1] = await c.productSearch.getReferenceImage({ name: `${loc}/products/shoe-1/referenceImages/p1-front` });
      assert.equal(p1.boundingPolys?.length, 2, 'the second line added a region of interest to the same image');
      const [shoe1] = await c.productSearch.getProduct({ name: `${loc}/products/shoe-1` });
      assert.equal(shoe1.displayName, 'Shoe one');
      assert.deepEqual(
        shoe1.productLabels?.map((l) => `${l.key}=${l.value}`),
        ['color=red', 'style=sport'],
      );
      const [members] = await c.productSearch.listProductsInProductSet({ name: `${loc}/productSets/shoes` }, { autoPaginate: false });
      assert.deepEqual(members.map((p) => p.name!.split('/').pop()).sort(), ['shoe-1', 'shoe-2']);
      const [hats] = await c.productSearch.listProductsInProductSet({ name: `${loc}/productSets/hats` }, { autoPaginate: false });
      assert.deepEqual(
        hats.map((p) => p.name!.split('/').pop()),
        ['shoe-2'],
      );
      assert.equal(
        (await rejection(c.productSearch.getProduct({ name: `${loc}/products/ghost` }))).code,
        Code.NOT_FOUND,
        'a failed line changes nothing',
      );
    });

    it('adds a product by hand with a reference image and finds it with PRODUCT_SEARCH', async () => {
      const [p3] = await c.productSearch.createProduct({
        parent: loc,
        productId: 'shoe-3',
        product: { displayName: 'Shoe three', productCategory: 'apparel-v2', productLabels: [{ key: 'color', value: 'green' }] },
      });
      await c.productSearch.createReferenceImage({
        parent: p3.name,
        referenceImageId: 'front',
        referenceImage: { uri: 'gs://catalog/p3.png' },
      });
      await c.productSearch.addProductToProductSet({ name: `${loc}/productSets/shoes`, product: p3.name });
      const query = await retake(await productPhoto(33));
      const [res] = await c.imageAnnotator.batchAnnotateImages({
        requests: [
          {
            image: { content: query },
            features: [{ type: 'PRODUCT_SEARCH', maxResults: 3 }],
            imageContext: { productSearchParams: { productSet: `${loc}/productSets/shoes`, productCategories: ['apparel-v2'] } },
          },
        ],
      });
      const r = res.responses![0]!;
      assert.equal(r.error ?? null, null, JSON.stringify(r.error));
      const top = r.productSearchResults?.results?.[0];
      assert.equal(top?.product?.name, p3.name, JSON.stringify(r.productSearchResults?.results?.map((x) => [x.product?.name, x.score])));
      assert.equal(top?.image, `${p3.name}/referenceImages/front`);
    });

    it('lists products and reference images in pages', async () => {
      const seen: string[] = [];
      let pageToken = '';
      do {
        const [items, next] = await c.productSearch.listProducts({ parent: loc, pageSize: 2, pageToken }, { autoPaginate: false });
        seen.push(...items.map((p) => p.name!.split('/').pop()!));
        pageToken = next?.pageToken ?? '';
      } while (pageToken);
      assert.deepEqual(seen.sort(), ['shoe-1', 'shoe-2', 'shoe-3']);
      const [imgs, next, raw] = await c.productSearch.listReferenceImages(
        { parent: `${loc}/products/shoe-2`, pageSize: 1 },
        { autoPaginate: false },
      );
      assert.equal(imgs.length, 1);
      assert.ok(next?.pageToken);
      assert.equal((raw as { pageSize?: number }).pageSize, 1);
    });

    it('purges: force is required, a product set or orphans, and the set itself stays', async () => {
      const e = await rejection(c.productSearch.purgeProducts({ parent: loc, productSetPurgeConfig: { productSetId: 'hats' } }));
      assert.equal(e.code, Code.FAILED_PRECONDITION);
      assert.match(e.message, /force/);
      const e2 = await rejection(c.productSearch.purgeProducts({ parent: loc, force: true }));
      assert.equal(e2.code, Code.INVALID_ARGUMENT);
      const e3 = await rejection(
        c.productSearch.purgeProducts({ parent: loc, force: true, productSetPurgeConfig: { productSetId: 'nope' } }),
      );
      assert.equal(e3.code, Code.NOT_FOUND);

      const [op] = await c.productSearch.purgeProducts({ parent: loc, productSetPurgeConfig: { productSetId: 'hats' }, force: true });
      const done = await waitDone(t.emu, op.name!);
      assert.equal((done.metadata as { state: string }).state, 'SUCCESSFUL');
      assert.deepEqual(done.response, { '@type': 'type.googleapis.com/google.protobuf.Empty' });
      // shoe-2 was in "hats" and in "shoes": it is deleted all the same, with its images.
      assert.equal((await rejection(c.productSearch.getProduct({ name: `${loc}/products/shoe-2` }))).code, Code.NOT_FOUND);
      assert.equal(
        (await rejection(c.productSearch.getReferenceImage({ name: `${loc}/products/shoe-2/referenceImages/p2-front` }))).code,
        Code.NOT_FOUND,
      );
      await c.productSearch.getProductSet({ name: `${loc}/productSets/hats` });

      const [orphan] = await c.productSearch.createProduct({ parent: loc, product: { displayName: 'orphan', productCategory: 'toys-v2' } });
      const [op2] = await c.productSearch.purgeProducts({ parent: loc, deleteOrphanProducts: true, force: true });
      await waitDone(t.emu, op2.name!);
      assert.equal((await rejection(c.productSearch.getProduct({ name: orphan.name }))).code, Code.NOT_FOUND);
      await c.productSearch.getProduct({ name: `${loc}/products/shoe-1` });
      await c.productSearch.getProduct({ name: `${loc}/products/shoe-3` });
    });

    it('fails an import of a missing CSV at once, and of a CSV with no good line as FAILED', async () => {
      const e = await rejection(
        c.productSearch.importProductSets({ parent: loc, inputConfig: { gcsSource: { csvFileUri: 'gs://catalog/none.csv' } } }),
      );
      assert.equal(e.code, Code.NOT_FOUND);
      const e2 = await rejection(
        c.productSearch.importProductSets({ parent: loc, inputConfig: { gcsSource: { csvFileUri: 'file:///etc/passwd' } } }),
      );
      assert.equal(e2.code, Code.INVALID_ARGUMENT);
      assert.match(e2.message, /csv_file_uri/);
      await upload(t.emu, 'catalog', 'bad.csv', 'just,one,bad,line\n', 'text/csv');
      const [op] = await c.productSearch.importProductSets({
        parent: loc,
        inputConfig: { gcsSource: { csvFileUri: 'gs://catalog/bad.csv' } },
      });
      const done = await waitDone(t.emu, op.name!);
      assert.equal((done.metadata as { state: string }).state, 'FAILED');
      assert.equal((done.response as { statuses: { code: number }[] }).statuses[0]!.code, Code.INVALID_ARGUMENT);
    });
  });
}
