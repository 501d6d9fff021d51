// The HTTP port at the protocol level (raw fetch): Google JSON errors for
// malformed requests, 404/405 with Allow, the 10 MB body limit (413, the
// server carries on), enum and field-name forms, CORS on every answer, and
// --auth-token on every route (gRPC too) with preflights exempt.
import assert from 'node:assert/strict';
import http from 'node:http';
import * as grpc from '@grpc/grpc-js';
import { errorFromStatusBytes } from 'vision-kit/codec';
import { GetProductSetRequest, ProductSet } from 'vision-kit/gen/google/cloud/vision/v1p4beta1/product_search_service.js';
import { listTree, type RawGrpcError, rawGrpc, startTestEmulator, type TestEmulator } from './support/harness.js';

const LOC = 'projects/edge/locations/us-west1';

async function json(res: Response): Promise<{ error: { code: number; status: string; message: string; details?: { '@type': string }[] } }> {
  return (await res.json()) as never;
}

describe('HTTP port: malformed requests, limits, enum forms', () => {
  let t: TestEmulator;
  before(async () => {
    t = await startTestEmulator();
    const res = await fetch(`${t.emu.httpUrl}/v1p4beta1/${LOC}/productSets?productSetId=s1`, {
      method: 'POST',
      body: JSON.stringify({ displayName: 'one' }),
    });
    assert.equal(res.status, 200);
  });
  after(() => t.close());

  const cases: { name: string; method: string; path: string; body?: string; status: number; code: string; mention: RegExp }[] = [
    {
      name: 'a body that is not JSON',
      method: 'POST',
      path: `/v1p4beta1/${LOC}/productSets`,
      body: '{"displayName":',
      status: 400,
      code: 'INVALID_ARGUMENT',
      mention: /JSON|json/,
    },
    {
      name: 'an unknown field',
      method: 'POST',
      path: `/v1p4beta1/${LOC}/productSets`,
      body: '{"displayName":"x","colour":1}',
      status: 400,
      code: 'INVALID_ARGUMENT',
      mention: /colour/,
    },
    {
      name: 'a field of the wrong type',
      method: 'POST',
      path: `/v1p4beta1/${LOC}/productSets`,
      body: '{"displayName":7}',
      status: 400,
      code: 'INVALID_ARGUMENT',
      mention: /displayName/,
    },
    {
      name: 'a bad enum name',
      method: 'POST',
      path: '/v1p4beta1/images:annotate',
      body: '{"requests":[{"features":[{"type":"SMELL_DETECTION"}]}]}',
      status: 400,
      code: 'INVALID_ARGUMENT',
      mention: /type/,
    },
    {
      name: 'a bad page size',
      method: 'GET',
      path: `/v1p4beta1/${LOC}/productSets?pageSize=500`,
      status: 400,
      code: 'INVALID_ARGUMENT',
      mention: /page_size/,
    },
    {
      name: 'a non-numeric page size',
      method: 'GET',
      path: `/v1p4beta1/${LOC}/productSets?pageSize=ten`,
      status: 400,
      code: 'INVALID_ARGUMENT',
      mention: /pageSize|page_size/,
    },
    { name: 'an unknown path', method: 'GET', path: '/v1p4beta1/nothing/here', status: 404, code: 'NOT_FOUND', mention: /./ },
    { name: 'an unknown top-level path', method: 'GET', path: '/nothing', status: 404, code: 'NOT_FOUND', mention: /nothing/ },
    {
      name: 'too many images',
      method: 'POST',
      path: '/v1p4beta1/images:annotate',
      body: JSON.stringify({ requests: Array(17).fill({ image: { content: 'AAAA' } }) }),
      status: 400,
      code: 'INVALID_ARGUMENT',
      mention: /16/,
    },
    {
      name: 'an empty batch',
      method: 'POST',
      path: '/v1p4beta1/images:annotate',
      body: '{}',
      status: 400,
      code: 'INVALID_ARGUMENT',
      mention: /requests/,
    },
    {
      name: 'two files',
      method: 'POST',
      path: '/v1p4beta1/files:annotate',
      body: JSON.stringify({ requests: [{}, {}] }),
      status: 400,
      code: 'INVALID_ARGUMENT',
      mention: /requests/,
    },
    {
      name: 'six pages',
      method: 'POST',
      path: '/v1p4beta1/files:annotate',
      body: JSON.stringify({
        requests: [{ inputConfig: { mimeType: 'application/pdf', gcsSource: { uri: 'gs://abc/d.pdf' } }, pages: [1, 2, 3, 4, 5, 6] }],
      }),
      status: 400,
      code: 'INVALID_ARGUMENT',
      mention: /pages/,
    },
    {
      name: 'a product in another location',
      method: 'POST',
      path: `/v1p4beta1/${LOC}/productSets/s1:addProduct`,
      body: JSON.stringify({ product: 'projects/edge/locations/asia-east1/products/p' }),
      status: 400,
      code: 'INVALID_ARGUMENT',
      mention: /same project and location/,
    },
    {
      name: 'a body value that contradicts the path',
      method: 'PATCH',
      path: `/v1p4beta1/${LOC}/productSets/s1`,
      body: JSON.stringify({ name: `${LOC}/productSets/other`, displayName: 'x' }),
      status: 400,
      code: 'INVALID_ARGUMENT',
      mention: /name/,
    },
    {
      name: 'a bad $alt',
      method: 'GET',
      path: `/v1p4beta1/${LOC}/productSets/s1?$alt=proto`,
      status: 400,
      code: 'INVALID_ARGUMENT',
      mention: /alt/,
    },
  ];
  for (const c of cases) {
    it(`answers ${c.status} ${c.code} for ${c.name}, changing nothing`, async () => {
      const before = await listTree(t.dir);
      const res = await fetch(`${t.emu.httpUrl}${c.path}`, { method: c.method, ...(c.body !== undefined ? { body: c.body } : {}) });
      const body = await json(res);
      assert.equal(res.status, c.status, JSON.stringify(body));
      assert.equal(body.error.code, c.status);
      assert.equal(body.error.status, c.code);
      assert.match(body.error.message, c.mention);
      assert.equal(res.headers.get('access-control-allow-origin'), '*');
      assert.deepEqual(await listTree(t.dir), before);
    });
  }

  it('refuses dot segments in the raw path (no URL normalisation retargets a request)', async () => {
    for (const path of [
      `/v1p4beta1/${LOC}/productSets/%2E%2E`,
      '/storage/v1/b/a-bucket/o/../../b/x',
      '/v1p4beta1/./images:annotate',
      '/upload/storage/v1/b/abc/o/%2e',
    ]) {
      const { status, body } = await new Promise<{ status: number; body: string }>((resolve, reject) => {
        const req = http.request({ host: '127.0.0.1', port: t.emu.httpPort, path, method: 'GET' }, (res) => {
          let text = '';
          res.on('data', (d: Buffer) => (text += d.toString()));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
        });
        req.on('error', reject);
        req.end();
      });
      assert.equal(status, 400, `${path}: ${body}`);
      assert.equal((JSON.parse(body) as { error: { status: string } }).error.status, 'INVALID_ARGUMENT');
    }
  });

  it('answers 405 with Allow for a known path and another method', async () => {
    const res = await fetch(`${t.emu.httpUrl}/v1p4beta1/${LOC}/productSets/s1`, { method: 'PUT', body: '{}' });
    assert.equal(res.status, 405);
    assert.equal(res.headers.get('allow'), 'DELETE, GET, PATCH');
    assert.equal((await json(res)).error.status, 'UNIMPLEMENTED');
  });

  it('refuses a 30 MB body with 413 and a Google error, and keeps serving', async () => {
    const before = await listTree(t.dir);
    const big = JSON.stringify({ requests: [{ image: { content: Buffer.alloc(22 * 1024 * 1024, 1).toString('base64') } }] });
    const res = await fetch(`${t.emu.httpUrl}/v1p4beta1/images:annotate`, { method: 'POST', body: big });
    assert.equal(res.status, 413);
    const body = await json(res);
    assert.equal(body.error.status, 'INVALID_ARGUMENT');
    assert.match(body.error.message, /10485760/);
    assert.deepEqual(await listTree(t.dir), before);
    const ok = await fetch(`${t.emu.httpUrl}/v1p4beta1/${LOC}/productSets/s1`);
    assert.equal(ok.status, 200);
  });

  it('refuses a message over 10 MB on gRPC with RESOURCE_EXHAUSTED, and keeps serving', async () => {
    const g = rawGrpc(t.emu);
    try {
      const e = (await g
        .call('/google.cloud.vision.v1p4beta1.ProductSearch/GetProductSet', GetProductSetRequest, ProductSet, {
          name: 'x'.repeat(11 * 1024 * 1024),
        })
        .catch((err: RawGrpcError) => err)) as RawGrpcError;
      assert.equal(e.code, grpc.status.RESOURCE_EXHAUSTED);
      const ok = await g.call('/google.cloud.vision.v1p4beta1.ProductSearch/GetProductSet', GetProductSetRequest, ProductSet, {
        name: `${LOC}/productSets/s1`,
      });
      assert.equal(ok.displayName, 'one');
    } finally {
      g.close();
    }
  });

  it('accepts both field-name forms and both enum forms, and answers enums as numbers for $alt=json;enum-encoding=int', async () => {
    const a = await fetch(`${t.emu.httpUrl}/v1p4beta1/${LOC}/productSets?product_set_id=s2`, {
      method: 'POST',
      body: JSON.stringify({ display_name: 'snake' }),
    });
    assert.equal(a.status, 200, await a.clone().text());
    assert.equal(((await a.json()) as { displayName: string }).displayName, 'snake');
    await fetch(`${t.emu.httpUrl}/v1p4beta1/${LOC}/productSets/s2`, { method: 'DELETE' });
    const start = async (type: string | number, alt = '') => {
      const res = await fetch(`${t.emu.httpUrl}/v1p4beta1/images:asyncBatchAnnotate${alt}`, {
        method: 'POST',
        body: JSON.stringify({
          requests: [{ image: { content: 'AAAA' }, features: [{ type }] }],
          outputConfig: { gcsDestination: { uri: 'gs://enum-out/x/' } },
        }),
      });
      assert.equal(res.status, 200, await res.clone().text());
      return (await res.json()) as { metadata: { state: string | number } };
    };
    assert.equal((await start('LABEL_DETECTION')).metadata.state, 'CREATED');
    assert.equal((await start(4, '?$alt=json;enum-encoding=int')).metadata.state, 1);
  });

  it('carries google.rpc details on both transports (BadRequest over REST, in grpc-status-details-bin over gRPC)', async () => {
    const res = await fetch(`${t.emu.httpUrl}/v1p4beta1/${LOC}/productSets`, { method: 'POST', body: '{}' });
    const body = await json(res);
    assert.equal(body.error.details?.[0]?.['@type'], 'type.googleapis.com/google.rpc.BadRequest');
    const g = rawGrpc(t.emu);
    try {
      const e = (await g
        .call('/google.cloud.vision.v1p4beta1.ProductSearch/GetProductSet', GetProductSetRequest, ProductSet, { name: 'bad' })
        .catch((err: RawGrpcError) => err)) as RawGrpcError;
      const bin = e.metadata.get('grpc-status-details-bin')[0] as Buffer;
      const decoded = errorFromStatusBytes(bin);
      assert.equal(decoded.code, grpc.status.INVALID_ARGUMENT);
      assert.equal(decoded.details[0]?.type, 'google.rpc.BadRequest');
      assert.deepEqual(
        (decoded.details[0]?.value as { fieldViolations?: { field: string }[] } | undefined)?.fieldViolations?.map((v) => v.field),
        ['name'],
      );
    } finally {
      g.close();
    }
  });
});

