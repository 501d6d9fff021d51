// Several products in one query image. Source: Google's "Understanding search
// responses & multi-detection" page
// (https://cloud.google.com/vision/product-search/docs/searching-response):
// without a bounding poly, Product Search detects the products in the query
// image and answers one productGroupedResults entry per detected product,
// with its bounding poly; the ProductSearchResults.product_grouped_results
// comment (product_search.proto) says the same. The emulator finds distinct
// objects on a plain light background (findProductRegions).
import assert from 'node:assert/strict';
import sharp from 'sharp';
import { Feature_Type } from 'vision-kit/gen/google/cloud/vision/v1p4beta1/image_annotator.js';
import { annotateImage } from '../../../src/emulator/annotators/index.js';
import { findProductRegions } from '../../../src/emulator/annotators/product-regions.js';
import { decodeRaster, type PixelRect } from '../../../src/emulator/annotators/raster.js';
import { feature, imageRequest, makeDeps } from './deps.js';
import { MemoryCatalog, product, productSet } from './memory-catalog.js';
import { productPhoto } from './synthetic-images.js';

interface Placed {
  readonly input: Buffer;
  readonly left: number;
  readonly top: number;
}

/** A JPEG canvas of `background` with pictures composited onto it. */
async function canvas(width: number, height: number, background: string, placed: readonly Placed[]): Promise<Buffer> {
  return sharp({ create: { width, height, channels: 3, background } })
    .composite(placed.map((p) => ({ input: p.input, left: p.left, top: p.top })))
    .jpeg({ quality: 85 })
    .toBuffer();
}

async function regionsOf(bytes: Buffer): Promise<PixelRect[]> {
  return findProductRegions(await decodeRaster({ kind: 'encoded', bytes }, 'query'));
}

/** True when `r` covers `want` to within `slack` pixels on every side. */
function near(r: PixelRect | undefined, want: PixelRect, slack: number): boolean {
  if (!r) return false;
  return (
    Math.abs(r.x - want.x) <= slack &&
    Math.abs(r.y - want.y) <= slack &&
    Math.abs(r.x + r.width - (want.x + want.width)) <= slack &&
    Math.abs(r.y + r.height - (want.y + want.height)) <= slack
  );
}

