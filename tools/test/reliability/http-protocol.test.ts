/**
 * Hostile input at the HTTP level that the fuzzer found mishandled, pinned
 * as cases: requests that are not HTTP/1.1 get Google's JSON 400 with CORS
 * (not Node's bare 400); upload metadata that is JSON but not an object is a
 * 400 naming the body (not a 500); a malformed escape under /web/ is a 404
 * (not a 500). After each, the emulator still answers.
 */
import assert from 'node:assert/strict';
import net from 'node:net';
import { startTestEmulator, type TestEmulator } from '../emulator/support/harness.js';

function raw(port: number, text: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1', () => socket.write(text));
    let out = '';
    socket.setEncoding('utf8');
    socket.on('data', (d: string) => (out += d));
    socket.on('close', () => resolve(out));
    socket.on('error', reject);
    socket.setTimeout(5000, () => socket.destroy(new Error('no answer')));
  });
}

describe('reliability: hostile HTTP input pinned as cases', () => {
  let t: TestEmulator;
  const logs: string[] = [];
  before(async () => {
    t = await startTestEmulator({ log: (l) => logs.push(l) });
  });
  after(() => t.close());
  afterEach(async () => {
    assert.equal((await fetch(`${t.emu.httpUrl}/v1/operations`)).status, 200, 'still serving');
    assert.deepEqual(
      logs.filter((l) => /unexpected/.test(l)),
      [],
    );
  });

  const notHttp: [string, string][] = [
    ['a lower-case method', 'get / HTTP/1.1\r\nHost: x\r\n\r\n'],
    ['an unknown method', 'FROB /v1/operations HTTP/1.1\r\nHost: x\r\n\r\n'],
    ['a space in the target', 'GET /a b HTTP/1.1\r\nHost: x\r\n\r\n'],
    ['a control character in the target', 'GET /\u0001 HTTP/1.1\r\nHost: x\r\n\r\n'],
    ['a non-numeric Content-Length', 'POST / HTTP/1.1\r\nHost: x\r\nContent-Length: abc\r\n\r\n'],
    ['two Content-Lengths', 'POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\nab'],
    ['a broken chunk', 'POST /v1p4beta1/images:annotate HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n'],
    ['a header line without a colon', 'GET / HTTP/1.1\r\nBad Header\r\n\r\n'],
    ['headers over 16 KB', `GET / HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(20_000)}\r\n\r\n`],
  ];
  for (const [name, text] of notHttp) {
    it(`answers ${name} with a Google error and CORS headers, then closes`, async () => {
      const answer = await raw(t.emu.httpPort, text);
      const m = /^HTTP\/1\.1 (4\d\d) [^\r]*\r\n([\s\S]*?)\r\n\r\n([\s\S]*)$/.exec(answer);
      assert.ok(m, JSON.stringify(answer.slice(0, 200)));
      assert.match(m[2]!, /^access-control-allow-origin: \*$/im);
      assert.match(m[2]!, /^connection: close$/im);
      const body = JSON.parse(m[3]!) as { error: { code: number; status: string; message: string } };
      assert.equal(body.error.code, Number(m[1]));
      assert.equal(body.error.status, 'INVALID_ARGUMENT');
      assert.match(body.error.message, /HTTP|header/);
    });
  }

  for (const meta of ['null', '[]', '5', '"name"']) {
    it(`refuses upload metadata ${meta} (JSON, not an object) with 400 naming the body, resumable and multipart`, async () => {
      const resumable = await fetch(`${t.emu.httpUrl}/upload/storage/v1/b/meta-bucket/o?uploadType=resumable`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: meta,
      });
      const multipart = await fetch(`${t.emu.httpUrl}/upload/storage/v1/b/meta-bucket/o?uploadType=multipart`, {
        method: 'POST',
        headers: { 'content-type': 'multipart/related; boundary=b' },
        body: `--b\r\nContent-Type: application/json\r\n\r\n${meta}\r\n--b\r\nContent-Type: text/plain\r\n\r\nhello\r\n--b--\r\n`,
      });
      for (const res of [resumable, multipart]) {
        const body = (await res.json()) as { error: { status: string; message: string } };
        assert.equal(res.status, 400, JSON.stringify(body));
        assert.equal(body.error.status, 'INVALID_ARGUMENT');
        assert.match(body.error.message, /body.*not a JSON object/);
      }
    });
  }

  it('answers a malformed escape under /web/ with 404 NOT_FOUND', async () => {
    for (const path of ['/web/%zz', '/web/%', '/web/a%e0%80']) {
      const res = await fetch(`${t.emu.httpUrl}${path}`);
      assert.equal(res.status, 404, path);
      assert.equal(((await res.json()) as { error: { status: string } }).error.status, 'NOT_FOUND');
    }
  });
});

