// asyncBatchAnnotate over both wires of the official client: output files
// named <prefix>output-<first>-to-<last>.json, batch sizes, progressive
// writes, operation states and times, files of several pages.
import assert from 'node:assert/strict';
import { Code } from 'vision-kit';
import { colorPagesPdf } from './annotators/pdf-builder.js';
import {
  download,
  getOperationRest,
  listObjects,
  type OfficialClients,
  officialClients,
  png,
  rejection,
  startTestEmulator,
  type TestEmulator,
  upload,
  WIRES,
  waitDone,
} from './support/harness.js';

const IMAGES = ['gs://inbox/red.png', 'gs://inbox/green.png', 'gs://inbox/blue.png'];

function imageRequests(n: number) {
  return Array.from({ length: n }, (_, i) => ({
    image: { source: { imageUri: IMAGES[i % IMAGES.length]! } },
    features: [{ type: 'IMAGE_PROPERTIES' as const, maxResults: 3 }],
  }));
}

for (const wire of WIRES) {
  describe(`AsyncBatchAnnotate over ${wire} (official client)`, () => {
    let t: TestEmulator;
    let c: OfficialClients;
    before(async () => {
      t = await startTestEmulator({ opStepMs: 0 });
      c = officialClients(t.emu, wire);
      await upload(t.emu, 'inbox', 'red.png', await png(32, 32, [220, 20, 20]), 'image/png');
      await upload(t.emu, 'inbox', 'green.png', await png(32, 32, [20, 200, 20]), 'image/png');
      await upload(t.emu, 'inbox', 'blue.png', await png(32, 32, [20, 20, 220]), 'image/png');
    });
    after(async () => {
      await c.close();
      await t.close();
    });

    it('writes 45 images with batchSize 20 as output-1-to-20, output-21-to-40, output-41-to-45 in a folder', async () => {
      const [op] = await c.imageAnnotator.asyncBatchAnnotateImages({
        requests: imageRequests(45),
        outputConfig: { gcsDestination: { uri: `gs://outbox/${wire}/folder/` }, batchSize: 20 },
      });
      assert.match(op.name ?? '', /^operations\/[0-9a-f]+$/);
      const done = await waitDone(t.emu, op.name!);
      assert.equal(done.error, undefined);
      assert.deepEqual(done.response, {
        '@type': 'type.googleapis.com/google.cloud.vision.v1p4beta1.AsyncBatchAnnotateImagesResponse',
        outputConfig: { gcsDestination: { uri: `gs://outbox/${wire}/folder/` }, batchSize: 20 },
      });
      const names = await listObjects(t.emu, 'outbox', `${wire}/folder/`);
      assert.deepEqual(names, [
        `${wire}/folder/output-1-to-20.json`,
        `${wire}/folder/output-21-to-40.json`,
        `${wire}/folder/output-41-to-45.json`,
      ]);
      const sizes: number[] = [];
      for (const name of names) {
        const body = JSON.parse((await download(t.emu, 'outbox', name)).toString('utf8')) as {
          responses: { imagePropertiesAnnotation?: { dominantColors?: { colors?: unknown[] } } }[];
        };
        sizes.push(body.responses.length);
        for (const r of body.responses)
          assert.ok((r.imagePropertiesAnnotation?.dominantColors?.colors?.length ?? 0) > 0, 'each response carries the feature');
      }
      assert.deepEqual(sizes, [20, 20, 5]);
      // The 21st image is IMAGES[20 % 3] = blue: its dominant color is blue.
      const second = JSON.parse((await download(t.emu, 'outbox', names[1]!)).toString('utf8')) as {
        responses: {
          imagePropertiesAnnotation: { dominantColors: { colors: { color: { red?: number; green?: number; blue?: number } }[] } };
        }[];
      };
      const top = second.responses[0]!.imagePropertiesAnnotation.dominantColors.colors[0]!.color;
      assert.ok((top.blue ?? 0) > 150 && (top.red ?? 0) < 100, JSON.stringify(top));
    });

    it('treats a URI that does not end in "/" as a file-name prefix, with the default batch size 20', async () => {
      const [op] = await c.imageAnnotator.asyncBatchAnnotateImages({
        requests: imageRequests(45),
        outputConfig: { gcsDestination: { uri: `gs://outbox/${wire}/prefix/run-7-` } },
      });
      await waitDone(t.emu, op.name!);
      assert.deepEqual(await listObjects(t.emu, 'outbox', `${wire}/prefix/`), [
        `${wire}/prefix/run-7-output-1-to-20.json`,
        `${wire}/prefix/run-7-output-21-to-40.json`,
        `${wire}/prefix/run-7-output-41-to-45.json`,
      ]);
    });

    it('waits with the official client: promise() resolves with the response and DONE metadata', async () => {
      const [op] = await c.imageAnnotator.asyncBatchAnnotateImages({
        requests: imageRequests(3),
        outputConfig: { gcsDestination: { uri: `gs://outbox/${wire}/promise/` }, batchSize: 2 },
      });
      const [response, metadata] = (await op.promise()) as unknown as [
        { outputConfig?: { batchSize?: number } },
        { state?: number | string; createTime?: unknown; updateTime?: unknown },
      ];
      assert.equal(response.outputConfig?.batchSize, 2);
      assert.ok(metadata.state === 3 || metadata.state === 'DONE', String(metadata.state));
      assert.deepEqual(await listObjects(t.emu, 'outbox', `${wire}/promise/`), [
        `${wire}/promise/output-1-to-2.json`,
        `${wire}/promise/output-3-to-3.json`,
      ]);
    });

    it("puts per-image problems into that image's error, and the others still succeed", async () => {
      const [op] = await c.imageAnnotator.asyncBatchAnnotateImages({
        requests: [
          { image: { source: { imageUri: 'gs://inbox/red.png' } }, features: [{ type: 'IMAGE_PROPERTIES' }] },
          { image: { source: { imageUri: 'gs://inbox/missing.png' } }, features: [{ type: 'IMAGE_PROPERTIES' }] },
          { image: { content: Buffer.from('not an image') }, features: [{ type: 'IMAGE_PROPERTIES' }] },
        ],
        outputConfig: { gcsDestination: { uri: `gs://outbox/${wire}/errors/` } },
      });
      await waitDone(t.emu, op.name!);
      const body = JSON.parse((await download(t.emu, 'outbox', `${wire}/errors/output-1-to-3.json`)).toString()) as {
        responses: { error?: { code: number; message: string } }[];
      };
      assert.equal(body.responses[0]!.error, undefined);
      assert.equal(body.responses[1]!.error?.code, Code.NOT_FOUND);
      assert.match(body.responses[1]!.error!.message, /requests\[1\].*missing\.png/);
      assert.equal(body.responses[2]!.error?.code, Code.INVALID_ARGUMENT);
    });

    it('refuses bad requests before starting anything', async () => {
      const before = t.emu.stats.operationStarts;
      const dest = { gcsDestination: { uri: 'gs://outbox/x/' } };
      const cases: [object, RegExp][] = [
        [{ requests: [], outputConfig: dest }, /requests/],
        [{ requests: imageRequests(2001), outputConfig: dest }, /2000/],
        [{ requests: imageRequests(1) }, /output_config/],
        [{ requests: imageRequests(1), outputConfig: { gcsDestination: { uri: 'gs://outbox/x/' }, batchSize: 101 } }, /batch_size/],
        [{ requests: imageRequests(1), outputConfig: { gcsDestination: { uri: 'gs://outbox/../x/' } } }, /gcs_destination\.uri/],
        [{ requests: imageRequests(1), outputConfig: { gcsDestination: { uri: 'file:///tmp/out/' } } }, /gcs_destination\.uri/],
        [
          { requests: [{ image: { source: { imageUri: 'file:///etc/passwd' } } }], outputConfig: dest },
          /requests\[0\]\.image\.source\.image_uri/,
        ],
        [{ requests: [{ image: { source: { imageUri: 'https://example.com/a.png' } } }], outputConfig: dest }, /http/],
        [{ requests: [{ image: { source: { gcsImageUri: 'gs://inbox/a\\b.png' } } }], outputConfig: dest }, /backslash/],
      ];
      for (const [req, re] of cases) {
        const e = await rejection(c.imageAnnotator.asyncBatchAnnotateImages(req as never));
        assert.equal(e.code, Code.INVALID_ARGUMENT, e.message);
        assert.match(e.message, re);
      }
      assert.equal(t.emu.stats.operationStarts, before, 'no operation started');
    });

    it('annotates a 7-page PDF in batches of 3 pages: output-1-to-3, -4-to-6, -7-to-7', async () => {
      const pages = Array.from({ length: 7 }, (_, i) => [i / 7, 0.2, 1 - i / 7] as const);
      await upload(t.emu, 'inbox', 'doc.pdf', colorPagesPdf(pages), 'application/pdf');
      const [op] = await c.imageAnnotator.asyncBatchAnnotateFiles({
        requests: [
          {
            inputConfig: { gcsSource: { uri: 'gs://inbox/doc.pdf' }, mimeType: 'application/pdf' },
            features: [{ type: 'IMAGE_PROPERTIES' }],
            outputConfig: { gcsDestination: { uri: `gs://outbox/${wire}/pdf/` }, batchSize: 3 },
          },
        ],
      });
      const done = await waitDone(t.emu, op.name!);
      assert.equal(done.error, undefined, JSON.stringify(done.error));
      const names = await listObjects(t.emu, 'outbox', `${wire}/pdf/`);
      assert.deepEqual(names, [`${wire}/pdf/output-1-to-3.json`, `${wire}/pdf/output-4-to-6.json`, `${wire}/pdf/output-7-to-7.json`]);
      const last = JSON.parse((await download(t.emu, 'outbox', names[2]!)).toString()) as {
        inputConfig: { gcsSource: { uri: string } };
        totalPages: number;
        responses: { context: { uri: string; pageNumber: number } }[];
      };
      assert.equal(last.totalPages, 7);
      assert.equal(last.inputConfig.gcsSource.uri, 'gs://inbox/doc.pdf');
      assert.deepEqual(
        last.responses.map((r) => r.context.pageNumber),
        [7],
      );
    });

    it('refuses inline content and unsupported types for AsyncBatchAnnotateFiles', async () => {
      const out = { gcsDestination: { uri: 'gs://outbox/f/' } };
      const e1 = await rejection(
        c.imageAnnotator.asyncBatchAnnotateFiles({
          requests: [{ inputConfig: { content: Buffer.from('%PDF'), mimeType: 'application/pdf' }, outputConfig: out }],
        }),
      );
      assert.equal(e1.code, Code.INVALID_ARGUMENT);
      assert.match(e1.message, /content/);
      const e2 = await rejection(
        c.imageAnnotator.asyncBatchAnnotateFiles({
          requests: [{ inputConfig: { gcsSource: { uri: 'gs://inbox/doc.pdf' }, mimeType: 'image/png' }, outputConfig: out }],
        }),
      );
      assert.equal(e2.code, Code.INVALID_ARGUMENT);
      assert.match(e2.message, /mime_type/);
    });
  });
}

