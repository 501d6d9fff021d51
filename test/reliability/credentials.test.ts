/**
 * Credentials (RELIABILITY.md): API keys and tokens never show in what a caller
 * can see or log — thrown errors (every property, `cause`, details, printed
 * forms), operation handles (`toJSON`, inspection) — even against a server
 * that echoes them back in every error it can make, over gRPC and REST, with
 * every way of sending them (API key header or query, token, token
 * provider); nor when the server cannot be reached or answers an HTML page.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { createServer } from 'node:net';
import { inspect } from 'node:util';
import fc from 'fast-check';
import {
  Code,
  createClient,
  createGrpcTransport,
  createRawClient,
  createRestTransport,
  ProductSearch,
  type Transport,
  VisionError,
} from 'vision-kit';
import { packAny, unpackAny } from 'vision-kit/codec';
import { secretsOf } from '../../src/transport/credentials.js';
import { redactError, redactValue } from '../../src/transport/redact.js';
import { findSecrets } from './support/find-secrets.js';
import { type LeakyServer, startLeakyServer } from './support/leaky-server.js';

const KEY = `AIzaSy${randomBytes(12).toString('hex')}`;
const TOKEN = `ya29.${randomBytes(12).toString('hex')}`;
const SECRETS = [KEY, TOKEN];
const PARENT = 'projects/p/locations/us-west1';
const FAST = { initialDelay: 1, multiplier: 1, maxDelay: 2, jitter: 0, maxConsecutiveFailures: 2 };

interface Variant {
  readonly name: string;
  make(server: LeakyServer): Transport;
}

const VARIANTS: readonly Variant[] = [
  { name: 'gRPC, API key', make: (s) => createGrpcTransport({ endpoint: s.grpcAddress, apiKey: KEY }) },
  { name: 'gRPC, token', make: (s) => createGrpcTransport({ endpoint: s.grpcAddress, token: TOKEN }) },
  {
    name: 'gRPC, token provider and API key',
    make: (s) => createGrpcTransport({ endpoint: s.grpcAddress, token: async () => TOKEN, apiKey: KEY }),
  },
  { name: 'REST, API key header', make: (s) => createRestTransport({ baseUrl: s.restUrl, apiKey: KEY }) },
  { name: 'REST, API key in the query', make: (s) => createRestTransport({ baseUrl: s.restUrl, apiKey: KEY, apiKeyIn: 'query' }) },
  { name: 'REST, token', make: (s) => createRestTransport({ baseUrl: s.restUrl, token: TOKEN }) },
  { name: 'REST, token provider and API key', make: (s) => createRestTransport({ baseUrl: s.restUrl, token: () => TOKEN, apiKey: KEY }) },
];

async function failure(p: Promise<unknown>): Promise<unknown> {
  try {
    await p;
  } catch (err) {
    return err;
  }
  assert.fail('expected a failure');
}

function assertClean(value: unknown, what: string): void {
  assert.deepEqual(findSecrets(value, SECRETS), [], `${what} shows a credential`);
}

describe('reliability: credentials never show in errors or handles (a server that echoes them)', function () {
  this.timeout(30_000);
  let server: LeakyServer;
  before(async () => {
    server = await startLeakyServer();
  });
  after(() => server.close());

  for (const v of VARIANTS) {
    it(`${v.name}: errors (refusal, retried failure, failed poll, failed operation) and handles hold no credential`, async () => {
      const transport = v.make(server);
      const received = server.received.length;
      try {
        const ps = createRawClient(ProductSearch, transport);
        const refused = await failure(ps.getProduct({ name: `${PARENT}/products/x` }));
        assert.ok(refused instanceof VisionError);
        assertClean(refused, 'a refused call');
        const retried = await failure(
          ps.listProducts({ parent: PARENT }, { retry: { maxAttempts: 2, initialBackoffMs: 1, maxBackoffMs: 1 } }),
        );
        assertClean(retried, 'a retried call');

        const lros = createClient(ProductSearch, transport, { lro: { schedule: FAST } });
        const polled = await lros.importProductSets({ parent: PARENT });
        const pollFailure = await failure(polled.wait());
        assertClean(pollFailure, 'a failed poll');
        assertClean(polled, 'the handle of a failed poll');
        assertClean(polled.toJSON(), 'toJSON() of a handle');
        const ended = await lros.purgeProducts({ parent: PARENT, force: true });
        const operationError = await failure(ended.wait());
        assertClean(operationError, 'an operation that ended in error');
        assertClean(ended, 'the handle of an operation that ended in error');
        assertClean(JSON.stringify(ended), 'JSON of a handle');
      } finally {
        transport.close();
      }
      // Not vacuous: the server saw the credentials and echoed them.
      const seen = server.received.slice(received).join('\n');
      assert.ok(
        SECRETS.some((s) => seen.includes(s)),
        'the server received a credential',
      );
    });
  }

  it('REST with the key in the query: an HTML error page echoing the URL, and an unreachable server, show no key', async () => {
    const html = createRestTransport({ baseUrl: server.htmlUrl, apiKey: KEY, apiKeyIn: 'query', token: TOKEN });
    const page = await failure(createRawClient(ProductSearch, html).getProduct({ name: `${PARENT}/products/x` }, { retry: false }));
    assert.ok(server.received.at(-1)?.includes(KEY), 'the page echoed the key');
    assert.ok(page instanceof VisionError && /502|HTML|html/.test(page.message), String(page));
    assertClean(page, 'an error from an HTML page');
    html.close();

    const closed = createServer();
    await new Promise<void>((r) => closed.listen(0, '127.0.0.1', r));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((r) => closed.close(r));
    for (const t of [
      createRestTransport({ baseUrl: `http://127.0.0.1:${port}`, apiKey: KEY, apiKeyIn: 'query', token: TOKEN }),
      createGrpcTransport({ endpoint: `127.0.0.1:${port}`, apiKey: KEY, token: TOKEN }),
    ]) {
      const down = await failure(
        createRawClient(ProductSearch, t).getProduct({ name: `${PARENT}/products/x` }, { retry: false, timeout: 2000 }),
      );
      assertClean(down, `${t.kind}: an unreachable server`);
      t.close();
    }
  });

  it('inspecting a transport or a client shows no credential', () => {
    for (const v of VARIANTS) {
      const t = v.make(server);
      assertClean(t, `${v.name}: the transport`);
      assertClean(createRawClient(ProductSearch, t), `${v.name}: a client`);
      assert.ok(!inspect(t, { depth: 10, showHidden: true }).includes(KEY));
      t.close();
    }
  });
});

describe('reliability: redaction itself', () => {
  it('masks a secret inside packed bytes without breaking them (an Any still unpacks), and shares what holds none', () => {
    const info = { reason: 'R', domain: 'd', metadata: { key: KEY, other: 'fine' } };
    const any = packAny('google.rpc.ErrorInfo', info);
    const masked = redactValue({ details: [any], clean: { a: 'b' } }, SECRETS);
    assert.equal(masked.details[0]!.value.length, any.value.length);
    const back = unpackAny(masked.details[0]!) as { metadata: Record<string, string> };
    assert.equal(back.metadata['key'], '*'.repeat(KEY.length));
    assert.equal(back.metadata['other'], 'fine');
    const clean = { a: ['x', { b: new Uint8Array([1, 2]) }] };
    assert.equal(redactValue(clean, SECRETS), clean, 'nothing copied when nothing holds a secret');
  });

  it('redacts every occurrence in any text, and keeps an error that holds none as it is (fast-check, 1,000 runs)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.oneof(fc.string(), fc.constant(KEY), fc.constant(TOKEN), fc.constant(`Bearer ${TOKEN}`)), { maxLength: 8 }),
        (parts) => {
          const text = parts.join('');
          const error = new VisionError(Code.INTERNAL, text, {
            details: [{ type: 'google.rpc.DebugInfo', value: { stackEntries: parts, detail: text } }],
            cause: new Error(text),
          });
          const out = redactError(error, secretsOf({ apiKey: KEY, token: TOKEN }, { authorization: `Bearer ${TOKEN}` }));
          assert.deepEqual(findSecrets(out, SECRETS), []);
          if (!SECRETS.some((s) => text.includes(s))) assert.equal(out, error);
          else assert.equal(out.code, Code.INTERNAL);
        },
      ),
      { seed: 42, numRuns: 1000 },
    );
  });
});
