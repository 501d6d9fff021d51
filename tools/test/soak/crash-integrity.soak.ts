/**
 * Soak: crash integrity (RELIABILITY.md), complementing emulator-crash.soak.ts
 * with content checks. `vision-kit emulator` (a child process) is SIGKILLed
 * at random points while, at once, objects are uploaded (media, multipart,
 * and resumable in 256 KiB chunks; sizes up to 2 MB), products with labels
 * are created and earlier ones deleted, reference images are created, and
 * imports and async annotates (images and files) are started. After every
 * restart on the same data dir:
 *  - every acknowledged upload reads back byte for byte; every upload that
 *    was not acknowledged is either absent or whole (never a prefix);
 *  - every acknowledged create reads back equal, every acknowledged delete
 *    is gone, every acknowledged operation is still there;
 *  - the buckets hold only names that were uploaded or written as outputs,
 *    and the data dir holds nothing but gcs/, meta/, state/, tmp/ and lock;
 *  - tmp/ holds nothing older than the restart (operations the restart resumed
 *    may be writing through it), and nothing at all once every operation has ended.
 * At the end every operation reaches a final state, and every output file is
 * whole JSON. Figures: kills, acknowledged writes, restart times.
 */
import assert from 'node:assert/strict';
import { createCipheriv, createHash } from 'node:crypto';
import { readdir, readFile, rm, stat } from 'node:fs/promises';
import { join, relative } from 'node:path';
import sharp from 'sharp';
import { colorPagesPdf } from '../emulator/annotators/pdf-builder.js';
import { seededRandom } from '../emulator/annotators/synthetic-images.js';
import { type ChildEmulator, spawnEmulator } from '../emulator/support/child-emulator.js';
import { tempDir } from '../emulator/support/harness.js';

const ROUNDS = Number(process.env.VK_CRASH_ROUNDS ?? 20);
const LOC = 'projects/crash/locations/us-west1';
const CHUNK = 256 * 1024;

/** The bytes of an uploaded object, a function of its name (so any copy can be checked): an AES-CTR key stream. */
function contentOf(name: string): Buffer {
  const seed = createHash('sha256').update(name).digest();
  const size = 1 + (seed.readUInt32BE(0) % (2 * 1024 * 1024));
  return createCipheriv('aes-128-ctr', seed.subarray(0, 16), seed.subarray(16, 32)).update(Buffer.alloc(size));
}

const digests = new Map<string, string>();
/** The SHA-256 of {@link contentOf}, remembered. */
function digestOf(name: string): string {
  let d = digests.get(name);
  if (d === undefined) digests.set(name, (d = createHash('sha256').update(contentOf(name)).digest('hex')));
  return d;
}

async function safeFetch(url: string, init: RequestInit = {}): Promise<Response | undefined> {
  try {
    return await fetch(url, init);
  } catch {
    return undefined; // the emulator died mid-request: not acknowledged
  }
}

async function uploadMedia(base: string, name: string, body: Buffer): Promise<boolean> {
  const res = await safeFetch(`${base}/upload/storage/v1/b/crash-in/o?uploadType=media&name=${encodeURIComponent(name)}`, {
    method: 'POST',
    body: new Uint8Array(body),
  });
  return res?.status === 200;
}

async function uploadMultipart(base: string, name: string, body: Buffer): Promise<boolean> {
  const head = Buffer.from(
    `--vkb\r\nContent-Type: application/json\r\n\r\n${JSON.stringify({ name, contentType: 'application/octet-stream' })}\r\n--vkb\r\nContent-Type: application/octet-stream\r\n\r\n`,
  );
  const res = await safeFetch(`${base}/upload/storage/v1/b/crash-in/o?uploadType=multipart`, {
    method: 'POST',
    headers: { 'content-type': 'multipart/related; boundary=vkb' },
    body: new Uint8Array(Buffer.concat([head, body, Buffer.from('\r\n--vkb--\r\n')])),
  });
  return res?.status === 200;
}