describe('HTTP port and gRPC with --auth-token', () => {
  const TOKEN = 'tok-3f9a1c';
  let t: TestEmulator;
  before(async () => {
    t = await startTestEmulator({ authToken: TOKEN });
  });
  after(() => t.close());

  const routes: [string, string][] = [
    ['GET', `/v1p4beta1/${LOC}/productSets`],
    ['POST', '/v1p4beta1/images:annotate'],
    ['GET', '/v1/operations'],
    ['GET', '/storage/v1/b/any-bucket/o'],
    ['POST', '/upload/storage/v1/b/any-bucket/o?uploadType=media&name=x'],
    ['GET', '/'],
    ['GET', '/favicon.ico'],
    ['GET', '/emulator/stats'],
    ['GET', '/no/such/route'],
  ];
  for (const [method, path] of routes) {
    it(`${method} ${path}: 401 UNAUTHENTICATED with CORS headers without the token; the token never echoed`, async () => {
      for (const headers of [{}, { authorization: 'Bearer wrong' }, { 'x-goog-api-key': 'wrong' }] as Record<string, string>[]) {
        const res = await fetch(`${t.emu.httpUrl}${path}`, {
          method,
          headers: { origin: 'http://page.example', ...headers },
          ...(method === 'POST' ? { body: '{}' } : {}),
        });
        assert.equal(res.status, 401);
        assert.equal(res.headers.get('access-control-allow-origin'), 'http://page.example');
        const text = await res.text();
        const body = JSON.parse(text) as { error: { status: string } };
        assert.equal(body.error.status, 'UNAUTHENTICATED');
        assert.ok(!text.includes(TOKEN) && !text.includes('wrong'));
      }
    });
  }

  it('lets requests with the token through, as a bearer, an API key header or ?key=', async () => {
    const url = `${t.emu.httpUrl}/v1p4beta1/${LOC}/productSets`;
    assert.equal((await fetch(url, { headers: { authorization: `Bearer ${TOKEN}` } })).status, 200);
    assert.equal((await fetch(url, { headers: { 'x-goog-api-key': TOKEN } })).status, 200);
    assert.equal((await fetch(`${url}?key=${TOKEN}`)).status, 200);
    assert.equal((await fetch(`${t.emu.httpUrl}/?key=${TOKEN}`)).status, 200);
  });

  it('answers preflights without credentials', async () => {
    const res = await fetch(`${t.emu.httpUrl}/v1p4beta1/images:annotate`, {
      method: 'OPTIONS',
      headers: {
        origin: 'http://page.example',
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'authorization,content-type,x-goog-api-key',
      },
    });
    assert.equal(res.status, 204);
    assert.equal(res.headers.get('access-control-allow-origin'), 'http://page.example');
    assert.match(res.headers.get('access-control-allow-methods') ?? '', /POST/);
    assert.equal(res.headers.get('access-control-allow-headers'), 'authorization,content-type,x-goog-api-key');
  });

  it('refuses gRPC calls without the token (UNAUTHENTICATED) and takes a bearer or an API key in metadata', async () => {
    const g = rawGrpc(t.emu);
    try {
      const call = (md: grpc.Metadata) =>
        g
          .call(
            '/google.cloud.vision.v1p4beta1.ProductSearch/GetProductSet',
            GetProductSetRequest,
            ProductSet,
            { name: `${LOC}/productSets/none` },
            md,
          )
          .catch((e: RawGrpcError) => e);
      const none = (await call(new grpc.Metadata())) as RawGrpcError;
      assert.equal(none.code, grpc.status.UNAUTHENTICATED);
      assert.ok(!none.details.includes(TOKEN));
      const bearer = new grpc.Metadata();
      bearer.set('authorization', `Bearer ${TOKEN}`);
      assert.equal(((await call(bearer)) as RawGrpcError).code, grpc.status.NOT_FOUND);
      const key = new grpc.Metadata();
      key.set('x-goog-api-key', TOKEN);
      assert.equal(((await call(key)) as RawGrpcError).code, grpc.status.NOT_FOUND);
    } finally {
      g.close();
    }
  });
});

