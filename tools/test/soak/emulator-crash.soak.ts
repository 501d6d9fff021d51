// Crash soak: SIGKILL the emulator (a child process) at random points while
// creates, imports and async annotates run; after every restart on the same
// data dir each acknowledged write is there, every operation reaches a final
// state, no temporary or half-written file remains.
import assert from 'node:assert/strict';
import { readdir, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { seededRandom } from '../emulator/annotators/synthetic-images.js';
import { type ChildEmulator, spawnEmulator } from '../emulator/support/child-emulator.js';
import { png, tempDir } from '../emulator/support/harness.js';

const LOC = 'projects/soak/locations/us-west1';
const ROUNDS = Number(process.env.VK_CRASH_ROUNDS ?? 15);

async function post(base: string, path: string, body: unknown): Promise<Record<string, unknown> | undefined> {
  try {
    const res = await fetch(`${base}${path}`, { method: 'POST', body: JSON.stringify(body) });
    if (!res.ok) return undefined;
    return (await res.json()) as Record<string, unknown>;
  } catch {
    return undefined; // killed mid-request: not acknowledged
  }
}

async function allFiles(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const e of await readdir(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) out.push(...(await allFiles(p)));
    else out.push(p);
  }
  return out;
}

describe('Emulator crash soak (SIGKILL at random points)', () => {
  it(`survives ${ROUNDS} kills`, async () => {
    const dir = await tempDir('vk-crash-');
    const rand = seededRandom(2024);
    const ackedProducts: string[] = [];
    const ackedObjects: string[] = [];
    const operations: string[] = [];
    let emu: ChildEmulator | undefined;
    try {
      for (let round = 0; round < ROUNDS; round++) {
        emu = await spawnEmulator(['--grpc-port', '0', '--http-port', '0', '--data-dir', dir, '--op-step-ms', '3']);
        const base = emu.ready.http;
        // Everything acknowledged before is there.
        for (const name of ackedProducts) assert.equal((await fetch(`${base}/v1p4beta1/${name}`)).status, 200, `round ${round}: ${name}`);
        for (const obj of ackedObjects)
          assert.equal((await fetch(`${base}/storage/v1/b/soak-in/o/${encodeURIComponent(obj)}`)).status, 200, obj);
        const img = `img-${round}.png`;
        const up = await fetch(`${base}/upload/storage/v1/b/soak-in/o?uploadType=media&name=${img}`, {
          method: 'POST',
          body: new Uint8Array(await png(24, 24, [round * 10, 100, 200])),
        });
        assert.equal(up.status, 200);
        ackedObjects.push(img);
        const csv = Array.from(
          { length: 30 },
          (_, i) => `gs://soak-in/${img},r${round}-i${i},set-${round % 3},prod-${round}-${i % 7},toys-v2,P,,`,
        ).join('\n');
        await fetch(`${base}/upload/storage/v1/b/soak-in/o?uploadType=media&name=r${round}.csv`, { method: 'POST', body: csv });
        ackedObjects.push(`r${round}.csv`);
        const work: Promise<void>[] = [];
        work.push(
          (async () => {
            const op = await post(base, `/v1p4beta1/${LOC}/productSets:import`, {
              inputConfig: { gcsSource: { csvFileUri: `gs://soak-in/r${round}.csv` } },
            });
            if (op) operations.push(op.name as string);
          })(),
        );
        work.push(
          (async () => {
            const op = await post(base, '/v1p4beta1/images:asyncBatchAnnotate', {
              requests: Array.from({ length: 30 }, () => ({
                image: { source: { imageUri: `gs://soak-in/${img}` } },
                features: [{ type: 'IMAGE_PROPERTIES' }],
              })),
              outputConfig: { gcsDestination: { uri: `gs://soak-out/r${round}/` }, batchSize: 3 },
            });
            if (op) operations.push(op.name as string);
          })(),
        );
        work.push(
          (async () => {
            for (let i = 0; i < 200; i++) {
              const p = await post(base, `/v1p4beta1/${LOC}/products?productId=c${round}-${i}`, {
                displayName: 'x',
                productCategory: 'toys-v2',
              });
              if (!p) return;
              ackedProducts.push(p.name as string);
            }
          })(),
        );
        await new Promise((r) => setTimeout(r, 30 + Math.floor(rand() * 400)));
        emu.child.kill('SIGKILL');
        await emu.exited;
        await Promise.allSettled(work);
      }
      // Final restart: every operation reaches a final state, outputs complete.
      emu = await spawnEmulator(['--grpc-port', '0', '--http-port', '0', '--data-dir', dir, '--op-step-ms', '0']);
      const base = emu.ready.http;
      for (const name of ackedProducts) assert.equal((await fetch(`${base}/v1p4beta1/${name}`)).status, 200, name);
      for (const name of operations) {
        const end = Date.now() + 60_000;
        let op: { done?: boolean; error?: unknown; response?: { statuses?: unknown[] } } = {};
        while (Date.now() < end) {
          op = (await (await fetch(`${base}/v1/${name}`)).json()) as typeof op;
          if (op.done) break;
          await new Promise((r) => setTimeout(r, 20));
        }
        assert.equal(op.done, true, name);
        assert.equal(op.error, undefined, `${name}: ${JSON.stringify(op.error)}`);
        if (op.response?.statuses) assert.equal(op.response.statuses.length, 30, `${name}: one status per line`);
      }
      emu.child.kill('SIGTERM');
      await emu.exited;
      emu = undefined;
      assert.deepEqual(await readdir(join(dir, 'tmp')), []);
      for (const f of await allFiles(join(dir, 'gcs', 'soak-out'))) {
        const body = JSON.parse(await readFile(f, 'utf8')) as { responses: unknown[] };
        assert.equal(body.responses.length, 3, f);
      }
      process.stderr.write(
        `crash soak: ${ROUNDS} kills, ${ackedProducts.length} acknowledged creates, ${operations.length} operations, all final\n`,
      );
    } finally {
      if (emu) {
        emu.child.kill('SIGKILL');
        await emu.exited;
      }
      await rm(dir, { recursive: true, force: true });
    }
  });
});
