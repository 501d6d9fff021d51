// Product Search as Google documents it, over both wires of Google's official
// client: the product categories, the four locations, the size rule of
// reference-image rectangles, and the rules of import CSV files. Each test
// names the source of the rule it checks.
import assert from 'node:assert/strict';
import { Code } from 'vision-kit';
import { messageFromJson } from 'vision-kit/codec';
import { ImportProductSetsResponse } from 'vision-kit/gen/google/cloud/vision/v1p4beta1/product_search_service.js';
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

const VALID_LOCATIONS = ['us-west1', 'us-east1', 'europe-west1', 'asia-east1'];

interface ImportStatus {
  code?: number;
  message?: string;
}

describe('Product Search rules from Google’s documentation', function () {
  this.timeout(120_000);
  let t: TestEmulator;
  const photos: Buffer[] = [];

  before(async () => {
    t = await startTestEmulator({ opStepMs: 0 });
    for (const [i, seed] of [71, 72, 73].entries()) {
      photos.push(await productPhoto(seed));
      await upload(t.emu, 'rules', `p${i}.png`, photos[i]!, 'image/png');
    }
    await upload(t.emu, 'rules', 'big.png', await productPhoto(74, 640, 480), 'image/png');
    await upload(t.emu, 'rules', 'tall.png', await productPhoto(75, 400, 1300), 'image/png');
    await upload(t.emu, 'rules', 'wide.png', await productPhoto(76, 2000, 400), 'image/png');
  });
  after(() => t.close());

  async function runImport(c: OfficialClients, parent: string, object: string, csv: string): Promise<ImportStatus[]> {
    await upload(t.emu, 'rules', object, csv, 'text/csv');
    const [op] = await c.productSearch.importProductSets({ parent, inputConfig: { gcsSource: { csvFileUri: `gs://rules/${object}` } } });
    const done = await waitDone(t.emu, op.name!);
    return (done.response as { statuses: ImportStatus[] }).statuses;
  }

  for (const wire of WIRES) {
    describe(`over ${wire}`, () => {
      const loc = `projects/rules-${wire}/locations/us-west1`;
      let c: OfficialClients;
      before(() => {
        c = officialClients(t.emu, wire);
      });
      after(() => c.close());

      async function search(productSet: string, productCategories: string[], image: Buffer = photos[0]!) {
        const [res] = await c.imageAnnotator.batchAnnotateImages({
          requests: [
            {
              image: { content: image },
              features: [{ type: 'PRODUCT_SEARCH', maxResults: 5 }],
              imageContext: { productSearchParams: { productSet, productCategories } },
            },
          ],
        });
        return res.responses![0]!;
      }

      describe('product categories', () => {
        // Google's product-categories page (https://cloud.google.com/vision/product-search/docs/product-categories)
        // and the comment on ProductSearchParams.product_categories (product_search.proto): homegoods-v2, apparel-v2,
        // toys-v2, packagedgoods-v1, general-v1, and the legacy homegoods, apparel, toys.
        it('accepts every documented category in CreateProduct, and refuses others naming the field', async () => {
          for (const category of [
            'homegoods-v2',
            'apparel-v2',
            'toys-v2',
            'packagedgoods-v1',
            'general-v1',
            'homegoods',
            'apparel',
            'toys',
          ]) {
            const [p] = await c.productSearch.createProduct({ parent: loc, product: { displayName: category, productCategory: category } });
            assert.equal(p.productCategory, category);
          }
          const e = await rejection(
            c.productSearch.createProduct({ parent: loc, product: { displayName: 'x', productCategory: 'general-v2' } }),
          );
          assert.equal(e.code, Code.INVALID_ARGUMENT);
          assert.match(e.message, /product_category/);
          assert.match(e.message, /general-v1/, 'the message lists the valid categories');
        });

        it('creates general-v1 and packagedgoods-v1 products from import lines and finds them by category', async () => {
          const statuses = await runImport(
            c,
            loc,
            `categories-${wire}.csv`,
            [
              'gs://rules/p0.png,g-img,cats,general,general-v1,General thing,,',
              'gs://rules/p1.png,pk-img,cats,packaged,packagedgoods-v1,Packaged thing,,',
              'gs://rules/p2.png,t-img,cats,toy,toys-v2,Toy,,',
            ].join('\n'),
          );
          assert.deepEqual(
            statuses.map((s) => s.code ?? 0),
            [0, 0, 0],
            JSON.stringify(statuses),
          );
          const set = `${loc}/productSets/cats`;
          const general = await search(set, ['general-v1'], await retake(photos[0]!));
          assert.equal(general.error ?? null, null, JSON.stringify(general.error));
          assert.deepEqual(
            general.productSearchResults?.results?.map((r) => r.product?.name),
            [`${loc}/products/general`],
            'only the general-v1 product',
          );
          const packaged = await search(set, ['packagedgoods-v1'], await retake(photos[1]!));
          assert.deepEqual(
            packaged.productSearchResults?.results?.map((r) => r.product?.name),
            [`${loc}/products/packaged`],
          );
        });

        // The proto names the categories a search may give; an unknown one answered "no results" before, which hides a
        // typo. It is INVALID_ARGUMENT naming the field (per image, in the response's error).
        it('refuses a search with an unknown category, naming the field and its index', async () => {
          const set = `${loc}/productSets/cats`;
          const bad = await search(set, ['nonsense']);
          assert.equal(bad.error?.code, Code.INVALID_ARGUMENT);
          assert.match(bad.error?.message ?? '', /productSearchParams\.productCategories\[0\]: "nonsense" is not a product category/);
          assert.equal(bad.productSearchResults ?? null, null);
          const second = await search(set, ['toys-v2', 'toys-v9']);
          assert.equal(second.error?.code, Code.INVALID_ARGUMENT);
          assert.match(second.error?.message ?? '', /productCategories\[1\]: "toys-v9"/);
          const fine = await search(set, ['toys-v2']);
          assert.equal(fine.error ?? null, null);
        });
      });

      describe('locations', () => {
        // Every Product Search page (e.g. https://cloud.google.com/vision/product-search/docs/create-product):
        // "Valid location identifiers are: us-west1, us-east1, europe-west1, and asia-east1."
        it('creates product sets in the four Product Search locations', async () => {
          for (const location of VALID_LOCATIONS) {
            const [s] = await c.productSearch.createProductSet({
              parent: `projects/rules-${wire}/locations/${location}`,
              productSetId: 'here',
              productSet: { displayName: location },
            });
            assert.equal(s.name, `projects/rules-${wire}/locations/${location}/productSets/here`);
          }
        });

        for (const [location, every] of [
          ['mars-1', true],
          ['us-central1', false],
          ['global', false],
          ['l', false],
        ] as const) {
          it(`refuses the location ${location} on ${every ? 'every Product Search method' : 'CreateProductSet, ListProducts and a search'}, naming it and the four valid ones`, async () => {
            const p = `projects/rules-${wire}/locations/${location}`;
            const product = `${p}/products/x`;
            const set = `${p}/productSets/s`;
            const calls: [string, () => Promise<unknown>][] = [
              ['CreateProductSet', () => c.productSearch.createProductSet({ parent: p, productSet: { displayName: 'x' } })],
              ['ListProductSets', () => c.productSearch.listProductSets({ parent: p }, { autoPaginate: false })],
              ['GetProductSet', () => c.productSearch.getProductSet({ name: set })],
              ['UpdateProductSet', () => c.productSearch.updateProductSet({ productSet: { name: set, displayName: 'y' } })],
              ['DeleteProductSet', () => c.productSearch.deleteProductSet({ name: set })],
              [
                'CreateProduct',
                () => c.productSearch.createProduct({ parent: p, product: { displayName: 'x', productCategory: 'toys-v2' } }),
              ],
              ['ListProducts', () => c.productSearch.listProducts({ parent: p }, { autoPaginate: false })],
              ['GetProduct', () => c.productSearch.getProduct({ name: product })],
              ['UpdateProduct', () => c.productSearch.updateProduct({ product: { name: product, displayName: 'y' } })],
              ['DeleteProduct', () => c.productSearch.deleteProduct({ name: product })],
              [
                'CreateReferenceImage',
                () => c.productSearch.createReferenceImage({ parent: product, referenceImage: { uri: 'gs://rules/p0.png' } }),
              ],
              ['DeleteReferenceImage', () => c.productSearch.deleteReferenceImage({ name: `${product}/referenceImages/r` })],
              ['ListReferenceImages', () => c.productSearch.listReferenceImages({ parent: product }, { autoPaginate: false })],
              ['GetReferenceImage', () => c.productSearch.getReferenceImage({ name: `${product}/referenceImages/r` })],
              ['AddProductToProductSet', () => c.productSearch.addProductToProductSet({ name: set, product })],
              ['RemoveProductFromProductSet', () => c.productSearch.removeProductFromProductSet({ name: set, product })],
              ['ListProductsInProductSet', () => c.productSearch.listProductsInProductSet({ name: set }, { autoPaginate: false })],
              [
                'ImportProductSets',
                () => c.productSearch.importProductSets({ parent: p, inputConfig: { gcsSource: { csvFileUri: 'gs://rules/none.csv' } } }),
              ],
              ['PurgeProducts', () => c.productSearch.purgeProducts({ parent: p, deleteOrphanProducts: true, force: true })],
            ];
            for (const [method, call] of every ? calls : calls.filter(([m]) => m === 'CreateProductSet' || m === 'ListProducts')) {
              const e = await rejection(call());
              assert.equal(e.code, Code.INVALID_ARGUMENT, `${method}: ${e.message}`);
              assert.ok(e.message.includes(`"${location}"`), `${method} names the location: ${e.message}`);
              for (const valid of VALID_LOCATIONS) assert.ok(e.message.includes(valid), `${method} names ${valid}: ${e.message}`);
            }
            const res = await search(`${p}/productSets/s`, ['toys-v2']);
            assert.equal(res.error?.code, Code.INVALID_ARGUMENT, 'a search of a set in that location');
            assert.match(res.error?.message ?? '', new RegExp(`productSearchParams\\.productSet: the location "${location}"`));
          });
        }
      });

      describe('reference-image rectangles', () => {
        // ReferenceImage.bounding_polys (product_search_service.proto): once converted into a non-rotated rectangle,
        // "the small edge of the rectangle must be greater than or equal to 300 pixels. The aspect ratio must be 1:4 or
        // less (i.e. 1:3 is ok; 1:5 is not)." Pixel polygons as given, normalized ones against the image's size.
        const rect = (x0: number, y0: number, x1: number, y1: number) => ({
          vertices: [
            { x: x0, y: y0 },
            { x: x1, y: y0 },
            { x: x1, y: y1 },
            { x: x0, y: y1 },
          ],
        });
        const norm = (x0: number, y0: number, x1: number, y1: number) => ({
          normalizedVertices: [
            { x: x0, y: y0 },
            { x: x1, y: y0 },
            { x: x1, y: y1 },
            { x: x0, y: y1 },
          ],
        });
        let product = '';
        before(async () => {
          const [p] = await c.productSearch.createProduct({
            parent: loc,
            product: { displayName: 'framed', productCategory: 'general-v1' },
          });
          product = p.name!;
        });
        const create = (uri: string, boundingPolys: object[]) =>
          c.productSearch.createReferenceImage({ parent: product, referenceImage: { uri, boundingPolys } as never });

        it('refuses a pixel rectangle with a short edge under 300 px or an aspect ratio over 1:4, naming the polygon', async () => {
          const cases: [string, object[], RegExp][] = [
            [
              '10 × 10',
              [rect(0, 0, 10, 10)],
              /reference_image\.bounding_polys\[0\]: encloses a 10×10 px rectangle; its short edge must be at least 300 px/,
            ],
            ['299 × 400', [rect(0, 0, 299, 400)], /bounding_polys\[0\].*299×400.*300 px/],
            [
              '320 × 2048 (1:6.4)',
              [rect(0, 0, 320, 2048)],
              /bounding_polys\[0\].*320×2048 px rectangle, an aspect ratio of 1:6\.4; it must be 1:4 or less/,
            ],
            ['a good one, then 1:5', [rect(0, 0, 300, 300), rect(0, 0, 1500, 300)], /bounding_polys\[1\].*1:5\b/],
          ];
          for (const [what, polys, re] of cases) {
            const e = await rejection(create('gs://rules/tall.png', polys));
            assert.equal(e.code, Code.INVALID_ARGUMENT, what);
            assert.match(e.message, re, what);
          }
        });

        it('accepts 300 × 300 and 300 × 1200 (exactly 1:4) pixel rectangles', async () => {
          const [r] = await create('gs://rules/tall.png', [rect(0, 0, 300, 300), rect(50, 50, 350, 1250)]);
          assert.equal(r.boundingPolys?.length, 2);
        });

        it('checks normalized rectangles against the size of the image', async () => {
          // big.png is 640 × 480: its lower half is 640 × 240 (short edge 240); wide.png is 2000 × 400 (1:5).
          const half = await rejection(create('gs://rules/big.png', [norm(0, 0, 1, 1), norm(0, 0.5, 1, 1)]));
          assert.equal(half.code, Code.INVALID_ARGUMENT);
          assert.match(
            half.message,
            /reference_image\.bounding_polys\[1\]: encloses a 640×240 px rectangle; its short edge must be at least 300 px/,
          );
          const wide = await rejection(create('gs://rules/wide.png', [norm(0, 0, 1, 1)]));
          assert.equal(wide.code, Code.INVALID_ARGUMENT);
          assert.match(wide.message, /bounding_polys\[0\].*2000×400 px rectangle, an aspect ratio of 1:5/);
          const [ok] = await create('gs://rules/big.png', [norm(0, 0, 1, 1), norm(0.25, 0, 0.75, 0.75)]);
          assert.equal(ok.boundingPolys?.length, 2);
          const [whole] = await create('gs://rules/wide.png', []);
          assert.equal(whole.boundingPolys?.length ?? 0, 0, 'without a polygon the rule does not apply');
        });

        it('fails the import lines whose rectangle breaks the rule; the other lines go on', async () => {
          const statuses = await runImport(
            c,
            loc,
            `rects-${wire}.csv`,
            [
              'gs://rules/big.png,ok-px,rects,r1,general-v1,,,"0,0,400,0,400,350,0,350"',
              'gs://rules/big.png,small-px,rects,r2,general-v1,,,"0,0,10,0,10,10,0,10"',
              'gs://rules/big.png,half-norm,rects,r3,general-v1,,,"0,0.5,1,0.5,1,1,0,1"',
              // Normalized vertices are floats ("0,0,1,…" would be pixels: the proto's integers-mean-pixels rule).
              'gs://rules/big.png,ok-norm,rects,r4,general-v1,,,"0.0,0.0,1.0,0.0,1.0,1.0,0.0,1.0"',
              'gs://rules/wide.png,wide-norm,rects,r5,general-v1,,,"0.0,0.0,1.0,0.0,1.0,1.0,0.0,1.0"',
            ].join('\n'),
          );
          assert.deepEqual(
            statuses.map((s) => s.code ?? 0),
            [0, Code.INVALID_ARGUMENT, Code.INVALID_ARGUMENT, 0, Code.INVALID_ARGUMENT],
            JSON.stringify(statuses),
          );
          assert.match(statuses[1]!.message!, /^line 2, column 8 \(bounding-poly\): encloses a 10×10 px rectangle/);
          assert.match(statuses[2]!.message!, /^line 3, column 8 \(bounding-poly\): encloses a 640×240 px rectangle/);
          assert.match(statuses[4]!.message!, /^line 5, column 8 \(bounding-poly\): .*1:5/);
          assert.equal((await rejection(c.productSearch.getProduct({ name: `${loc}/products/r2` }))).code, Code.NOT_FOUND);
        });
      });

      describe('import CSV files', () => {
        // Google's CSV format page (https://cloud.google.com/vision/product-search/docs/csv-format): "CSV files are
        // limited to a maximum of 20,000 lines; each line is limited to a maximum of 2,048 characters."
        it('refuses a CSV of 20,001 lines at the call, naming the field; 20,000 lines start an import', async () => {
          const line = (i: number) => `gs://rules/p0.png,i${i},many,m${i},toys-v2,,,`;
          await upload(t.emu, 'rules', `over-${wire}.csv`, Array.from({ length: 20_001 }, (_, i) => line(i)).join('\n'), 'text/csv');
          const e = await rejection(
            c.productSearch.importProductSets({ parent: loc, inputConfig: { gcsSource: { csvFileUri: `gs://rules/over-${wire}.csv` } } }),
          );
          assert.equal(e.code, Code.INVALID_ARGUMENT);
          assert.match(e.message, /csv_?[fF]ile_?[uU]ri/);
          assert.match(e.message, /20001 lines; a CSV file may have at most 20000/);
          await upload(t.emu, 'rules', `at-${wire}.csv`, `${Array.from({ length: 20_000 }, (_, i) => line(i)).join('\n')}\n`, 'text/csv');
          t.emu.knobs.opStepMs = 60_000;
          try {
            const [op] = await c.productSearch.importProductSets({
              parent: loc,
              inputConfig: { gcsSource: { csvFileUri: `gs://rules/at-${wire}.csv` } },
            });
            assert.ok(op.name);
            assert.equal((await fetch(`${t.emu.httpUrl}/v1/${op.name}:cancel`, { method: 'POST' })).status, 200);
          } finally {
            t.emu.knobs.opStepMs = 0;
          }
        });

        it('fails a line over 2,048 characters and takes one of exactly 2,048', async () => {
          const head = 'gs://rules/p1.png,,long,long-1,toys-v2,';
          const at = `${head}${'é'.repeat(2048 - head.length - 2)},,`;
          const over = `${head}${'é'.repeat(2049 - head.length - 2)},,`.replace('long-1', 'long-2');
          assert.equal([...at].length, 2048);
          assert.equal([...over].length, 2049);
          const statuses = await runImport(c, loc, `long-${wire}.csv`, `${at}\n${over}\n`);
          assert.deepEqual(
            statuses.map((s) => s.code ?? 0),
            [0, Code.INVALID_ARGUMENT],
          );
          assert.equal(statuses[1]!.message, 'line 2: is 2049 characters long; a line may have at most 2048');
        });

        // ImportProductSetsGcsSource.csv_file_uri (product_search_service.proto): "If a Product with the specified
        // product-id already exists, then the system ignores the product-display-name, product-category, and labels
        // columns."
        it('ignores display name, category and labels of a product that already exists', async () => {
          await c.productSearch.createProduct({
            parent: loc,
            productId: 'kept',
            product: { displayName: 'Kept', productCategory: 'toys-v2', productLabels: [{ key: 'k', value: 'v' }] },
          });
          const statuses = await runImport(
            c,
            loc,
            `existing-${wire}.csv`,
            [
              'gs://rules/p0.png,,keep,kept,nonsense,Other name,broken-label,',
              'gs://rules/p1.png,,keep,kept,apparel-v2,,"a=1,b=2",',
              'gs://rules/p2.png,,keep,fresh,nonsense,,,',
            ].join('\n'),
          );
          assert.deepEqual(
            statuses.map((s) => s.code ?? 0),
            [0, 0, Code.INVALID_ARGUMENT],
            JSON.stringify(statuses),
          );
          assert.match(statuses[2]!.message!, /^line 3, column 5 \(product-category\): "nonsense" is not a product category/);
          const [kept] = await c.productSearch.getProduct({ name: `${loc}/products/kept` });
          assert.equal(kept.displayName, 'Kept');
          assert.equal(kept.productCategory, 'toys-v2');
          assert.deepEqual(
            kept.productLabels?.map((l) => `${l.key}=${l.value}`),
            ['k=v'],
          );
          const [images] = await c.productSearch.listReferenceImages({ parent: kept.name }, { autoPaginate: false });
          assert.equal(images.length, 2, 'both lines added their image');
        });

        // The same comment: "The bounding-poly column must contain an even number of comma-separated numbers".
        it('takes a bounding-poly of any even count of numbers (two corners make a rectangle), refuses an odd count', async () => {
          const statuses = await runImport(
            c,
            loc,
            `pairs-${wire}.csv`,
            [
              'gs://rules/big.png,two-pts,pairs,pair-1,toys-v2,,,"10,20,410,370"',
              'gs://rules/big.png,odd,pairs,pair-2,toys-v2,,,"10,20,410,370,5"',
            ].join('\n'),
          );
          assert.deepEqual(
            statuses.map((s) => s.code ?? 0),
            [0, Code.INVALID_ARGUMENT],
          );
          assert.match(statuses[1]!.message!, /^line 2, column 8 \(bounding-poly\): needs an even number of numbers/);
          const [img] = await c.productSearch.getReferenceImage({ name: `${loc}/products/pair-1/referenceImages/two-pts` });
          assert.deepEqual(
            img.boundingPolys?.[0]?.vertices?.map((v) => [v.x ?? 0, v.y ?? 0]),
            [
              [10, 20],
              [410, 20],
              [410, 370],
              [10, 370],
            ],
          );
        });

        // BatchOperationMetadata.State CANCELLED (product_search_service.proto): "Any records that were processed
        // before the cancel command are output". The operation's error stays code 1 (google.longrunning's
        // CancelOperation); the ImportProductSetsResponse of the lines done rides in the error's details.
        it('reports the lines a cancelled import processed, as an ImportProductSetsResponse in the error details', async () => {
          const lines = Array.from({ length: 60 }, (_, i) => `gs://rules/p${i % 3}.png,c${i},cancelled,cp${i},toys-v2,,,`);
          await upload(t.emu, 'rules', `cancel-${wire}.csv`, lines.join('\n'), 'text/csv');
          t.emu.knobs.opStepMs = 15;
          let name = '';
          try {
            const [op] = await c.productSearch.importProductSets({
              parent: loc,
              inputConfig: { gcsSource: { csvFileUri: `gs://rules/cancel-${wire}.csv` } },
            });
            name = op.name!;
            for (;;) {
              const [products] = await c.productSearch.listProductsInProductSet(
                { name: `${loc}/productSets/cancelled`, pageSize: 100 },
                { autoPaginate: false },
              );
              if (products.length >= 5) break;
              await new Promise((r) => setTimeout(r, 10));
            }
            if (wire === 'grpc') await c.productSearch.operationsClient.cancelOperation({ name } as never);
            else assert.equal((await fetch(`${t.emu.httpUrl}/v1/${name}:cancel`, { method: 'POST', body: '{}' })).status, 200);
          } finally {
            t.emu.knobs.opStepMs = 0;
          }
          const [created] = await c.productSearch.listProductsInProductSet(
            { name: `${loc}/productSets/cancelled`, pageSize: 100 },
            { autoPaginate: false },
          );
          assert.ok(created.length >= 5 && created.length < 60, `${created.length} products were created`);
          let response: ImportProductSetsResponse;
          if (wire === 'grpc') {
            const [op] = await c.productSearch.operationsClient.getOperation({ name } as never);
            assert.equal(op.done, true);
            assert.equal(op.error?.code, Code.CANCELLED);
            const detail = op.error?.details?.[0];
            assert.equal(
              detail?.type_url ?? (detail as { typeUrl?: string } | undefined)?.typeUrl,
              'type.googleapis.com/google.cloud.vision.v1p4beta1.ImportProductSetsResponse',
            );
            response = ImportProductSetsResponse.decode(detail!.value as Uint8Array);
          } else {
            const op = await getOperationRest(t.emu, name);
            const error = op.error as { code: number; message: string; details: (Record<string, unknown> & { '@type': string })[] };
            assert.equal(error.code, Code.CANCELLED);
            assert.equal(error.message, 'Operation cancelled by the caller');
            assert.equal(error.details[0]!['@type'], 'type.googleapis.com/google.cloud.vision.v1p4beta1.ImportProductSetsResponse');
            assert.equal((op.metadata as { state: string }).state, 'CANCELLED');
            const { '@type': _type, ...fields } = error.details[0]!;
            response = messageFromJson<ImportProductSetsResponse>('google.cloud.vision.v1p4beta1.ImportProductSetsResponse', fields);
          }
          assert.equal(response.statuses.length, created.length, 'one status per line processed');
          assert.ok(response.statuses.every((s) => s.code === 0));
          assert.deepEqual(
            response.referenceImages.map((r) => r.name.split('/').pop()).sort(),
            Array.from({ length: created.length }, (_, i) => `c${i}`).sort(),
          );
        });
      });
    });
  }
});
