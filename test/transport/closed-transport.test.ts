/**
 * A closed transport fails its calls at once, retried method or not, with a
 * message saying it was closed; a call in flight when close() is called
 * fails promptly too. A REST client pointed at a gRPC (HTTP/2-only) port
 * fails fast with the hint to use the other port.
 */
import assert from 'node:assert/strict';
import { Code, ConnectionError, createGrpcTransport, createRestTransport, createTransport, type Transport, VisionError } from 'vision-kit';
import { createMemoryTransport, type MemoryHandlers } from 'vision-kit/testing';
import { TransportClosedError } from '../../src/transport/closed-error.js';
import { type FailureContext, fetchConnectFailure } from '../../src/transport/connect-failure.js';
import { eventually, failure, methodRef } from './support/behaviour-suite.js';
import { FIXTURE_HANDLERS, REQUESTS } from './support/fixture-service.js';
import { type Listening, startGrpcOn, startRestOn } from './support/network-fixtures.js';

const PS = 'google.cloud.vision.v1p4beta1.ProductSearch';
const GET = methodRef(PS, 'GetProduct');
const LIST = methodRef(PS, 'ListProducts');
const CREATE = methodRef(PS, 'CreateProduct');
const getRequest = REQUESTS[PS]!.GetProduct!;
const listRequest = REQUESTS[PS]!.ListProducts!;
const createRequest = REQUESTS[PS]!.CreateProduct!;

/** Calls of HANGING's GetProduct the server saw cancelled. */
let serverCancels = 0;

/** The fixture service, but GetProduct never answers (until the call is cancelled). */
const HANGING: MemoryHandlers = {
  ...FIXTURE_HANDLERS,
  [PS]: {
    ...FIXTURE_HANDLERS[PS],
    GetProduct: (_r: object, ctx: { signal: AbortSignal }) =>
      new Promise<object>((_resolve, reject) =>
        ctx.signal.addEventListener(
          'abort',
          () => {
            serverCancels++;
            reject(ctx.signal.reason);
          },
          { once: true },
        ),
      ),
  },
};

interface Way {
  readonly label: string;
  readonly start: (handlers: MemoryHandlers) => Promise<Listening>;
  readonly make: (port: number) => Transport;
  readonly closed: RegExp;
}

const WAYS: Way[] = [
  {
    label: 'gRPC',
    start: (h) => startGrpcOn(0, h),
    make: (port) => createGrpcTransport({ endpoint: `127.0.0.1:${port}` }),
    closed: /^\[UNAVAILABLE\] the gRPC transport is closed/,
  },
  {
    label: 'REST',
    start: (h) => startRestOn(0, h),
    make: (port) => createRestTransport({ baseUrl: `http://127.0.0.1:${port}` }),
    closed: /^\[UNAVAILABLE\] the REST transport is closed/,
  },
  {
    label: 'createTransport() from VISION_EMULATOR_HOST',
    start: (h) => startGrpcOn(0, h),
    make: (port) => createTransport({ env: { VISION_EMULATOR_HOST: `127.0.0.1:${port}` } }),
    closed: /^\[UNAVAILABLE\] the gRPC transport is closed/,
  },
];

describe('transport: a closed transport', function () {
  this.timeout(20_000);

  for (const way of WAYS) {
    describe(way.label, () => {
      let server: Listening;
      before(async () => {
        server = await way.start(HANGING);
      });
      after(() => server.close());

      for (const [name, ref, request] of [
        ['ListProducts (retried)', LIST, listRequest],
        ['GetProduct (retried)', GET, getRequest],
        ['CreateProduct (not retried)', CREATE, createRequest],
      ] as const) {
        it(`${name} after close(): UNAVAILABLE "… transport is closed" at once, not retried`, async () => {
          const t = way.make(server.port);
          t.close();
          const { error, ms } = await failure(t.unary(ref, request, { timeout: 10_000 }));
          assert.ok(error instanceof VisionError, String(error));
          assert.equal(error.code, Code.UNAVAILABLE);
          assert.match(error.message, way.closed);
          assert.ok(ms < 1000, `${Math.round(ms)} ms`);
        });
      }

      it('a call in flight when close() is called fails promptly with the same error', async () => {
        const t = way.make(server.port);
        // A first call that answers: the connection is up.
        await t.unary(LIST, listRequest);
        const before = serverCancels;
        const pending = failure(t.unary(GET, getRequest, { timeout: 10_000 }));
        await new Promise((r) => setTimeout(r, 200));
        const t0 = performance.now();
        t.close();
        const { error } = await pending;
        const ms = performance.now() - t0;
        assert.ok(error instanceof VisionError, String(error));
        assert.equal(error.code, Code.UNAVAILABLE);
        assert.match(error.message, way.closed);
        assert.ok(ms < 1000, `${Math.round(ms)} ms after close()`);
        // close() stopped the request on the wire too: the server sees it go.
        await eventually(() => serverCancels > before, 'the server saw the call cancelled');
      });
    });
  }
});

