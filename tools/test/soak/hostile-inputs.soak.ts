/**
 * Soak: the emulator against hostile inputs at full size (what
 * `tools/test/reliability/{pdf-fan-out,inflight-memory,image-work,json-nesting}.test.ts`
 * check small in `npm test`). Figures go to RELIABILITY.md.
 * - A 2 KB PDF whose page paints 65,536 full-page fills, at the default
 *   render budget (10 s): REST and gRPC probes every 100 ms stay under a
 *   second; the page answers DEADLINE_EXCEEDED; SIGTERM mid-render exits
 *   within a second.
 * - 300 gRPC streams sending 9 MB of a 10 MB message, 40 storage uploads
 *   sending 60 MB of 62 MB and 200 REST bodies sending 9 MB of 10 MB, none
 *   finishing, against the default 256 MiB budget, twice: RSS during each
 *   flood, after the connections closed and after a full collection; the
 *   second flood's peak is no higher than the first's.
 * - 8 images:annotate calls of 16 legal 100-megapixel PNGs each, beside
 *   product creates and storage reads: the slowest of those (under 2 s on
 *   this shared machine, where an fsync alone can take hundreds of ms).
 * - 8 bodies of 9.8 MB of nested arrays at once, beside a GET.
 */
import assert from 'node:assert/strict';
import { type ChildProcess, fork } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import sharp from 'sharp';
import { Code, createGrpcTransport, createRawClient, ImageAnnotator, ProductSearch } from 'vision-kit';
import { Feature_Type } from 'vision-kit/gen/google/cloud/vision/v1p4beta1/image_annotator.js';
import { SOURCE_FLAGS } from '../../../test/support/source-flags.js';
import { spawnEmulator } from '../emulator/support/child-emulator.js';
import { startTestEmulator, tempDir, upload } from '../emulator/support/harness.js';
import { fanOutPdf } from '../reliability/support/fan-out-pdf.js';
import { memoryOf, partialGrpc, partialHttp } from '../reliability/support/partial-requests.js';
import { slowest, startProbes } from '../reliability/support/probes.js';

const MB = 1_000_000;
const MiB = 1024 * 1024;
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
const percentile = (ms: readonly number[], p: number): number => [...ms].sort((a, b) => a - b)[Math.floor((ms.length - 1) * p)] ?? 0;

function restFilesBody(pdf: Uint8Array): string {
  return JSON.stringify({
    requests: [
      {
        inputConfig: { content: Buffer.from(pdf).toString('base64'), mimeType: 'application/pdf' },
        features: [{ type: 'IMAGE_PROPERTIES' }],
      },
    ],
  });
}

