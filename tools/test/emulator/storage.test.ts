// The storage subset, judged by @google-cloud/storage pointed at the emulator
// with STORAGE_EMULATOR_HOST (no credentials): uploads (media, multipart,
// resumable), download, metadata, list; and the name rules over raw HTTP.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdir, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Storage } from '@google-cloud/storage';
import { listTree, startTestEmulator, type TestEmulator, tempDir } from './support/harness.js';

describe('Storage subset with @google-cloud/storage (STORAGE_EMULATOR_HOST)', () => {
  let t: TestEmulator;
  let storage: Storage;
  const saved = process.env.STORAGE_EMULATOR_HOST;
  before(async () => {
    t = await startTestEmulator();
    process.env.STORAGE_EMULATOR_HOST = t.emu.httpUrl;
    storage = new Storage({ projectId: 'emulator' });
  });
  after(async () => {
    if (saved === undefined) delete process.env.STORAGE_EMULATOR_HOST;
    else process.env.STORAGE_EMULATOR_HOST = saved;
    await t.close();
  });

  it('uploads with save() (resumable and not), downloads the same bytes, and the file is DATA_DIR/gcs/BUCKET/OBJECT', async () => {
    const bucket = storage.bucket('photos-1');
    const big = Buffer.alloc(300_000);
    for (let i = 0; i < big.length; i++) big[i] = (i * 31) % 251;
    await bucket.file('a/big.bin').save(big, { resumable: true, contentType: 'application/octet-stream' });
    await bucket.file('a/small.txt').save('hello storage', { resumable: false, contentType: 'text/plain' });
    const [got] = await bucket.file('a/big.bin').download();
    assert.ok(got.equals(big));
    const [small] = await bucket.file('a/small.txt').download();
    assert.equal(small.toString(), 'hello storage');
    assert.ok((await readFile(join(t.dir, 'gcs', 'photos-1', 'a', 'big.bin'))).equals(big));
  });

  it('uploads a local file with bucket.upload(), chunked resumable', async () => {
    const dir = await tempDir();
    const local = join(dir, 'chunky.bin');
    const data = Buffer.alloc(600 * 1024, 7);
    await writeFile(local, data);
    await storage.bucket('photos-1').upload(local, { destination: 'chunky.bin', resumable: true, chunkSize: 256 * 1024 });
    const [back] = await storage.bucket('photos-1').file('chunky.bin').download();
    assert.ok(back.equals(data));
  });

  it('reports metadata with hashes the client validates, and exists()', async () => {
    const [meta] = await storage.bucket('photos-1').file('a/small.txt').getMetadata();
    assert.equal(meta.name, 'a/small.txt');
    assert.equal(meta.size, String('hello storage'.length));
    assert.equal(meta.contentType, 'text/plain');
    assert.equal(meta.md5Hash, createHash('md5').update('hello storage').digest('base64'));
    assert.deepEqual(await storage.bucket('photos-1').file('a/small.txt').exists(), [true]);
    assert.deepEqual(await storage.bucket('photos-1').file('nope').exists(), [false]);
  });

  it('lists with prefix and delimiter, in pages', async () => {
    const bucket = storage.bucket('photos-1');
    for (let i = 0; i < 5; i++) await bucket.file(`list/item-${i}.txt`).save(`item ${i}`, { resumable: false });
    await bucket.file('list/sub/deep.txt').save('deep', { resumable: false });
    const [files] = await bucket.getFiles({ prefix: 'list/' });
    assert.deepEqual(
      files.map((f) => f.name),
      ['list/item-0.txt', 'list/item-1.txt', 'list/item-2.txt', 'list/item-3.txt', 'list/item-4.txt', 'list/sub/deep.txt'],
    );
    const [top, , raw] = await bucket.getFiles({ prefix: 'list/', delimiter: '/', autoPaginate: false });
    assert.equal(top.length, 5);
    assert.deepEqual((raw as { prefixes?: string[] }).prefixes, ['list/sub/']);
    const [page1, next] = await bucket.getFiles({ prefix: 'list/', maxResults: 4, autoPaginate: false });
    assert.equal(page1.length, 4);
    const [page2] = await bucket.getFiles({ ...(next as object), autoPaginate: false });
    assert.deepEqual(
      page2.map((f) => f.name),
      ['list/item-4.txt', 'list/sub/deep.txt'],
    );
  });

  it('deletes objects, and answers 404 for missing ones', async () => {
    await storage.bucket('photos-1').file('list/item-0.txt').delete();
    await assert.rejects(storage.bucket('photos-1').file('list/item-0.txt').download(), (e: { code?: number }) => e.code === 404);
  });
});