describe('transport: REST pointed at a gRPC (HTTP/2-only) port', function () {
  this.timeout(20_000);

  it('fails fast, not retried, with the hint to use the HTTP port', async () => {
    const grpc = await startGrpcOn(0, FIXTURE_HANDLERS);
    const t = createRestTransport({ baseUrl: `http://127.0.0.1:${grpc.port}` });
    try {
      const { error, ms } = await failure(t.unary(LIST, listRequest, { timeout: 10_000 }));
      assert.ok(error instanceof ConnectionError, String(error));
      assert.equal(error.code, Code.UNAVAILABLE);
      assert.equal(error.failure, 'not-http1');
      assert.equal(error.endpoint, `http://127.0.0.1:${grpc.port}`);
      assert.equal(error.transient, false);
      assert.match(
        error.message,
        new RegExp(`^\\[UNAVAILABLE\\] http://127\\.0\\.0\\.1:${grpc.port} answered but does not speak HTTP/1\\.1`),
      );
      assert.ok(error.message.includes("Is it the emulator's gRPC port? Its HTTP port is the other one"), error.message);
      assert.doesNotMatch(error.message, /gave up after/);
      assert.ok(ms < 1000, `${Math.round(ms)} ms`);
    } finally {
      t.close();
      await grpc.close();
    }
  });
});

describe('transport: how an answer that is not HTTP/1.1 is told (fetchConnectFailure)', () => {
  const REMOTE: FailureContext = { transport: 'rest', endpoint: 'https://vision.example.com', local: false };
  const LOCAL: FailureContext = { transport: 'rest', endpoint: 'http://127.0.0.1:8089', local: true };
  const parserError = (data: string): TypeError =>
    new TypeError('fetch failed', {
      cause: Object.assign(new Error('Response does not match the HTTP/1.1 protocol (Expected HTTP/)'), {
        code: 'HPE_INVALID_CONSTANT',
        data,
      }),
    });

  it('an HTTP/2 SETTINGS frame first: not-http1, "HTTP/2 only", the hint for where the server is', () => {
    const local = fetchConnectFailure(parserError('\u0000\u0000\u0000\u0004\u0000\u0000\u0000\u0000\u0000'), LOCAL);
    assert.equal(local?.failure, 'not-http1');
    assert.equal(local?.transient, false);
    assert.equal(local?.neverSent, true);
    assert.equal(
      local?.rawMessage,
      "http://127.0.0.1:8089 answered but does not speak HTTP/1.1: it answered in HTTP/2 only (a gRPC server?). Is it the emulator's gRPC port? Its HTTP port is the other one (8090 by default), or call this one over gRPC with a host:port endpoint",
    );
    const remote = fetchConnectFailure(parserError('\u0000\u0000\u0000\u0004\u0000\u0000\u0000\u0000\u0000'), REMOTE);
    assert.equal(remote?.failure, 'not-http1');
    assert.match(remote?.rawMessage ?? '', /: use the gRPC transport \(`transport: "grpc"`\), or the REST endpoint's URL$/);
  });

  it('other bytes that are not HTTP/1.x: not-http1, "not in HTTP/1.x"', () => {
    const e = fetchConnectFailure(parserError('SSH-2.0-OpenSSH_9.6\r\n'), LOCAL);
    assert.equal(e?.failure, 'not-http1');
    assert.match(
      e?.rawMessage ?? '',
      /^http:\/\/127\.0\.0\.1:8089 answered but does not speak HTTP\/1\.1: it answered, but not in HTTP\/1\.x\. /,
    );
  });

  it('a ConnectionError not-http1 is neither transient nor possibly sent', () => {
    const e = new ConnectionError('x', { transport: 'rest', endpoint: 'e', failure: 'not-http1' });
    assert.equal(e.transient, false);
    assert.equal(e.neverSent, true);
  });
});

describe('transport: a closed memory transport', () => {
  it('fails a retried method at once with UNAVAILABLE "the memory transport is closed"', async () => {
    const t = createMemoryTransport(FIXTURE_HANDLERS);
    t.close();
    const { error, ms } = await failure(t.unary(LIST, listRequest, { timeout: 10_000 }));
    assert.ok(error instanceof TransportClosedError, String(error));
    assert.equal(error.code, Code.UNAVAILABLE);
    assert.equal(error.rawMessage, 'the memory transport is closed');
    assert.ok(ms < 1000, `${Math.round(ms)} ms`);
  });
});