describe('AsyncBatchAnnotate: states, times and progressive output', () => {
  let t: TestEmulator;
  before(async () => {
    t = await startTestEmulator({ opStepMs: 25 });
    await upload(t.emu, 'inbox', 'red.png', await png(16, 16, [220, 20, 20]), 'image/png');
  });
  after(() => t.close());

  it('moves CREATED → RUNNING → DONE, with times, writing each batch as it finishes', async () => {
    const c = officialClients(t.emu, 'rest');
    try {
      const [op] = await c.imageAnnotator.asyncBatchAnnotateImages({
        requests: Array.from({ length: 8 }, () => ({
          image: { source: { imageUri: 'gs://inbox/red.png' } },
          features: [{ type: 'IMAGE_PROPERTIES' as const }],
        })),
        outputConfig: { gcsDestination: { uri: 'gs://outbox/steps/' }, batchSize: 2 },
      });
      const states: string[] = [];
      const filesWhileRunning: number[] = [];
      let last: Record<string, unknown> = {};
      for (;;) {
        last = await getOperationRest(t.emu, op.name!);
        const meta = last.metadata as { state: string; createTime: string; updateTime: string };
        if (states[states.length - 1] !== meta.state) states.push(meta.state);
        if (!last.done) filesWhileRunning.push((await listObjects(t.emu, 'outbox', 'steps/')).length);
        if (last.done) break;
        await new Promise((r) => setTimeout(r, 5));
      }
      assert.deepEqual(states, ['CREATED', 'RUNNING', 'DONE']);
      const meta = last.metadata as { createTime: string; updateTime: string };
      assert.ok(Date.parse(meta.updateTime) > Date.parse(meta.createTime));
      assert.ok(
        filesWhileRunning.some((n) => n > 0 && n < 4),
        `some files appeared before the end: ${filesWhileRunning.join(',')}`,
      );
      assert.equal((await listObjects(t.emu, 'outbox', 'steps/')).length, 4);
    } finally {
      await c.close();
    }
  });
});
