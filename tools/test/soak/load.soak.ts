/**
 * Soak: load (RELIABILITY.md). Against the emulator in a child process, 64
 * concurrent clients — each with its own transport, so its own channel or
 * connections — call for 30 s per transport a read-mostly mix (GetProduct,
 * ListProducts, GetProductSet, BatchAnnotateImages of a small image,
 * GetOperation). No call may fail; the emulator's RSS may grow by less than
 * 10 % between the 10th and the 30th second, measured right after a full
 * garbage collection at each (the child runs with --expose-gc: without it,
 * RSS rises 10–20 % for tens of seconds before V8's first major collection
 * and falls back, which says nothing about leaks) and a fixed 16 MB young
 * generation (V8 otherwise grows its semi-spaces under sustained load, which
 * moved RSS after GC by up to 9 % between the two marks with no leak: heap
 * used stayed 16–17 MB); the live RSS peak,
 * p50/p99/max latency and throughput are reported. Afterwards this process
 * has no socket, timer or listener left over.
 */
import assert from 'node:assert/strict';
import { type ChildProcess, fork } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import sharp from 'sharp';
import {
  createGrpcTransport,
  createRawClient,
  createRestTransport,
  ImageAnnotator,
  Operations,
  ProductSearch,
  type Transport,
} from 'vision-kit';
import { Feature_Type } from 'vision-kit/gen/google/cloud/vision/v1p4beta1/image_annotator.js';
import { watchLeaks } from '../../../test/reliability/support/leak-watch.js';
import { SOURCE_FLAGS } from '../../../test/support/source-flags.js';
import { tempDir } from '../emulator/support/harness.js';

const CLIENTS = Number(process.env.VK_LOAD_CLIENTS ?? 64);
const SECONDS = Number(process.env.VK_LOAD_SECONDS ?? 30);
const PARENT = 'projects/load/locations/us-west1';
const MB = 1024 * 1024;

interface Memory {
  readonly rss: number;
  readonly heapUsed: number;
}

/** The emulator in a child that collects garbage and reports its memory when asked (support/gc-emulator.ts). */
async function startGcEmulator(
  dataDir: string,
): Promise<{ child: ChildProcess; grpc: string; http: string; memory(): Promise<Memory>; stop(): Promise<number | null> }> {
  const child = fork(new URL('./support/gc-emulator.ts', import.meta.url).pathname, [dataDir], {
    execArgv: ['--expose-gc', '--min-semi-space-size=16', '--max-semi-space-size=16', ...SOURCE_FLAGS],
    stdio: ['ignore', 'inherit', 'pipe', 'ipc'],
  });
  let stderr = '';
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
  const ready = await new Promise<{ grpc: string; http: string }>((resolve, reject) => {
    child.once('message', (m: { ready?: { grpc: string; http: string } }) =>
      m.ready ? resolve(m.ready) : reject(new Error('no ready message')),
    );
    void exited.then((code) => reject(new Error(`the emulator exited (${code}): ${stderr}`)));
  });
  return {
    child,
    ...ready,
    memory: () =>
      new Promise<Memory>((resolve) => {
        const on = (m: { memory?: Memory }): void => {
          if (!m.memory) return;
          child.off('message', on);
          resolve(m.memory);
        };
        child.on('message', on);
        child.send({ gc: true });
      }),
    stop: async () => {
      child.send({ stop: true });
      const code = await exited;
      if (code !== 0) throw new Error(`the emulator exited ${code}: ${stderr.slice(-2000)}`);
      return code;
    },
  };
}

function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
}

