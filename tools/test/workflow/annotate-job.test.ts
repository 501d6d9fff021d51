/**
 * runAnnotateJob (the workflow the CLI and the demo share) against the real
 * emulator over gRPC and REST: each image's response lands on its image,
 * progress goes forward, output files are the ones on disk; errors and aborts.
 */
import assert from 'node:assert/strict';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { Code, createGrpcTransport, createRestTransport, LroAbortedError, type Transport, VisionError } from 'vision-kit';
import { type RunningEmulator, startEmulator } from '../../src/emulator/emulator.js';
import { type JobProgress, runAnnotateJob } from '../../src/workflow/annotate-job.js';
import { buildAnnotateRequest } from '../../src/workflow/annotate-request.js';
import { createGcsJsonClient } from '../../src/workflow/gcs-json-client.js';
import type { ObjectStorage } from '../../src/workflow/object-storage.js';

const FAST = { initialDelay: 10, multiplier: 1.5, maxDelay: 100, jitter: 0 };
const COLORS: [number, number, number][] = [
  [220, 20, 20],
  [20, 160, 40],
  [30, 50, 220],
  [240, 200, 30],
  [150, 40, 190],
];
const STATES = ['CREATED', 'RUNNING', 'DONE'];

describe('workflow: runAnnotateJob against the emulator (gRPC and REST)', function () {
  this.timeout(30_000);
  let emulator: RunningEmulator;
  let dir: string;
  let storage: ObjectStorage;
  const transports: { label: string; transport: Transport }[] = [];

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'vk-job-'));
    emulator = await startEmulator({ grpcPort: 0, httpPort: 0, dataDir: dir, opStepMs: 15, log: () => undefined });
    storage = createGcsJsonClient({ baseUrl: emulator.httpUrl });
    transports.push({ label: 'grpc', transport: createGrpcTransport({ endpoint: emulator.grpcAddress }) });
    transports.push({ label: 'rest', transport: createRestTransport({ baseUrl: emulator.httpUrl }) });
    for (const [i, [r, g, b]] of COLORS.entries()) {
      const png = await sharp({ create: { width: 60, height: 40, channels: 3, background: { r, g, b } } })
        .png()
        .toBuffer();
      await storage.upload({ bucket: 'vk-job', object: `in/${i}.png` }, png, 'image/png');
    }
  });
  after(async () => {
    for (const t of transports) t.transport.close();
    await emulator.stop();
    await rm(dir, { recursive: true, force: true });
  });

  it('pairs every response with its image across output files, and reports progress forward', async () => {
    for (const { label, transport } of transports) {
      const out = `gs://vk-job/${label}/`;
      const request = buildAnnotateRequest({
        imageUris: COLORS.map((_, i) => `gs://vk-job/in/${i}.png`),
        features: ['IMAGE_PROPERTIES'],
        outputUri: out,
        batchSize: 2,
      });
      const seen: JobProgress[] = [];
      const result = await runAnnotateJob({
        transport,
        storage,
        request,
        schedule: FAST,
        listEveryMs: 20,
        onProgress: (p) => seen.push(p),
      });

      assert.match(result.operation, /^operations\/\S+$/);
      assert.equal(result.outputUri, out);
      assert.deepEqual(
        result.outputFiles.map((f) => [f.uri, f.range.first, f.range.last]),
        [
          [`${out}output-1-to-2.json`, 1, 2],
          [`${out}output-3-to-4.json`, 3, 4],
          [`${out}output-5-to-5.json`, 5, 5],
        ],
      );
      const onDisk = (await readdir(join(dir, 'gcs', 'vk-job', label))).sort();
      assert.deepEqual(onDisk, ['output-1-to-2.json', 'output-3-to-4.json', 'output-5-to-5.json']);
      for (const [i, image] of result.images.entries()) {
        const top = image.summary.colors[0]!;
        assert.deepEqual([top.red, top.green, top.blue], COLORS[i], `${label}: image ${i} got its own response`);
        assert.equal(image.outputFile, result.outputFiles[Math.floor(i / 2)]!.uri);
        assert.equal(image.uri, `gs://vk-job/in/${i}.png`);
      }

      // Progress: starts before the call, states only move forward, file counts never drop, ends DONE with 3 of 3.
      assert.equal(seen[0]!.state, 'STARTING');
      assert.ok(seen.every((p) => p.expectedOutputFiles === 3));
      const ranks = seen.slice(1).map((p) => STATES.indexOf(p.state));
      assert.ok(
        ranks.every((r, k) => r >= 0 && (k === 0 || r >= ranks[k - 1]!)),
        seen.map((p) => p.state).join(','),
      );
      assert.ok(seen.every((p, k) => k === 0 || p.outputFiles >= seen[k - 1]!.outputFiles));
      assert.ok(seen.every((p, k) => k === 0 || p.elapsedMs >= seen[k - 1]!.elapsedMs));
      assert.deepEqual([seen.at(-1)!.state, seen.at(-1)!.outputFiles], ['DONE', 3]);
      assert.ok(
        seen.some((p) => p.state === 'RUNNING'),
        `${label}: saw RUNNING`,
      );
    }
  });

  it('a request the service refuses rejects with its error (no waiting)', async () => {
    const request = buildAnnotateRequest({
      imageUris: ['gs://vk-job/in/0.png'],
      features: ['IMAGE_PROPERTIES'],
      outputUri: 'gs://vk-job/bad/',
      batchSize: 1,
    });
    request.outputConfig!.batchSize = 101;
    for (const { transport } of transports) {
      await assert.rejects(runAnnotateJob({ transport, storage, request, schedule: FAST }), (err: unknown) => {
        assert.ok(err instanceof VisionError && err.code === Code.INVALID_ARGUMENT, String(err));
        assert.match(err.message, /batch_size/);
        return true;
      });
    }
  });

  it('an abort ends the wait with LroAbortedError and stops counting files', async () => {
    emulator.knobs.opStepMs = 200;
    try {
      const request = buildAnnotateRequest({
        imageUris: COLORS.map((_, i) => `gs://vk-job/in/${i}.png`),
        features: ['IMAGE_PROPERTIES'],
        outputUri: 'gs://vk-job/aborted/',
        batchSize: 1,
      });
      const abort = new AbortController();
      let lists = 0;
      const counted: ObjectStorage = {
        ...storage,
        list: async (...args) => {
          lists++;
          return storage.list(...args);
        },
      };
      const job = runAnnotateJob({
        transport: transports[0]!.transport,
        storage: counted,
        request,
        schedule: FAST,
        listEveryMs: 10,
        signal: abort.signal,
        onProgress: (p) => {
          if (p.state === 'RUNNING') abort.abort(new Error('user stop'));
        },
      });
      await assert.rejects(job, (err: unknown) => err instanceof LroAbortedError && err.code === Code.CANCELLED);
      const after = lists;
      await new Promise((r) => setTimeout(r, 100));
      assert.equal(lists, after, 'no listing after the job ended');
    } finally {
      emulator.knobs.opStepMs = 15;
    }
  });
});
