/**
 * Profiles one contender of measurement 3 (GetProduct) against an emulator
 * child process: the V8 sampling profiler runs around the measured window
 * only, then the functions with the most self time are printed in µs per
 * call, and the whole profile is written for DevTools. The notes in
 * BENCHMARKS.md come from runs of this.
 *
 * Usage: npx tsx --import ./test/setup.ts scripts/bench/profile-unary.ts <ours|floor|floor-deadline|official> <grpc|rest> [concurrency=64] [seconds=5] [out.cpuprofile]
 * (ours is the sources through tsx unless VISION_KIT_BENCH_OURS names a bundle; `floor-deadline` is the
 * gRPC floor sending a 600 s deadline, as ours and the official client do, and on REST a fetch following a
 * fresh AbortSignal with a 600 s timer, as ours does.)
 */

import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as grpc from '@grpc/grpc-js';
import { GetProductRequest, Product } from 'vision-kit/gen/google/cloud/vision/v1p4beta1/product_search_service.js';
import { officialProductSearch } from './support/official.js';
import { loadOurs } from './support/ours.js';
import { startLineChild } from './support/process.js';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
}
interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  startTime: number;
  endTime: number;
}

const [who = 'ours', transport = 'grpc', concurrencyText = '64', secondsText = '5', out] = process.argv.slice(2);
if (!['ours', 'floor', 'floor-deadline', 'official'].includes(who) || !['grpc', 'rest'].includes(transport)) {
  process.stderr.write(
    'usage: profile-unary.ts <ours|floor|floor-deadline|official> <grpc|rest> [concurrency] [seconds] [out.cpuprofile]\n',
  );
  process.exit(2);
}
const concurrency = Number(concurrencyText);
const seconds = Number(secondsText);
const dataDir = mkdtempSync(join(tmpdir(), 'vision-kit-profile-'));
const emulator = await startLineChild<{ grpc: string; http: string }>('src/cli/run.ts', [
  'emulator',
  '--grpc-port',
  '0',
  '--http-port',
  '0',
  '--data-dir',
  dataDir,
]);
const ours = await loadOurs();
const setup = ours.createGrpcTransport({ endpoint: emulator.ready.grpc });
const product = await ours.createClient(ours.ProductSearch, setup).createProduct({
  parent: 'projects/bench/locations/us-west1',
  productId: 'bench-shoe',
  product: { displayName: 'Bench shoe', productCategory: 'apparel-v2' },
});
setup.close();
const request = { name: product.name };

let call: () => Promise<unknown>;
const closers: (() => unknown)[] = [];
if (who === 'ours') {
  const t =
    transport === 'grpc'
      ? ours.createGrpcTransport({ endpoint: emulator.ready.grpc })
      : ours.createRestTransport({ baseUrl: emulator.ready.http });
  closers.push(() => t.close());
  const client = ours.createClient(ours.ProductSearch, t);
  call = () => client.getProduct(request);
} else if (who === 'official') {
  const port = transport === 'grpc' ? Number(emulator.ready.grpc.split(':').pop()) : Number(new URL(emulator.ready.http).port);
  const client = officialProductSearch({ transport: transport as 'grpc' | 'rest', port });
  closers.push(() => client.close());
  call = () => client.getProduct(request);
} else if (transport === 'grpc') {
  const channel = new grpc.Client(emulator.ready.grpc, grpc.credentials.createInsecure(), {});
  closers.push(() => channel.close());
  const bytes = Buffer.from(GetProductRequest.encode(request).finish());
  const identity = (b: Buffer): Buffer => b;
  const options = (): grpc.CallOptions => (who === 'floor-deadline' ? { deadline: Date.now() + 600_000 } : {});
  call = () =>
    new Promise((resolve, reject) =>
      channel.makeUnaryRequest(
        '/google.cloud.vision.v1p4beta1.ProductSearch/GetProduct',
        identity,
        identity,
        bytes,
        new grpc.Metadata(),
        options(),
        (e, v) => (e || v === undefined ? reject(e ?? new Error('no answer')) : resolve(Product.decode(v))),
      ),
    );
} else if (who === 'floor-deadline') {
  const url = `${emulator.ready.http}/v1p4beta1/${product.name}`;
  call = async () => {
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), 600_000);
    try {
      return await (await fetch(url, { signal: controller.signal })).json();
    } finally {
      clearTimeout(timer);
    }
  };
} else {
  const url = `${emulator.ready.http}/v1p4beta1/${product.name}`;
  call = async () => (await fetch(url)).json();
}

const run = async (ms: number): Promise<number> => {
  const end = performance.now() + ms;
  let n = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (performance.now() < end) {
        await call();
        n++;
      }
    }),
  );
  return n;
};
await run(1000);
const session = new Session();
session.connect();
await session.post('Profiler.enable');
await session.post('Profiler.setSamplingInterval', { interval: 100 });
await session.post('Profiler.start');
const cpu0 = process.cpuUsage();
const calls = await run(seconds * 1000);
const cpu = process.cpuUsage(cpu0);
const { profile } = (await session.post('Profiler.stop')) as unknown as { profile: Profile };
session.disconnect();
for (const close of closers) await Promise.resolve(close());
await emulator.stop();
rmSync(dataDir, { recursive: true, force: true });

const byId = new Map(profile.nodes.map((n) => [n.id, n]));
const self = new Map<string, number>();
for (const id of profile.samples) {
  const f = byId.get(id)!.callFrame;
  const key = `${f.functionName || '(anonymous)'} ${f.url.split('/').slice(-2).join('/')}:${f.lineNumber + 1}`;
  self.set(key, (self.get(key) ?? 0) + 1);
}
const usPerSample = (profile.endTime - profile.startTime) / profile.samples.length;
process.stdout.write(
  `${who} ${transport} concurrency ${concurrency}: ${calls} calls in ${seconds} s, ${((cpu.user + cpu.system) / calls).toFixed(1)} µs CPU per call\n` +
    'self time per call (µs), top 30:\n',
);
for (const [key, count] of [...self].sort((a, b) => b[1] - a[1]).slice(0, 30)) {
  process.stdout.write(`${((count * usPerSample) / calls).toFixed(2).padStart(8)}  ${key}\n`);
}
if (out) writeFileSync(out, JSON.stringify(profile));
process.exit(0);
