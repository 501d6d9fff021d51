/**
 * Proxies and private CAs. A CONNECT proxy on 127.0.0.1 maps `vision.test`
 * (a name the client never resolves) to a TLS front on 127.0.0.1 with a
 * test certificate made by openssl, which hands h2 to a gRPC server and
 * HTTP/1.1 to a REST one. Both transports go through it from the proxy
 * variables, with TLS end to end (the proxy relays no credential); loopback
 * endpoints never touch it; no_proxy sends a host direct; `ca`,
 * GRPC_DEFAULT_SSL_ROOTS_FILE_PATH and NODE_EXTRA_CA_CERTS make the test CA
 * trusted.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import {
  Code,
  ConnectionError,
  createGrpcTransport,
  createRestTransport,
  createTransport,
  type Transport,
  type TransportFallback,
  VisionError,
} from 'vision-kit';
import { cleanEnv } from '../cli/support/run-cli.js';
import { SOURCE_FLAGS } from '../support/source-flags.js';
import { expectedAnswer, methodRef } from './support/behaviour-suite.js';
import { FIXTURE_HANDLERS, REQUESTS } from './support/fixture-service.js';
import {
  type ConnectProxy,
  type Listening,
  makeTestCert,
  proxyVars,
  recordLookups,
  startConnectProxy,
  startGrpcOn,
  startRestOn,
  startTlsFront,
  type TestCert,
  withEnv,
} from './support/network-fixtures.js';

const PS = 'google.cloud.vision.v1p4beta1.ProductSearch';
const GET = methodRef(PS, 'GetProduct');
const getRequest = REQUESTS[PS]!.GetProduct!;
const KEY = 'AIza-proxy-test-key-0451';
const ROOT = fileURLToPath(new URL('../..', import.meta.url));

/** An environment without any proxy variable. */
function withoutProxyVars(env: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(env).filter(([k]) => !/^(no_)?(grpc_|https?_)?proxy$|^no_grpc_proxy$/i.test(k)));
}

