// Product Search indexing, over both wires of Google's official client.
// Sources: ProductSet.index_time (product_search_service.proto): "The time at
// which this ProductSet was last indexed. Query results will reflect all
// updates before this time. If this ProductSet has never been indexed, this
// timestamp is the default value 1970-01-01T00:00:00Z"; ProductSearchResults
// .index_time (product_search.proto): "Products added to the product set and
// products removed from the product set after this time are not reflected in
// the current results"; DeleteProduct / DeleteReferenceImage: searches "may
// still work until all related caches are refreshed". Google indexes
// periodically; the emulator indexes at once by default and periodically with
// `indexIntervalMs` (flag --index-interval-ms), with POST /emulator/index (a
// path outside Google's API) to index now.
import assert from 'node:assert/strict';
import { rm } from 'node:fs/promises';
import { productPhoto, retake } from './annotators/synthetic-images.js';
import { spawnEmulator } from './support/child-emulator.js';
import { type OfficialClients, officialClients, startTestEmulator, type TestEmulator, tempDir, upload, WIRES } from './support/harness.js';

const HOUR = 3_600_000;

/** A Timestamp as the official client gives it (seconds a string, number or Long) → ms since the epoch. */
const ms = (t: { seconds?: unknown; nanos?: number | null } | null | undefined): number =>
  Number(String(t?.seconds ?? 0)) * 1000 + Math.round((t?.nanos ?? 0) / 1e6);

async function indexNow(t: TestEmulator): Promise<{ mode: string; indexTime: string; productSets: number }> {
  const res = await fetch(`${t.emu.httpUrl}/emulator/index`, { method: 'POST' });
  assert.equal(res.status, 200);
  return (await res.json()) as { mode: string; indexTime: string; productSets: number };
}

