/**
 * Fuzzing the emulator's HTTP port over real HTTP (RELIABILITY.md), shared by
 * `npm test` (a few thousand requests) and the soak (100,000): random
 * methods, paths (shaped like the REST routes, the storage routes and the
 * demo's, or anything), queries, bodies and headers. Every answer must be a
 * valid answer or a Google-style error — `{"error":{"code":<the HTTP
 * status>,"message","status":<a canonical code name>}}` — with the CORS
 * headers, never a 5xx (no fault knobs are on: every failure is the client's
 * mistake) but 501 UNIMPLEMENTED for what the emulator does not support, and
 * never a dropped connection. A few percent of the requests are
 * not valid HTTP/1.1 at all (written to a raw socket): those get a Google
 * 400 too.
 */
import assert from 'node:assert/strict';
import http from 'node:http';
import net from 'node:net';
import fc from 'fast-check';
import { Code } from 'vision-kit';
import { codeFromName } from 'vision-kit/codec';
import { fuzzWord, gatewayBody, gatewayQuery, gatewayTarget } from '../../../../test/support/transcoding-fuzz.js';

/** One generated request. */
export interface FuzzRequest {
  readonly method: string;
  /** The request target as sent: path and query, only printable ASCII. */
  readonly target: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
  /** Written to a raw socket as given (not valid HTTP/1.1). */
  readonly raw?: string;
}

/** What came back. */
export interface FuzzAnswer {
  readonly status: number;
  readonly headers: http.IncomingHttpHeaders;
  readonly body: string;
}

