import assert from 'node:assert/strict';
import { Code, createGrpcTransport, createRestTransport, createTransport, VisionError } from 'vision-kit';
import { methodRef } from './support/behaviour-suite.js';
import { FIXTURE_HANDLERS } from './support/fixture-service.js';
import { type GrpcTestServer, startGrpcTestServer } from './support/grpc-test-server.js';
import { type RestTestServer, startRestTestServer } from './support/rest-test-server.js';

const OPS = 'google.longrunning.Operations';
const get = methodRef(OPS, 'GetOperation');

describe('transport: credentials', () => {
  let grpcServer: GrpcTestServer;
  let restServer: RestTestServer;
  before(async () => {
    grpcServer = await startGrpcTestServer(FIXTURE_HANDLERS);
    restServer = await startRestTestServer(FIXTURE_HANDLERS);
  });
  after(async () => {
    await grpcServer.close();
    await restServer.close();
  });

  it('loopback endpoints and the emulator variables get no credentials', async () => {
    const transports = [
      createTransport({ endpoint: grpcServer.address, env: {} }),
      createTransport({ endpoint: restServer.baseUrl, env: {} }),
      createTransport({ env: { VISION_EMULATOR_HOST: grpcServer.address } }),
      createTransport({ transport: 'rest', env: { VISION_EMULATOR_REST: restServer.baseUrl } }),
    ];
    const g = grpcServer.metadata.length;
    const r = restServer.requests.length;
    for (const t of transports) {
      await t.unary(get, { name: 'operations/1' });
      t.close();
    }
    const seen = [...grpcServer.metadata.slice(g), ...restServer.requests.slice(r).map((x) => x.headers as Record<string, unknown>)];
    assert.equal(seen.length, 4);
    for (const headers of seen) {
      assert.equal(headers['authorization'], undefined);
      assert.equal(headers['x-goog-api-key'], undefined);
    }
  });

  it('an explicit API key still goes to a loopback endpoint (an emulator started with --auth-token)', async () => {
    const t = createTransport({ endpoint: grpcServer.address, apiKey: 'emulator-token', env: {} });
    await t.unary(get, { name: 'operations/1' });
    t.close();
    assert.equal(grpcServer.metadata.at(-1)?.['x-goog-api-key'], 'emulator-token');
  });

  it('a real endpoint uses google-auth-library; with no credentials here the call fails UNAUTHENTICATED before any I/O', async () => {
    const saved = process.env.GOOGLE_APPLICATION_CREDENTIALS;
    process.env.GOOGLE_APPLICATION_CREDENTIALS = '/nonexistent/vision-kit-test-key.json';
    const transports = [createGrpcTransport({ endpoint: 'vision.googleapis.com:443' }), createTransport({ transport: 'rest', env: {} })];
    try {
      for (const t of transports) {
        await assert.rejects(
          t.unary(get, { name: 'operations/1' }, { retry: false }),
          (e: unknown) => e instanceof VisionError && e.code === Code.UNAUTHENTICATED && /access token/.test(e.message),
        );
      }
    } finally {
      for (const t of transports) t.close();
      if (saved === undefined) delete process.env.GOOGLE_APPLICATION_CREDENTIALS;
      else process.env.GOOGLE_APPLICATION_CREDENTIALS = saved;
    }
  });

  it('a token provider is asked on every attempt and gets the call signal', async () => {
    let asked = 0;
    let signal: AbortSignal | undefined;
    const t = createRestTransport({
      baseUrl: restServer.baseUrl,
      token: (s) => {
        asked++;
        signal = s;
        return `token-${asked}`;
      },
    });
    await t.unary(get, { name: 'operations/1' });
    await t.unary(get, { name: 'operations/2' });
    assert.equal(asked, 2);
    assert.ok(signal instanceof AbortSignal);
    assert.equal(restServer.requests.at(-1)?.headers['authorization'], 'Bearer token-2');
  });
});
