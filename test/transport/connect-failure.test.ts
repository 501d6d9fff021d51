/**
 * How failures are told apart (src/transport/connect-failure.ts), as a
 * table of what grpc-js and fetch report. The same failures happen for real
 * against servers on 127.0.0.1 in fail-fast, fallback and proxy tests; the
 * rows here cover what a test on loopback cannot make happen (no route,
 * DNS through undici, a browser's opaque TypeError).
 */
import assert from 'node:assert/strict';
import { Code, ConnectionError, type ConnectionFailure, createGrpcTransport, createRestTransport, VisionError } from 'vision-kit';
import { type FailureContext, fetchConnectFailure, grpcConnectFailure } from '../../src/transport/connect-failure.js';
import { networkFailure } from '../../src/transport/fetch-failure.js';
import { createRestTransport as createBrowserRestTransport } from '../../src/transport/rest-transport.js';

const GRPC: FailureContext = { transport: 'grpc', endpoint: 'vision.example.com:443', local: false };
const LOCAL_GRPC: FailureContext = { transport: 'grpc', endpoint: '127.0.0.1:8089', local: true };
const REST: FailureContext = { transport: 'rest', endpoint: 'https://vision.example.com', local: false };
const PROXIED: FailureContext = { ...REST, proxy: 'http://127.0.0.1:3128 (from https_proxy)' };

/** An error shaped as undici's fetch throws it: TypeError('fetch failed') with the socket's error as `cause`. */
function fetchFailed(message: string, fields: { code?: string; syscall?: string } = {}, wrap?: string): TypeError {
  let cause: Error = Object.assign(new Error(message), fields);
  if (wrap !== undefined) cause = new Error(wrap, { cause });
  return new TypeError('fetch failed', { cause });
}

const grpcRows: { name: string; details: string; ctx?: FailureContext; want: ConnectionFailure | undefined; says?: RegExp }[] = [
  {
    name: 'refused, loopback: the emulator hint',
    details: 'No connection established. Last error: Error: connect ECONNREFUSED 127.0.0.1:8089. Resolution note: ',
    ctx: LOCAL_GRPC,
    want: 'refused',
    says: /cannot reach 127\.0\.0\.1:8089 over gRPC: connection refused \(connect ECONNREFUSED 127\.0\.0\.1:8089\)\. .*npx vision-kit emulator/,
  },
  {
    name: 'refused, loopback on another port: the emulator hint names the flag that puts gRPC there',
    details: 'No connection established. Last error: Error: connect ECONNREFUSED 127.0.0.1:9999. Resolution note: ',
    ctx: { ...LOCAL_GRPC, endpoint: '127.0.0.1:9999' },
    want: 'refused',
    says: /\. Nothing is listening there: start the emulator on that port with `npx vision-kit emulator --grpc-port 9999`/,
  },
  {
    name: "refused, gRPC on the emulator's HTTP port: the gRPC port named",
    details: 'No connection established. Last error: Error: connect ECONNREFUSED 127.0.0.1:8090. Resolution note: ',
    ctx: { ...LOCAL_GRPC, endpoint: '127.0.0.1:8090' },
    want: 'refused',
    says: /Nothing is listening there: 8090 is the emulator's default HTTP port: its gRPC port is 8089 \(127\.0\.0\.1:8089\)/,
  },
  {
    name: 'refused, remote: no emulator hint',
    details: 'No connection established. Last error: Error: connect ECONNREFUSED 10.0.0.1:443. Resolution note: ',
    want: 'refused',
    says: /: connection refused .*\. Nothing is listening there: check the endpoint$/,
  },
  { name: 'DNS', details: 'Name resolution failed for target dns:vision.example.com:443', want: 'dns', says: /its name does not resolve/ },
  {
    name: 'no route',
    details: 'No connection established. Last error: Error: connect EHOSTUNREACH 10.0.0.1:443. Resolution note: ',
    want: 'unreachable',
  },
  {
    name: 'a connect timeout',
    details: 'No connection established. Last error: Error: connect ETIMEDOUT 10.0.0.1:443. Resolution note: ',
    want: 'unreachable',
  },
  {
    name: 'an HTTP/1.x peer',
    details: 'No connection established. Last error: Protocol error (2026-01-01T00:00:00.000Z). Resolution note: ',
    want: 'not-grpc',
    says: /vision\.example\.com:443 answered but does not speak gRPC: it answered, but not in HTTP\/2/,
  },
  {
    name: 'TLS without h2',
    details:
      'No connection established. Last error: Error: 80:error:0A000460:SSL routines:ssl3_read_bytes:tlsv1 alert no application protocol:../ssl.c:1:SSL alert number 120\n. Resolution note: ',
    want: 'not-grpc',
    says: /no "h2" in ALPN/,
  },
  {
    name: 'a reset at the preface',
    details: 'No connection established. Last error: read ECONNRESET (2026-01-01T00:00:00.000Z). Resolution note: ',
    want: 'not-grpc',
  },
  {
    name: 'an untrusted certificate',
    details: 'No connection established. Last error: Error: self-signed certificate. Resolution note: ',
    want: 'tls',
    says: /TLS handshake failed: self-signed certificate\. To trust a private CA, give the `ca` option or set GRPC_DEFAULT_SSL_ROOTS_FILE_PATH$/,
  },
  {
    name: 'TLS to a plaintext server',
    details:
      'No connection established. Last error: Error: 80:error:0A00010B:SSL routines:ssl3_get_record:wrong version number:../ssl.c:350:\n. Resolution note: ',
    want: 'tls',
    says: /the TLS handshake failed: wrong version number\. The server does not speak TLS there/,
  },
  {
    name: 'a proxy that would not tunnel',
    details: 'No connection established. Last error: undefined. Resolution note: ',
    ctx: { ...GRPC, proxy: 'http://p:1 (from https_proxy)' },
    want: 'proxy',
  },
  {
    name: 'no error of its own (a connection shared with another channel, backing off): unreachable, said as such',
    details: 'No connection established. Last error: null. Resolution note: ',
    want: 'unreachable',
    says: /: no connection \(an earlier attempt to connect failed; grpc-js is backing off\)$/,
  },
  { name: 'a server-side UNAVAILABLE is not a connection failure', details: 'warming up', want: undefined },
  { name: 'a dropped connection after the call went out is not one either', details: 'Connection dropped', want: undefined },
];