/** Percent-encodes every character a request line cannot carry raw (keeps what is already printable ASCII). */
export function printable(text: string): string {
  let out = '';
  for (const ch of text.replace(/[\ud800-\udfff]/g, 'x')) {
    const c = ch.codePointAt(0)!;
    out += c > 0x20 && c < 0x7f ? ch : encodeURIComponent(ch).replace(/[!'()*]/g, (x) => `%${x.charCodeAt(0).toString(16).toUpperCase()}`);
  }
  return out;
}

const bucket = fc.oneof(
  fc.constantFrom('fuzz-bucket', 'fuzz_b.2', 'ab', 'UPPER', 'a'.repeat(64), '..', '%2e%2e', 'b%2Fc', 'goog-x'),
  fuzzWord,
);
const objectName = fc.oneof(
  fc.constantFrom(
    'a.txt',
    'dir/a.png',
    'dir%2Fa.png',
    '..%2F..%2Fstate%2Fjournal.jsonl',
    '%2e%2e%2fx',
    'a%5Cb',
    'a%00b',
    '%2Fabs',
    '%252e%252e',
  ),
  fc
    .array(fuzzWord, { minLength: 1, maxLength: 3 })
    .map((a) => a.map((w) => encodeURIComponent(w.replace(/[\ud800-\udfff]/g, 'x')) || 'x').join('%2F')),
);
const storageQuery = fc
  .record(
    {
      alt: fc.constantFrom('media', 'json', 'x'),
      uploadType: fc.constantFrom('media', 'multipart', 'resumable', 'bogus', ''),
      name: objectName,
      prefix: fuzzWord,
      delimiter: fc.constantFrom('/', '', 'x'),
      maxResults: fc.constantFrom('1', '0', '-1', '1000', 'x', '99999999999'),
      pageToken: fuzzWord,
      upload_id: fc.constantFrom('00000000-0000-0000-0000-000000000000', 'x', ''),
    },
    { requiredKeys: [] },
  )
  .map((q) =>
    Object.entries(q)
      .map(([k, v]) => `${k}=${v}`)
      .join('&'),
  );

/** Paths of the storage subset, the demo and the stats, with random pieces. */
const storageTarget = fc.oneof(
  fc
    .tuple(fc.constantFrom('GET', 'HEAD', 'DELETE', 'POST', 'PUT'), bucket, objectName, storageQuery)
    .map(([m, b, o, q]) => [m, `/storage/v1/b/${b}/o/${o}?${q}`] as const),
  fc.tuple(fc.constantFrom('GET', 'POST'), bucket, storageQuery).map(([m, b, q]) => [m, `/storage/v1/b/${b}/o?${q}`] as const),
  fc
    .tuple(fc.constantFrom('POST', 'PUT', 'DELETE', 'GET'), bucket, storageQuery)
    .map(([m, b, q]) => [m, `/upload/storage/v1/b/${b}/o?${q}`] as const),
  fc.tuple(fc.constantFrom('GET', 'POST'), bucket).map(([m, b]) => [m, `/storage/v1/b/${b}`] as const),
  fc.constantFrom<readonly [string, string]>(
    ['GET', '/storage/v1/b'],
    ['GET', '/b/fuzz-bucket/o'],
    ['GET', '/download/storage/v1/b/fuzz-bucket/o/a.txt'],
  ),
  fc
    .tuple(
      fc.constantFrom('GET', 'HEAD', 'POST'),
      fc.constantFrom(
        '/',
        '/index.html',
        '/favicon.ico',
        '/emulator/stats',
        '/web/',
        '/web/browser.js',
        '/web/..%2F..%2Fpackage.json',
        '/web/%2e%2e/x',
      ),
      fuzzWord,
    )
    .map(([m, p, w]) => [m, p.endsWith('/') ? `${p}${w}` : p] as const),
);

const header = fc.record(
  {
    'content-type': fc.constantFrom(
      'application/json',
      'application/json; charset=utf-8',
      'text/plain',
      'multipart/related; boundary=xyz',
      'multipart/related',
      'image/png',
      '',
      'a/b; c',
    ),
    origin: fc.constantFrom('http://page.example', 'null', 'https://x.test:8443'),
    authorization: fc.constantFrom('Bearer abc', 'Basic Zm9vOmJhcg==', 'Bearer', ''),
    'x-goog-api-key': fc.constantFrom('k', ''),
    'x-http-method-override': fc.constantFrom('DELETE', 'GET'),
    accept: fc.constantFrom('application/json', '*/*', 'text/html'),
    'content-encoding': fc.constantFrom('gzip', 'identity', 'br'),
    'content-range': fc.constantFrom('bytes 0-3/4', 'bytes */4', 'bytes 5-9/*', 'bytes x', '*'),
    range: fc.constantFrom('bytes=0-0', 'bytes=-1', 'bytes=9-1', 'bytes=a-b'),
    'x-upload-content-type': fc.constantFrom('image/png', ''),
    'x-goog-request-params': fuzzWord.map((w) => printable(w)),
  },
  { requiredKeys: [] },
);

/** Requests that are not valid HTTP/1.1 (the server's parser refuses them before any handler). */
const broken = fc.constantFrom(
  'get / HTTP/1.1\r\nHost: x\r\n\r\n',
  'FROB /v1/operations HTTP/1.1\r\nHost: x\r\n\r\n',
  'GET /a b HTTP/1.1\r\nHost: x\r\n\r\n',
  'GET / HTTP/1.1\r\nHost: x\r\nContent-Length: abc\r\n\r\n',
  'POST /v1p4beta1/images:annotate HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n',
  'GET /\u0001 HTTP/1.1\r\nHost: x\r\n\r\n',
  'GET / HTTP/9.9\r\nHost: x\r\n\r\n',
  'GET / HTTP/1.1\r\nBad Header\r\n\r\n',
  'POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\nab',
);

const methodPick = fc.oneof(
  { weight: 12, arbitrary: fc.constant(undefined) },
  { weight: 1, arbitrary: fc.constantFrom('GET', 'POST', 'PATCH', 'DELETE', 'PUT', 'HEAD', 'OPTIONS', 'PROPFIND', 'TRACE') },
);

/** The generator of requests. */
export const fuzzRequest: fc.Arbitrary<FuzzRequest> = fc.oneof(
  {
    weight: 12,
    arbitrary: fc.tuple(gatewayTarget, gatewayQuery, gatewayBody, header, methodPick).map(([[m, p], q, b, h, other]) => ({
      method: other ?? (/^[A-Za-z]+$/.test(m) ? m.toUpperCase() : 'GET'),
      target: printable(p.startsWith('/') ? p : `/${p}`) + (q ? `?${printable(q)}` : ''),
      headers: h,
      body: b,
    })),
  },
  {
    weight: 6,
    arbitrary: fc
      .tuple(storageTarget, gatewayBody, header)
      .map(([[m, t], b, h]) => ({ method: m, target: printable(t), headers: h, body: b })),
  },
  { weight: 1, arbitrary: broken.map((raw) => ({ method: 'RAW', target: raw.split(' ')[1] ?? '/', headers: {}, body: '', raw })) },
);

const agent = new http.Agent({ keepAlive: true, maxSockets: 4 });

/** Sends one request and reads the whole answer (rejects when the connection breaks). */
export function send(port: number, r: FuzzRequest): Promise<FuzzAnswer> {
  if (r.raw !== undefined) return sendRaw(port, r.raw);
  return new Promise<FuzzAnswer>((resolve, reject) => {
    const headers: Record<string, string> = {};
    for (const [k, v] of Object.entries(r.headers)) if (v !== '') headers[k] = v;
    // Node frames a GET's body only with an explicit length (else it would read as the next request).
    if (r.body !== '') headers['content-length'] = String(Buffer.byteLength(r.body));
    const req = http.request({ host: '127.0.0.1', port, method: r.method, path: r.target, headers, agent }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (d: Buffer) => chunks.push(d));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(r.body === '' ? undefined : r.body);
  });
}

function sendRaw(port: number, text: string): Promise<FuzzAnswer> {
  return new Promise<FuzzAnswer>((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1', () => socket.write(text));
    const chunks: Buffer[] = [];
    socket.on('data', (d: Buffer) => chunks.push(d));
    socket.on('error', reject);
    socket.on('close', () => {
      const all = Buffer.concat(chunks).toString('utf8');
      const m = /^HTTP\/1\.1 (\d{3}) [^\r]*\r\n([\s\S]*?)\r\n\r\n([\s\S]*)$/.exec(all);
      if (!m) return reject(new Error(`no HTTP answer to a raw request: ${JSON.stringify(all.slice(0, 200))}`));
      const headers: http.IncomingHttpHeaders = {};
      for (const line of m[2]!.split('\r\n')) {
        const i = line.indexOf(':');
        headers[line.slice(0, i).trim().toLowerCase()] = line.slice(i + 1).trim();
      }
      resolve({ status: Number(m[1]), headers, body: m[3]! });
    });
    // The server answers and closes; end our side too so the socket does not linger.
    socket.setTimeout(5000, () => socket.destroy(new Error('no answer in 5 s')));
  });
}

/** Answers that are not JSON by design: media downloads, the demo's files, empty bodies (204, 308, 416, 499, HEAD). */
function nonJsonAllowed(r: FuzzRequest, a: FuzzAnswer): boolean {
  if (r.method === 'HEAD' || a.body === '') return true;
  // A media download is the object's bytes, whatever content type it was uploaded with.
  if (/[?&]alt=media(&|$)/.test(r.target) || r.target.startsWith('/download/')) return a.status < 300;
  const type = String(a.headers['content-type'] ?? '');
  return a.status < 300 && !type.startsWith('application/json');
}

/** Checks one answer against the property (throws an AssertionError). */
export function checkAnswer(r: FuzzRequest, a: FuzzAnswer): string {
  const what = `${r.method} ${r.target} ${JSON.stringify(r.headers)} ${JSON.stringify(r.body.slice(0, 80))} → ${a.status} ${a.body.slice(0, 300)}`;
  // 501 UNIMPLEMENTED (a field or feature the emulator does not support) is an answer, not a failure.
  const unimplemented = a.status === 501 && /"status":\s*"UNIMPLEMENTED"/.test(a.body);
  assert.ok(a.status >= 100 && (a.status < 500 || unimplemented), `a 5xx (or no status) for a client's request: ${what}`);
  assert.ok(a.headers['access-control-allow-origin'] !== undefined, `no CORS header: ${what}`);
  if (a.status >= 400 && !(r.method === 'HEAD' || (a.body === '' && a.status === 499) || a.status === 416)) {
    let body: { error?: { code?: unknown; message?: unknown; status?: unknown } };
    try {
      body = JSON.parse(a.body) as typeof body;
    } catch {
      assert.fail(`an error that is not JSON: ${what}`);
    }
    const e = body.error;
    assert.ok(e !== undefined && typeof e === 'object', `no "error" object: ${what}`);
    assert.equal(e.code, a.status, `error.code is not the HTTP status: ${what}`);
    assert.equal(typeof e.message, 'string', what);
    assert.ok((e.message as string).length > 0, what);
    assert.equal(typeof e.status, 'string', what);
    const code = codeFromName(e.status as string);
    assert.ok(code !== undefined && code !== Code.OK, `error.status is not a canonical code name: ${what}`);
    return `${a.status}`;
  }
  if (!nonJsonAllowed(r, a)) {
    assert.doesNotThrow(() => JSON.parse(a.body), `a success that is not JSON: ${what}`);
  }
  return a.status < 300 ? '2xx' : `${a.status}`;
}

/**
 * Runs the property `runs` times (seeded) against the HTTP port `port`;
 * resolves to how often each outcome came up (`2xx`, `400`, `404`, …).
 */
export async function httpFuzz(port: number, runs: number, seed = 42): Promise<Map<string, number>> {
  const outcomes = new Map<string, number>();
  await fc.assert(
    fc.asyncProperty(fuzzRequest, async (r) => {
      const a = await send(port, r);
      const k = checkAnswer(r, a);
      outcomes.set(k, (outcomes.get(k) ?? 0) + 1);
    }),
    { seed, numRuns: runs, endOnFailure: true },
  );
  return outcomes;
}

/** Closes the fuzzer's keep-alive sockets. */
export function closeFuzzAgent(): void {
  agent.destroy();
}