describe('Storage subset: names and paths that must never leave the bucket', () => {
  let t: TestEmulator;
  let outside: string;
  before(async () => {
    t = await startTestEmulator();
    outside = await tempDir('vk-outside-');
    await writeFile(join(outside, 'secret.txt'), 'secret');
    await mkdir(join(t.dir, 'gcs', 'safe-bucket'), { recursive: true });
    await writeFile(join(t.dir, 'gcs', 'safe-bucket', 'ok.txt'), 'ok');
    await symlink(join(outside, 'secret.txt'), join(t.dir, 'gcs', 'safe-bucket', 'link.txt'));
    await symlink(outside, join(t.dir, 'gcs', 'safe-bucket', 'linkdir'));
    await symlink(outside, join(t.dir, 'gcs', 'linked-bucket'));
  });
  after(() => t.close());

  const bad: [string, string, string][] = [
    ['GET', '/storage/v1/b/safe-bucket/o/..%2F..%2Fstate%2Fjournal.jsonl?alt=media', '..'],
    ['GET', '/storage/v1/b/safe-bucket/o/%2e%2e%2fx?alt=media', '..'],
    ['GET', '/storage/v1/b/safe-bucket/o/%252e%252e%252fx?alt=media', 'encoded'],
    ['GET', '/storage/v1/b/safe-bucket/o/a%5Cb?alt=media', 'backslash'],
    ['GET', '/storage/v1/b/safe-bucket/o/a%00b?alt=media', 'NUL'],
    ['GET', '/storage/v1/b/safe-bucket/o/%2Fetc%2Fpasswd?alt=media', '"/"'],
    ['GET', '/storage/v1/b/safe-bucket/o/link.txt?alt=media', 'symbolic link'],
    ['GET', '/storage/v1/b/safe-bucket/o/linkdir%2Fsecret.txt?alt=media', 'symbolic link'],
    ['GET', '/storage/v1/b/linked-bucket/o/secret.txt?alt=media', 'symbolic link'],
    ['GET', '/storage/v1/b/..%2Fstate/o/journal.jsonl?alt=media', 'bucket'],
    ['GET', '/storage/v1/b/UPPER/o/x?alt=media', 'bucket'],
    ['POST', '/upload/storage/v1/b/safe-bucket/o?uploadType=media&name=..%2F..%2Fescaped.txt', '..'],
    ['POST', '/upload/storage/v1/b/safe-bucket/o?uploadType=media&name=%2Fabs.txt', '"/"'],
    ['POST', '/upload/storage/v1/b/safe-bucket/o?uploadType=media&name=linkdir%2Fplanted.txt', 'symbolic link'],
    ['POST', '/upload/storage/v1/b/linked-bucket/o?uploadType=media&name=planted.txt', 'symbolic link'],
    ['POST', '/upload/storage/v1/b/safe-bucket/o?uploadType=media&name=a%5C..%5Cb', 'backslash'],
  ];
  for (const [method, path, mention] of bad) {
    it(`refuses ${method} ${path} with 400 INVALID_ARGUMENT, touching nothing`, async () => {
      const before = [...(await listTree(t.dir)), ...(await listTree(outside))];
      const res = await fetch(`${t.emu.httpUrl}${path}`, { method, ...(method === 'POST' ? { body: 'planted' } : {}) });
      const body = (await res.json()) as { error: { code: number; status: string; message: string } };
      assert.equal(res.status, 400, JSON.stringify(body));
      assert.equal(body.error.status, 'INVALID_ARGUMENT');
      assert.ok(body.error.message.includes(mention), body.error.message);
      assert.ok(!body.error.message.includes(outside), 'never shows what is outside');
      assert.deepEqual([...(await listTree(t.dir)), ...(await listTree(outside))], before);
    });
  }

  it('still serves the files that are inside', async () => {
    const res = await fetch(`${t.emu.httpUrl}/storage/v1/b/safe-bucket/o/ok.txt?alt=media`);
    assert.equal(res.status, 200);
    assert.equal(await res.text(), 'ok');
    const list = (await (await fetch(`${t.emu.httpUrl}/storage/v1/b/safe-bucket/o`)).json()) as { items: { name: string }[] };
    assert.deepEqual(
      list.items.map((i) => i.name),
      ['ok.txt'],
      'symlinks are not listed',
    );
  });

  it('takes object names literally: %2e%2e in a gs:// name is refused, a literal "%41" is a name', async () => {
    const up = await fetch(
      `${t.emu.httpUrl}/upload/storage/v1/b/safe-bucket/o?uploadType=media&name=${encodeURIComponent('lit/%41.txt')}`,
      { method: 'POST', body: 'A' },
    );
    assert.equal(up.status, 200);
    assert.equal(await readFile(join(t.dir, 'gcs', 'safe-bucket', 'lit', '%41.txt'), 'utf8'), 'A');
  });
});

describe('Storage subset: an unexpected failure on disk', () => {
  it('answers 500 INTERNAL in Google JSON, reports it in the emulator log (not stderr), and keeps serving', async () => {
    const t = await startTestEmulator();
    try {
      // The folder uploads are written through becomes a plain file: the next upload fails with ENOTDIR.
      await rm(join(t.dir, 'tmp'), { recursive: true, force: true });
      await writeFile(join(t.dir, 'tmp'), 'not a folder');
      const up = await fetch(`${t.emu.httpUrl}/upload/storage/v1/b/disk-bucket/o?uploadType=media&name=a.txt`, {
        method: 'POST',
        body: 'A',
      });
      assert.equal(up.status, 500);
      const body = (await up.json()) as { error: { code: number; status: string; message: string } };
      assert.equal(body.error.code, 500);
      assert.equal(body.error.status, 'INTERNAL');
      assert.match(body.error.message, /storage POST \/upload\/storage\/v1\/b\/disk-bucket\/o/);
      const line = t.logs.find((l) => l.startsWith('unexpected error in storage POST /upload/storage/v1/b/disk-bucket/o'));
      assert.ok(line, `the emulator's log names the route: ${JSON.stringify(t.logs)}`);
      assert.match(line, /ENOTDIR|EEXIST|not a directory/i);
      // The folder back, the same upload works: the server kept going.
      await rm(join(t.dir, 'tmp'), { force: true });
      await mkdir(join(t.dir, 'tmp'));
      const again = await fetch(`${t.emu.httpUrl}/upload/storage/v1/b/disk-bucket/o?uploadType=media&name=a.txt`, {
        method: 'POST',
        body: 'A',
      });
      assert.equal(again.status, 200);
    } finally {
      await t.close();
    }
  });
});