describe(`soak: load, ${CLIENTS} concurrent clients for ${SECONDS} s per transport`, function () {
  this.timeout((SECONDS * 2 + 120) * 1000);
  let emu: Awaited<ReturnType<typeof startGcEmulator>>;
  let dir: string;
  let png: Uint8Array;
  let operation: string;
  const watch = watchLeaks();

  before(async () => {
    dir = await tempDir('vk-load-');
    emu = await startGcEmulator(dir);
    const t = createGrpcTransport({ endpoint: emu.grpc });
    const ps = createRawClient(ProductSearch, t);
    await ps.createProductSet({ parent: PARENT, productSetId: 'set', productSet: { displayName: 'load' } });
    for (let i = 0; i < 20; i++)
      await ps.createProduct({ parent: PARENT, productId: `p${i}`, product: { displayName: `product ${i}`, productCategory: 'toys-v2' } });
    png = new Uint8Array(
      await sharp({ create: { width: 32, height: 24, channels: 3, background: { r: 30, g: 140, b: 220 } } })
        .png()
        .toBuffer(),
    );
    const op = await createRawClient(ImageAnnotator, t).asyncBatchAnnotateImages({
      requests: [{ image: { content: png }, features: [{ type: Feature_Type.IMAGE_PROPERTIES }] }],
      outputConfig: { gcsDestination: { uri: 'gs://load-out/seed/' } },
    });
    operation = op.name;
    t.close();
  });

  after(async () => {
    await emu.stop();
    await rm(dir, { recursive: true, force: true });
    const report = await watch.stop();
    assert.deepEqual(report.extraResources, {}, `left over: ${JSON.stringify(report.extraResources)}`);
    assert.deepEqual(report.pendingTimers, []);
    assert.deepEqual(report.unhandledRejections, []);
    assert.deepEqual(
      report.warnings.map((w) => w.message),
      [],
    );
  });

  for (const kind of ['grpc', 'rest'] as const) {
    it(`${kind}: no errors, RSS growth under 10 % from second ${SECONDS / 3} to ${SECONDS}, p99 reported`, async () => {
      const rssMb = (): number => Number(/^VmRSS:\s+(\d+)/m.exec(readFileSync(`/proc/${emu.child.pid}/status`, 'utf8'))?.[1] ?? NaN) / 1024;
      const transports: Transport[] = Array.from({ length: CLIENTS }, () =>
        kind === 'grpc' ? createGrpcTransport({ endpoint: emu.grpc }) : createRestTransport({ baseUrl: emu.http }),
      );
      const latencies: number[] = [];
      const errors: string[] = [];
      const samples: { t: number; rss: number }[] = [];
      const start = performance.now();
      const end = start + SECONDS * 1000;
      const sampler = setInterval(() => samples.push({ t: (performance.now() - start) / 1000, rss: rssMb() }), 250);
      const measured: Promise<Memory>[] = [SECONDS / 3, SECONDS - 0.5].map(
        (at) => new Promise<Memory>((r) => setTimeout(() => r(emu.memory()), at * 1000)),
      );
      try {
        await Promise.all(
          transports.map(async (transport, c) => {
            const ps = createRawClient(ProductSearch, transport);
            const images = createRawClient(ImageAnnotator, transport);
            const ops = createRawClient(Operations, transport);
            for (let i = c; performance.now() < end; i++) {
              const t0 = performance.now();
              try {
                switch (i % 5) {
                  case 0:
                    await ps.getProduct({ name: `${PARENT}/products/p${i % 20}` });
                    break;
                  case 1:
                    await ps.listProducts({ parent: PARENT, pageSize: 10 });
                    break;
                  case 2:
                    await ps.getProductSet({ name: `${PARENT}/productSets/set` });
                    break;
                  case 3: {
                    const r = await images.batchAnnotateImages({
                      requests: [{ image: { content: png }, features: [{ type: Feature_Type.IMAGE_PROPERTIES }] }],
                    });
                    if (r.responses[0]?.error) throw new Error(r.responses[0].error.message);
                    break;
                  }
                  default:
                    await ops.getOperation({ name: operation });
                }
                latencies.push(performance.now() - t0);
              } catch (err) {
                errors.push(`${i % 5}: ${err instanceof Error ? err.message : String(err)}`);
              }
            }
          }),
        );
      } finally {
        clearInterval(sampler);
        for (const t of transports) t.close();
      }
      const elapsed = (performance.now() - start) / 1000;
      if (process.env.VK_LOAD_TRACE)
        process.stderr.write(
          `      RSS by second: ${samples
            .filter((_, k) => k % 4 === 3)
            .map((s) => s.rss.toFixed(0))
            .join(' ')}\n`,
        );
      const [m10, m30] = await Promise.all(measured);
      const at10 = m10!.rss / MB;
      const at30 = m30!.rss / MB;
      const growth = (at30 - at10) / at10;
      const livePeak = Math.max(...samples.map((x) => x.rss));
      const sorted = [...latencies].sort((a, b) => a - b);
      process.stderr.write(
        `      load ${kind}: ${CLIENTS} clients, ${latencies.length} calls in ${elapsed.toFixed(1)} s (${Math.round(latencies.length / elapsed)}/s), ${errors.length} errors; ` +
          `latency p50 ${percentile(sorted, 50).toFixed(1)} ms, p99 ${percentile(sorted, 99).toFixed(1)} ms, max ${sorted.at(-1)?.toFixed(1)} ms; ` +
          `emulator after GC: RSS ${at10.toFixed(0)} MB at ${SECONDS / 3} s → ${at30.toFixed(0)} MB at ${SECONDS} s (${(growth * 100).toFixed(1)} %), ` +
          `heap ${(m10!.heapUsed / MB).toFixed(0)} → ${(m30!.heapUsed / MB).toFixed(0)} MB; live RSS peak ${livePeak.toFixed(0)} MB\n`,
      );
      assert.deepEqual(errors.slice(0, 5), [], `${errors.length} calls failed`);
      assert.ok(latencies.length > CLIENTS * 10, `only ${latencies.length} calls`);
      assert.ok(growth < 0.1, `RSS grew ${(growth * 100).toFixed(1)} % between second ${SECONDS / 3} and ${SECONDS}`);
    });
  }
});