async function uploadResumable(base: string, name: string, body: Buffer): Promise<boolean> {
  const start = await safeFetch(`${base}/upload/storage/v1/b/crash-in/o?uploadType=resumable&name=${encodeURIComponent(name)}`, {
    method: 'POST',
  });
  const location = start?.headers.get('location');
  if (start?.status !== 200 || !location) return false;
  for (let off = 0; off < body.length; off += CHUNK) {
    const end = Math.min(body.length, off + CHUNK);
    const res = await safeFetch(location, {
      method: 'PUT',
      headers: { 'content-range': `bytes ${off}-${end - 1}/${body.length}` },
      body: new Uint8Array(body.subarray(off, end)),
    });
    if (res === undefined) return false;
    if (end === body.length) return res.status === 200;
    if (res.status !== 308) return false;
  }
  return false;
}

async function postJson(base: string, path: string, body: unknown, method = 'POST'): Promise<Record<string, unknown> | undefined> {
  const res = await safeFetch(`${base}${path}`, { method, body: JSON.stringify(body) });
  if (res === undefined || !res.ok) return undefined;
  try {
    return (await res.json()) as Record<string, unknown>;
  } catch {
    return undefined;
  }
}

async function files(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const e of await readdir(dir, { withFileTypes: true }).catch(() => [])) {
    const p = join(dir, e.name);
    if (e.isDirectory()) out.push(...(await files(p)));
    else out.push(p);
  }
  return out;
}

/**
 * The files in `dir`/tmp/ last written before `startedAt` (ms since the epoch). A file renamed into place between the
 * listing and its stat is a write that finished, not a leftover.
 */
async function tempFilesBefore(dir: string, startedAt: number): Promise<string[]> {
  const old: string[] = [];
  for (const name of await readdir(join(dir, 'tmp'))) {
    const st = await stat(join(dir, 'tmp', name)).catch(() => undefined);
    if (st !== undefined && st.mtimeMs < startedAt) old.push(name);
  }
  return old;
}

