// The sync ImageAnnotator methods over both wires of the official client:
// batches of images (results, per-image errors, the 16-image limit), one file
// of up to 5 pages, and ML-only features from --fixtures.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Code } from 'vision-kit';
import { colorPagesPdf } from './annotators/pdf-builder.js';
import {
  type OfficialClients,
  officialClients,
  png,
  rejection,
  startTestEmulator,
  type TestEmulator,
  tempDir,
  upload,
  WIRES,
} from './support/harness.js';

for (const wire of WIRES) {
  describe(`ImageAnnotator sync methods over ${wire} (official client)`, () => {
    let t: TestEmulator;
    let c: OfficialClients;
    let labelled: Buffer;
    let fixtures = '';
    before(async () => {
      labelled = await png(30, 20, [90, 60, 30], [250, 250, 250]);
      fixtures = await tempDir('vk-fixtures-');
      await mkdir(fixtures, { recursive: true });
      await writeFile(
        join(fixtures, `${createHash('sha256').update(labelled).digest('hex')}.json`),
        JSON.stringify({ labelAnnotations: [{ mid: '/m/01', description: 'Box', score: 0.93, topicality: 0.93 }] }),
      );
      t = await startTestEmulator({ fixturesDir: fixtures });
      c = officialClients(t.emu, wire);
      await upload(t.emu, 'sync-in', 'red.png', await png(40, 40, [230, 10, 10]), 'image/png');
      await upload(
        t.emu,
        'sync-in',
        'doc.pdf',
        colorPagesPdf([
          [1, 0, 0],
          [0, 1, 0],
          [0, 0, 1],
          [1, 1, 0],
          [0, 1, 1],
          [1, 0, 1],
          [0.5, 0.5, 0.5],
        ]),
        'application/pdf',
      );
    });
    after(async () => {
      await c.close();
      await t.close();
      await rm(fixtures, { recursive: true, force: true });
    });

    it('annotates a batch: image properties, crop hints, fixtures, and per-image errors', async () => {
      const [res] = await c.imageAnnotator.batchAnnotateImages({
        requests: [
          { image: { source: { imageUri: 'gs://sync-in/red.png' } }, features: [{ type: 'IMAGE_PROPERTIES' }, { type: 'CROP_HINTS' }] },
          { image: { content: labelled }, features: [{ type: 'LABEL_DETECTION' }] },
          { image: { source: { gcsImageUri: 'gs://sync-in/none.png' } }, features: [{ type: 'IMAGE_PROPERTIES' }] },
          { image: { source: { imageUri: 'file:///etc/hosts' } }, features: [{ type: 'IMAGE_PROPERTIES' }] },
        ],
      });
      const [a, b, missing, local] = res.responses!;
      const top = a!.imagePropertiesAnnotation!.dominantColors!.colors![0]!.color!;
      assert.ok((top.red ?? 0) > 200 && (top.green ?? 0) < 50, JSON.stringify(top));
      assert.ok((a!.cropHintsAnnotation?.cropHints?.length ?? 0) > 0);
      assert.deepEqual(
        b!.labelAnnotations!.map((l) => l.description),
        ['Box'],
      );
      assert.equal(missing!.error?.code, Code.NOT_FOUND);
      assert.match(missing!.error!.message!, /^requests\[2\]/);
      assert.equal(local!.error?.code, Code.INVALID_ARGUMENT);
      assert.match(local!.error!.message!, /^requests\[3\]/);
    });

    it('refuses more than 16 images', async () => {
      const e = await rejection(
        c.imageAnnotator.batchAnnotateImages({
          requests: Array(17).fill({ image: { content: labelled }, features: [{ type: 'IMAGE_PROPERTIES' }] }),
        }),
      );
      assert.equal(e.code, Code.INVALID_ARGUMENT);
      assert.match(e.message, /16/);
    });

    it('annotates up to 5 pages of one file, negative pages from the end', async () => {
      const [res] = await c.imageAnnotator.batchAnnotateFiles({
        requests: [
          {
            inputConfig: { gcsSource: { uri: 'gs://sync-in/doc.pdf' }, mimeType: 'application/pdf' },
            features: [{ type: 'IMAGE_PROPERTIES' }],
            pages: [1, -1],
          },
        ],
      });
      const file = res.responses![0]!;
      assert.equal(file.totalPages, 7);
      assert.deepEqual(
        file.responses!.map((r) => r.context?.pageNumber),
        [1, 7],
      );
      const [dflt] = await c.imageAnnotator.batchAnnotateFiles({
        requests: [
          {
            inputConfig: { gcsSource: { uri: 'gs://sync-in/doc.pdf' }, mimeType: 'application/pdf' },
            features: [{ type: 'IMAGE_PROPERTIES' }],
          },
        ],
      });
      assert.deepEqual(
        dflt.responses![0]!.responses!.map((r) => r.context?.pageNumber),
        [1, 2, 3, 4, 5],
      );
      const e = await rejection(
        c.imageAnnotator.batchAnnotateFiles({
          requests: [
            { inputConfig: { gcsSource: { uri: 'gs://sync-in/doc.pdf' }, mimeType: 'application/pdf' }, pages: [1, 2, 3, 4, 5, 6] },
          ],
        }),
      );
      assert.equal(e.code, Code.INVALID_ARGUMENT);
      assert.match(e.message, /pages/);
      const [outOfRange] = await c.imageAnnotator.batchAnnotateFiles({
        requests: [
          {
            inputConfig: { gcsSource: { uri: 'gs://sync-in/doc.pdf' }, mimeType: 'application/pdf' },
            features: [{ type: 'IMAGE_PROPERTIES' }],
            pages: [9],
          },
        ],
      });
      assert.equal(outOfRange.responses![0]!.error?.code, Code.INVALID_ARGUMENT);
    });
  });
}
