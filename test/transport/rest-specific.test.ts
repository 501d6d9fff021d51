import assert from 'node:assert/strict';
import { Code, codeName, createGrpcTransport, createRestTransport, type MethodRef, VisionError } from 'vision-kit';
import { methodRef } from './support/behaviour-suite.js';
import { FIXTURE_HANDLERS } from './support/fixture-service.js';
import { type RestTestServer, startRestTestServer } from './support/rest-test-server.js';

const PS = 'google.cloud.vision.v1p4beta1.ProductSearch';
const OPS = 'google.longrunning.Operations';
const base = '/v1p4beta1/projects/p/locations/us-west1';

describe('transport: REST specifics and bad answers', () => {
  let server: RestTestServer;
  before(async () => {
    server = await startRestTestServer(FIXTURE_HANDLERS, {
      [`${base}/products/html`]: { status: 200, body: '<html><body>Welcome to the captive portal</body></html>', contentType: 'text/html' },
      [`${base}/products/truncated`]: { status: 200, body: '{"name":"projects/p/locations/us-west1/products/truncated","displayN' },
      [`${base}/products/cut`]: { status: 200, body: '{"name":"projects/p', cutOff: true },
      [`${base}/products/wrong`]: { status: 200, body: '{"name":42}' },
      [`${base}/products/bad-gateway`]: { status: 502, body: '<h1>502 Bad Gateway</h1>', contentType: 'text/html' },
      [`${base}/products/empty-error`]: { status: 503, body: '' },
    });
  });
  after(() => server.close());

  function get(name: string) {
    const transport = createRestTransport({ baseUrl: server.baseUrl });
    return transport
      .unary(methodRef(PS, 'GetProduct'), { name: `projects/p/locations/us-west1/products/${name}` }, { retry: false })
      .then(
        (v) => assert.fail(`resolved with ${JSON.stringify(v)}`),
        (e: unknown) => {
          assert.ok(e instanceof VisionError, `not a VisionError: ${String(e)}`);
          return e;
        },
      )
      .finally(() => transport.close());
  }

  const answers: { name: string; path: string; code: Code; status: number; text: RegExp }[] = [
    {
      name: 'a 200 answer that is not JSON',
      path: 'html',
      code: Code.INTERNAL,
      status: 200,
      text: /HTTP 200 answer to GetProduct .* is not JSON: "<html><body>Welcome/,
    },
    { name: 'truncated JSON', path: 'truncated', code: Code.INTERNAL, status: 200, text: /not JSON: .*displayN/ },
    { name: 'a body cut off mid-way', path: 'cut', code: Code.INTERNAL, status: 200, text: /HTTP 200 answer to GetProduct .* was cut off/ },
    {
      name: 'JSON of the wrong shape',
      path: 'wrong',
      code: Code.INTERNAL,
      status: 200,
      text: /is not a google\.cloud\.vision\.v1p4beta1\.Product .*name.*\{"name":42\}/,
    },
    { name: 'an HTML 502 page', path: 'bad-gateway', code: Code.UNAVAILABLE, status: 502, text: /HTTP 502 .*502 Bad Gateway/ },
    { name: 'an empty 503', path: 'empty-error', code: Code.UNAVAILABLE, status: 503, text: /HTTP 503 with an empty body/ },
  ];
  for (const c of answers) {
    it(`${c.name} becomes ${codeName(c.code)} with the HTTP status and an excerpt`, async () => {
      const err = await get(c.path);
      assert.equal(err.code, c.code, err.message);
      assert.equal(err.httpStatus, c.status);
      assert.match(err.message, c.text);
    });
  }

  it('a request missing a field its path needs fails before any I/O, naming the field', async () => {
    const transport = createRestTransport({ baseUrl: server.baseUrl });
    const seen = server.requests.length;
    await assert.rejects(
      transport.unary(methodRef(PS, 'UpdateProduct'), { product: { displayName: 'x' } }),
      (e: unknown) => e instanceof VisionError && e.code === Code.INVALID_ARGUMENT && /field "product\.name"/.test(e.message),
    );
    await assert.rejects(
      transport.unary(methodRef(PS, 'GetProduct'), { name: 'not/a/product' }),
      (e: unknown) => e instanceof VisionError && e.code === Code.INVALID_ARGUMENT && /"name"/.test(e.message),
    );
    assert.equal(server.requests.length, seen, 'nothing reached the server');
  });

  it('WaitOperation has no HTTP binding: UNIMPLEMENTED before any I/O', async () => {
    const transport = createRestTransport({ baseUrl: server.baseUrl });
    const seen = server.requests.length;
    await assert.rejects(
      transport.unary(methodRef(OPS, 'WaitOperation'), { name: 'operations/1' }),
      (e: unknown) => e instanceof VisionError && e.code === Code.UNIMPLEMENTED && /WaitOperation/.test(e.message),
    );
    assert.equal(server.requests.length, seen);
  });

  it('an unknown method fails before any I/O on both transports, naming it', async () => {
    const ref: MethodRef = {
      service: PS,
      method: {
        name: 'FrobnicateProduct',
        input: 'google.cloud.vision.v1p4beta1.GetProductRequest',
        output: 'google.protobuf.Empty',
        http: [],
        signatures: [],
      },
    };
    const rest = createRestTransport({ baseUrl: server.baseUrl });
    const grpc = createGrpcTransport({ endpoint: '127.0.0.1:1' });
    try {
      for (const t of [rest, grpc]) {
        await assert.rejects(
          t.unary(ref, {}),
          (e: unknown) => e instanceof VisionError && e.code === Code.UNIMPLEMENTED && /FrobnicateProduct/.test(e.message),
        );
      }
    } finally {
      grpc.close();
    }
  });

  it('sends operations on the service-config paths, and cancels/deletes import operations', async () => {
    const transport = createRestTransport({ baseUrl: server.baseUrl });
    const from = server.requests.length;
    await transport.unary(methodRef(OPS, 'GetOperation'), { name: 'operations/7' });
    await transport.unary(methodRef(OPS, 'GetOperation'), { name: 'projects/p/locations/us-west1/operations/8' });
    await transport.unary(methodRef(OPS, 'CancelOperation'), { name: 'projects/p/locations/us-west1/operations/8' });
    await transport.unary(methodRef(OPS, 'DeleteOperation'), { name: 'operations/7' });
    assert.deepEqual(
      server.requests.slice(from).map((r) => `${r.method} ${r.url}`),
      [
        'GET /v1/operations/7',
        'GET /v1/projects/p/locations/us-west1/operations/8',
        'POST /v1/projects/p/locations/us-west1/operations/8:cancel',
        'DELETE /v1/operations/7',
      ],
    );
  });

  it('sends an API key as x-goog-api-key or ?key=, and a bearer token; errors never show them', async () => {
    const header = createRestTransport({ baseUrl: server.baseUrl, apiKey: 'AIza-header-key-1' });
    const query = createRestTransport({ baseUrl: server.baseUrl, apiKey: 'AIza-query-key-2', apiKeyIn: 'query', token: 'tok-secret-3' });
    const from = server.requests.length;
    await header.unary(methodRef(OPS, 'GetOperation'), { name: 'operations/1' });
    const err = await query
      .unary(methodRef(PS, 'GetProduct'), { name: 'projects/p/locations/us-west1/products/bad-gateway' }, { retry: false })
      .catch((e: unknown) => e);
    const [a, b] = server.requests.slice(from);
    assert.equal(a?.headers['x-goog-api-key'], 'AIza-header-key-1');
    assert.match(b?.url ?? '', /[?&]key=AIza-query-key-2/);
    assert.equal(b?.headers['x-goog-api-key'], undefined);
    assert.equal(b?.headers['authorization'], 'Bearer tok-secret-3');
    assert.ok(err instanceof VisionError);
    assert.ok(!`${err.message} ${err.stack}`.includes('AIza-query-key-2') && !`${err.message}`.includes('tok-secret-3'));
  });

  it('an unreachable server is UNAVAILABLE naming only the origin (never a ?key=)', async () => {
    const closed = await startRestTestServer({});
    const url = closed.baseUrl;
    await closed.close();
    const transport = createRestTransport({ baseUrl: url, apiKey: 'AIza-secret-4', apiKeyIn: 'query' });
    const err = await transport.unary(methodRef(PS, 'CreateProduct'), { parent: 'projects/p/locations/us-west1' }).catch((e: unknown) => e);
    assert.ok(err instanceof VisionError && err.code === Code.UNAVAILABLE, String(err));
    assert.match(err.message, new RegExp(`cannot reach ${url.replace(/[.]/g, '\\.')}`));
    assert.ok(!err.message.includes('AIza-secret-4'));
  });
});