describe(`soak: crash integrity, ${ROUNDS} SIGKILLs during uploads, creates, deletes, imports and annotates`, () => {
  it('keeps every acknowledged write whole, never a partial one, and ends every operation', async () => {
    const dir = await tempDir('vk-crash-int-');
    const rand = seededRandom(4242);
    const ackedObjects = new Set<string>();
    const triedObjects = new Set<string>();
    const ackedProducts = new Map<string, { displayName: string; labels: string }>();
    const ackedDeletes = new Set<string>();
    const triedDeletes = new Set<string>();
    const ackedImages = new Set<string>();
    const ackedOps = new Set<string>();
    const outputs = new Set<string>();
    const restarts: number[] = [];
    let emu: ChildEmulator | undefined;
    const image = await sharp({ create: { width: 40, height: 30, channels: 3, background: { r: 200, g: 120, b: 10 } } })
      .png()
      .toBuffer();
    const pdf = Buffer.from(
      colorPagesPdf([
        [1, 0, 0],
        [0, 1, 0],
        [0, 0, 1],
      ]),
    );

    const checkAll = async (base: string, round: number, startedAt: number): Promise<void> => {
      for (const name of triedObjects) {
        const res = await fetch(`${base}/storage/v1/b/crash-in/o/${encodeURIComponent(name)}?alt=media`);
        if (res.status === 404) {
          assert.ok(!ackedObjects.has(name), `round ${round}: the acknowledged upload ${name} is missing`);
          continue;
        }
        assert.equal(res.status, 200, name);
        const got = Buffer.from(await res.arrayBuffer());
        assert.equal(
          createHash('sha256').update(got).digest('hex'),
          digestOf(name),
          `round ${round}: ${name} (${got.length} bytes) is not what was uploaded (half-written?)`,
        );
      }
      for (const [name, want] of ackedProducts) {
        if (ackedDeletes.has(name)) continue;
        const res = await fetch(`${base}/v1p4beta1/${name}`);
        // A delete cut off by the kill may or may not have happened; nothing else may remove a product.
        if (res.status === 404 && triedDeletes.has(name)) continue;
        const p = (await res.json()) as { displayName?: string; productLabels?: unknown[] };
        assert.deepEqual({ displayName: p.displayName, labels: JSON.stringify(p.productLabels) }, want, `round ${round}: ${name}`);
      }
      for (const name of ackedDeletes)
        assert.equal((await fetch(`${base}/v1p4beta1/${name}`)).status, 404, `round ${round}: deleted ${name} is back`);
      for (const name of ackedImages) {
        if (triedDeletes.has(name.replace(/\/referenceImages\/.*$/, ''))) continue; // deleted with its product
        assert.equal((await fetch(`${base}/v1p4beta1/${name}`)).status, 200, `round ${round}: ${name}`);
      }
      for (const name of ackedOps) assert.equal((await fetch(`${base}/v1/${name}`)).status, 200, `round ${round}: operation ${name}`);
      // Only known names in the bucket; only known folders in the data dir; no crash leftovers in tmp/.
      const listed = (await (await fetch(`${base}/storage/v1/b/crash-in/o`)).json()) as { items?: { name: string }[] };
      for (const item of listed.items ?? [])
        assert.ok(
          triedObjects.has(item.name) || item.name.endsWith('.csv') || item.name.startsWith('src/'),
          `round ${round}: unknown object ${item.name}`,
        );
      for (const f of await files(dir))
        if (!relative(dir, f).startsWith('tmp/'))
          assert.match(relative(dir, f), /^(gcs|meta|state)\/|^lock$/, `round ${round}: stray file ${f}`);
      // Operations resumed by this start write through tmp/ as the check runs; what a crash left there must be gone.
      for (const leftover of await tempFilesBefore(dir, startedAt))
        assert.fail(`round ${round}: ${leftover} in tmp/ is older than this start (a crash's leftover not removed)`);
    };

    try {
      for (let round = 0; round <= ROUNDS; round++) {
        const t0 = performance.now();
        const startedAt = Date.now();
        emu = await spawnEmulator([
          '--grpc-port',
          '0',
          '--http-port',
          '0',
          '--data-dir',
          dir,
          '--op-step-ms',
          round === ROUNDS ? '0' : '2',
        ]);
        restarts.push(performance.now() - t0);
        const base = emu.ready.http;
        await checkAll(base, round, startedAt);
        if (round === ROUNDS) break;
        if (round === 0) {
          assert.ok(await uploadMedia(base, 'src/a.png', image));
          assert.ok(await uploadMedia(base, 'src/a.pdf', pdf));
        }
        const work: Promise<void>[] = [];
        // Uploads of every kind.
        for (let i = 0; i < 12; i++) {
          const name = `r${round}/obj-${i}.bin`;
          const kind = i % 3;
          triedObjects.add(name);
          work.push(
            (async () => {
              const ok = await (kind === 0 ? uploadMedia : kind === 1 ? uploadMultipart : uploadResumable)(base, name, contentOf(name));
              if (ok) ackedObjects.add(name);
            })(),
          );
        }
        // Creates with labels, deletes of earlier products, reference images.
        work.push(
          (async () => {
            for (let i = 0; i < 60; i++) {
              const id = `c${round}-${i}`;
              const labels = [
                { key: 'round', value: String(round) },
                { key: 'i', value: String(i) },
              ];
              const p = await postJson(base, `/v1p4beta1/${LOC}/products?productId=${id}`, {
                displayName: `Product ${id}`,
                productCategory: 'toys-v2',
                productLabels: labels,
              });
              if (!p) return;
              ackedProducts.set(p.name as string, { displayName: `Product ${id}`, labels: JSON.stringify(labels) });
              if (i % 4 === 0) {
                const ri = await postJson(base, `/v1p4beta1/${p.name as string}/referenceImages?referenceImageId=ri`, {
                  uri: 'gs://crash-in/src/a.png',
                });
                if (!ri) return;
                ackedImages.add(ri.name as string);
              }
            }
          })(),
          (async () => {
            for (const name of [...ackedProducts.keys()].filter((n) => !triedDeletes.has(n) && !n.includes(`c${round}-`)).slice(0, 15)) {
              triedDeletes.add(name);
              const res = await safeFetch(`${base}/v1p4beta1/${name}`, { method: 'DELETE' });
              if (res?.status !== 200) return;
              ackedDeletes.add(name);
            }
          })(),
        );
        // Operations: an import, an async image annotate, an async file annotate.
        const csv = Array.from(
          { length: 20 },
          (_, i) => `gs://crash-in/src/a.png,imp-${round}-${i},set-${round},imp-${round}-${i % 5},toys-v2,Imported ${i},,`,
        ).join('\n');
        work.push(
          (async () => {
            if (!(await uploadMedia(base, `r${round}.csv`, Buffer.from(csv)))) return;
            const op = await postJson(base, `/v1p4beta1/${LOC}/productSets:import`, {
              inputConfig: { gcsSource: { csvFileUri: `gs://crash-in/r${round}.csv` } },
            });
            if (op) ackedOps.add(op.name as string);
          })(),
          (async () => {
            const op = await postJson(base, '/v1p4beta1/images:asyncBatchAnnotate', {
              requests: Array.from({ length: 12 }, () => ({
                image: { source: { imageUri: 'gs://crash-in/src/a.png' } },
                features: [{ type: 'IMAGE_PROPERTIES' }],
              })),
              outputConfig: { gcsDestination: { uri: `gs://crash-out/r${round}/images/` }, batchSize: 4 },
            });
            if (op) {
              ackedOps.add(op.name as string);
              outputs.add(`r${round}/images/`);
            }
          })(),
          (async () => {
            const op = await postJson(base, '/v1p4beta1/files:asyncBatchAnnotate', {
              requests: [
                {
                  inputConfig: { gcsSource: { uri: 'gs://crash-in/src/a.pdf' }, mimeType: 'application/pdf' },
                  features: [{ type: 'IMAGE_PROPERTIES' }],
                  outputConfig: { gcsDestination: { uri: `gs://crash-out/r${round}/files/` }, batchSize: 1 },
                },
              ],
            });
            if (op) {
              ackedOps.add(op.name as string);
              outputs.add(`r${round}/files/`);
            }
          })(),
        );
        await new Promise((r) => setTimeout(r, 50 + Math.floor(rand() * 600)));
        emu.child.kill('SIGKILL');
        await emu.exited;
        emu = undefined;
        await Promise.allSettled(work);
      }
      // The last start runs with no step time: every operation ends, every output is whole.
      const base = emu!.ready.http;
      for (const name of ackedOps) {
        const end = Date.now() + 60_000;
        let op: { done?: boolean; error?: { message: string }; response?: { statuses?: unknown[] } } = {};
        while (Date.now() < end) {
          op = (await (await fetch(`${base}/v1/${name}`)).json()) as typeof op;
          if (op.done) break;
          await new Promise((r) => setTimeout(r, 20));
        }
        assert.equal(op.done, true, `${name} did not finish`);
        assert.equal(op.error, undefined, `${name}: ${op.error?.message}`);
        if (op.response?.statuses) assert.equal(op.response.statuses.length, 20, `${name}: one status per CSV line`);
      }
      // Every operation has ended, so once a last journal write has settled tmp/ holds nothing at all.
      let inTmp = await readdir(join(dir, 'tmp'));
      for (const end = Date.now() + 5_000; inTmp.length > 0 && Date.now() < end; inTmp = await readdir(join(dir, 'tmp')))
        await new Promise((r) => setTimeout(r, 50));
      assert.deepEqual(inTmp, [], 'tmp/ is not empty 5 s after every operation ended');
      let outputFiles = 0;
      for (const f of await files(join(dir, 'gcs', 'crash-out'))) {
        const body = JSON.parse(await readFile(f, 'utf8')) as { responses: unknown[] };
        assert.ok(body.responses.length >= 1, f);
        outputFiles++;
      }
      const sorted = [...restarts].sort((a, b) => a - b);
      process.stderr.write(
        `      crash integrity: ${ROUNDS} kills; ${ackedObjects.size}/${triedObjects.size} uploads acknowledged (all whole; the rest absent or whole), ` +
          `${ackedProducts.size} creates, ${ackedDeletes.size} deletes, ${ackedImages.size} reference images, ${ackedOps.size} operations (all final), ` +
          `${outputFiles} output files whole; restart to ready line: median ${sorted[Math.floor(sorted.length / 2)]!.toFixed(0)} ms, max ${sorted.at(-1)!.toFixed(0)} ms\n`,
      );
    } finally {
      if (emu) {
        emu.child.kill('SIGTERM');
        await emu.exited;
      }
      await rm(dir, { recursive: true, force: true });
    }
  });
});
