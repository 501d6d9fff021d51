// ProductSearch over both wires of Google's official client: every method,
// the documented errors and limits, paging, update masks, cascades.
import assert from 'node:assert/strict';
import { Code } from 'vision-kit';
import {
  type OfficialClients,
  officialClients,
  png,
  rejection,
  startTestEmulator,
  type TestEmulator,
  upload,
  WIRES,
} from './support/harness.js';

const LOC = 'projects/p1/locations/us-west1';

for (const wire of WIRES) {
  describe(`ProductSearch over ${wire} (official client)`, () => {
    let t: TestEmulator;
    let c: OfficialClients;
    before(async () => {
      t = await startTestEmulator();
      c = officialClients(t.emu, wire);
      await upload(t.emu, 'catalog', 'shoe.png', await png(640, 480, [200, 30, 30], [20, 20, 200]), 'image/png');
    });
    after(async () => {
      await c.close();
      await t.close();
    });

    describe('product sets', () => {
      it('creates with a chosen id and with a server-assigned one', async () => {
        const [a] = await c.productSearch.createProductSet({ parent: LOC, productSet: { displayName: 'Shoes' }, productSetId: 'shoes' });
        assert.equal(a.name, `${LOC}/productSets/shoes`);
        assert.equal(a.displayName, 'Shoes');
        const [b] = await c.productSearch.createProductSet({ parent: LOC, productSet: { displayName: 'Anon' } });
        assert.match(b.name ?? '', new RegExp(`^${LOC}/productSets/[0-9a-f]{20}$`));
        const [got] = await c.productSearch.getProductSet({ name: b.name });
        assert.equal(got.displayName, 'Anon');
      });

      const bad: { name: string; req: object; code: number; mention: string }[] = [
        {
          name: 'a missing display name',
          req: { parent: LOC, productSet: {} },
          code: Code.INVALID_ARGUMENT,
          mention: wire === 'grpc' ? 'product_set' : 'productSet',
        },
        {
          name: 'a display name over 4,096 characters',
          req: { parent: LOC, productSet: { displayName: 'x'.repeat(4097) } },
          code: Code.INVALID_ARGUMENT,
          mention: '4096',
        },
        {
          name: 'an id with "/"',
          req: { parent: LOC, productSet: { displayName: 'x' }, productSetId: 'a/b' },
          code: Code.INVALID_ARGUMENT,
          mention: 'product_set_id',
        },
        {
          name: 'an id over 128 characters',
          req: { parent: LOC, productSet: { displayName: 'x' }, productSetId: 'i'.repeat(129) },
          code: Code.INVALID_ARGUMENT,
          mention: '128',
        },
        {
          name: 'an id in use',
          req: { parent: LOC, productSet: { displayName: 'x' }, productSetId: 'shoes' },
          code: Code.ALREADY_EXISTS,
          mention: 'shoes',
        },
      ];
      for (const b of bad) {
        it(`refuses ${b.name}`, async () => {
          const e = await rejection(c.productSearch.createProductSet(b.req as never));
          assert.equal(e.code, b.code, e.message);
          assert.ok(e.message.includes(b.mention), e.message);
        });
      }

      it('accepts an id of exactly 128 characters', async () => {
        const id = 'k'.repeat(128);
        const [s] = await c.productSearch.createProductSet({ parent: LOC, productSet: { displayName: 'long' }, productSetId: id });
        assert.equal(s.name, `${LOC}/productSets/${id}`);
        await c.productSearch.deleteProductSet({ name: s.name });
      });

      it('answers NOT_FOUND for a missing set', async () => {
        assert.equal((await rejection(c.productSearch.getProductSet({ name: `${LOC}/productSets/none` }))).code, Code.NOT_FOUND);
      });

      if (wire === 'grpc') {
        // (The REST client refuses these itself: they fit no path template.)
        it('answers INVALID_ARGUMENT naming the field for malformed resource names', async () => {
          const cases: [Promise<unknown>, RegExp][] = [
            [c.productSearch.getProductSet({ name: `${LOC}/products/none` }), /name/],
            [c.productSearch.createProductSet({ parent: 'projects/p1', productSet: { displayName: 'x' } }), /parent/],
            [c.productSearch.listProducts({ parent: '' }, { autoPaginate: false }), /parent/],
            [c.productSearch.addProductToProductSet({ name: `${LOC}/productSets/s`, product: 'shoe-1' }), /product/],
            [c.productSearch.getReferenceImage({ name: `${LOC}/products/a/referenceImages` }), /name/],
          ];
          for (const [call, re] of cases) {
            const e = await rejection(call);
            assert.equal(e.code, Code.INVALID_ARGUMENT, e.message);
            assert.match(e.message, re);
          }
        });
      }

      it('updates display_name by mask and without one, and refuses other paths', async () => {
        const name = `${LOC}/productSets/shoes`;
        const [u] = await c.productSearch.updateProductSet({
          productSet: { name, displayName: 'Sneakers' },
          updateMask: { paths: ['display_name'] },
        });
        assert.equal(u.displayName, 'Sneakers');
        const [v] = await c.productSearch.updateProductSet({ productSet: { name, displayName: 'Shoes' } });
        assert.equal(v.displayName, 'Shoes');
        const e = await rejection(
          c.productSearch.updateProductSet({ productSet: { name, displayName: 'x' }, updateMask: { paths: ['index_time'] } }),
        );
        assert.equal(e.code, Code.INVALID_ARGUMENT);
        assert.match(e.message, /update_mask/);
        const e2 = await rejection(
          c.productSearch.updateProductSet({ productSet: { name, displayName: '' }, updateMask: { paths: ['display_name'] } }),
        );
        assert.equal(e2.code, Code.INVALID_ARGUMENT);
        const e3 = await rejection(c.productSearch.updateProductSet({ productSet: { name: `${LOC}/productSets/none`, displayName: 'x' } }));
        assert.equal(e3.code, Code.NOT_FOUND);
      });

      it('lists in pages of the requested size with opaque tokens, every set once', async () => {
        const parent = 'projects/p1-paging/locations/us-west1';
        const made = new Set<string>();
        for (let i = 0; i < 23; i++) {
          const [s] = await c.productSearch.createProductSet({ parent, productSet: { displayName: `set ${i}` } });
          made.add(s.name!);
        }
        const seen: string[] = [];
        let pageToken = '';
        let pages = 0;
        do {
          const [items, next] = await c.productSearch.listProductSets({ parent, pageSize: 10, pageToken }, { autoPaginate: false });
          assert.ok(items.length <= 10);
          seen.push(...items.map((s) => s.name!));
          pageToken = next?.pageToken ?? '';
          pages++;
        } while (pageToken);
        assert.equal(pages, 3);
        assert.deepEqual(new Set(seen), made);
        assert.equal(seen.length, made.size);
        const [first] = await c.productSearch.listProductSets({ parent }, { autoPaginate: false });
        assert.equal(first.length, 10, 'default page size is 10');
      });

      it('refuses page sizes outside 1–100 and tokens from another list', async () => {
        for (const pageSize of [101, -1]) {
          const e = await rejection(c.productSearch.listProductSets({ parent: LOC, pageSize }, { autoPaginate: false }));
          assert.equal(e.code, Code.INVALID_ARGUMENT);
          assert.match(e.message, /page_size/);
        }
        const [, next] = await c.productSearch.listProductSets(
          { parent: 'projects/p1-paging/locations/us-west1', pageSize: 5 },
          { autoPaginate: false },
        );
        const e = await rejection(c.productSearch.listProductSets({ parent: LOC, pageToken: next!.pageToken! }, { autoPaginate: false }));
        assert.equal(e.code, Code.INVALID_ARGUMENT);
        assert.match(e.message, /page_token/);
        const e2 = await rejection(c.productSearch.listProductSets({ parent: LOC, pageToken: 'garbage' }, { autoPaginate: false }));
        assert.equal(e2.code, Code.INVALID_ARGUMENT);
      });
    });

    describe('products, reference images, membership', () => {
      const product = `${LOC}/products/shoe-1`;

      it('creates a product with labels, and enforces the documented limits', async () => {
        const [p] = await c.productSearch.createProduct({
          parent: LOC,
          productId: 'shoe-1',
          product: {
            displayName: 'Red shoe',
            description: 'A shoe',
            productCategory: 'apparel-v2',
            productLabels: [{ key: 'color', value: 'red' }],
          },
        });
        assert.equal(p.name, product);
        assert.deepEqual(
          p.productLabels?.map((l) => [l.key, l.value]),
          [['color', 'red']],
        );
        const cases: [string, object, RegExp][] = [
          ['no category', { displayName: 'x' }, /product_category/],
          ['an unknown category', { displayName: 'x', productCategory: 'cars' }, /product_category/],
          [
            'a description over 4,096 characters',
            { displayName: 'x', productCategory: 'toys-v2', description: 'd'.repeat(4097) },
            /description/,
          ],
          [
            'a label key over 128 bytes',
            { displayName: 'x', productCategory: 'toys-v2', productLabels: [{ key: 'é'.repeat(65), value: 'v' }] },
            /product_labels\[0\]\.key/,
          ],
          [
            'an empty label value',
            { displayName: 'x', productCategory: 'toys-v2', productLabels: [{ key: 'k', value: '' }] },
            /product_labels\[0\]\.value/,
          ],
          [
            '501 labels',
            {
              displayName: 'x',
              productCategory: 'toys-v2',
              productLabels: Array.from({ length: 501 }, (_, i) => ({ key: `k${i}`, value: 'v' })),
            },
            /500/,
          ],
        ];
        for (const [what, prod, re] of cases) {
          const e = await rejection(c.productSearch.createProduct({ parent: LOC, product: prod }));
          assert.equal(e.code, Code.INVALID_ARGUMENT, what);
          assert.match(e.message, re, what);
        }
        const [ok] = await c.productSearch.createProduct({
          parent: LOC,
          product: {
            displayName: 'x',
            productCategory: 'toys',
            productLabels: Array.from({ length: 500 }, (_, i) => ({ key: `k${i}`, value: 'v' })),
          },
        });
        assert.equal(ok.productLabels?.length, 500);
        await c.productSearch.deleteProduct({ name: ok.name });
        assert.equal(
          (
            await rejection(
              c.productSearch.createProduct({
                parent: LOC,
                productId: 'shoe-1',
                product: { displayName: 'x', productCategory: 'toys-v2' },
              }),
            )
          ).code,
          Code.ALREADY_EXISTS,
        );
      });

      it('updates products by mask; product_category is immutable', async () => {
        const [u] = await c.productSearch.updateProduct({
          product: { name: product, description: 'Still a shoe', productLabels: [{ key: 'size', value: '42' }] },
          updateMask: { paths: ['description', 'product_labels'] },
        });
        assert.equal(u.displayName, 'Red shoe', 'fields outside the mask keep their values');
        assert.equal(u.description, 'Still a shoe');
        assert.deepEqual(
          u.productLabels?.map((l) => l.key),
          ['size'],
        );
        const e = await rejection(
          c.productSearch.updateProduct({
            product: { name: product, productCategory: 'toys-v2' },
            updateMask: { paths: ['product_category'] },
          }),
        );
        assert.equal(e.code, Code.INVALID_ARGUMENT);
        assert.match(e.message, /product_category/);
        const e2 = await rejection(
          c.productSearch.updateProduct({ product: { name: product, displayName: '' }, updateMask: { paths: ['display_name'] } }),
        );
        assert.equal(e2.code, Code.INVALID_ARGUMENT);
        const [all] = await c.productSearch.updateProduct({
          product: { name: product, displayName: 'Red shoe', description: '', productLabels: [{ key: 'color', value: 'red' }] },
        });
        assert.equal(all.description, '', 'no mask: every mutable field is replaced');
        assert.equal(
          (await rejection(c.productSearch.updateProduct({ product: { name: `${LOC}/products/none`, displayName: 'x' } }))).code,
          Code.NOT_FOUND,
        );
      });

      it('creates reference images from gs:// files, with bounding polys made rectangles', async () => {
        const [ri] = await c.productSearch.createReferenceImage({
          parent: product,
          referenceImageId: 'front',
          referenceImage: {
            uri: 'gs://catalog/shoe.png',
            boundingPolys: [
              {
                vertices: [
                  { x: 2, y: 3 },
                  { x: 400, y: 1 },
                  { x: 300, y: 400 },
                ],
              },
            ],
          },
        });
        assert.equal(ri.name, `${product}/referenceImages/front`);
        assert.deepEqual(
          ri.boundingPolys?.[0]?.vertices?.map((v) => [v.x ?? 0, v.y ?? 0]),
          [
            [2, 1],
            [400, 1],
            [400, 400],
            [2, 400],
          ],
        );
        const [auto] = await c.productSearch.createReferenceImage({ parent: product, referenceImage: { uri: 'gs://catalog/shoe.png' } });
        assert.match(auto.name ?? '', /referenceImages\/[0-9a-f]{20}$/);
        const [got] = await c.productSearch.getReferenceImage({ name: ri.name });
        assert.equal(got.uri, 'gs://catalog/shoe.png');
        const [list] = await c.productSearch.listReferenceImages({ parent: product }, { autoPaginate: false });
        assert.deepEqual(list.map((i) => i.name).sort(), [auto.name, ri.name].sort());
      });

      it('refuses reference images that break the rules', async () => {
        const poly = {
          vertices: [
            { x: 0, y: 0 },
            { x: 10, y: 0 },
            { x: 10, y: 10 },
          ],
        };
        const cases: [string, object, number, RegExp][] = [
          ['no uri', { parent: product, referenceImage: { boundingPolys: [] } }, Code.INVALID_ARGUMENT, /reference_?[iI]mage/],
          ['a local path', { parent: product, referenceImage: { uri: '/etc/passwd' } }, Code.INVALID_ARGUMENT, /reference_image\.uri/],
          [
            'a file:// URL',
            { parent: product, referenceImage: { uri: 'file:///etc/passwd' } },
            Code.INVALID_ARGUMENT,
            /reference_image\.uri/,
          ],
          [
            'a uri escaping its bucket',
            { parent: product, referenceImage: { uri: 'gs://catalog/../x.png' } },
            Code.INVALID_ARGUMENT,
            /\.\./,
          ],
          [
            '11 bounding polys',
            { parent: product, referenceImage: { uri: 'gs://catalog/shoe.png', boundingPolys: Array(11).fill(poly) } },
            Code.INVALID_ARGUMENT,
            /10/,
          ],
          [
            'a missing product',
            { parent: `${LOC}/products/none`, referenceImage: { uri: 'gs://catalog/shoe.png' } },
            Code.INVALID_ARGUMENT,
            /does not exist/,
          ],
          ['a missing object', { parent: product, referenceImage: { uri: 'gs://catalog/none.png' } }, Code.NOT_FOUND, /none\.png/],
          [
            'an id in use',
            { parent: product, referenceImageId: 'front', referenceImage: { uri: 'gs://catalog/shoe.png' } },
            Code.ALREADY_EXISTS,
            /front/,
          ],
        ];
        for (const [what, req, code, re] of cases) {
          const e = await rejection(c.productSearch.createReferenceImage(req as never));
          assert.equal(e.code, code, `${what}: ${e.message}`);
          assert.match(e.message, re, what);
        }
        assert.equal((await rejection(c.productSearch.listReferenceImages({ parent: `${LOC}/products/none` }))).code, Code.NOT_FOUND);
        assert.equal(
          (await rejection(c.productSearch.getReferenceImage({ name: `${product}/referenceImages/none` }))).code,
          Code.NOT_FOUND,
        );
      });

      it('adds, lists and removes products of a set; adding twice changes nothing', async () => {
        const set = `${LOC}/productSets/shoes`;
        await c.productSearch.addProductToProductSet({ name: set, product });
        await c.productSearch.addProductToProductSet({ name: set, product });
        const [members] = await c.productSearch.listProductsInProductSet({ name: set }, { autoPaginate: false });
        assert.deepEqual(
          members.map((p) => p.name),
          [product],
        );
        assert.equal(
          (await rejection(c.productSearch.addProductToProductSet({ name: set, product: `${LOC}/products/none` }))).code,
          Code.NOT_FOUND,
        );
        assert.equal(
          (await rejection(c.productSearch.addProductToProductSet({ name: `${LOC}/productSets/none`, product }))).code,
          Code.NOT_FOUND,
        );
        const [none] = await c.productSearch.listProductsInProductSet({ name: `${LOC}/productSets/none` }, { autoPaginate: false });
        assert.deepEqual(none, [], 'a missing set lists no products');
        await c.productSearch.removeProductFromProductSet({ name: set, product });
        const [after] = await c.productSearch.listProductsInProductSet({ name: set }, { autoPaginate: false });
        assert.deepEqual(after, []);
        await c.productSearch.addProductToProductSet({ name: set, product });
      });

      it('deleting a set keeps its products; deleting a product removes its images and memberships', async () => {
        const [tmpSet] = await c.productSearch.createProductSet({ parent: LOC, productSet: { displayName: 'tmp' } });
        await c.productSearch.addProductToProductSet({ name: tmpSet.name, product });
        await c.productSearch.deleteProductSet({ name: tmpSet.name });
        await c.productSearch.getProduct({ name: product });
        assert.equal((await rejection(c.productSearch.deleteProductSet({ name: tmpSet.name }))).code, Code.NOT_FOUND);

        const [p2] = await c.productSearch.createProduct({
          parent: LOC,
          product: { displayName: 'doomed', productCategory: 'homegoods-v2' },
        });
        const [img] = await c.productSearch.createReferenceImage({ parent: p2.name, referenceImage: { uri: 'gs://catalog/shoe.png' } });
        await c.productSearch.addProductToProductSet({ name: `${LOC}/productSets/shoes`, product: p2.name });
        await c.productSearch.deleteProduct({ name: p2.name });
        assert.equal((await rejection(c.productSearch.getReferenceImage({ name: img.name }))).code, Code.NOT_FOUND);
        const [members] = await c.productSearch.listProductsInProductSet({ name: `${LOC}/productSets/shoes` }, { autoPaginate: false });
        assert.ok(!members.some((m) => m.name === p2.name));
        assert.equal((await rejection(c.productSearch.deleteProduct({ name: p2.name }))).code, Code.NOT_FOUND);
      });

      it('deletes a reference image', async () => {
        await c.productSearch.deleteReferenceImage({ name: `${product}/referenceImages/front` });
        assert.equal(
          (await rejection(c.productSearch.deleteReferenceImage({ name: `${product}/referenceImages/front` }))).code,
          Code.NOT_FOUND,
        );
      });

      it('lists products of a location in pages', async () => {
        await c.productSearch.createProduct({ parent: LOC, product: { displayName: 'second', productCategory: 'toys-v2' } });
        const [all] = await c.productSearch.listProducts({ parent: LOC, pageSize: 100 }, { autoPaginate: false });
        assert.ok(all.some((p) => p.name === product));
        const [page, next] = await c.productSearch.listProducts({ parent: LOC, pageSize: 1 }, { autoPaginate: false });
        assert.equal(page.length, 1);
        assert.ok(next?.pageToken);
      });
    });
  });
}