describe('Fault knobs', () => {
  let t: TestEmulator;
  before(async () => {
    t = await startTestEmulator({ faultRate: 0.3, faultSeed: 7 });
  });
  after(() => t.close());

  it('answers a share of calls with UNAVAILABLE / 503 before any work, on both transports', async () => {
    let unavailable = 0;
    let ok = 0;
    for (let i = 0; i < 100; i++) {
      const res = await fetch(`${t.emu.httpUrl}/v1p4beta1/${LOC}/productSets?productSetId=f${i}`, {
        method: 'POST',
        body: '{"displayName":"x"}',
      });
      if (res.status === 503) {
        unavailable++;
        assert.equal(((await res.json()) as { error: { status: string } }).error.status, 'UNAVAILABLE');
        const again = await fetch(`${t.emu.httpUrl}/v1p4beta1/${LOC}/productSets/f${i}`);
        if (again.status !== 503) assert.equal(again.status, 404, 'a refused create stored nothing');
      } else {
        assert.equal(res.status, 200);
        ok++;
      }
    }
    assert.ok(unavailable > 10 && unavailable < 50, `${unavailable} of 100`);
    assert.equal(t.emu.stats.faultsInjected >= unavailable, true);
    const g = rawGrpc(t.emu);
    let grpcFaults = 0;
    try {
      for (let i = 0; i < 50; i++) {
        const e = await g
          .call('/google.cloud.vision.v1p4beta1.ProductSearch/GetProductSet', GetProductSetRequest, ProductSet, {
            name: `${LOC}/productSets/none`,
          })
          .catch((err: RawGrpcError) => err);
        if ((e as RawGrpcError).code === grpc.status.UNAVAILABLE) grpcFaults++;
      }
    } finally {
      g.close();
    }
    assert.ok(grpcFaults > 3, `${grpcFaults} of 50`);
    t.emu.knobs.faultRate = 0;
    assert.equal((await fetch(`${t.emu.httpUrl}/v1p4beta1/${LOC}/productSets`)).status, 200);
    assert.ok(ok > 0);
  });

  it('adds latency', async () => {
    t.emu.knobs.faultLatencyMs = 80;
    const t0 = Date.now();
    await fetch(`${t.emu.httpUrl}/v1p4beta1/${LOC}/productSets`);
    assert.ok(Date.now() - t0 >= 75);
    t.emu.knobs.faultLatencyMs = 0;
  });
});