/** The emulator in a child that reports its memory after a full collection (support/gc-emulator.ts). */
async function gcEmulator(dataDir: string) {
  const child: ChildProcess = fork(new URL('./support/gc-emulator.ts', import.meta.url).pathname, [dataDir], {
    execArgv: ['--expose-gc', ...SOURCE_FLAGS],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  const ready = await new Promise<{ grpc: string; http: string }>((resolve, reject) => {
    child.once('message', (m: { ready?: { grpc: string; http: string } }) => (m.ready ? resolve(m.ready) : reject(new Error('no ready'))));
    void exited.then(() => reject(new Error('the emulator exited before it was ready')));
  });
  return {
    ...ready,
    pid: child.pid!,
    rssAfterGc: () =>
      new Promise<number>((resolve) => {
        const on = (m: { memory?: { rss: number } }): void => {
          if (!m.memory) return;
          child.off('message', on);
          resolve(m.memory.rss);
        };
        child.on('message', on);
        child.send({ gc: true });
      }),
    stop: async () => {
      child.send({ stop: true });
      await exited;
    },
  };
}

describe('soak: hostile inputs at full size', function () {
  this.timeout(900_000);

  it('a 2 KB PDF of 65,536 fills: probes stay under a second, the page is stopped at 10 s, SIGTERM exits within a second', async () => {
    const pdf = fanOutPdf({ levels: 8 });
    const dir = await tempDir('vk-soak-pdf-');
    const emu = await spawnEmulator(['--grpc-port', '0', '--http-port', '0', '--data-dir', dir]);
    try {
      const probes = startProbes(emu.ready, 100);
      await sleep(300);
      const t0 = performance.now();
      const res = await fetch(`${emu.ready.http}/v1p4beta1/files:annotate`, { method: 'POST', body: restFilesBody(pdf) });
      const body = (await res.json()) as { responses: { responses: { error?: { code: number; message: string } }[] }[] };
      const took = performance.now() - t0;
      const report = await probes.stop();
      const page = body.responses[0]?.responses[0];
      process.stderr.write(
        `      ${pdf.length} B PDF, 65,536 fills: answered in ${(took / 1000).toFixed(1)} s (${page?.error?.message}); ` +
          `probes during it: REST p50 ${Math.round(percentile(report.rest, 0.5))} / p99 ${Math.round(percentile(report.rest, 0.99))} / max ${Math.round(slowest(report.rest))} ms, ` +
          `gRPC p50 ${Math.round(percentile(report.grpc, 0.5))} / p99 ${Math.round(percentile(report.grpc, 0.99))} / max ${Math.round(slowest(report.grpc))} ms ` +
          `(${report.rest.length} + ${report.grpc.length} probes, ${report.failures.rest + report.failures.grpc} failed)\n`,
      );
      assert.equal(page?.error?.code, Code.DEADLINE_EXCEEDED);
      assert.ok(slowest(report.rest) < 1000 && slowest(report.grpc) < 1000);
      assert.deepEqual(report.failures, { rest: 0, grpc: 0 });

      void fetch(`${emu.ready.http}/v1p4beta1/files:annotate`, { method: 'POST', body: restFilesBody(pdf) }).catch(() => undefined);
      await sleep(3000);
      const t1 = performance.now();
      emu.child.kill('SIGTERM');
      await emu.exited;
      const exit = performance.now() - t1;
      process.stderr.write(`      SIGTERM 3 s into the render: exited after ${Math.round(exit)} ms\n`);
      assert.ok(exit < 1000);
    } finally {
      if (emu.child.exitCode === null) emu.child.kill('SIGKILL');
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('300 gRPC streams, 40 uploads and 200 REST bodies that never finish, twice: within the 256 MiB budget, all given back each time', async () => {
    const dir = await tempDir('vk-soak-flood-');
    const emu = await gcEmulator(dir);
    const port = Number(new URL(emu.http).port);
    const memory = () => memoryOf(emu.pid, (p) => readFileSync(p, 'utf8'));
    const stats = async () =>
      (
        (await (await fetch(`${emu.http}/emulator/stats`)).json()) as {
          requestMemory: { heldBytes: number; peakHeldBytes: number; heldRequests: number; refusedRequests: number };
        }
      ).requestMemory;
    try {
      const baseline = await emu.rssAfterGc();
      const peaks: number[] = [];
      for (const round of [1, 2]) {
        const before = memory();
        const floods = [
          partialGrpc(emu.grpc, '/google.cloud.vision.v1p4beta1.ImageAnnotator/BatchAnnotateImages', 300, 10 * MB, 9 * MB),
          partialHttp(port, '/upload/storage/v1/b/flood/o?uploadType=media&name=big', 40, 62 * MB, 60 * MB),
          partialHttp(port, '/v1p4beta1/images:annotate', 200, 10 * MB, 9 * MB),
        ];
        let peakRss = 0;
        for (let i = 0; i < 20; i++) {
          await sleep(500);
          peakRss = Math.max(peakRss, memory().rss);
        }
        const held = await stats();
        const refused = floods.map((f) => f.answers().filter((a) => a !== undefined).length);
        for (const f of floods) f.close();
        await sleep(2000);
        const closed = memory();
        const released = await stats();
        const afterGc = await emu.rssAfterGc();
        peaks.push(peakRss);
        process.stderr.write(
          `      round ${round}: 540 partial requests (9.3 GB declared): RSS ${Math.round(before.rss / MiB)} MB before, at most ${Math.round(peakRss / MiB)} MB during 10 s, ` +
            `${Math.round(closed.rss / MiB)} MB 2 s after the connections closed, ${Math.round(afterGc / MiB)} MB after a full GC (first baseline ${Math.round(baseline / MiB)} MB); ` +
            `held ${(held.heldBytes / MiB).toFixed(0)} MiB in ${held.heldRequests} requests, refused gRPC ${refused[0]}, uploads ${refused[1]}, REST ${refused[2]}; ` +
            `${released.heldBytes} bytes held after\n`,
        );
        assert.ok(held.peakHeldBytes <= 256 * MiB);
        assert.ok(peakRss - before.rss < 256 * MiB + 160 * MiB, `round ${round}: RSS grew ${Math.round((peakRss - before.rss) / MiB)} MB`);
        assert.equal(released.heldBytes, 0);
        assert.equal(released.heldRequests, 0);
      }
      // What the first flood left resident is reused by the second: nothing accumulates.
      assert.ok(peaks[1]! < peaks[0]! + 32 * MiB, `peaks ${peaks.map((p) => Math.round(p / MiB)).join(' → ')} MB`);
    } finally {
      await emu.stop();
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('8 × 16 legal 100-megapixel PNGs: product creates and storage reads beside them stay under two seconds', async () => {
    const t = await startTestEmulator();
    const transport = createGrpcTransport({ endpoint: t.emu.grpcAddress });
    try {
      const png = await sharp({ create: { width: 10_000, height: 10_000, channels: 3, background: { r: 30, g: 90, b: 160 } } })
        .png()
        .toBuffer();
      for (let i = 0; i < 16; i++) await upload(t.emu, 'pixels', `huge-${i}.png`, png, 'image/png');
      await upload(t.emu, 'pixels', 'small.txt', 'hello');
      const images = createRawClient(ImageAnnotator, transport);
      const search = createRawClient(ProductSearch, transport);
      const writes: number[] = [];
      const reads: number[] = [];
      let busy = true;
      const t0 = performance.now();
      const work = Promise.all(
        Array.from({ length: 8 }, () =>
          images.batchAnnotateImages(
            {
              requests: Array.from({ length: 16 }, (_, i) => ({
                image: { source: { imageUri: `gs://pixels/huge-${i}.png` } },
                features: [{ type: Feature_Type.IMAGE_PROPERTIES }],
              })),
            },
            { timeout: 600_000 },
          ),
        ),
      ).finally(() => {
        busy = false;
      });
      let n = 0;
      while (busy) {
        const w0 = performance.now();
        await search.createProduct({
          parent: 'projects/p/locations/us-east1',
          product: { displayName: `p${n++}`, productCategory: 'toys-v2' },
        });
        writes.push(performance.now() - w0);
        const r0 = performance.now();
        await (await fetch(`${t.emu.httpUrl}/storage/v1/b/pixels/o/small.txt?alt=media`)).text();
        reads.push(performance.now() - r0);
        await sleep(100);
      }
      const answers = await work;
      process.stderr.write(
        `      8 × 16 100-MP PNGs (${png.length} B each) annotated in ${((performance.now() - t0) / 1000).toFixed(1)} s; ` +
          `${writes.length} product creates beside them: p50 ${Math.round(percentile(writes, 0.5))} / max ${Math.round(slowest(writes))} ms; ` +
          `storage reads p50 ${Math.round(percentile(reads, 0.5))} / max ${Math.round(slowest(reads))} ms\n`,
      );
      for (const a of answers) for (const r of a.responses) assert.equal(r.error, undefined, JSON.stringify(r.error));
      // Before image decodes had their own concurrency, a storage read waited behind them for 12.5 s.
      assert.ok(slowest(writes) < 2000 && slowest(reads) < 2000);
    } finally {
      transport.close();
      await t.close();
    }
  });

  it('8 bodies of 9.8 MB of nested arrays at once: each a 400 naming the limit, a GET beside them prompt', async () => {
    const t = await startTestEmulator();
    try {
      const body = '['.repeat(4_900_000) + ']'.repeat(4_900_000);
      const t0 = performance.now();
      const floods = Array.from({ length: 8 }, async () => {
        const res = await fetch(`${t.emu.httpUrl}/v1p4beta1/images:annotate`, { method: 'POST', body });
        return { status: res.status, message: ((await res.json()) as { error: { message: string } }).error.message };
      });
      await sleep(20);
      const g0 = performance.now();
      assert.equal((await fetch(`${t.emu.httpUrl}/v1/operations`)).status, 200);
      const get = performance.now() - g0;
      const answers = await Promise.all(floods);
      process.stderr.write(
        `      8 × 9.8 MB nested arrays: all answered in ${Math.round(performance.now() - t0)} ms; a GET beside them ${Math.round(get)} ms\n`,
      );
      for (const a of answers) {
        assert.equal(a.status, 400);
        assert.match(a.message, /the limit is 100/);
      }
      // Before the nesting scan, a GET beside them waited 10.6 s.
      assert.ok(get < 2000);
    } finally {
      await t.close();
    }
  });
});
