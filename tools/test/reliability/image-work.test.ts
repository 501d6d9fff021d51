/**
 * Pixel work does not starve writes of state: while eight images:annotate
 * calls of 16 PNGs each keep the decoders busy, product creates (journal
 * appends, fsynced) and storage reads keep answering promptly — image
 * decoding has its own bounded concurrency and never takes all of Node's
 * thread pool, which file I/O needs. Moderately sized images here (4,000 ×
 * 4,000 px); the 100-megapixel version is in the soak.
 */
import assert from 'node:assert/strict';
import sharp from 'sharp';
import { createGrpcTransport, createRawClient, ImageAnnotator, ProductSearch, type Transport } from 'vision-kit';
import { Feature_Type } from 'vision-kit/gen/google/cloud/vision/v1p4beta1/image_annotator.js';
import { startTestEmulator, type TestEmulator, upload } from '../emulator/support/harness.js';

const SIDE = 1200;
const CALLS = 8;
const IMAGES_PER_CALL = 16;
/** What "promptly" means for one write or read while the decoders are saturated. */
const LIMIT_MS = 1000;

const slowest = (ms: readonly number[]): number => ms.reduce((a, b) => Math.max(a, b), 0);

describe('reliability: pixel work beside writes of state', function () {
  this.timeout(120_000);
  let t: TestEmulator;
  let transport: Transport;
  before(async () => {
    t = await startTestEmulator();
    transport = createGrpcTransport({ endpoint: t.emu.grpcAddress });
    const png = await sharp({ create: { width: SIDE, height: SIDE, channels: 3, background: { r: 200, g: 120, b: 40 } } })
      .png()
      .toBuffer();
    for (let i = 0; i < IMAGES_PER_CALL; i++) await upload(t.emu, 'pixels', `big-${i}.png`, png, 'image/png');
    await upload(t.emu, 'pixels', 'small.txt', 'hello');
  });
  after(async () => {
    transport.close();
    await t.close();
  });

  it(`keeps product creates and storage reads under ${LIMIT_MS} ms while ${CALLS} × ${IMAGES_PER_CALL} ${SIDE}² PNGs are annotated`, async () => {
    const images = createRawClient(ImageAnnotator, transport);
    const search = createRawClient(ProductSearch, transport);
    const parent = 'projects/p/locations/us-east1';
    const writes: number[] = [];
    const reads: number[] = [];
    let busy = true;
    const t0 = performance.now();
    const annotate = Promise.all(
      Array.from({ length: CALLS }, () =>
        images.batchAnnotateImages({
          requests: Array.from({ length: IMAGES_PER_CALL }, (_, i) => ({
            image: { source: { imageUri: `gs://pixels/big-${i}.png` } },
            features: [{ type: Feature_Type.IMAGE_PROPERTIES }],
          })),
        }),
      ),
    ).finally(() => {
      busy = false;
    });
    await new Promise((r) => setTimeout(r, 200)); // the decoders are at work
    let n = 0;
    while (busy) {
      const w0 = performance.now();
      await search.createProduct({ parent, product: { displayName: `p${n++}`, productCategory: 'toys-v2' } });
      writes.push(performance.now() - w0);
      const r0 = performance.now();
      const res = await fetch(`${t.emu.httpUrl}/storage/v1/b/pixels/o/small.txt?alt=media`);
      assert.equal(await res.text(), 'hello');
      reads.push(performance.now() - r0);
      await new Promise((r) => setTimeout(r, 50));
    }
    const answers = await annotate;
    const took = performance.now() - t0;
    process.stderr.write(
      `      ${CALLS} × ${IMAGES_PER_CALL} images in ${Math.round(took)} ms; slowest of ${writes.length} product creates ${Math.round(slowest(writes))} ms, ` +
        `of ${reads.length} storage reads ${Math.round(slowest(reads))} ms\n`,
    );
    for (const a of answers) {
      assert.equal(a.responses.length, IMAGES_PER_CALL);
      for (const r of a.responses) assert.equal(r.error, undefined, JSON.stringify(r.error));
    }
    assert.ok(writes.length >= 5, `only ${writes.length} writes ran beside the image work`);
    assert.ok(slowest(writes) < LIMIT_MS, `slowest product create ${Math.round(slowest(writes))} ms`);
    assert.ok(slowest(reads) < LIMIT_MS, `slowest storage read ${Math.round(slowest(reads))} ms`);
  });
});
