import assert from 'node:assert/strict';
import { Code, createClient, createRestTransport, ProductSearch, resolveTransport, VisionError } from 'vision-kit';
import { isLoopbackEndpoint } from '../../src/transport/endpoint.js';
import { withCredentialsHint } from '../../src/transport/google-auth.js';

const none = {};
const cases: { name: string; input: Parameters<typeof resolveTransport>[0]; want: Partial<ReturnType<typeof resolveTransport>> }[] = [
  {
    name: 'a host:port endpoint means gRPC',
    input: { endpoint: '127.0.0.1:8089', env: none },
    want: { kind: 'grpc', local: true, plaintext: true },
  },
  { name: 'a URL endpoint means REST', input: { endpoint: 'http://localhost:8090', env: none }, want: { kind: 'rest', local: true } },
  {
    name: 'a remote gRPC endpoint uses TLS',
    input: { endpoint: 'vision.example.com:443', env: none },
    want: { kind: 'grpc', local: false, plaintext: false },
  },
  {
    name: '--plaintext turns TLS off for a remote gRPC endpoint',
    input: { endpoint: 'vision.example.com:8080', plaintext: true, env: none },
    want: { plaintext: true, local: false },
  },
  { name: 'IPv6 loopback is local', input: { endpoint: '[::1]:9000', env: none }, want: { kind: 'grpc', local: true } },
  {
    name: 'VISION_EMULATOR_HOST wins without an endpoint',
    input: { env: { VISION_EMULATOR_HOST: 'emu:1', VISION_EMULATOR_REST: 'http://emu:2' } },
    want: { kind: 'grpc', endpoint: 'emu:1', local: true, plaintext: true, source: 'VISION_EMULATOR_HOST' },
  },
  {
    name: '--transport rest picks VISION_EMULATOR_REST',
    input: { transport: 'rest', env: { VISION_EMULATOR_HOST: 'emu:1', VISION_EMULATOR_REST: 'http://emu:2' } },
    want: { kind: 'rest', endpoint: 'http://emu:2', local: true, source: 'VISION_EMULATOR_REST' },
  },
  {
    name: 'only VISION_EMULATOR_REST set means REST',
    input: { env: { VISION_EMULATOR_REST: 'http://127.0.0.1:3' } },
    want: { kind: 'rest' },
  },
  {
    name: 'nothing set means Google over gRPC',
    input: { env: none },
    want: { kind: 'grpc', endpoint: 'vision.googleapis.com:443', local: false, source: 'google' },
  },
  {
    name: 'REST with nothing set means Google REST',
    input: { transport: 'rest', env: none },
    want: { endpoint: 'https://vision.googleapis.com', local: false },
  },
  {
    name: '--transport rest with only the gRPC variable goes to Google',
    input: { transport: 'rest', env: { VISION_EMULATOR_HOST: 'e:1' } },
    want: { source: 'google' },
  },
  {
    name: "no transport named, nothing set: Google's gRPC falls back to Google's REST",
    input: { env: none },
    want: { kind: 'grpc', fallback: 'https://vision.googleapis.com' },
  },
  {
    name: 'no transport named: VISION_EMULATOR_HOST falls back to VISION_EMULATOR_REST',
    input: { env: { VISION_EMULATOR_HOST: '127.0.0.1:1', VISION_EMULATOR_REST: 'http://127.0.0.1:2' } },
    want: { kind: 'grpc', fallback: 'http://127.0.0.1:2' },
  },
  {
    name: 'VISION_EMULATOR_HOST alone has nothing to fall back to',
    input: { env: { VISION_EMULATOR_HOST: '127.0.0.1:1' } },
    want: { kind: 'grpc', fallback: undefined },
  },
  {
    name: 'a named grpc transport never falls back',
    input: { transport: 'grpc', env: { VISION_EMULATOR_HOST: '127.0.0.1:1', VISION_EMULATOR_REST: 'http://127.0.0.1:2' } },
    want: { kind: 'grpc', fallback: undefined },
  },
  {
    name: 'an explicit gRPC endpoint falls back to restEndpoint',
    input: { endpoint: '127.0.0.1:1', restEndpoint: 'http://127.0.0.1:2', env: none },
    want: { kind: 'grpc', fallback: 'http://127.0.0.1:2' },
  },
  {
    name: 'an explicit Google endpoint (a regional one too) knows its REST endpoint',
    input: { endpoint: 'eu-vision.googleapis.com:443', env: none },
    want: { kind: 'grpc', fallback: 'https://eu-vision.googleapis.com' },
  },
  {
    name: 'an explicit endpoint of another host, without restEndpoint, has none',
    input: { endpoint: 'vision.example.com:443', env: { VISION_EMULATOR_REST: 'http://127.0.0.1:2' } },
    want: { fallback: undefined },
  },
  {
    name: 'a REST choice has no fallback',
    input: { endpoint: 'http://127.0.0.1:2', env: none },
    want: { kind: 'rest', fallback: undefined },
  },
];

