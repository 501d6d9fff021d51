// The storage subset where Cloud Storage's JSON API documents what to do,
// over real HTTP: custom metadata values are strings (anything else is a
// 400, never a 500); a resumable chunk's Content-Range is checked against its
// body and the declared total; a finished session still answers with its
// object; cancelling (DELETE) a session that is receiving a chunk leaves
// neither an object nor a staging file; sessions are never evicted while
// live (a cap answers 429 instead; a week old, they expire); deleting objects
// leaves no empty folders; object names are valid UTF-8.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readdir } from 'node:fs/promises';
import { createServer, request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { createStorageApi } from '../../src/emulator/http/storage-api.js';
import { ObjectStore } from '../../src/emulator/storage/object-store.js';
import { listTree, startTestEmulator, type TestEmulator, tempDir } from './support/harness.js';

interface GoogleError {
  error: { code: number; status: string; message: string };
}

async function errorOf(res: Response): Promise<GoogleError['error']> {
  return ((await res.json()) as GoogleError).error;
}

describe('Storage subset: what the Cloud Storage JSON API documents', function () {
  this.timeout(60_000);
  let t: TestEmulator;
  let base: string;
  before(async () => {
    t = await startTestEmulator();
    base = t.emu.httpUrl;
  });
  after(() => t.close());
  const unexpected = (): string[] => t.logs.filter((l) => /unexpected/.test(l));
  after(() => assert.deepEqual(unexpected(), [], 'no request was an unexpected failure'));

  const startSession = async (name: string, headers: Record<string, string> = {}, body?: string): Promise<string> => {
    const res = await fetch(`${base}/upload/storage/v1/b/json-api/o?uploadType=resumable&name=${encodeURIComponent(name)}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      ...(body === undefined ? {} : { body }),
    });
    assert.equal(res.status, 200, await res.clone().text());
    await res.arrayBuffer();
    return res.headers.get('location')!;
  };
  const put = (session: string, range: string | undefined, body = ''): Promise<Response> =>
    fetch(session, { method: 'PUT', headers: range === undefined ? {} : { 'content-range': range }, body });
  const stat = (name: string): Promise<Response> => fetch(`${base}/storage/v1/b/json-api/o/${encodeURIComponent(name)}`);
  const tmpFiles = (): Promise<string[]> => readdir(join(t.dir, 'tmp'));

  describe('custom metadata', () => {
    const bad: [string, string][] = [
      ['an object value', '{"metadata":{"k":{"toString":1}}}'],
      ['a number', '{"metadata":{"k":5}}'],
      ['an array value', '{"metadata":{"k":["a"]}}'],
      ['metadata that is an array', '{"metadata":["a"]}'],
      ['metadata that is a string', '{"metadata":"k=v"}'],
    ];
    for (const [what, meta] of bad) {
      it(`refuses ${what} with 400 naming the field, on multipart and resumable uploads`, async () => {
        const multipart = await fetch(`${base}/upload/storage/v1/b/json-api/o?uploadType=multipart&name=m.txt`, {
          method: 'POST',
          headers: { 'content-type': 'multipart/related; boundary=b' },
          body: `--b\r\nContent-Type: application/json\r\n\r\n${meta}\r\n--b\r\nContent-Type: text/plain\r\n\r\nhello\r\n--b--\r\n`,
        });
        const resumable = await fetch(`${base}/upload/storage/v1/b/json-api/o?uploadType=resumable&name=r.txt`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: meta,
        });
        for (const res of [multipart, resumable]) {
          const e = await errorOf(res);
          assert.equal(res.status, 400, JSON.stringify(e));
          assert.equal(e.status, 'INVALID_ARGUMENT');
          assert.match(e.message, /metadata/);
        }
        assert.equal((await stat('m.txt')).status, 404);
        assert.deepEqual(unexpected(), [], 'no stack trace in the log');
      });
    }

    it('keeps string values and answers them back', async () => {
      const res = await fetch(`${base}/upload/storage/v1/b/json-api/o?uploadType=multipart`, {
        method: 'POST',
        headers: { 'content-type': 'multipart/related; boundary=b' },
        body: `--b\r\nContent-Type: application/json\r\n\r\n{"name":"kept.txt","metadata":{"a":"1","b":""}}\r\n--b\r\nContent-Type: text/plain\r\n\r\nhello\r\n--b--\r\n`,
      });
      assert.equal(res.status, 200);
      assert.deepEqual(((await (await stat('kept.txt')).json()) as { metadata: unknown }).metadata, { a: '1', b: '' });
    });
  });

  describe('resumable chunks: Content-Range', () => {
    it('refuses a chunk whose range ends past the declared total, storing nothing', async () => {
      const s = await startSession('past-total.bin');
      const res = await put(s, 'bytes 0-9/5', 'x'.repeat(100));
      assert.equal(res.status, 400);
      assert.match((await errorOf(res)).message, /Content-Range/);
      assert.equal((await stat('past-total.bin')).status, 404);
      const status = await put(s, 'bytes */*');
      assert.equal(status.status, 308);
      assert.equal(status.headers.get('range'), null, 'no byte was kept');
    });

    it('refuses a chunk whose length is not its range’s (longer or shorter)', async () => {
      const s = await startSession('length.bin');
      for (const body of ['x'.repeat(100), 'x'.repeat(5)]) {
        const res = await put(s, 'bytes 0-9/20', body);
        assert.equal(res.status, 400, `${body.length} bytes`);
        assert.match((await errorOf(res)).message, /10 bytes/);
      }
      const rest = await put(s, 'bytes 0-*/20', 'x'.repeat(7));
      assert.equal(rest.status, 400, 'the rest of a 20-byte object from 0 is 20 bytes');
      assert.equal((await put(s, 'bytes 0-9/20', '0123456789')).status, 308);
      const done = await put(s, 'bytes 10-19/20', 'abcdefghij');
      assert.equal(done.status, 200);
      assert.equal(((await done.json()) as { size: string }).size, '20');
    });

    it('refuses a declared total that changes between chunks, or is less than what was received', async () => {
      const s = await startSession('total.bin');
      assert.equal((await put(s, 'bytes 0-4/10', 'abcde')).status, 308);
      const changed = await put(s, 'bytes 5-9/12', 'fghij');
      assert.equal(changed.status, 400);
      assert.match((await errorOf(changed)).message, /10.*12|12.*10/);
      const shrunk = await put(s, 'bytes */3');
      assert.equal(shrunk.status, 400);
      const status = await put(s, 'bytes */*');
      assert.equal(status.status, 308);
      assert.equal(status.headers.get('range'), 'bytes=0-4', 'the refused chunks changed nothing');
      const done = await put(s, 'bytes 5-9/10', 'fghij');
      assert.equal(done.status, 200);
      assert.equal(await (await fetch(`${base}/storage/v1/b/json-api/o/total.bin?alt=media`)).text(), 'abcdefghij');
    });

    it('holds a chunk to the size declared when the session started (X-Upload-Content-Length)', async () => {
      const s = await startSession('declared.bin', { 'x-upload-content-length': '10' });
      const res = await put(s, 'bytes 0-11/12', 'x'.repeat(12));
      assert.equal(res.status, 400);
      assert.equal((await put(s, 'bytes 0-9/10', 'x'.repeat(10))).status, 200);
    });
  });

  describe('a finished or cancelled session', () => {
    it('answers a status query after the upload finished with the object (a client that lost the last answer)', async () => {
      const s = await startSession('finished.txt');
      const last = await put(s, 'bytes 0-4/5', 'hello');
      assert.equal(last.status, 200);
      const object = (await last.json()) as Record<string, unknown>;
      for (const range of ['bytes */5', 'bytes */*']) {
        const res = await put(s, range);
        assert.ok(res.status === 200 || res.status === 201, `${range}: ${res.status}`);
        const again = (await res.json()) as Record<string, unknown>;
        assert.equal(again.name, 'finished.txt');
        assert.equal(again.size, '5');
        assert.equal(again.md5Hash, createHash('md5').update('hello').digest('base64'));
        assert.equal(again.generation, object.generation);
      }
      const del = await fetch(s, { method: 'DELETE' });
      assert.equal(del.status, 200, 'a finished upload cannot be cancelled; the answer is the object');
      assert.equal(((await del.json()) as { name: string }).name, 'finished.txt');
      assert.equal((await stat('finished.txt')).status, 200);
    });

    it('answers 499 to a cancelled session, and 404 to one it never had', async () => {
      const staged = await tmpFiles();
      const s = await startSession('cancelled.txt');
      assert.equal((await put(s, 'bytes 0-1/4', 'ab')).status, 308);
      assert.equal((await fetch(s, { method: 'DELETE' })).status, 499);
      assert.equal((await put(s, 'bytes 2-3/4', 'cd')).status, 499);
      assert.equal((await put(s, 'bytes */*')).status, 499);
      assert.equal((await stat('cancelled.txt')).status, 404);
      const unknown = s.replace(/upload_id=[^&]+/, 'upload_id=00000000-0000-0000-0000-000000000000');
      assert.equal((await fetch(unknown, { method: 'DELETE' })).status, 404);
      assert.deepEqual(await tmpFiles(), staged, 'its staging file is gone');
    });

    /** PUTs a chunk whose body arrives in two halves; calls `between` once the server is handling it. */
    const slowChunk = (session: string, range: string, body: Buffer, between: () => Promise<void>): Promise<number> =>
      new Promise((resolve, reject) => {
        const req = request(session, { method: 'PUT', headers: { 'content-range': range, 'content-length': body.length } }, (res) => {
          res.resume();
          res.on('end', () => resolve(res.statusCode!));
        });
        req.on('error', reject);
        req.write(body.subarray(0, body.length >> 1));
        void (async () => {
          // The session answers 409 to a second request while it is receiving a chunk.
          for (let i = 0; (await put(session, 'bytes */*')).status !== 409; i++) {
            if (i > 500) throw new Error('the chunk never arrived');
            await new Promise((r) => setTimeout(r, 5));
          }
          await between();
          req.end(body.subarray(body.length >> 1));
        })().catch(reject);
      });

    it('cancelled while receiving its final chunk: 499 to both, and no object is created', async () => {
      const staged = await tmpFiles();
      const s = await startSession('race-final.bin');
      assert.equal((await put(s, 'bytes 0-3/8', 'abcd')).status, 308);
      let cancel = 0;
      const chunk = await slowChunk(s, 'bytes 4-7/8', Buffer.from('efgh'), async () => {
        cancel = (await fetch(s, { method: 'DELETE' })).status;
      });
      assert.equal(cancel, 499);
      assert.equal(chunk, 499, 'the chunk is told the session was cancelled');
      assert.equal((await stat('race-final.bin')).status, 404, 'cancelled means no object');
      assert.deepEqual(await tmpFiles(), staged);
    });

    it('cancelled while receiving a middle chunk: nothing is left in the staging folder', async () => {
      const staged = await tmpFiles();
      const s = await startSession('race-middle.bin');
      assert.equal((await put(s, 'bytes 0-3/12', 'abcd')).status, 308);
      let cancel = 0;
      const chunk = await slowChunk(s, 'bytes 4-7/12', Buffer.from('efgh'), async () => {
        cancel = (await fetch(s, { method: 'DELETE' })).status;
      });
      assert.equal(cancel, 499);
      assert.equal(chunk, 499);
      assert.deepEqual(await tmpFiles(), staged);
      assert.equal((await put(s, 'bytes 8-11/12', 'ijkl')).status, 499);
      assert.deepEqual(await tmpFiles(), staged);
    });
  });

  describe('object names', () => {
    it('refuses names that are not valid UTF-8 with 400, storing nothing', async () => {
      const before = await listTree(t.dir);
      const attempts: [string, RequestInit & { path: string }][] = [
        ['media ?name=%FF', { path: '/upload/storage/v1/b/json-api/o?uploadType=media&name=bad%FF.txt', method: 'POST', body: 'x' }],
        ['media ?name= cut UTF-8', { path: '/upload/storage/v1/b/json-api/o?uploadType=media&name=bad%C3.txt', method: 'POST', body: 'x' }],
        ['resumable ?name=%FF', { path: '/upload/storage/v1/b/json-api/o?uploadType=resumable&name=bad%FF.txt', method: 'POST' }],
        [
          'resumable metadata with a raw 0xFF byte',
          {
            path: '/upload/storage/v1/b/json-api/o?uploadType=resumable',
            method: 'POST',
            body: Buffer.concat([Buffer.from('{"name":"bad'), Buffer.from([0xff]), Buffer.from('.txt"}')]),
          },
        ],
        [
          'resumable metadata with a lone surrogate',
          { path: '/upload/storage/v1/b/json-api/o?uploadType=resumable', method: 'POST', body: '{"name":"bad\\ud800.txt"}' },
        ],
        ['object path %FF', { path: '/storage/v1/b/json-api/o/bad%FF.txt', method: 'GET' }],
        ['list prefix %FF', { path: '/storage/v1/b/json-api/o?prefix=bad%FF', method: 'GET' }],
      ];
      for (const [what, { path, ...init }] of attempts) {
        const res = await fetch(`${base}${path}`, init);
        const e = await errorOf(res);
        assert.equal(res.status, 400, `${what}: ${JSON.stringify(e)}`);
        assert.match(e.message, /UTF-8|Unicode/, what);
      }
      assert.deepEqual(await listTree(t.dir), before);
      const ok = await fetch(`${base}/upload/storage/v1/b/json-api/o?uploadType=media&name=caf%C3%A9.txt`, { method: 'POST', body: 'x' });
      assert.equal(ok.status, 200);
      assert.equal(((await ok.json()) as { name: string }).name, 'café.txt');
    });
  });

  describe('folders', () => {
    it('deleting objects removes the folders they leave empty, and listing stays fast', async () => {
      const names = Array.from({ length: 100 }, (_, i) => `deep-${i}/${Array.from({ length: 30 }, (_, d) => `d${d}`).join('/')}/obj.txt`);
      for (const name of names) {
        const up = await fetch(`${base}/upload/storage/v1/b/folders/o?uploadType=media&name=${encodeURIComponent(name)}`, {
          method: 'POST',
          body: 'x',
        });
        assert.equal(up.status, 200);
      }
      const keep = await fetch(`${base}/upload/storage/v1/b/folders/o?uploadType=media&name=deep-0/d0/sibling.txt`, {
        method: 'POST',
        body: 's',
      });
      assert.equal(keep.status, 200);
      for (const name of names)
        assert.equal((await fetch(`${base}/storage/v1/b/folders/o/${encodeURIComponent(name)}`, { method: 'DELETE' })).status, 204);
      assert.deepEqual(await listTree(join(t.dir, 'gcs', 'folders')), [
        'deep-0/',
        'deep-0/d0/',
        `deep-0/d0/sibling.txt 1 ${createHash('sha256').update('s').digest('hex').slice(0, 16)}`,
      ]);
      const started = performance.now();
      const list = (await (await fetch(`${base}/storage/v1/b/folders/o`)).json()) as { items: { name: string }[] };
      const ms = performance.now() - started;
      assert.deepEqual(
        list.items.map((i) => i.name),
        ['deep-0/d0/sibling.txt'],
      );
      assert.ok(ms < 1000, `listing took ${ms.toFixed(0)} ms`);
      assert.equal((await fetch(`${base}/storage/v1/b/folders/o/deep-0%2Fd0%2Fsibling.txt`, { method: 'DELETE' })).status, 204);
      assert.deepEqual(await listTree(join(t.dir, 'gcs', 'folders')), [], 'the bucket folder itself stays, empty');
    });

    it('a write into a folder that a delete is emptying at the same moment still succeeds', async () => {
      for (let round = 0; round < 30; round++) {
        const a = `race/r${round % 3}/x/a.txt`;
        const b = `race/r${round % 3}/x/b.txt`;
        assert.equal(
          (
            await fetch(`${base}/upload/storage/v1/b/folders/o?uploadType=media&name=${encodeURIComponent(a)}`, {
              method: 'POST',
              body: 'a',
            })
          ).status,
          200,
        );
        const [del, up] = await Promise.all([
          fetch(`${base}/storage/v1/b/folders/o/${encodeURIComponent(a)}`, { method: 'DELETE' }),
          fetch(`${base}/upload/storage/v1/b/folders/o?uploadType=media&name=${encodeURIComponent(b)}`, { method: 'POST', body: 'b' }),
        ]);
        assert.equal(del.status, 204, `round ${round}`);
        assert.equal(up.status, 200, `round ${round}: ${await up.text()}`);
        assert.equal(await (await fetch(`${base}/storage/v1/b/folders/o/${encodeURIComponent(b)}?alt=media`)).text(), 'b');
        assert.equal((await fetch(`${base}/storage/v1/b/folders/o/${encodeURIComponent(b)}`, { method: 'DELETE' })).status, 204);
      }
    });
  });
});

describe('Storage subset: resumable sessions are never evicted while live', function () {
  this.timeout(60_000);

  it('a full table refuses new sessions with 429 and keeps the open ones; a week-old one expires to make room', async () => {
    const dir = await tempDir();
    const objects = new ObjectStore(dir);
    await objects.init();
    let now = Date.parse('2030-01-01T00:00:00Z');
    const api = createStorageApi({ objects, maxUploadSessions: 3, now: () => now });
    const server = createServer((req, res) => void api.handle(req, res, new URL(req.url ?? '/', 'http://127.0.0.1')));
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const start = (name: string): Promise<Response> =>
      fetch(`${base}/upload/storage/v1/b/sessions/o?uploadType=resumable&name=${name}`, { method: 'POST' });
    try {
      const first = (await start('s0')).headers.get('location')!;
      assert.equal((await fetch(first, { method: 'PUT', headers: { 'content-range': 'bytes 0-2/6' }, body: 'abc' })).status, 308);
      now += 24 * 3600_000;
      for (const name of ['s1', 's2']) assert.equal((await start(name)).status, 200);
      const full = await start('s3');
      assert.equal(full.status, 429);
      const e = await errorOf(full);
      assert.equal(e.status, 'RESOURCE_EXHAUSTED');
      assert.match(e.message, /3 unfinished resumable uploads/);
      assert.equal((await readdir(objects.tmpDir)).length, 3, 'a refused start stages nothing');
      // Six days later the first is still live and finishes.
      now += 5 * 24 * 3600_000;
      const done = await fetch(first, { method: 'PUT', headers: { 'content-range': 'bytes 3-5/6' }, body: 'def' });
      assert.equal(done.status, 200);
      // A week after s1 and s2 started, they expire when a new session needs the room.
      now += 2 * 24 * 3600_000;
      assert.equal((await start('s4')).status, 200);
      assert.equal((await readdir(objects.tmpDir)).length, 1, 'expired sessions’ staging files are removed');
    } finally {
      server.close();
      await api.close();
    }
  });
});
