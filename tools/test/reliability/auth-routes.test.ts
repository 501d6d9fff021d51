/**
 * `--auth-token` on every route (RELIABILITY.md), enumerated rather than sampled:
 * every gRPC method of the three services, every REST route the emulator
 * serves (each HTTP binding of each method, the extra operation shapes
 * included), every storage route and the demo's. Without the token (none,
 * or a wrong one as a bearer, an API key header or `?key=`): 401 /
 * UNAUTHENTICATED with a Google error body and CORS headers, and the API is
 * not reached (its call counters and the data dir do not move). CORS
 * preflights pass without it. With the token every route gets past the
 * check.
 */
import assert from 'node:assert/strict';
import * as grpc from '@grpc/grpc-js';
import { SERVICES } from 'vision-kit/gen/schema/services.js';
import { createGateway, servedBindings } from 'vision-kit/transcoding';
import { listTree, startTestEmulator, type TestEmulator } from '../emulator/support/harness.js';

const TOKEN = 'route-token-5d1e';
const WRONG_WAYS: Record<string, string>[] = [
  {},
  { authorization: 'Bearer nope' },
  { 'x-goog-api-key': 'nope' },
  { authorization: `Basic ${TOKEN}` },
];

/** A concrete path for a template: each `*` becomes `x1`, `x2`…, each `**` two segments. */
function concretePath(template: {
  readonly variables: readonly { readonly pattern: string }[];
  tryExpand(values: readonly (string | undefined)[]): unknown;
}): string {
  let n = 0;
  const values = template.variables.map((v) =>
    v.pattern
      .split('/')
      .map((seg) => (seg === '**' ? `y${++n}/z${n}` : seg === '*' ? `x${++n}` : seg))
      .join('/'),
  );
  const path = template.tryExpand(values);
  assert.equal(typeof path, 'string', JSON.stringify(path));
  return path as string;
}

const served = Object.fromEntries(
  Object.entries(SERVICES).map(([service, rows]) => [
    service,
    rows.map((row) => ({ ...row, http: servedBindings(service, row) ?? row.http })),
  ]),
);
const API_ROUTES = createGateway(served).routes.map((r) => ({
  method: r.httpMethod,
  path: `${concretePath(r.template)}${r.template.verb ? `:${r.template.verb}` : ''}`,
  what: `${r.method.name} #${r.bindingIndex}`,
}));
const OTHER_ROUTES: { method: string; path: string; what: string }[] = [
  { method: 'POST', path: '/upload/storage/v1/b/auth-b/o?uploadType=media&name=a.txt', what: 'storage upload (media)' },
  { method: 'POST', path: '/upload/storage/v1/b/auth-b/o?uploadType=multipart', what: 'storage upload (multipart)' },
  { method: 'POST', path: '/upload/storage/v1/b/auth-b/o?uploadType=resumable&name=a.txt', what: 'storage upload (resumable start)' },
  {
    method: 'PUT',
    path: '/upload/storage/v1/b/auth-b/o?uploadType=resumable&upload_id=00000000-0000-0000-0000-000000000000',
    what: 'storage upload (resumable chunk)',
  },
  { method: 'GET', path: '/storage/v1/b/auth-b/o/seed.txt?alt=media', what: 'storage download' },
  { method: 'GET', path: '/download/storage/v1/b/auth-b/o/seed.txt', what: 'storage download (download path)' },
  { method: 'GET', path: '/storage/v1/b/auth-b/o/seed.txt', what: 'storage metadata' },
  { method: 'DELETE', path: '/storage/v1/b/auth-b/o/seed.txt', what: 'storage delete' },
  { method: 'GET', path: '/storage/v1/b/auth-b/o?prefix=s', what: 'storage list' },
  { method: 'GET', path: '/storage/v1/b/auth-b', what: 'storage bucket' },
  { method: 'GET', path: '/storage/v1/b', what: 'storage buckets' },
  { method: 'GET', path: '/', what: 'the demo page' },
  { method: 'GET', path: '/index.html', what: 'the demo page (index.html)' },
  { method: 'HEAD', path: '/', what: 'the demo page (HEAD)' },
  { method: 'GET', path: '/web/vision-kit.demo.js', what: "the demo's script" },
  { method: 'GET', path: '/favicon.ico', what: 'the favicon' },
  { method: 'GET', path: '/emulator/stats', what: 'the stats' },
  { method: 'GET', path: '/no/such/route', what: 'an unknown path' },
];
const ALL_ROUTES = [...API_ROUTES, ...OTHER_ROUTES];