describe('transport: endpoint and transport rules (docs/calls.md)', () => {
  for (const c of cases) {
    it(c.name, () => {
      const got = resolveTransport(c.input);
      for (const [k, v] of Object.entries(c.want)) assert.equal(got[k as keyof typeof got], v, k);
    });
  }

  const bad: { name: string; input: Parameters<typeof resolveTransport>[0]; why: RegExp }[] = [
    {
      name: 'an explicit transport that disagrees with a URL',
      input: { transport: 'grpc', endpoint: 'http://127.0.0.1:1' },
      why: /does not agree/,
    },
    {
      name: 'an explicit transport that disagrees with host:port',
      input: { transport: 'rest', endpoint: '127.0.0.1:1' },
      why: /does not agree/,
    },
    { name: 'a URL of another scheme', input: { endpoint: 'ftp://127.0.0.1:1' }, why: /http\(s\)/ },
    { name: 'something that is neither', input: { endpoint: 'a b:c' }, why: /host:port/ },
    {
      name: 'a port alone (a number would be read as a host on port 443)',
      input: { endpoint: '8089' },
      why: /endpoint "8089" is a port alone: give host:port, e\.g\. "127\.0\.0\.1:8089"$/,
    },
    {
      name: 'a port alone in VISION_EMULATOR_HOST',
      input: { env: { VISION_EMULATOR_HOST: '8089' } },
      why: /VISION_EMULATOR_HOST "8089" is a port alone/,
    },
    {
      name: 'VISION_EMULATOR_HOST without a port (the emulator is never on 443)',
      input: { env: { VISION_EMULATOR_HOST: 'localhost' } },
      why: /VISION_EMULATOR_HOST "localhost" has no port: give host:port, e\.g\. "localhost:8089"$/,
    },
    { name: 'an unknown transport', input: { transport: 'soap' as 'grpc' }, why: /unknown transport/ },
    {
      name: 'restEndpoint with a named transport',
      input: { transport: 'grpc', endpoint: '127.0.0.1:1', restEndpoint: 'http://127.0.0.1:2' },
      why: /restEndpoint is for the automatic choice/,
    },
    {
      name: 'a restEndpoint that is not a URL',
      input: { endpoint: '127.0.0.1:1', restEndpoint: '127.0.0.1:2' },
      why: /restEndpoint "127\.0\.0\.1:2" is not an http\(s\) URL/,
    },
  ];
  for (const c of bad) {
    it(`refuses ${c.name}`, () => {
      assert.throws(
        () => resolveTransport({ env: none, ...c.input }),
        (e: unknown) => e instanceof VisionError && e.code === Code.INVALID_ARGUMENT && c.why.test(e.message),
      );
    });
  }

  it('knows loopback endpoints', () => {
    for (const e of ['localhost:1', '127.0.0.1:1', '127.1.2.3:8', '[::1]:1', 'http://localhost:3', 'https://127.0.0.1', 'http://[::1]:9']) {
      assert.equal(isLoopbackEndpoint(e), true, e);
    }
    for (const e of ['vision.googleapis.com:443', 'https://vision.googleapis.com', '10.0.0.1:80', 'http://127.0.0.1.example.com']) {
      assert.equal(isLoopbackEndpoint(e), false, e);
    }
  });

  describe('a failure to get credentials says where the call was going and what to do', () => {
    const adc = (): never => {
      throw new Error('Could not load the default credentials.');
    };
    const failure = async (source: 'google' | 'option', endpoint: string): Promise<VisionError> => {
      const e = await Promise.resolve(withCredentialsHint(adc, endpoint, source === 'google')(new AbortController().signal)).catch(
        (err: unknown) => err,
      );
      assert.ok(e instanceof VisionError, String(e));
      return e;
    };

    it("Google's endpoint by default: names the emulator variables that were not set, and how to set one", async () => {
      const e = await failure('google', 'vision.googleapis.com:443');
      assert.equal(e.code, Code.UNAUTHENTICATED);
      assert.match(
        e.rawMessage,
        /^could not get an access token for vision\.googleapis\.com:443 \(Google's endpoint, used because neither VISION_EMULATOR_HOST nor VISION_EMULATOR_REST is set; .*export VISION_EMULATOR_HOST=127\.0\.0\.1:8089\): Could not load the default credentials\. For Google, set up application default credentials/,
      );
      assert.ok(e.cause instanceof Error);
    });

    it('an endpoint given by name: no word of the emulator variables', async () => {
      const e = await failure('option', 'vision.example.com:443');
      assert.match(e.rawMessage, /^could not get an access token for vision\.example\.com:443: Could not load/);
      assert.ok(!e.rawMessage.includes('VISION_EMULATOR_HOST'), e.rawMessage);
    });

    it('a token is passed through, and an aborted wait keeps its own error', async () => {
      assert.equal(await withCredentialsHint(() => 'tok', 'e', true)(new AbortController().signal), 'tok');
      const ac = new AbortController();
      ac.abort(new Error('stop'));
      const stop = new Error('stopped');
      const got = await Promise.resolve(
        withCredentialsHint(
          () => {
            throw stop;
          },
          'e',
          true,
        )(ac.signal),
      ).catch((err: unknown) => err);
      assert.equal(got, stop);
    });
  });

  describe("createRestTransport() on Google's endpoint by default, with no credentials", () => {
    let saved: string | undefined;
    beforeEach(() => {
      saved = process.env['VISION_EMULATOR_REST'];
      delete process.env['VISION_EMULATOR_REST'];
    });
    afterEach(() => {
      if (saved === undefined) delete process.env['VISION_EMULATOR_REST'];
      else process.env['VISION_EMULATOR_REST'] = saved;
    });
    const call = (options: Parameters<typeof createRestTransport>[0]) =>
      createClient(ProductSearch, createRestTransport(options))
        .getProduct({ name: 'projects/p/locations/us-west1/products/x' })
        .catch((e: unknown) => e);

    it('refuses each call before any I/O, saying where it would go, why there, and what to give', async () => {
      const e = await call({});
      assert.ok(e instanceof VisionError, String(e));
      assert.equal(e.code, Code.UNAUTHENTICATED);
      assert.match(
        e.rawMessage,
        /^createRestTransport: calls go to https:\/\/vision\.googleapis\.com \(Google's endpoint: no baseUrl was given and VISION_EMULATOR_REST is not set\), which needs credentials, and none were given: give `apiKey` or `token`.*VISION_EMULATOR_REST=http:\/\/127\.0\.0\.1:8090$/,
      );
    });

    it('with VISION_EMULATOR_REST set, a baseUrl, credentials or a fetch of its own, calls are made', async () => {
      const seen: string[] = [];
      const fetch = async (input: RequestInfo | URL): Promise<Response> => {
        seen.push(String(input));
        return new Response('{"name":"projects/p/locations/us-west1/products/x"}', { headers: { 'content-type': 'application/json' } });
      };
      assert.ok(!((await call({ fetch })) instanceof Error), 'a fetch of its own may add what it needs');
      assert.ok(!((await call({ apiKey: 'k', fetch })) instanceof Error));
      assert.equal(seen.length, 2);
      assert.ok(
        seen.every((u) => u.startsWith('https://vision.googleapis.com/')),
        seen.join(),
      );
      process.env['VISION_EMULATOR_REST'] = 'http://127.0.0.1:1';
      const e = await call({ connectRetryMs: 0 });
      assert.ok(e instanceof VisionError && e.code === Code.UNAVAILABLE, String(e));
    });
  });
});