describe('reliability: object names the file system cannot hold', () => {
  let t: TestEmulator;
  before(async () => {
    t = await startTestEmulator();
  });
  after(() => t.close());

  it('refuses a name with a part over 255 bytes with 400 INVALID_ARGUMENT on every storage route and as a gs:// URI (not a 500)', async () => {
    const long = `dir/${'x'.repeat(256)}`;
    const routes: [string, string][] = [
      ['POST', `/upload/storage/v1/b/long-names/o?uploadType=media&name=${encodeURIComponent(long)}`],
      ['GET', `/storage/v1/b/long-names/o/${encodeURIComponent(long)}?alt=media`],
      ['GET', `/storage/v1/b/long-names/o/${encodeURIComponent(long)}`],
      ['DELETE', `/storage/v1/b/long-names/o/${encodeURIComponent(long)}`],
    ];
    for (const [method, path] of routes) {
      const res = await fetch(`${t.emu.httpUrl}${path}`, { method, ...(method === 'POST' ? { body: 'x' } : {}) });
      const body = (await res.json()) as { error: { status: string; message: string } };
      assert.equal(res.status, 400, `${method}: ${JSON.stringify(body)}`);
      assert.match(body.error.message, /255 bytes/);
    }
    const r = await fetch(`${t.emu.httpUrl}/v1p4beta1/images:annotate`, {
      method: 'POST',
      body: JSON.stringify({
        requests: [{ image: { source: { imageUri: `gs://long-names/${long}` } }, features: [{ type: 'IMAGE_PROPERTIES' }] }],
      }),
    });
    const answer = (await r.json()) as { responses: { error?: { code: number; message: string } }[] };
    assert.equal(answer.responses[0]?.error?.code, 3);
    assert.match(answer.responses[0]!.error!.message, /255 bytes/);
    const ok = await fetch(
      `${t.emu.httpUrl}/upload/storage/v1/b/long-names/o?uploadType=media&name=${encodeURIComponent(`dir/${'x'.repeat(255)}`)}`,
      { method: 'POST', body: 'x' },
    );
    assert.equal(ok.status, 200, 'a 255-byte part is fine');
  });
});

describe('reliability: abandoned resumable uploads', function () {
  this.timeout(60_000);
  let t: TestEmulator;
  before(async () => {
    t = await startTestEmulator();
  });
  after(() => t.close());

  it('hold no open file each; past 1,000 open a new one is refused with 429, and the oldest, idle mid-upload, still completes', async () => {
    const { readdirSync } = await import('node:fs');
    const { join } = await import('node:path');
    const fds = (): number => readdirSync('/proc/self/fd').length;
    const start = (i: number): Promise<Response> =>
      fetch(`${t.emu.httpUrl}/upload/storage/v1/b/sessions/o?uploadType=resumable&name=s${i}`, { method: 'POST' });
    const before = fds();
    const firstRes = await start(0);
    assert.equal(firstRes.status, 200);
    const first = firstRes.headers.get('location')!;
    const firstChunk = await fetch(first, { method: 'PUT', headers: { 'content-range': 'bytes 0-2/6' }, body: 'abc' });
    assert.equal(firstChunk.status, 308);
    let last = '';
    for (let i = 1; i < 1000; i++) {
      const res = await start(i);
      assert.equal(res.status, 200, `session ${i}`);
      await res.arrayBuffer();
      last = res.headers.get('location')!;
    }
    assert.ok(fds() < before + 50, `open files grew from ${before} to ${fds()}`);
    for (const i of [1000, 1001]) {
      const full = await start(i);
      assert.equal(full.status, 429, `session ${i}`);
      const body = (await full.json()) as { error: { status: string; message: string } };
      assert.equal(body.error.status, 'RESOURCE_EXHAUSTED');
      assert.match(body.error.message, /1000 unfinished resumable uploads/);
    }
    assert.equal(readdirSync(join(t.dir, 'tmp')).length, 1000, 'one staging file per open session, none for the refused ones');
    const done = await fetch(first, { method: 'PUT', headers: { 'content-range': 'bytes 3-5/6' }, body: 'def' });
    assert.equal(done.status, 200, 'the oldest session was kept');
    assert.equal(await (await fetch(`${t.emu.httpUrl}/storage/v1/b/sessions/o/s0?alt=media`)).text(), 'abcdef');
    // Finishing one made room for one more.
    assert.equal((await start(1002)).status, 200);
    const lastDone = await fetch(last, { method: 'PUT', headers: { 'content-range': 'bytes 0-4/5' }, body: 'hello' });
    assert.equal(lastDone.status, 200, await lastDone.clone().text());
    assert.equal(await (await fetch(`${t.emu.httpUrl}/storage/v1/b/sessions/o/s999?alt=media`)).text(), 'hello');
  });
});