describe('transport: proxies and private CAs', function () {
  this.timeout(60_000);
  let cert: TestCert;
  let grpcServer: Listening & { readonly address: string };
  let restServer: Listening & { readonly baseUrl: string; readonly requests: () => number };
  let front: Listening;
  let h1Front: Listening;
  let proxy: ConnectProxy;

  before(async () => {
    cert = makeTestCert(['vision.test', 'h1.vision.test']);
    grpcServer = await startGrpcOn(0, FIXTURE_HANDLERS);
    restServer = await startRestOn(0, FIXTURE_HANDLERS);
    front = await startTlsFront(cert, { h2: grpcServer.port, http1: restServer.port });
    // TLS that offers no h2: a gRPC endpoint that cannot speak gRPC.
    h1Front = await startTlsFront(cert, { http1: restServer.port }, ['http/1.1']);
    proxy = await startConnectProxy({ 'vision.test:443': front.port, 'h1.vision.test:443': h1Front.port });
  });
  after(async () => {
    await Promise.all([proxy.close(), front.close(), h1Front.close(), grpcServer.close(), restServer.close()]);
    cert.remove();
  });

  /** The calls, the tunnels they opened and the names looked up in DNS while they ran. */
  async function throughProxy(make: () => Transport): Promise<{ answer: unknown; tunnels: ConnectProxy['tunnels']; lookups: string[] }> {
    const from = proxy.tunnels.length;
    const lookups = recordLookups();
    const transport = make();
    try {
      const answer = await transport.unary(GET, getRequest);
      return { answer, tunnels: proxy.tunnels.slice(from), lookups: lookups.names };
    } finally {
      lookups.stop();
      transport.close();
    }
  }

  function assertTunnelled(run: Awaited<ReturnType<typeof throughProxy>>, what: string): void {
    assert.equal(run.tunnels.length, 1, `${what}: one tunnel`);
    const [tunnel] = run.tunnels;
    assert.equal(tunnel?.target, 'vision.test:443', what);
    assert.equal(tunnel?.up[0], 0x16, `${what}: the first byte relayed is a TLS handshake record`);
    assert.ok(tunnel.up.length > 200, what);
    assert.ok(!tunnel.up.includes(KEY), `${what}: the API key never crosses the proxy in the clear`);
    assert.ok(!run.lookups.some((n) => n.includes('vision.test')), `${what}: vision.test was never looked up (${run.lookups.join(', ')})`);
  }

  for (const variable of ['https_proxy', 'HTTPS_PROXY', 'http_proxy', 'HTTP_PROXY']) {
    it(`both transports tunnel to vision.test:443 through the proxy from ${variable}, TLS end to end, the name unresolved`, async () => {
      const want = await expectedAnswer(GET, getRequest);
      await withEnv({ ...proxyVars(undefined), [variable]: proxy.url }, async () => {
        const grpc = await throughProxy(() => createGrpcTransport({ endpoint: 'vision.test:443', ca: cert.cert, apiKey: KEY }));
        assert.deepEqual(grpc.answer, want);
        assertTunnelled(grpc, 'gRPC');
        const rest = await throughProxy(() => createRestTransport({ baseUrl: 'https://vision.test', ca: cert.cert, apiKey: KEY }));
        assert.deepEqual(rest.answer, want);
        assertTunnelled(rest, 'REST');
      });
    });
  }

  it('createTransport() goes through the proxy too, for both transports', async () => {
    const want = await expectedAnswer(GET, getRequest);
    await withEnv({ ...proxyVars(undefined), https_proxy: proxy.url }, async () => {
      for (const transport of ['grpc', 'rest'] as const) {
        const endpoint = transport === 'grpc' ? 'vision.test:443' : 'https://vision.test';
        const run = await throughProxy(() => createTransport({ endpoint, env: {}, ca: cert.cert, apiKey: KEY }));
        assert.deepEqual(run.answer, want, transport);
        assertTunnelled(run, transport);
      }
    });
  });

  it('loopback endpoints and the emulator variables never go through the proxy, whatever the variables say', async () => {
    const want = await expectedAnswer(GET, getRequest);
    const connections = proxy.connections();
    await withEnv(proxyVars(proxy.url), async () => {
      const transports: Transport[] = [
        createGrpcTransport({ endpoint: grpcServer.address }),
        createRestTransport({ baseUrl: restServer.baseUrl }),
        createTransport({ env: { VISION_EMULATOR_HOST: grpcServer.address } }),
        createTransport({ transport: 'rest', env: { VISION_EMULATOR_REST: restServer.baseUrl } }),
      ];
      try {
        for (const t of transports) assert.deepEqual(await t.unary(GET, getRequest), want, t.kind);
      } finally {
        for (const t of transports) t.close();
      }
    });
    assert.equal(proxy.connections(), connections, 'the proxy saw no connection');
  });

  it('no_proxy sends a host direct (to a name that does not resolve here, so the call fails) and the proxy sees nothing', async () => {
    const connections = proxy.connections();
    for (const noProxy of ['vision.test', '.vision.test', '*.test', 'localhost, vision.test:443', '*']) {
      await withEnv({ ...proxyVars(proxy.url), no_proxy: noProxy }, async () => {
        for (const t of [
          createGrpcTransport({ endpoint: 'vision.test:443', ca: cert.cert, apiKey: KEY }),
          createRestTransport({ baseUrl: 'https://vision.test', ca: cert.cert, apiKey: KEY }),
        ]) {
          // One attempt: the test setup refuses the direct connection (REST) or the lookup (gRPC) at once.
          const err = await t.unary(GET, getRequest, { retry: false }).catch((e: unknown) => e);
          t.close();
          assert.ok(err instanceof VisionError && err.code === Code.UNAVAILABLE, `${noProxy} ${t.kind}: ${String(err)}`);
          assert.match(err.message, /vision\.test/, `${noProxy} ${t.kind}`);
          assert.doesNotMatch(err.message, /proxy/, `${noProxy} ${t.kind}`);
        }
      });
    }
    // A port that does not match keeps the proxy.
    await withEnv({ ...proxyVars(proxy.url), NO_PROXY: 'vision.test:8443' }, async () => {
      const run = await throughProxy(() => createRestTransport({ baseUrl: 'https://vision.test', ca: cert.cert }));
      assertTunnelled(run, 'REST with no_proxy for another port');
    });
    assert.equal(proxy.connections(), connections + 1);
  });

  it("a proxy's credentials reach the proxy only, and errors name it without them", async () => {
    const refusing = await startConnectProxy({}, 407);
    const url = refusing.url.replace('http://', 'http://alice:s3cret-pw@');
    try {
      await withEnv({ ...proxyVars(undefined), https_proxy: url }, async () => {
        for (const t of [
          createGrpcTransport({ endpoint: 'vision.test:443', ca: cert.cert, apiKey: KEY, connectRetryMs: 0 }),
          createRestTransport({ baseUrl: 'https://vision.test', ca: cert.cert, apiKey: KEY, connectRetryMs: 0 }),
        ]) {
          const err = await t.unary(GET, getRequest).catch((e: unknown) => e);
          t.close();
          assert.ok(err instanceof ConnectionError && err.failure === 'proxy', `${t.kind}: ${String(err)}`);
          assert.ok(err.message.includes(`the proxy ${refusing.url} (from https_proxy)`), err.message);
          assert.ok(!`${err.message} ${err.stack} ${String(err.cause)}`.includes('s3cret-pw'), err.message);
        }
      });
      assert.equal(refusing.tunnels.length, 2);
      for (const t of refusing.tunnels) {
        assert.equal(t.proxyAuthorization, `Basic ${Buffer.from('alice:s3cret-pw').toString('base64')}`);
      }
    } finally {
      await refusing.close();
    }
  });

  it('TLS without h2 behind the proxy: the automatic choice moves to REST; the test CA untrusted fails as tls on both', async () => {
    const want = await expectedAnswer(GET, getRequest);
    await withEnv({ ...proxyVars(undefined), https_proxy: proxy.url }, async () => {
      const events: TransportFallback[] = [];
      const env = {};
      const auto = createTransport({
        endpoint: 'h1.vision.test:443',
        restEndpoint: 'https://vision.test',
        env,
        ca: cert.cert,
        apiKey: KEY,
        onFallback: (e) => events.push(e),
      });
      try {
        assert.deepEqual(await auto.unary(GET, getRequest), want);
        assert.equal(events.length, 1);
        assert.match(events[0]!.error.message, /h1\.vision\.test:443 answered but does not speak gRPC: it answered TLS without HTTP\/2/);
      } finally {
        auto.close();
      }
      for (const t of [
        createTransport({ transport: 'grpc', endpoint: 'vision.test:443', env, apiKey: KEY }),
        createTransport({ endpoint: 'https://vision.test', env, apiKey: KEY }),
      ]) {
        const err = await t.unary(GET, getRequest).catch((e: unknown) => e);
        t.close();
        assert.ok(err instanceof ConnectionError && err.failure === 'tls', `${t.kind}: ${String(err)}`);
        assert.match(err.message, /through the proxy .* the TLS handshake failed: self-signed certificate/);
        assert.match(err.message, /give the `ca` option or set (GRPC_DEFAULT_SSL_ROOTS_FILE_PATH|NODE_EXTRA_CA_CERTS)/);
      }
    });
  });

  it('GRPC_DEFAULT_SSL_ROOTS_FILE_PATH makes gRPC trust the test CA', async () => {
    await withEnv({ ...proxyVars(undefined), https_proxy: proxy.url, GRPC_DEFAULT_SSL_ROOTS_FILE_PATH: cert.certFile }, async () => {
      const run = await throughProxy(() => createGrpcTransport({ endpoint: 'vision.test:443', apiKey: KEY }));
      assert.deepEqual(run.answer, await expectedAnswer(GET, getRequest));
      assertTunnelled(run, 'gRPC');
    });
  });

  it('NODE_EXTRA_CA_CERTS (read by Node at start-up) makes REST trust the test CA, direct and through the proxy', async () => {
    // A child process, since Node reads the variable when it starts.
    const script = `
      import { createRestTransport } from 'vision-kit';
      const ref = { service: '${PS}', method: (await import('vision-kit')).ProductSearch.methods.find((m) => m.name === 'GetProduct') };
      const out = [];
      for (const baseUrl of ['https://127.0.0.1:${front.port}', 'https://vision.test']) {
        const t = createRestTransport({ baseUrl });
        try { out.push((await t.unary(ref, { name: 'projects/p/locations/us-west1/products/x' })).name); }
        catch (e) { out.push(String(e.message)); }
        t.close();
      }
      console.log(JSON.stringify(out));`;
    const run = (extra: Record<string, string>) =>
      new Promise<string>((resolve, reject) => {
        execFile(
          process.execPath,
          // The test setup's guard too: the child may not reach (or look up) anything off this machine either.
          [...SOURCE_FLAGS, '--import', './test/setup.ts', '--input-type=module', '--eval', script],
          { cwd: ROOT, env: { ...withoutProxyVars(cleanEnv()), https_proxy: proxy.url, ...extra }, timeout: 60_000 },
          (err, stdout, stderr) => (err ? reject(new Error(`${err.message}\n${stderr}`)) : resolve(stdout.trim())),
        );
      });
    const [trusted, untrusted] = await Promise.all([run({ NODE_EXTRA_CA_CERTS: cert.certFile }), run({})]);
    assert.deepEqual(JSON.parse(trusted), ['projects/p/locations/us-west1/products/x', 'projects/p/locations/us-west1/products/x']);
    const failures = JSON.parse(untrusted) as string[];
    assert.equal(failures.length, 2);
    for (const f of failures) assert.match(f, /TLS handshake failed/);
  });
});