describe('Product Search indexing', function () {
  this.timeout(60_000);
  const photos: Buffer[] = [];
  before(async () => {
    for (const seed of [501, 502, 503]) photos.push(await productPhoto(seed));
  });

  async function setUp(t: TestEmulator): Promise<void> {
    for (const [i, p] of photos.entries()) await upload(t.emu, 'idx', `p${i}.png`, p, 'image/png');
  }

  function searcher(c: OfficialClients, set: string) {
    return async (image: Buffer, filter = '') => {
      const [res] = await c.imageAnnotator.batchAnnotateImages({
        requests: [
          {
            image: { content: image },
            features: [{ type: 'PRODUCT_SEARCH', maxResults: 5 }],
            imageContext: { productSearchParams: { productSet: set, productCategories: ['toys-v2'], filter } },
          },
        ],
      });
      const r = res.responses![0]!;
      assert.equal(r.error ?? null, null, JSON.stringify(r.error));
      const psr = r.productSearchResults!;
      return { names: (psr.results ?? []).map((x) => x.product!.name!.split('/').pop()!), indexTime: ms(psr.indexTime) };
    };
  }

  describe('instant (the default)', () => {
    let t: TestEmulator;
    before(async () => {
      t = await startTestEmulator({ opStepMs: 0 });
      await setUp(t);
    });
    after(() => t.close());

    for (const wire of WIRES) {
      it(`makes a new reference image searchable at once; the set's index time is its last change (${wire})`, async () => {
        const c = officialClients(t.emu, wire);
        try {
          const loc = `projects/instant-${wire}/locations/us-west1`;
          const set = `${loc}/productSets/s`;
          await c.productSearch.createProductSet({ parent: loc, productSetId: 's', productSet: { displayName: 's' } });
          const [p] = await c.productSearch.createProduct({
            parent: loc,
            productId: 'a',
            product: { displayName: 'a', productCategory: 'toys-v2' },
          });
          await c.productSearch.addProductToProductSet({ name: set, product: p.name });
          const before = Date.now();
          await c.productSearch.createReferenceImage({ parent: p.name, referenceImage: { uri: 'gs://idx/p0.png' } });
          const after = Date.now();
          const found = await searcher(c, set)(await retake(photos[0]!));
          assert.deepEqual(found.names, ['a']);
          const [s] = await c.productSearch.getProductSet({ name: set });
          assert.ok(
            ms(s.indexTime) >= before - 1 && ms(s.indexTime) <= after + 1,
            `index time ${ms(s.indexTime)} in [${before}, ${after}]`,
          );
          assert.equal(found.indexTime, ms(s.indexTime));
        } finally {
          await c.close();
        }
      });
    }

    it('POST /emulator/index answers mode "instant"; other methods are 405', async () => {
      const run = await indexNow(t);
      assert.equal(run.mode, 'instant');
      assert.ok(Math.abs(Date.parse(run.indexTime) - Date.now()) < 5000);
      const get = await fetch(`${t.emu.httpUrl}/emulator/index`);
      assert.equal(get.status, 405);
      assert.equal(get.headers.get('allow'), 'POST');
      assert.equal(((await get.json()) as { error: { status: string } }).error.status, 'UNIMPLEMENTED');
    });
  });

  describe('with an index interval', () => {
    let t: TestEmulator;
    before(async () => {
      t = await startTestEmulator({ opStepMs: 0, indexIntervalMs: HOUR });
      await setUp(t);
    });
    after(() => t.close());

    for (const wire of WIRES) {
      describe(`over ${wire}`, () => {
        const loc = `projects/interval-${wire}/locations/europe-west1`;
        const set = `${loc}/productSets/s`;
        let c: OfficialClients;
        let search: ReturnType<typeof searcher>;
        before(async () => {
          c = officialClients(t.emu, wire);
          search = searcher(c, set);
        });
        after(() => c.close());

        it('a set made after the last index was never indexed: epoch index time, nothing found', async () => {
          await c.productSearch.createProductSet({ parent: loc, productSetId: 's', productSet: { displayName: 's' } });
          for (const [i, id] of ['a', 'b'].entries()) {
            const [p] = await c.productSearch.createProduct({
              parent: loc,
              productId: id,
              product: { displayName: id, productCategory: 'toys-v2', productLabels: [{ key: 'tag', value: 'old' }] },
            });
            await c.productSearch.createReferenceImage({
              parent: p.name,
              referenceImageId: 'front',
              referenceImage: { uri: `gs://idx/p${i}.png` },
            });
          }
          await c.productSearch.addProductToProductSet({ name: set, product: `${loc}/products/a` });
          const [s] = await c.productSearch.getProductSet({ name: set });
          assert.equal(ms(s.indexTime), 0, 'never indexed: 1970-01-01T00:00:00Z');
          const found = await search(await retake(photos[0]!));
          assert.deepEqual(found.names, []);
          assert.equal(found.indexTime, 0);
        });

        it('POST /emulator/index makes the changes searchable; the set and the results carry its time', async () => {
          const run = await indexNow(t);
          assert.equal(run.mode, 'interval');
          const at = Date.parse(run.indexTime);
          const [s] = await c.productSearch.getProductSet({ name: set });
          assert.equal(ms(s.indexTime), at);
          const [listed] = await c.productSearch.listProductSets({ parent: loc }, { autoPaginate: false });
          assert.equal(ms(listed[0]?.indexTime), at);
          const found = await search(await retake(photos[0]!));
          assert.deepEqual(found.names, ['a']);
          assert.equal(found.indexTime, at);
        });

        it('changed labels, memberships, deletions are not searchable until the next index', async () => {
          await c.productSearch.updateProduct({
            product: { name: `${loc}/products/a`, productLabels: [{ key: 'tag', value: 'new' }] },
            updateMask: { paths: ['product_labels'] },
          });
          await c.productSearch.addProductToProductSet({ name: set, product: `${loc}/products/b` });
          const query = await retake(photos[0]!);
          assert.deepEqual((await search(query, 'tag = old')).names, ['a'], 'the index still has the old label');
          assert.deepEqual((await search(query, 'tag = new')).names, []);
          assert.ok(!(await search(await retake(photos[1]!))).names.includes('b'), 'b joined after the index');
          await c.productSearch.deleteReferenceImage({ name: `${loc}/products/a/referenceImages/front` });
          assert.deepEqual((await search(query)).names.slice(0, 1), ['a'], 'a deleted image still matches until the next index');

          await indexNow(t);
          assert.ok(!(await search(query, 'tag = old')).names.includes('a'), 'a has its new label in the index');
          assert.ok(!(await search(query)).names.includes('a'), 'its only image is gone from the index');
          assert.deepEqual((await search(await retake(photos[1]!), 'tag = old')).names, ['b']);
          await c.productSearch.removeProductFromProductSet({ name: set, product: `${loc}/products/b` });
          assert.deepEqual((await search(await retake(photos[1]!))).names.slice(0, 1), ['b'], 'removed after the index: still found');
          await indexNow(t);
          assert.deepEqual((await search(await retake(photos[1]!))).names, []);
        });
      });
    }

    it('the in-process knob: 0 is instant at once; from 0 to an interval indexes then; a stale index is rebuilt when read', async () => {
      const c = officialClients(t.emu, 'grpc');
      try {
        const loc = 'projects/knob/locations/asia-east1';
        const set = `${loc}/productSets/k`;
        const search = searcher(c, set);
        await c.productSearch.createProductSet({ parent: loc, productSetId: 'k', productSet: { displayName: 'k' } });
        const [p] = await c.productSearch.createProduct({
          parent: loc,
          productId: 'k1',
          product: { displayName: 'k1', productCategory: 'toys-v2' },
        });
        await c.productSearch.addProductToProductSet({ name: set, product: p.name });
        await c.productSearch.createReferenceImage({ parent: p.name, referenceImage: { uri: 'gs://idx/p2.png' } });
        const query = await retake(photos[2]!);
        assert.deepEqual((await search(query)).names, []);

        t.emu.knobs.indexIntervalMs = 0;
        assert.deepEqual((await search(query)).names, ['k1'], 'instant: searchable at once');
        assert.throws(() => {
          t.emu.knobs.indexIntervalMs = -1;
        }, RangeError);

        t.emu.knobs.indexIntervalMs = 400;
        const switched = Date.now();
        const [q] = await c.productSearch.createProduct({
          parent: loc,
          productId: 'k2',
          product: { displayName: 'k2', productCategory: 'toys-v2' },
        });
        await c.productSearch.createReferenceImage({ parent: q.name, referenceImage: { uri: 'gs://idx/p2.png' } });
        await c.productSearch.addProductToProductSet({ name: set, product: q.name });
        const early = await search(query);
        if (Date.now() - switched < 400) assert.deepEqual(early.names, ['k1'], 'k2 came after the index taken at the switch');
        await new Promise((r) => setTimeout(r, 450));
        const late = await search(query);
        assert.deepEqual(late.names.sort(), ['k1', 'k2'], 'the index was older than 400 ms: rebuilt when read');
        assert.ok(late.indexTime > early.indexTime);
        const run = t.emu.indexNow();
        assert.equal(run.mode, 'interval');
        assert.ok(run.productSets >= 1);
      } finally {
        t.emu.knobs.indexIntervalMs = HOUR;
        await c.close();
      }
    });
  });

  it('the --index-interval-ms flag of `vision-kit emulator`: changes wait for POST /emulator/index; a bad value is refused', async () => {
    const dir = await tempDir();
    const emu = await spawnEmulator(['--grpc-port', '0', '--http-port', '0', '--data-dir', dir, '--index-interval-ms', String(HOUR)]);
    try {
      const base = `${emu.ready.http}/v1p4beta1/projects/flag/locations/us-east1`;
      const post = async (path: string, body: unknown) => {
        const res = await fetch(`${base}${path}`, { method: 'POST', body: JSON.stringify(body) });
        assert.equal(res.status, 200, await res.clone().text());
        return res.json();
      };
      const put = await fetch(`${emu.ready.http}/upload/storage/v1/b/flag/o?uploadType=media&name=p.png`, {
        method: 'POST',
        body: new Uint8Array(photos[0]!),
      });
      assert.equal(put.status, 200);
      await post('/productSets?productSetId=s', { displayName: 's' });
      await post('/products?productId=p', { displayName: 'p', productCategory: 'toys-v2' });
      await post('/products/p/referenceImages', { uri: 'gs://flag/p.png' });
      await post('/productSets/s:addProduct', { product: 'projects/flag/locations/us-east1/products/p' });
      const search = async () => {
        const res = await fetch(`${emu.ready.http}/v1p4beta1/images:annotate`, {
          method: 'POST',
          body: JSON.stringify({
            requests: [
              {
                image: { content: photos[0]!.toString('base64') },
                features: [{ type: 'PRODUCT_SEARCH' }],
                imageContext: {
                  productSearchParams: { productSet: 'projects/flag/locations/us-east1/productSets/s', productCategories: ['toys-v2'] },
                },
              },
            ],
          }),
        });
        const body = (await res.json()) as { responses: { productSearchResults?: { results?: unknown[] } }[] };
        return body.responses[0]?.productSearchResults?.results?.length ?? 0;
      };
      assert.equal(await search(), 0, 'not indexed yet');
      const run = await fetch(`${emu.ready.http}/emulator/index`, { method: 'POST' });
      assert.equal(((await run.json()) as { mode: string }).mode, 'interval');
      assert.equal(await search(), 1);
    } finally {
      emu.child.kill('SIGTERM');
      await emu.exited;
      await rm(dir, { recursive: true, force: true });
    }
    const bad = await spawnEmulator(['--grpc-port', '0', '--http-port', '0', '--data-dir', dir, '--index-interval-ms', '-5']).catch(
      (e: unknown) => e,
    );
    assert.ok(bad instanceof Error, 'a negative interval is a usage error');
    await rm(dir, { recursive: true, force: true });
  });
});