describe('reliability: --auth-token on every route', function () {
  this.timeout(60_000);
  let t: TestEmulator;
  before(async () => {
    t = await startTestEmulator({ opStepMs: 0 });
    // Something to read and delete, made before the token is required.
    const up = await fetch(`${t.emu.httpUrl}/upload/storage/v1/b/auth-b/o?uploadType=media&name=seed.txt`, {
      method: 'POST',
      body: 'seed',
    });
    assert.equal(up.status, 200);
    t.emu.knobs.authToken = TOKEN;
  });
  after(() => t.close());

  it(`covers every REST binding the emulator serves (${API_ROUTES.length} routes) and ${OTHER_ROUTES.length} storage/demo routes`, () => {
    const bindings = Object.values(served).flatMap((rows) => rows.flatMap((row) => row.http));
    assert.equal(API_ROUTES.length, bindings.length, 'one route per binding');
    const withRules = Object.values(served).flatMap((rows) => rows.filter((row) => row.http.length > 0).map((row) => row.name));
    for (const name of withRules)
      assert.ok(
        API_ROUTES.some((r) => r.what.startsWith(`${name} #`)),
        name,
      );
    assert.ok(API_ROUTES.some((r) => r.path.startsWith('/v1/projects/')) && API_ROUTES.some((r) => r.path === '/v1/operations'));
  });

  it('HTTP: every route without the token (4 wrong ways) answers 401 UNAUTHENTICATED with CORS, reaching nothing', async () => {
    const calls = JSON.stringify(t.emu.stats.calls);
    const tree = await listTree(t.dir);
    for (const r of ALL_ROUTES) {
      for (const headers of [...WRONG_WAYS, { query: 'key=nope' }]) {
        const { query, ...h } = headers as Record<string, string>;
        const url = `${t.emu.httpUrl}${r.path}${query ? `${r.path.includes('?') ? '&' : '?'}${query}` : ''}`;
        const res = await fetch(url, {
          method: r.method,
          headers: { origin: 'http://app.example', ...h },
          ...(r.method === 'GET' || r.method === 'HEAD' ? {} : { body: '{}' }),
        });
        const what = `${r.what}: ${r.method} ${r.path} ${JSON.stringify(headers)}`;
        assert.equal(res.status, 401, what);
        assert.equal(res.headers.get('access-control-allow-origin'), 'http://app.example', what);
        assert.match(res.headers.get('www-authenticate') ?? '', /^Bearer/, what);
        if (r.method !== 'HEAD') {
          const body = (await res.json()) as { error: { code: number; status: string } };
          assert.deepEqual([body.error.code, body.error.status], [401, 'UNAUTHENTICATED'], what);
        }
      }
    }
    assert.equal(JSON.stringify(t.emu.stats.calls), calls, 'no API call was counted');
    assert.deepEqual(await listTree(t.dir), tree, 'nothing in the data dir changed');
  });

  it('HTTP: preflights of every route pass without the token', async () => {
    for (const r of ALL_ROUTES) {
      const res = await fetch(`${t.emu.httpUrl}${r.path}`, {
        method: 'OPTIONS',
        headers: {
          origin: 'http://app.example',
          'access-control-request-method': r.method,
          'access-control-request-headers': 'authorization, x-goog-api-key, content-type',
        },
      });
      assert.equal(res.status, 204, `${r.what}: ${r.path}`);
      assert.equal(res.headers.get('access-control-allow-origin'), 'http://app.example');
      assert.match(res.headers.get('access-control-allow-methods') ?? '', new RegExp(r.method === 'HEAD' ? 'GET' : r.method));
      assert.match(res.headers.get('access-control-allow-headers') ?? '', /authorization/i);
    }
  });

  it('HTTP: with the token (bearer, API key header, ?key=) no route answers 401', async () => {
    const ways: [Record<string, string>, string][] = [
      [{ authorization: `Bearer ${TOKEN}` }, ''],
      [{ 'x-goog-api-key': TOKEN }, ''],
      [{}, `key=${TOKEN}`],
    ];
    for (const r of ALL_ROUTES) {
      for (const [headers, query] of ways) {
        const url = `${t.emu.httpUrl}${r.path}${query ? `${r.path.includes('?') ? '&' : '?'}${query}` : ''}`;
        const res = await fetch(url, { method: r.method, headers, ...(r.method === 'GET' || r.method === 'HEAD' ? {} : { body: '{}' }) });
        await res.arrayBuffer();
        assert.notEqual(res.status, 401, `${r.what}: ${r.method} ${r.path} ${JSON.stringify(headers)}${query}`);
      }
    }
  });

  it('gRPC: every method of the three services refuses a call without the token (UNAUTHENTICATED, never reaching the method), and takes one with it', async () => {
    const client = new grpc.Client(t.emu.grpcAddress, grpc.credentials.createInsecure());
    const call = (path: string, md: grpc.Metadata): Promise<grpc.ServiceError | null> =>
      new Promise((resolve) =>
        client.makeUnaryRequest(
          path,
          (b: Buffer) => b,
          (b: Buffer) => b,
          Buffer.alloc(0),
          md,
          { deadline: Date.now() + 5000 },
          (err) => resolve(err),
        ),
      );
    const md = (entries: Record<string, string>): grpc.Metadata => {
      const m = new grpc.Metadata();
      for (const [k, v] of Object.entries(entries)) m.set(k, v);
      return m;
    };
    let methods = 0;
    try {
      for (const [service, rows] of Object.entries(SERVICES)) {
        for (const row of rows) {
          methods++;
          const path = `/${service}/${row.name}`;
          const calls = JSON.stringify(t.emu.stats.calls);
          for (const headers of WRONG_WAYS) {
            const e = await call(path, md(headers));
            assert.equal(e?.code, grpc.status.UNAUTHENTICATED, `${path} ${JSON.stringify(headers)}: ${e?.details}`);
            assert.ok(!e.details.includes(TOKEN));
          }
          assert.equal(JSON.stringify(t.emu.stats.calls), calls, `${path}: the method was not reached`);
          for (const headers of [{ authorization: `Bearer ${TOKEN}` }, { 'x-goog-api-key': TOKEN }] as Record<string, string>[]) {
            const e = await call(path, md(headers));
            assert.notEqual(e?.code, grpc.status.UNAUTHENTICATED, `${path} with the token: ${e?.details}`);
          }
        }
      }
    } finally {
      client.close();
    }
    assert.ok(methods >= 25, `${methods} methods`);
  });
});
