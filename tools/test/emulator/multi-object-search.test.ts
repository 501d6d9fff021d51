// Several products in one query image, over both wires of Google's official
// client. Source: "Understanding search responses & multi-detection"
// (https://cloud.google.com/vision/product-search/docs/searching-response) and
// ProductSearchResults.product_grouped_results (product_search.proto): without
// a bounding poly, one grouped result per product detected in the query
// image, each with its bounding poly and its own matches.
import assert from 'node:assert/strict';
import sharp from 'sharp';
import { productPhoto } from './annotators/synthetic-images.js';
import { type OfficialClients, officialClients, startTestEmulator, type TestEmulator, upload, WIRES } from './support/harness.js';

describe('PRODUCT_SEARCH finds each product of a query image with several', function () {
  this.timeout(60_000);
  let t: TestEmulator;
  let twoApart: Buffer;
  let oneObject: Buffer;
  const seeds = [401, 402, 403];

  before(async () => {
    t = await startTestEmulator({ opStepMs: 0 });
    for (const seed of seeds) await upload(t.emu, 'multi', `${seed}.png`, await productPhoto(seed), 'image/png');
    const small = await Promise.all(
      seeds.slice(0, 2).map(async (s) =>
        sharp(await productPhoto(s))
          .resize(480, 360)
          .png()
          .toBuffer(),
      ),
    );
    twoApart = await sharp({ create: { width: 1400, height: 620, channels: 3, background: '#f6f6f2' } })
      .composite([
        { input: small[0]!, left: 70, top: 120 },
        { input: small[1]!, left: 830, top: 150 },
      ])
      .jpeg({ quality: 88 })
      .toBuffer();
    oneObject = await sharp({ create: { width: 900, height: 700, channels: 3, background: '#fafafa' } })
      .composite([{ input: small[1]!, left: 200, top: 170 }])
      .jpeg({ quality: 88 })
      .toBuffer();
  });
  after(() => t.close());

  for (const wire of WIRES) {
    describe(`over ${wire}`, () => {
      const loc = `projects/multi-${wire}/locations/asia-east1`;
      const set = `${loc}/productSets/shelf`;
      let c: OfficialClients;
      before(async () => {
        c = officialClients(t.emu, wire);
        await c.productSearch.createProductSet({ parent: loc, productSetId: 'shelf', productSet: { displayName: 'Shelf' } });
        for (const seed of seeds) {
          const [p] = await c.productSearch.createProduct({
            parent: loc,
            productId: `p${seed}`,
            product: { displayName: `p${seed}`, productCategory: 'general-v1' },
          });
          await c.productSearch.createReferenceImage({ parent: p.name, referenceImage: { uri: `gs://multi/${seed}.png` } });
          await c.productSearch.addProductToProductSet({ name: set, product: p.name });
        }
      });
      after(() => c.close());

      async function search(image: Buffer) {
        const [res] = await c.imageAnnotator.batchAnnotateImages({
          requests: [
            {
              image: { content: image },
              features: [{ type: 'PRODUCT_SEARCH', maxResults: 3 }],
              imageContext: { productSearchParams: { productSet: set, productCategories: ['general-v1'] } },
            },
          ],
        });
        const r = res.responses![0]!;
        assert.equal(r.error ?? null, null, JSON.stringify(r.error));
        return r.productSearchResults!;
      }

      it('two different reference pictures placed apart on a near-white canvas: two groups, topped by the two products', async () => {
        const psr = await search(twoApart);
        const groups = [...(psr.productGroupedResults ?? [])].sort(
          (a, b) => (a.boundingPoly?.vertices?.[0]?.x ?? 0) - (b.boundingPoly?.vertices?.[0]?.x ?? 0),
        );
        assert.equal(groups.length, 2, JSON.stringify(groups.map((g) => g.boundingPoly)));
        assert.equal(groups[0]?.results?.[0]?.product?.name, `${loc}/products/p401`);
        assert.equal(groups[1]?.results?.[0]?.product?.name, `${loc}/products/p402`);
        const [left, right] = groups.map((g) => g.boundingPoly?.vertices ?? []);
        // Pixel corners near where the pictures were placed (the analysis raster is ~5.5 source px a pixel).
        assert.ok(Math.abs((left?.[0]?.x ?? 0) - 70) <= 12 && Math.abs((left?.[2]?.x ?? 0) - 550) <= 12, JSON.stringify(left));
        assert.ok(Math.abs((right?.[0]?.y ?? 0) - 150) <= 12 && Math.abs((right?.[2]?.y ?? 0) - 510) <= 12, JSON.stringify(right));
        for (const g of groups) assert.equal(g.boundingPoly?.normalizedVertices?.length, 4);
      });

      it('a picture of one object: one group', async () => {
        const psr = await search(oneObject);
        assert.equal(psr.productGroupedResults?.length, 1);
        assert.equal(psr.productGroupedResults?.[0]?.results?.[0]?.product?.name, `${loc}/products/p402`);
        assert.equal(psr.results?.[0]?.product?.name, `${loc}/products/p402`);
      });

      it('a photo with no plain background: one group for the whole image, as before', async () => {
        const psr = await search(await productPhoto(403));
        assert.equal(psr.productGroupedResults?.length, 1);
        assert.deepEqual(
          psr.productGroupedResults?.[0]?.boundingPoly?.normalizedVertices?.map((v) => [v.x ?? 0, v.y ?? 0]),
          [
            [0, 0],
            [1, 0],
            [1, 1],
            [0, 1],
          ],
        );
        assert.equal(psr.results?.[0]?.product?.name, `${loc}/products/p403`);
      });
    });
  }
});
