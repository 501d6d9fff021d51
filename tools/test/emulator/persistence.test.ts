// State on disk: a clean restart keeps everything and resumes unfinished
// operations; a SIGKILL right after acknowledged writes and in the middle of
// an operation loses nothing acknowledged, leaves no half-written file, and
// every operation reaches a final state after the restart.
import assert from 'node:assert/strict';
import { readdir, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { RunningEmulator } from '../../src/emulator/emulator.js';
import { spawnEmulator } from './support/child-emulator.js';
import { png, startTestEmulator, tempDir, upload, waitDone } from './support/harness.js';

const LOC = 'projects/durable/locations/us-west1';

async function post(base: string, path: string, body: unknown): Promise<Record<string, unknown>> {
  const res = await fetch(`${base}${path}`, { method: 'POST', body: JSON.stringify(body) });
  const json = (await res.json()) as Record<string, unknown>;
  if (!res.ok) throw new Error(`${path}: ${res.status} ${JSON.stringify(json)}`);
  return json;
}

async function get(base: string, path: string): Promise<{ status: number; body: Record<string, unknown> }> {
  const res = await fetch(`${base}${path}`);
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

/** Every output file is complete JSON with the expected number of responses; nothing is left in tmp. */
async function checkNoHalfFiles(dir: string): Promise<void> {
  assert.deepEqual(await readdir(join(dir, 'tmp')), [], 'no temporary file left');
  const walk = async (d: string): Promise<string[]> =>
    (await readdir(d, { withFileTypes: true }))
      .flatMap((e) => (e.isDirectory() ? [] : [join(d, e.name)]))
      .concat(
        ...(await Promise.all(
          (await readdir(d, { withFileTypes: true })).filter((e) => e.isDirectory()).map((e) => walk(join(d, e.name))),
        )),
      );
  for (const f of await walk(join(dir, 'gcs'))) {
    if (f.endsWith('.json')) JSON.parse(await readFile(f, 'utf8'));
  }
}

describe('Persistence: clean restarts', () => {
  it('keeps sets, products, images, memberships, operations and page tokens across a restart', async () => {
    const dir = await tempDir();
    let emu: RunningEmulator | undefined;
    try {
      let t = await startTestEmulator({ dataDir: dir, opStepMs: 0 });
      emu = t.emu;
      await upload(emu, 'catalog', 'a.png', await png(40, 30, [10, 200, 10], [200, 10, 10]), 'image/png');
      for (let i = 0; i < 5; i++) await post(emu.httpUrl, `/v1p4beta1/${LOC}/productSets?productSetId=s${i}`, { displayName: `set ${i}` });
      await post(emu.httpUrl, `/v1p4beta1/${LOC}/products?productId=p1`, {
        displayName: 'P1',
        productCategory: 'toys-v2',
        productLabels: [{ key: 'k', value: 'v' }],
      });
      await post(emu.httpUrl, `/v1p4beta1/${LOC}/products/p1/referenceImages?referenceImageId=r1`, { uri: 'gs://catalog/a.png' });
      await post(emu.httpUrl, `/v1p4beta1/${LOC}/productSets/s0:addProduct`, { product: `${LOC}/products/p1` });
      const op = await post(emu.httpUrl, '/v1p4beta1/images:asyncBatchAnnotate', {
        requests: [{ image: { source: { imageUri: 'gs://catalog/a.png' } }, features: [{ type: 'IMAGE_PROPERTIES' }] }],
        outputConfig: { gcsDestination: { uri: 'gs://results/r/' } },
      });
      await waitDone(emu, op.name as string);
      const page1 = await get(emu.httpUrl, `/v1p4beta1/${LOC}/productSets?pageSize=2`);
      const token = page1.body.nextPageToken as string;
      await emu.stop();

      t = await startTestEmulator({ dataDir: dir, opStepMs: 0 });
      emu = t.emu;
      assert.equal((await get(emu.httpUrl, `/v1p4beta1/${LOC}/productSets/s4`)).status, 200);
      const p1 = await get(emu.httpUrl, `/v1p4beta1/${LOC}/products/p1`);
      assert.deepEqual(p1.body.productLabels, [{ key: 'k', value: 'v' }]);
      assert.equal((await get(emu.httpUrl, `/v1p4beta1/${LOC}/products/p1/referenceImages/r1`)).status, 200);
      const members = await get(emu.httpUrl, `/v1p4beta1/${LOC}/productSets/s0/products`);
      assert.deepEqual(
        (members.body.products as { name: string }[]).map((p) => p.name),
        [`${LOC}/products/p1`],
      );
      const opAfter = await get(emu.httpUrl, `/v1/${op.name as string}`);
      assert.equal(opAfter.body.done, true);
      const page2 = await get(emu.httpUrl, `/v1p4beta1/${LOC}/productSets?pageSize=2&pageToken=${token}`);
      assert.deepEqual(
        (page2.body.productSets as { name: string }[]).map((s) => s.name.split('/').pop()),
        ['s2', 's3'],
      );
      const created = await post(emu.httpUrl, `/v1p4beta1/${LOC}/productSets`, { displayName: 'after restart' });
      const all = await get(emu.httpUrl, `/v1p4beta1/${LOC}/productSets?pageSize=100`);
      assert.equal((all.body.productSets as { name: string }[]).at(-1)!.name, created.name, 'new rows list after the old ones');
      await checkNoHalfFiles(dir);
    } finally {
      await emu?.stop();
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('resumes an unfinished import after a clean stop: every line done once', async () => {
    const dir = await tempDir();
    let emu: RunningEmulator | undefined;
    try {
      let t = await startTestEmulator({ dataDir: dir, opStepMs: 30 });
      emu = t.emu;
      await upload(emu, 'catalog', 'a.png', await png(40, 30, [10, 200, 10], [200, 10, 10]), 'image/png');
      const lines = Array.from({ length: 12 }, (_, i) => `gs://catalog/a.png,img-${i},set-a,prod-${i},toys-v2,Product ${i},,`);
      await upload(emu, 'catalog', 'in.csv', lines.join('\n'), 'text/csv');
      const op = await post(emu.httpUrl, `/v1p4beta1/${LOC}/productSets:import`, {
        inputConfig: { gcsSource: { csvFileUri: 'gs://catalog/in.csv' } },
      });
      const count = async (): Promise<number> =>
        ((await get(emu!.httpUrl, `/v1p4beta1/${LOC}/products?pageSize=100`)).body.products as unknown[] | undefined)?.length ?? 0;
      while ((await count()) < 3) {
        await new Promise((r) => setTimeout(r, 10));
      }
      await emu.stop();
      const startsBefore = emu.stats.operationStarts;
      t = await startTestEmulator({ dataDir: dir, opStepMs: 1 });
      emu = t.emu;
      assert.equal(emu.resumedOperations, 1);
      const done = await waitDone(emu, op.name as string);
      assert.equal((done.metadata as { state: string }).state, 'SUCCESSFUL');
      const statuses = (done.response as { statuses: { code?: number }[] }).statuses;
      assert.equal(statuses.length, 12);
      assert.ok(
        statuses.every((s) => !s.code),
        JSON.stringify(statuses),
      );
      assert.equal((done.response as { referenceImages: unknown[] }).referenceImages.length, 12);
      assert.equal(emu.stats.operationStarts, 0, 'a resume is not a new start');
      assert.equal(startsBefore, 1);
    } finally {
      await emu?.stop();
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('Persistence: SIGKILL (child process)', function () {
  this.timeout(60_000);

  it('keeps every acknowledged write, finishes the operation that was running, leaves no half-written file', async () => {
    const dir = await tempDir();
    try {
      let emu = await spawnEmulator(['--grpc-port', '0', '--http-port', '0', '--data-dir', dir, '--op-step-ms', '15']);
      const base = emu.ready.http;
      const up = await fetch(`${base}/upload/storage/v1/b/catalog/o?uploadType=media&name=a.png`, {
        method: 'POST',
        body: new Uint8Array(await png(24, 24, [250, 250, 0])),
      });
      assert.equal(up.status, 200);
      const op = await post(base, '/v1p4beta1/images:asyncBatchAnnotate', {
        requests: Array.from({ length: 40 }, () => ({
          image: { source: { imageUri: 'gs://catalog/a.png' } },
          features: [{ type: 'IMAGE_PROPERTIES' }],
        })),
        outputConfig: { gcsDestination: { uri: 'gs://results/killed/' }, batchSize: 4 },
      });
      const acked: string[] = [];
      for (let i = 0; i < 25; i++) {
        const p = await post(base, `/v1p4beta1/${LOC}/products?productId=k${i}`, { displayName: `K${i}`, productCategory: 'toys-v2' });
        acked.push(p.name as string);
      }
      const listed = await fetch(`${base}/storage/v1/b/results/o?prefix=killed/`).then((r) => r.json() as Promise<{ items?: unknown[] }>);
      assert.ok((listed.items?.length ?? 0) < 10, 'killed while the operation runs');
      emu.child.kill('SIGKILL');
      assert.equal((await emu.exited).signal, 'SIGKILL');

      emu = await spawnEmulator(['--grpc-port', '0', '--http-port', '0', '--data-dir', dir, '--op-step-ms', '1']);
      try {
        for (const name of acked) assert.equal((await get(emu.ready.http, `/v1p4beta1/${name}`)).status, 200, name);
        const end = Date.now() + 20_000;
        let final: Record<string, unknown> = {};
        while (Date.now() < end) {
          final = (await get(emu.ready.http, `/v1/${op.name as string}`)).body;
          if (final.done) break;
          await new Promise((r) => setTimeout(r, 20));
        }
        assert.equal(final.done, true);
        assert.equal(final.error, undefined);
        const files = await fetch(`${emu.ready.http}/storage/v1/b/results/o?prefix=killed/`).then(
          (r) => r.json() as Promise<{ items: { name: string }[] }>,
        );
        assert.deepEqual(
          files.items.map((i) => i.name),
          Array.from({ length: 10 }, (_, b) => `killed/output-${b * 4 + 1}-to-${b * 4 + 4}.json`).sort(),
        );
        for (const f of files.items) {
          const body = (await fetch(`${emu.ready.http}/storage/v1/b/results/o/${encodeURIComponent(f.name)}?alt=media`).then((r) =>
            r.json(),
          )) as { responses: unknown[] };
          assert.equal(body.responses.length, 4);
        }
      } finally {
        emu.child.kill('SIGTERM');
        await emu.exited;
      }
      await checkNoHalfFiles(dir);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
