/**
 * The REST transport never follows a redirect. Google's APIs do not
 * redirect, and a followed redirect re-sends the call elsewhere: the API key
 * header to another origin, the request body on 307/308, and on 301/302/303
 * a POST turned into a GET whose answer came back as the call's result.
 *
 * Two real HTTP servers on 127.0.0.1 (two ports: two origins). The first
 * answers every request with a redirect to the second; the second records
 * every connection and request it gets and would answer a Product. Every
 * redirect status × every way of sending credentials × a GET and a POST with
 * a body: the call fails with UNKNOWN naming the status and the target
 * (without its query), and the second origin gets nothing, not even a
 * connection.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Code, createRestTransport, type RestTransportOptions, VisionError } from 'vision-kit';
import { methodRef } from './support/behaviour-suite.js';

const PS = 'google.cloud.vision.v1p4beta1.ProductSearch';
const PARENT = 'projects/p/locations/us-west1';
const KEY = `AIzaSy${randomBytes(12).toString('hex')}`;
const TOKEN = `ya29.${randomBytes(12).toString('hex')}`;

/** A server that records every connection, request and body it gets. */
interface Recorder {
  readonly url: string;
  readonly connections: number;
  readonly requests: { method: string; url: string; headers: http.IncomingHttpHeaders; body: string }[];
  close(): Promise<void>;
}