describe('annotators: several products in one query image', function () {
  this.timeout(30_000);
  let a: Buffer;
  let b: Buffer;
  before(async () => {
    a = await sharp(await productPhoto(301))
      .resize(500, 375)
      .png()
      .toBuffer();
    b = await sharp(await productPhoto(302))
      .resize(500, 375)
      .png()
      .toBuffer();
  });

  describe('findProductRegions', () => {
    it('finds two pictures placed apart on a near-white canvas, largest first, in source pixels', async () => {
      const bytes = await canvas(1400, 600, '#f7f7f4', [
        { input: a, left: 60, top: 110 },
        { input: b, left: 820, top: 140 },
      ]);
      const regions = await regionsOf(bytes);
      assert.equal(regions.length, 2, JSON.stringify(regions));
      // The analysis raster is 256 px wide: one raster pixel is about 5.5 source pixels.
      const slack = 12;
      const left = regions.find((r) => r.x < 700);
      const right = regions.find((r) => r.x >= 700);
      assert.ok(near(left, { x: 60, y: 110, width: 500, height: 375 }, slack), JSON.stringify(left));
      assert.ok(near(right, { x: 820, y: 140, width: 500, height: 375 }, slack), JSON.stringify(right));
    });

    it('orders regions largest first and finds three', async () => {
      const small = await sharp(await productPhoto(303))
        .resize(300, 225)
        .png()
        .toBuffer();
      const bytes = await canvas(1600, 700, '#ffffff', [
        { input: small, left: 40, top: 40 },
        { input: a, left: 500, top: 200 },
        { input: b, left: 1060, top: 250 },
      ]);
      const regions = await regionsOf(bytes);
      assert.equal(regions.length, 3, JSON.stringify(regions));
      const areas = regions.map((r) => r.width * r.height);
      assert.ok(areas[0]! >= areas[1]! && areas[1]! >= areas[2]!, JSON.stringify(areas));
      assert.ok(near(regions[2], { x: 40, y: 40, width: 300, height: 225 }, 14), JSON.stringify(regions[2]));
    });

    it('finds one object as one region', async () => {
      const regions = await regionsOf(await canvas(1000, 700, '#fafafa', [{ input: a, left: 250, top: 160 }]));
      assert.equal(regions.length, 1, JSON.stringify(regions));
      assert.ok(near(regions[0], { x: 250, y: 160, width: 500, height: 375 }, 10), JSON.stringify(regions[0]));
    });

    it('finds no regions in a photo without a plain border, on a plain dark background, or on an empty canvas', async () => {
      assert.deepEqual(await regionsOf(await canvas(800, 600, '#fbfbfb', [])), [], 'nothing on the canvas');
      assert.deepEqual(await regionsOf(await productPhoto(304)), [], 'a photo');
      const dark = await canvas(1400, 600, '#141414', [
        { input: a, left: 60, top: 110 },
        { input: b, left: 820, top: 110 },
      ]);
      assert.deepEqual(await regionsOf(dark), [], 'a dark background is not taken for one');
    });

    it('keeps the parts of one object together and drops specks', async () => {
      // One "object" made of two blocks 6 px apart (less than 1 % of the width), plus a 4 × 4 speck.
      const blockA = await sharp({ create: { width: 300, height: 400, channels: 3, background: '#c03020' } })
        .png()
        .toBuffer();
      const blockB = await sharp({ create: { width: 300, height: 400, channels: 3, background: '#2040c0' } })
        .png()
        .toBuffer();
      const speck = await sharp({ create: { width: 4, height: 4, channels: 3, background: '#000000' } })
        .png()
        .toBuffer();
      const bytes = await canvas(1400, 600, '#f5f5f5', [
        { input: blockA, left: 100, top: 100 },
        { input: blockB, left: 406, top: 100 },
        { input: speck, left: 1300, top: 40 },
      ]);
      const one = await regionsOf(bytes);
      assert.equal(one.length, 1, `one object (two close parts) and a speck: ${JSON.stringify(one)}`);
      assert.ok(near(one[0], { x: 100, y: 100, width: 606, height: 400 }, 12), JSON.stringify(one[0]));
      const withSecond = await canvas(1400, 600, '#f5f5f5', [
        { input: blockA, left: 100, top: 100 },
        { input: blockB, left: 406, top: 100 },
        { input: b, left: 850, top: 120 },
      ]);
      const regions = await regionsOf(withSecond);
      assert.equal(regions.length, 2, JSON.stringify(regions));
      assert.ok(near(regions[0], { x: 100, y: 100, width: 606, height: 400 }, 12), JSON.stringify(regions[0]));
    });
  });

  describe('PRODUCT_SEARCH with several objects', () => {
    const catalog = new MemoryCatalog();
    const set = productSet('multi', 1_600_000_000);
    before(async () => {
      catalog.addSet(set);
      for (const [i, seed] of [301, 302, 305, 306].entries()) {
        await catalog.addImage(set.name, product(`m${i}`, 'general-v1'), `r${i}`, await productPhoto(seed));
      }
    });

    async function search(bytes: Buffer) {
      const res = await annotateImage(
        imageRequest({
          image: { content: bytes },
          features: [feature(Feature_Type.PRODUCT_SEARCH, 3)],
          imageContext: { productSearchParams: { productSet: set.name, productCategories: ['general-v1'] } },
        }),
        makeDeps({ catalog }),
        { label: 'requests[0]' },
      );
      assert.equal(res.error, undefined, res.error?.message);
      return res.productSearchResults!;
    }

    it('answers one group per object, each searched on its own, with its bounding poly', async () => {
      const psr = await search(
        await canvas(1400, 600, '#f7f7f4', [
          { input: a, left: 60, top: 110 },
          { input: b, left: 820, top: 140 },
        ]),
      );
      assert.equal(psr.productGroupedResults.length, 2);
      const byLeft = [...psr.productGroupedResults].sort(
        (g, h) => (g.boundingPoly?.vertices[0]?.x ?? 0) - (h.boundingPoly?.vertices[0]?.x ?? 0),
      );
      assert.equal(byLeft[0]?.results[0]?.product?.displayName, 'm0');
      assert.equal(byLeft[1]?.results[0]?.product?.displayName, 'm1');
      for (const g of byLeft) {
        assert.equal(g.boundingPoly?.vertices.length, 4);
        assert.equal(g.boundingPoly?.normalizedVertices.length, 4);
        for (const v of g.boundingPoly?.normalizedVertices ?? []) assert.ok(v.x >= 0 && v.x <= 1 && v.y >= 0 && v.y <= 1);
      }
      const right = byLeft[1]?.boundingPoly?.vertices ?? [];
      assert.ok(Math.abs((right[0]?.x ?? 0) - 820) <= 12 && Math.abs((right[2]?.y ?? 0) - 515) <= 12, JSON.stringify(right));
      // `results` lists each product once, with its best score over the groups.
      const top = psr.results.map((r) => r.product?.displayName);
      assert.ok(top.includes('m0') && top.includes('m1'), JSON.stringify(top));
      assert.equal(new Set(top).size, top.length);
      assert.ok(psr.results.length <= 3);
    });

    it('answers one group, around the object, when there is one object', async () => {
      const psr = await search(await canvas(1000, 700, '#fafafa', [{ input: a, left: 250, top: 160 }]));
      assert.equal(psr.productGroupedResults.length, 1);
      const v = psr.productGroupedResults[0]?.boundingPoly?.vertices ?? [];
      assert.ok(Math.abs((v[0]?.x ?? 0) - 250) <= 10 && Math.abs((v[2]?.y ?? 0) - 535) <= 10, JSON.stringify(v));
      assert.equal(psr.results[0]?.product?.displayName, 'm0');
      assert.deepEqual(psr.productGroupedResults[0]?.results, psr.results);
    });

    it('still matches a query that is its reference picture on a white background (the whole picture counts too)', async () => {
      const framed = await canvas(700, 550, '#ffffff', [{ input: b, left: 100, top: 90 }]);
      const own = new MemoryCatalog();
      own.addSet(set);
      await own.addImage(set.name, product('framed', 'general-v1'), 'f', framed);
      await own.addImage(set.name, product('other', 'general-v1'), 'o', await productPhoto(305));
      const res = await annotateImage(
        imageRequest({
          image: { content: framed },
          features: [feature(Feature_Type.PRODUCT_SEARCH, 3)],
          imageContext: { productSearchParams: { productSet: set.name, productCategories: ['general-v1'] } },
        }),
        makeDeps({ catalog: own }),
      );
      const top = res.productSearchResults?.results[0];
      assert.equal(top?.product?.displayName, 'framed');
      assert.ok((top?.score ?? 0) > 0.99, `the same picture scores ${top?.score}`);
    });

    it('answers one group for the whole image when no object stands out (a photo)', async () => {
      const psr = await search(await productPhoto(301));
      assert.equal(psr.productGroupedResults.length, 1);
      assert.deepEqual(
        psr.productGroupedResults[0]?.boundingPoly?.normalizedVertices.map((v) => [v.x, v.y]),
        [
          [0, 0],
          [1, 0],
          [1, 1],
          [0, 1],
        ],
      );
      assert.equal(psr.results[0]?.product?.displayName, 'm0');
    });
  });
});