const fetchRows: { name: string; err: unknown; ctx?: FailureContext; want: ConnectionFailure | undefined; says?: RegExp }[] = [
  { name: 'refused', err: fetchFailed('connect ECONNREFUSED 10.0.0.1:443', { code: 'ECONNREFUSED', syscall: 'connect' }), want: 'refused' },
  {
    name: 'refused, loopback on the default REST port: the plain emulator command',
    err: fetchFailed('connect ECONNREFUSED 127.0.0.1:8090', { code: 'ECONNREFUSED' }),
    ctx: { transport: 'rest', endpoint: 'http://127.0.0.1:8090', local: true },
    want: 'refused',
    says: /start the emulator with `npx vision-kit emulator` \(gRPC on 127\.0\.0\.1:8089, REST on http:\/\/127\.0\.0\.1:8090\), or check the port$/,
  },
  {
    name: "refused, REST on the emulator's gRPC port: the REST port named, no clashing flag offered",
    err: fetchFailed('connect ECONNREFUSED 127.0.0.1:8089', { code: 'ECONNREFUSED' }),
    ctx: { transport: 'rest', endpoint: 'http://127.0.0.1:8089', local: true },
    want: 'refused',
    says: /Nothing is listening there: 8089 is the emulator's default gRPC port: its REST port is 8090 \(http:\/\/127\.0\.0\.1:8090\); start it with `npx vision-kit emulator`, or check the port$/,
  },
  {
    name: 'refused, loopback on another port: the flag that puts REST there',
    err: fetchFailed('connect ECONNREFUSED 127.0.0.1:9998', { code: 'ECONNREFUSED' }),
    ctx: { transport: 'rest', endpoint: 'http://127.0.0.1:9998/', local: true },
    want: 'refused',
    says: /start the emulator on that port with `npx vision-kit emulator --http-port 9998` \(its defaults are gRPC 8089, REST 8090\), or check the port$/,
  },
  {
    name: 'refused through a proxy: the proxy refused',
    err: fetchFailed('connect ECONNREFUSED 127.0.0.1:3128', { code: 'ECONNREFUSED' }),
    ctx: PROXIED,
    want: 'proxy',
    says: /the proxy http:\/\/127\.0\.0\.1:3128 \(from https_proxy\) refused the connection/,
  },
  { name: 'DNS', err: fetchFailed('getaddrinfo ENOTFOUND vision.example.com', { code: 'ENOTFOUND' }), want: 'dns' },
  { name: 'DNS, temporary', err: fetchFailed('getaddrinfo EAI_AGAIN vision.example.com', { code: 'EAI_AGAIN' }), want: 'dns' },
  { name: 'no route', err: fetchFailed('connect ENETUNREACH 10.0.0.1:443', { code: 'ENETUNREACH' }), want: 'unreachable' },
  { name: "undici's connect timeout", err: fetchFailed('Connect Timeout Error', { code: 'UND_ERR_CONNECT_TIMEOUT' }), want: 'unreachable' },
  {
    name: 'a reset while connecting',
    err: fetchFailed('connect ECONNRESET 10.0.0.1:443', { code: 'ECONNRESET', syscall: 'connect' }),
    want: 'unreachable',
  },
  {
    name: 'a reset after the request went out is not one',
    err: fetchFailed('read ECONNRESET', { code: 'ECONNRESET', syscall: 'read' }),
    want: undefined,
  },
  { name: 'the other side closed (undici) is not one', err: fetchFailed('other side closed', { code: 'UND_ERR_SOCKET' }), want: undefined },
  {
    name: 'an untrusted certificate',
    err: fetchFailed('self-signed certificate', { code: 'DEPTH_ZERO_SELF_SIGNED_CERT' }),
    want: 'tls',
    says: /set NODE_EXTRA_CA_CERTS$/,
  },
  {
    name: 'a name mismatch',
    err: fetchFailed("Hostname/IP does not match certificate's altnames", { code: 'ERR_TLS_CERT_ALTNAME_INVALID' }),
    want: 'tls',
  },
  {
    name: 'a proxy that answers 502 to CONNECT',
    err: fetchFailed('Proxy response (502) !== 200 when HTTP Tunneling', { code: 'UND_ERR_ABORTED' }, 'Request was cancelled.'),
    ctx: PROXIED,
    want: 'proxy',
    says: /answered 502 to CONNECT/,
  },
  { name: "fetch's blocked ports", err: fetchFailed('bad port'), want: 'blocked' },
  { name: "a browser's opaque TypeError", err: new TypeError('Failed to fetch'), want: 'network' },
  { name: 'anything else is not one', err: new Error('boom'), want: undefined },
];

