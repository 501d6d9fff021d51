import assert from 'node:assert/strict';
import sharp from 'sharp';
import type { BoundingPoly } from 'vision-kit/gen/google/cloud/vision/v1p4beta1/geometry.js';
import { type AnnotateImageResponse, Feature_Type } from 'vision-kit/gen/google/cloud/vision/v1p4beta1/image_annotator.js';
import { annotateImage, computeSignature } from '../../../src/emulator/annotators/index.js';
import { feature, imageRequest, makeDeps } from './deps.js';
import { MemoryCatalog, product, productSet } from './memory-catalog.js';
import { productPhoto, retake } from './synthetic-images.js';

const PRODUCT_SEARCH = Feature_Type.PRODUCT_SEARCH;

describe('annotators: PRODUCT_SEARCH', function () {
  this.timeout(20_000);
  const catalog = new MemoryCatalog();
  const set = productSet('catalog', 1_600_000_000);
  const photos: Buffer[] = [];
  // Six products: color cycles red/blue/green, brand acme for p0–p2 and zeta for p3–p5; p5 is toys-v2.
  const products = Array.from({ length: 6 }, (_, i) =>
    product(`p${i}`, i === 5 ? 'toys-v2' : 'apparel-v2', [`color=${['red', 'blue', 'green'][i % 3]}`, `brand=${i < 3 ? 'acme' : 'zeta'}`]),
  );

  before(async () => {
    catalog.addSet(set);
    catalog.addSet(productSet('empty'));
    for (const [i, p] of products.entries()) {
      const photo = await productPhoto(200 + i);
      photos.push(photo);
      await catalog.addImage(set.name, p, `r${i}`, photo, [], 1_700_000_000 + i);
    }
  });

  async function search(
    query: Uint8Array,
    params: { filter?: string; categories?: string[]; set?: string; poly?: BoundingPoly; maxResults?: number } = {},
  ): Promise<AnnotateImageResponse> {
    return annotateImage(
      imageRequest({
        image: { content: query },
        features: [feature(PRODUCT_SEARCH, params.maxResults ?? 0)],
        imageContext: {
          productSearchParams: {
            productSet: params.set ?? set.name,
            productCategories: params.categories ?? ['apparel-v2'],
            filter: params.filter ?? '',
            ...(params.poly ? { boundingPoly: params.poly } : {}),
          },
        },
      }),
      makeDeps({ catalog }),
      { label: 'requests[0]' },
    );
  }

  const names = (res: AnnotateImageResponse): string[] =>
    (res.productSearchResults?.results ?? []).map((r) => r.product?.displayName ?? '?');

  for (let i = 0; i < 5; i++) {
    it(`ranks product p${i} first for its reference image resized, cropped a little and re-encoded as JPEG`, async () => {
      const res = await search(await retake(photos[i] as Buffer, 0.7, 0.06, 75));
      assert.equal(res.error, undefined, res.error?.message);
      const results = res.productSearchResults?.results ?? [];
      assert.equal(results[0]?.product?.displayName, `p${i}`, `ranking ${names(res)}`);
      assert.equal(results[0]?.image, `${products[i]?.name}/referenceImages/r${i}`);
      // Distractors (every other product) score clearly lower.
      for (const other of results.slice(1))
        assert.ok(other.score < (results[0]?.score ?? 0) - 0.2, `${other.product?.displayName} ${other.score}`);
      for (const r of results) assert.ok(r.score > 0 && r.score <= 1);
      for (let k = 1; k < results.length; k++) assert.ok((results[k - 1]?.score ?? 0) >= (results[k]?.score ?? 0), 'best first');
    });
  }

  it('ranks an unrelated picture low against every product', async () => {
    const res = await search(await productPhoto(999));
    for (const r of res.productSearchResults?.results ?? []) assert.ok(r.score < 0.4, `${r.product?.displayName} scored ${r.score}`);
  });

  it('searches only the first requested category', async () => {
    const toys = await search(await retake(photos[5] as Buffer), { categories: ['toys-v2', 'apparel-v2'] });
    assert.deepEqual(names(toys), ['p5']);
    const apparel = await search(await retake(photos[5] as Buffer));
    assert.ok(!names(apparel).includes('p5'));
  });

  const filters: Array<{ filter: string; want: string[] }> = [
    { filter: 'color = red', want: ['p0', 'p3'] },
    { filter: 'brand = acme AND color = blue', want: ['p1'] },
    { filter: 'color = red OR color = green', want: ['p0', 'p2', 'p3'] },
    { filter: '(color = red OR color = blue) AND brand = zeta', want: ['p3', 'p4'] },
    { filter: 'brand = acme AND (color = green OR color = blue)', want: ['p1', 'p2'] },
    { filter: 'brand = nobody', want: [] },
  ];
  for (const { filter, want } of filters) {
    it(`filter ${JSON.stringify(filter)} selects exactly ${want.join(', ') || 'nothing'}`, async () => {
      // Every product scores above 0 for this query (shared colors), so the filter alone decides who is listed.
      const res = await search(await retake(photos[0] as Buffer), { filter, maxResults: 50 });
      assert.equal(res.error, undefined, res.error?.message);
      assert.deepEqual(names(res).sort(), want);
    });
  }

  const badFilters = [
    'color: red',
    'color = red OR brand = acme',
    'color = red AND',
    '(color = red',
    'color = red OR color = blue AND brand = acme',
    '((color = red))',
    'color red',
  ];
  for (const filter of badFilters) {
    it(`refuses the filter ${JSON.stringify(filter)} with INVALID_ARGUMENT`, async () => {
      const res = await search(photos[0] as Buffer, { filter });
      assert.equal(res.error?.code, 3);
      assert.match(res.error?.message ?? '', /^requests\[0\]: productSearchParams\.filter: /);
      assert.equal(res.productSearchResults, undefined);
    });
  }

  it('answers NOT_FOUND for an unknown product set, INVALID_ARGUMENT without one', async () => {
    const missing = await search(photos[0] as Buffer, { set: 'projects/p/locations/us-west1/productSets/nope' });
    assert.equal(missing.error?.code, 5);
    assert.match(missing.error?.message ?? '', /productSets\/nope/);
    const none = await search(photos[0] as Buffer, { set: '' });
    assert.equal(none.error?.code, 3);
  });

  it('answers an empty result list (not an error) for a set without images, with its index time', async () => {
    const res = await search(photos[0] as Buffer, { set: productSet('empty').name });
    assert.equal(res.error, undefined);
    assert.deepEqual(res.productSearchResults?.results, []);
    assert.deepEqual(res.productSearchResults?.indexTime, { seconds: '0', nanos: 0 });
  });

  it('sets indexTime to the latest index and groups results under the query region', async () => {
    const res = await search(await retake(photos[1] as Buffer));
    const psr = res.productSearchResults;
    assert.deepEqual(psr?.indexTime, { seconds: String(1_700_000_005), nanos: 0 });
    assert.equal(psr?.productGroupedResults.length, 1);
    const group = psr?.productGroupedResults[0];
    assert.deepEqual(group?.results, psr?.results);
    assert.equal(group?.boundingPoly?.vertices.length, 4);
    assert.deepEqual(
      group?.boundingPoly?.normalizedVertices.map((v) => [v.x, v.y]),
      [
        [0, 0],
        [1, 0],
        [1, 1],
        [0, 1],
      ],
    );
  });

  it('matches a query region (boundingPoly) against reference images indexed with bounding polys', async () => {
    // A reference image holding product p0's picture in its right half, indexed with that region.
    const left = await productPhoto(555);
    const composed = await sharp({ create: { width: 960, height: 360, channels: 3, background: '#808080' } })
      .composite([
        { input: left, left: 0, top: 0 },
        { input: photos[0] as Buffer, left: 480, top: 0 },
      ])
      .png()
      .toBuffer();
    const regional = new MemoryCatalog();
    const s = productSet('regional');
    regional.addSet(s);
    const poly: BoundingPoly = {
      vertices: [
        { x: 480, y: 0 },
        { x: 960, y: 0 },
        { x: 960, y: 360 },
        { x: 480, y: 360 },
      ],
      normalizedVertices: [],
    };
    await regional.addImage(s.name, product('boxed', 'apparel-v2'), 'b', composed, [poly]);
    await regional.addImage(s.name, product('other', 'apparel-v2'), 'o', left);
    // The query shows the picture of p0 on the left of a wider photo; its boundingPoly (normalized) picks it out.
    const query = await sharp({ create: { width: 800, height: 300, channels: 3, background: '#202020' } })
      .composite([
        {
          input: await sharp(photos[0] as Buffer)
            .resize(400, 300)
            .toBuffer(),
          left: 0,
          top: 0,
        },
      ])
      .jpeg()
      .toBuffer();
    const res = await annotateImage(
      imageRequest({
        image: { content: query },
        features: [feature(PRODUCT_SEARCH)],
        imageContext: {
          productSearchParams: {
            productSet: s.name,
            productCategories: ['apparel-v2'],
            boundingPoly: {
              normalizedVertices: [
                { x: 0, y: 0 },
                { x: 0.5, y: 0 },
                { x: 0.5, y: 1 },
                { x: 0, y: 1 },
              ],
            },
          },
        },
      }),
      makeDeps({ catalog: regional }),
    );
    assert.equal(res.error, undefined, res.error?.message);
    assert.equal(res.productSearchResults?.results[0]?.product?.displayName, 'boxed');
    assert.deepEqual(
      res.productSearchResults?.productGroupedResults[0]?.boundingPoly?.vertices.map((v) => [v.x, v.y]),
      [
        [0, 0],
        [400, 0],
        [400, 300],
        [0, 300],
      ],
    );
  });

  it('computeSignature refuses more than 10 polygons, polygons outside the image and non-images', async () => {
    const poly: BoundingPoly = {
      vertices: [
        { x: 0, y: 0 },
        { x: 400, y: 340 },
      ],
      normalizedVertices: [],
    };
    await assert.rejects(
      computeSignature(
        photos[0] as Buffer,
        Array.from({ length: 11 }, () => poly),
      ),
      { code: 3, message: /at most 10/ },
    );
    await assert.rejects(
      computeSignature(photos[0] as Buffer, [
        {
          vertices: [
            { x: 5000, y: 5000 },
            { x: 6000, y: 6000 },
          ],
          normalizedVertices: [],
        },
      ]),
      { code: 3, message: /outside/ },
    );
    await assert.rejects(computeSignature(new TextEncoder().encode('not an image')), { code: 3 });
    const sig = await computeSignature(
      photos[0] as Buffer,
      Array.from({ length: 10 }, () => poly),
    );
    assert.equal(sig.regions.length, 10);
  });
});
