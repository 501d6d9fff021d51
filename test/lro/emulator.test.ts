/**
 * The poller against the real emulator (in-process, free ports, temporary
 * data dir), over gRPC and REST: every Vision operation waited to a typed
 * result, one resumed from a second process, one cancelled.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import sharp from 'sharp';
import {
  createClient,
  createGrpcTransport,
  createRestTransport,
  ImageAnnotator,
  LroOperationError,
  ProductSearch,
  type Transport,
} from 'vision-kit';
import { Feature_Type } from 'vision-kit/gen/google/cloud/vision/v1p4beta1/image_annotator.js';
import { type RunningEmulator, startEmulator } from '../../tools/src/emulator/emulator.js';
import { SOURCE_FLAGS } from '../support/source-flags.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const FAST = { initialDelay: 5, multiplier: 1.5, maxDelay: 50, jitter: 0.2 };
const PARENT = 'projects/demo/locations/us-west1';

function child(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [...SOURCE_FLAGS, join(root, 'test/lro/support/resume-child.ts'), ...args],
      { cwd: root, timeout: 30_000, env: { ...process.env, METADATA_SERVER_DETECTION: 'none' } },
      (err, stdout, stderr) => {
        resolve({ code: err === null ? 0 : typeof err.code === 'number' ? err.code : -1, stdout, stderr });
      },
    );
  });
}

describe('lro against the emulator (gRPC and REST)', function () {
  this.timeout(60_000);
  let emulator: RunningEmulator;
  let dataDir: string;
  const transports: { label: 'grpc' | 'rest'; transport: Transport; endpoint: string }[] = [];

  const upload = async (bucket: string, name: string, body: Uint8Array, type: string): Promise<void> => {
    const res = await fetch(`${emulator.httpUrl}/upload/storage/v1/b/${bucket}/o?uploadType=media&name=${encodeURIComponent(name)}`, {
      method: 'POST',
      headers: { 'content-type': type },
      body: new Uint8Array(body),
    });
    assert.equal(res.status, 200, await res.text());
  };

  before(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'vk-lro-'));
    emulator = await startEmulator({ grpcPort: 0, httpPort: 0, dataDir, opStepMs: 2, log: () => undefined });
    transports.push({ label: 'grpc', transport: createGrpcTransport({ endpoint: emulator.grpcAddress }), endpoint: emulator.grpcAddress });
    transports.push({ label: 'rest', transport: createRestTransport({ baseUrl: emulator.httpUrl }), endpoint: emulator.httpUrl });
    const flag = readFileSync(join(root, 'samples/flag.png'));
    await upload('vk-in', 'flag.png', flag, 'image/png');
    await upload('vk-in', 'sunset.jpg', readFileSync(join(root, 'samples/sunset.jpg')), 'image/jpeg');
    await upload('vk-in', 'flag.tiff', await sharp(flag).tiff().toBuffer(), 'image/tiff');
  });
  after(async () => {
    for (const t of transports) t.transport.close();
    await emulator?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  const imagesRequest = (out: string) => ({
    requests: [
      { image: { source: { imageUri: 'gs://vk-in/flag.png' } }, features: [{ type: Feature_Type.IMAGE_PROPERTIES }] },
      { image: { source: { imageUri: 'gs://vk-in/sunset.jpg' } }, features: [{ type: Feature_Type.CROP_HINTS }] },
    ],
    outputConfig: { gcsDestination: { uri: out }, batchSize: 1 },
  });

  it('waits asyncBatchAnnotateImages and asyncBatchAnnotateFiles to typed results, with progress', async () => {
    for (const { label, transport } of transports) {
      const images = createClient(ImageAnnotator, transport, { lro: { schedule: FAST } });
      const lro = await images.asyncBatchAnnotateImages(imagesRequest(`gs://vk-out/${label}/images/`));
      const states: number[] = [];
      const result = await lro.wait({ onProgress: (m) => states.push(m.state) });
      assert.equal(result?.outputConfig?.gcsDestination?.uri, `gs://vk-out/${label}/images/`, label);
      assert.equal(result?.outputConfig?.batchSize, 1);
      assert.equal(states[states.length - 1], 3, `${label}: ended DONE (${states.join(',')})`);
      assert.ok(lro.metadata?.updateTime !== undefined);

      const files = await images.asyncBatchAnnotateFiles({
        requests: [
          {
            inputConfig: { gcsSource: { uri: 'gs://vk-in/flag.tiff' }, mimeType: 'image/tiff' },
            features: [{ type: Feature_Type.IMAGE_PROPERTIES }],
            outputConfig: { gcsDestination: { uri: `gs://vk-out/${label}/files/` }, batchSize: 2 },
          },
        ],
      });
      const filesResult = await files.wait();
      assert.equal(filesResult?.responses.length, 1, label);
      assert.equal(filesResult?.responses[0]?.outputConfig?.gcsDestination?.uri, `gs://vk-out/${label}/files/`);
    }
  });

  it('waits importProductSets and purgeProducts to typed results', async () => {
    for (const { label, transport } of transports) {
      const csv = ['flag.png', 'sunset.jpg']
        .map((f, i) => `gs://vk-in/${f},img-${label}-${i},set-${label},prod-${label}-${i},apparel-v2,Item ${i},color=red,`)
        .join('\n');
      await upload('vk-in', `import-${label}.csv`, Buffer.from(`${csv}\n`), 'text/csv');
      const ps = createClient(ProductSearch, transport, { lro: { schedule: FAST } });
      const imported = await ps.importProductSets({
        parent: PARENT,
        inputConfig: { gcsSource: { csvFileUri: `gs://vk-in/import-${label}.csv` } },
      });
      assert.match(imported.name, /^projects\/demo\/locations\/us-west1\/operations\//);
      const result = await imported.wait();
      assert.equal(result?.referenceImages.length, 2, JSON.stringify(result?.statuses));
      assert.deepEqual(
        result?.statuses.map((s) => s.code),
        [0, 0],
      );
      assert.equal(imported.metadata?.state, 2, 'BatchOperationMetadata SUCCESSFUL');

      const purge = await ps.purgeProducts({ parent: PARENT, productSetPurgeConfig: { productSetId: `set-${label}` }, force: true });
      assert.deepEqual(await purge.wait(), {}, 'Empty');
      const left = await ps.listProducts({ parent: PARENT });
      assert.equal(left.products.filter((p) => p.name.includes(`prod-${label}`)).length, 0, label);
    }
  });

  it('a second process resumes an operation still running, by name and by saved handle', async () => {
    // 2.5 s per image, two images: about 5 s of work, well past a child's start (about 0.6 s, more on a busy machine).
    emulator.knobs.opStepMs = 2500;
    try {
      for (const { label, transport, endpoint } of transports) {
        const images = createClient(ImageAnnotator, transport);
        const lro = await images.asyncBatchAnnotateImages(imagesRequest(`gs://vk-out/${label}/resumed/`));
        assert.equal(lro.done, false);
        const byName = child([endpoint, lro.method, lro.name]);
        const byHandle = child([endpoint, lro.method, JSON.stringify(lro.toJSON())]);
        for (const run of await Promise.all([byName, byHandle])) {
          assert.equal(run.code, 0, run.stderr);
          const out = JSON.parse(run.stdout.trim()) as {
            name: string;
            firstPollDone: boolean;
            states: number[];
            result: { outputConfig: { gcsDestination: { uri: string } } };
          };
          assert.equal(out.name, lro.name);
          assert.equal(out.firstPollDone, false, `${label}: the child's first poll found the operation still running`);
          assert.ok(
            out.states.length >= 2 && out.states[0] !== 3 && out.states.at(-1) === 3,
            `${label}: the child saw it finish: states ${out.states.join(', ')}`,
          );
          assert.equal(out.result.outputConfig.gcsDestination.uri, `gs://vk-out/${label}/resumed/`);
        }
      }
    } finally {
      emulator.knobs.opStepMs = 2;
    }
  });

  it('cancels an operation: the wait ends with a cancelled operation error', async () => {
    emulator.knobs.opStepMs = 500;
    try {
      for (const { label, transport } of transports) {
        const images = createClient(ImageAnnotator, transport, { lro: { schedule: FAST } });
        const lro = await images.asyncBatchAnnotateImages(imagesRequest(`gs://vk-out/${label}/cancelled/`));
        const wait = lro.wait().catch((e: unknown) => e);
        await lro.poll();
        await lro.cancel();
        const err = await wait;
        assert.ok(err instanceof LroOperationError, `${label}: ${String(err)}`);
        assert.equal(err.cancelled, true);
        assert.equal(lro.done, true);
      }
    } finally {
      emulator.knobs.opStepMs = 2;
    }
  });

  it('never re-sends a start request: the emulator counted one start per operation', () => {
    const starts = emulator.stats.operationStartsByMethod;
    assert.deepEqual(starts, { AsyncBatchAnnotateImages: 6, AsyncBatchAnnotateFiles: 2, ImportProductSets: 2, PurgeProducts: 2 });
  });
});