describe('transport: telling a failure to connect from a failed call', () => {
  for (const row of grpcRows) {
    it(`gRPC: ${row.name} → ${row.want ?? 'not a connection failure'}`, () => {
      const got = grpcConnectFailure(Code.UNAVAILABLE, row.details, row.ctx ?? GRPC);
      assert.equal(got?.failure, row.want);
      if (got !== undefined) {
        assert.equal(got.code, Code.UNAVAILABLE);
        assert.equal(got.endpoint, (row.ctx ?? GRPC).endpoint);
        assert.ok(got.message.includes((row.ctx ?? GRPC).endpoint), got.message);
      }
      if (row.says !== undefined) assert.match(got?.rawMessage ?? '', row.says);
    });
  }
  it('gRPC: only UNAVAILABLE is looked at', () => {
    assert.equal(grpcConnectFailure(Code.INTERNAL, 'No connection established. Last error: connect ECONNREFUSED', GRPC), undefined);
  });

  for (const row of fetchRows) {
    it(`fetch: ${row.name} → ${row.want ?? 'not a connection failure'}`, () => {
      const got = fetchConnectFailure(row.err, row.ctx ?? REST);
      assert.equal(got?.failure, row.want);
      if (row.says !== undefined) assert.match(got?.rawMessage ?? '', row.says);
    });
  }

  it("fetch in the browser's bundle: every TypeError is a network failure (a browser cannot tell more), in the same words", () => {
    for (const row of fetchRows) {
      const got = networkFailure(row.err, row.ctx ?? REST);
      assert.equal(got?.failure, row.err instanceof TypeError ? 'network' : undefined, row.name);
    }
    const opaque = new TypeError('Failed to fetch');
    assert.equal(networkFailure(opaque, PROXIED)?.rawMessage, fetchConnectFailure(opaque, PROXIED)?.rawMessage);
  });

  it('the browser-safe REST transport alone reads fetch failures as a browser does; the Node entry tells them apart', async () => {
    const refused = (): Promise<Response> => Promise.reject(fetchFailed('connect ECONNREFUSED 127.0.0.1:1', { code: 'ECONNREFUSED' }));
    const call = (make: typeof createRestTransport) =>
      make({ baseUrl: 'http://127.0.0.1:1', fetch: refused, connectRetryMs: 0 }).unary(
        {
          service: 'google.longrunning.Operations',
          method: {
            name: 'GetOperation',
            input: 'google.longrunning.GetOperationRequest',
            output: 'google.longrunning.Operation',
            http: [{ method: 'GET', path: '/v1/{name=operations/**}' }],
            signatures: [],
          },
        },
        { name: 'operations/1' },
        { retry: false },
      );
    const browser = await call(createBrowserRestTransport).catch((e: unknown) => e);
    assert.ok(browser instanceof ConnectionError && browser.failure === 'network', String(browser));
    const node = await call(createRestTransport).catch((e: unknown) => e);
    assert.ok(node instanceof ConnectionError && node.failure === 'refused', String(node));
  });

  it('which failures are retried, and which could have reached a server', () => {
    const transient = new Set(['refused', 'unreachable', 'dns', 'proxy', 'network']);
    for (const failure of ['refused', 'unreachable', 'dns', 'proxy', 'tls', 'blocked', 'not-grpc', 'network'] as const) {
      const e = new ConnectionError('x', { transport: 'rest', endpoint: 'e', failure });
      assert.equal(e.transient, transient.has(failure), failure);
      assert.equal(e.neverSent, failure !== 'network', failure);
      assert.ok(e instanceof VisionError);
    }
    const again = new ConnectionError('cannot reach e', {
      transport: 'rest',
      endpoint: 'e',
      failure: 'refused',
      hint: '. Start it',
    }).afterRetries(4, 2950);
    assert.equal(again.rawMessage, 'cannot reach e (gave up after 3.0 s, 4 attempts). Start it');
  });

  it('connectRetryMs is checked when a transport is made', () => {
    for (const make of [
      () => createGrpcTransport({ endpoint: '127.0.0.1:1', connectRetryMs: -1 }),
      () => createRestTransport({ baseUrl: 'http://127.0.0.1:1', connectRetryMs: Number.NaN }),
    ]) {
      assert.throws(
        make,
        (e: unknown) => e instanceof VisionError && e.code === Code.INVALID_ARGUMENT && /connectRetryMs must be a number/.test(e.message),
      );
    }
  });

  it('ca is checked when a transport is made: PEM certificates that parse', () => {
    const bad: [unknown, RegExp][] = [
      ['not a certificate', /ca holds no PEM certificate/],
      ['-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----', /ca holds a certificate that does not parse/],
      [[], /ca is an empty list/],
      [[42], /ca\[0\] must be PEM text or bytes/],
    ];
    for (const [ca, why] of bad) {
      for (const make of [
        () => createGrpcTransport({ endpoint: 'vision.example.com:443', apiKey: 'k', ca: ca as string }),
        () => createRestTransport({ baseUrl: 'https://vision.example.com', ca: ca as string }),
      ]) {
        assert.throws(
          make,
          (e: unknown) => e instanceof VisionError && e.code === Code.INVALID_ARGUMENT && why.test(e.message),
          String(ca),
        );
      }
    }
  });
});