async function listen(handler: (req: http.IncomingMessage, res: http.ServerResponse, body: string) => void): Promise<Recorder> {
  const requests: Recorder['requests'] = [];
  let connections = 0;
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      requests.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, body });
      handler(req, res, body);
    });
  });
  server.on('connection', () => {
    connections++;
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    get connections() {
      return connections;
    },
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

const CREDENTIALS: readonly { name: string; options: Partial<RestTransportOptions> }[] = [
  { name: 'API key header', options: { apiKey: KEY } },
  { name: 'API key in the query', options: { apiKey: KEY, apiKeyIn: 'query' } },
  { name: 'bearer token', options: { token: TOKEN } },
];

const CALLS = [
  { name: 'GET GetProduct', method: 'GetProduct', request: { name: `${PARENT}/products/p1` } },
  {
    name: 'POST CreateProduct with a body',
    method: 'CreateProduct',
    request: { parent: PARENT, productId: 'p1', product: { displayName: 'secret product data', productCategory: 'apparel-v2' } },
  },
] as const;

describe('transport: REST never follows a redirect', () => {
  let elsewhere: Recorder;
  let redirector: Recorder;
  /** What the redirector answers next: status and Location. */
  let next: { status: number; location: string } = { status: 302, location: '/' };

  before(async () => {
    elsewhere = await listen((_req, res) => {
      const body = JSON.stringify({ name: `${PARENT}/products/from-elsewhere`, displayName: 'not yours' });
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
      res.end(body);
    });
    redirector = await listen((_req, res) => {
      res.writeHead(next.status, { location: next.location, 'content-type': 'text/html', 'content-length': 9 });
      res.end('moved …');
    });
  });
  after(async () => {
    await redirector.close();
    await elsewhere.close();
  });

  for (const status of [301, 302, 303, 307, 308]) {
    for (const cred of CREDENTIALS) {
      for (const call of CALLS) {
        it(`${status}, ${cred.name}, ${call.name}: UNKNOWN naming the status and target; the other origin gets nothing`, async () => {
          next = { status, location: `${elsewhere.url}/v1p4beta1/${PARENT}/products?from=redirect&key=${KEY}` };
          const sent = redirector.requests.length;
          const transport = createRestTransport({ baseUrl: redirector.url, ...cred.options });
          try {
            const err = await transport.unary(methodRef(PS, call.method), call.request, { retry: false }).then(
              (v) => assert.fail(`resolved with ${JSON.stringify(v)}`),
              (e: unknown) => e,
            );
            assert.ok(err instanceof VisionError, `not a VisionError: ${String(err)}`);
            assert.equal(err.code, Code.UNKNOWN, err.message);
            assert.equal(err.httpStatus, status);
            assert.match(err.message, new RegExp(`HTTP ${status} redirect to ${elsewhere.url}/v1p4beta1/${PARENT}/products[^?]`));
            assert.match(err.message, new RegExp(`${call.method} \\(${call.method === 'GetProduct' ? 'GET' : 'POST'} `));
            assert.doesNotMatch(err.message, /from=redirect|\?/);
            assert.ok(!err.message.includes(KEY) && !err.message.includes(TOKEN), err.message);
            assert.equal(redirector.requests.length, sent + 1, 'one request to the first origin');
            assert.equal(elsewhere.connections, 0, 'no connection to the other origin');
            assert.deepEqual(elsewhere.requests, [], 'nothing sent to the other origin');
          } finally {
            transport.close();
          }
        });
      }
    }
  }

  it('a relative Location is named as a full URL on the same origin, still not followed', async () => {
    next = { status: 307, location: '/somewhere/else?token=abc#frag' };
    const transport = createRestTransport({ baseUrl: redirector.url, apiKey: KEY });
    const sent = redirector.requests.length;
    try {
      await assert.rejects(
        transport.unary(methodRef(PS, 'GetProduct'), { name: `${PARENT}/products/p1` }, { retry: false }),
        (e: unknown) =>
          e instanceof VisionError &&
          e.code === Code.UNKNOWN &&
          e.message.includes(`HTTP 307 redirect to ${redirector.url}/somewhere/else `) &&
          !/token=abc|#frag/.test(e.message),
      );
      assert.equal(redirector.requests.length, sent + 1, 'the same origin was not asked again either');
    } finally {
      transport.close();
    }
  });

  it('a redirect to http:// off this machine is not followed (no way around the https rule)', async () => {
    // 192.0.2.1 is TEST-NET-1: nothing may be sent there, and nothing is, since no redirect is followed.
    next = { status: 308, location: 'http://user:pass@192.0.2.1/v1p4beta1/x?key=1' };
    const transport = createRestTransport({ baseUrl: redirector.url, apiKey: KEY });
    try {
      await assert.rejects(
        transport.unary(methodRef(PS, 'GetProduct'), { name: `${PARENT}/products/p1` }, { retry: false }),
        (e: unknown) =>
          e instanceof VisionError &&
          e.code === Code.UNKNOWN &&
          e.message.includes('HTTP 308 redirect to http://192.0.2.1/v1p4beta1/x ') &&
          !/user|pass|key=1/.test(e.message),
      );
    } finally {
      transport.close();
    }
  });

  it('a redirect without a Location, or with one that is not a URL, is still an error', async () => {
    const transport = createRestTransport({ baseUrl: redirector.url });
    try {
      for (const location of ['', 'http://[bad']) {
        next = { status: 301, location };
        await assert.rejects(
          transport.unary(methodRef(PS, 'GetProduct'), { name: `${PARENT}/products/p1` }, { retry: false }),
          (e: unknown) => e instanceof VisionError && e.code === Code.UNKNOWN && /HTTP 301 redirect \(/.test(e.message),
        );
      }
    } finally {
      transport.close();
    }
  });

  it("asks fetch not to follow (redirect: 'manual') and reads a browser's opaque redirect as one", async () => {
    const inits: RequestInit[] = [];
    // A browser's fetch with redirect 'manual' hides the status and the target: an 'opaqueredirect' response.
    const browserFetch = (async (_url: string, init: RequestInit) => {
      inits.push(init);
      const opaque = {
        type: 'opaqueredirect',
        status: 0,
        ok: false,
        statusText: '',
        headers: new Headers(),
        body: null,
        text: async () => '',
      };
      return opaque as unknown as Response;
    }) as unknown as typeof fetch;
    const transport = createRestTransport({ baseUrl: 'https://vision.example', apiKey: KEY, fetch: browserFetch });
    try {
      await assert.rejects(
        transport.unary(methodRef(PS, 'GetProduct'), { name: `${PARENT}/products/p1` }, { retry: false }),
        (e: unknown) =>
          e instanceof VisionError && e.code === Code.UNKNOWN && /redirect \(the browser hides its status and target\)/.test(e.message),
      );
      assert.equal(inits.length, 1);
      assert.equal(inits[0]?.redirect, 'manual');
    } finally {
      transport.close();
    }
  });
});
