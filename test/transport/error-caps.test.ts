/**
 * What an error keeps from a hostile server, over real REST and gRPC
 * servers: the message is cut at ERROR_MESSAGE_LIMIT characters, at most
 * ERROR_DETAILS_LIMIT details are kept, a detail larger than
 * ERROR_DETAIL_BYTES_LIMIT or nested deeper than ERROR_DETAIL_DEPTH_LIMIT is
 * left out, and the message says what was cut. The server's code, HTTP
 * status and message survive whatever the details hold: details nested
 * 100,000 deep no longer turn into "Maximum call stack size exceeded".
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { Code, createGrpcTransport, createRestTransport, type ErrorDetail, type Transport, VisionError } from 'vision-kit';
import {
  ERROR_DETAIL_BYTES_LIMIT,
  ERROR_DETAIL_DEPTH_LIMIT,
  ERROR_DETAILS_LIMIT,
  ERROR_MESSAGE_LIMIT,
  errorFromRestResponse,
  errorFromStatus,
  errorFromStatusJson,
} from 'vision-kit/codec';
import { methodRef } from './support/behaviour-suite.js';
import { startGrpcTestServer } from './support/grpc-test-server.js';
import { type HostileAnswerServer, startHostileAnswerServer } from './support/hostile-answer-server.js';

const PS = 'google.cloud.vision.v1p4beta1.ProductSearch';
const KEY = `AIzaSy${randomBytes(12).toString('hex')}`;
const ERROR_INFO = 'type.googleapis.com/google.rpc.ErrorInfo';

function restBody(status: number, code: string, message: string, details: unknown[]): string {
  return JSON.stringify({ error: { code: status, status: code, message, details } });
}

/** `{"error":…}` with one detail nested `depth` levels deep, written by hand (JSON.stringify would overflow). */
function deepBody(depth: number): string {
  const deep = `{"@type":"type.googleapis.com/x.Unknown","v":${'['.repeat(depth)}${']'.repeat(depth)}}`;
  const deepKnown = `{"@type":"${ERROR_INFO}","reason":"R","metadata":${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}}`;
  return `{"error":{"code":500,"status":"INTERNAL","message":"the server's own words","details":[${deep},${deepKnown},{"@type":"${ERROR_INFO}","reason":"KEPT","domain":"d"}]}}`;
}

async function failure(transport: Transport, id: string): Promise<VisionError> {
  return transport.unary(methodRef(PS, 'GetProduct'), { name: `projects/p/locations/us-west1/products/${id}` }, { retry: false }).then(
    (v) => assert.fail(`resolved with ${JSON.stringify(v).slice(0, 200)}`),
    (e: unknown) => {
      assert.ok(e instanceof VisionError, `not a VisionError: ${String(e)}`);
      return e;
    },
  );
}

describe('transport: what an error keeps from a hostile server is capped', () => {
  it('the caps are a few KB of message and a bounded set of details', () => {
    assert.equal(ERROR_MESSAGE_LIMIT, 8 * 1024);
    assert.equal(ERROR_DETAILS_LIMIT, 32);
    assert.equal(ERROR_DETAIL_BYTES_LIMIT, 64 * 1024);
    assert.equal(ERROR_DETAIL_DEPTH_LIMIT, 32);
  });

  describe('REST', () => {
    let server: HostileAnswerServer;
    let transport: Transport;
    before(async () => {
      server = await startHostileAnswerServer();
      transport = createRestTransport({ baseUrl: server.baseUrl, apiKey: KEY });
    });
    after(async () => {
      transport.close();
      await server.close();
    });

    it('a 1 MiB message is cut to the limit, saying so', async () => {
      server.errorBody = restBody(400, 'INVALID_ARGUMENT', `start ${'m'.repeat(1024 * 1024)} end`, []);
      const err = await failure(transport, 'error-400');
      assert.equal(err.code, Code.INVALID_ARGUMENT);
      assert.equal(err.httpStatus, 400);
      assert.ok(err.rawMessage.startsWith(`start ${'m'.repeat(100)}`));
      assert.ok(err.rawMessage.length < ERROR_MESSAGE_LIMIT + 200, `${err.rawMessage.length} characters kept`);
      assert.match(err.rawMessage, /… \[message cut: 1048586 characters\]$/);
      assert.ok(!err.rawMessage.includes('end'));
    });

    it('deeply nested details keep the server’s code, status and message (no stack overflow)', async () => {
      server.errorBody = deepBody(100_000);
      const err = await failure(transport, 'error-500');
      assert.equal(err.code, Code.INTERNAL, err.message);
      assert.equal(err.httpStatus, 500);
      assert.match(err.rawMessage, /^the server's own words \[details left out: 2 nested deeper than 32 levels\]$/);
      assert.deepEqual(
        err.details.map((d) => d.type),
        ['google.rpc.ErrorInfo'],
      );
      assert.deepEqual(err.details[0]?.value, { reason: 'KEPT', domain: 'd', metadata: {} });
    });

    it('keeps the first details up to the limit, and leaves out one too large', async () => {
      const many = Array.from({ length: 1000 }, (_, i) => ({ '@type': ERROR_INFO, reason: `R${i}`, domain: 'd' }));
      many.splice(1, 0, { '@type': ERROR_INFO, reason: 'BIG', domain: 'x'.repeat(ERROR_DETAIL_BYTES_LIMIT) });
      server.errorBody = restBody(403, 'PERMISSION_DENIED', 'denied', many);
      const err = await failure(transport, 'error-403');
      assert.equal(err.code, Code.PERMISSION_DENIED);
      assert.equal(err.details.length, ERROR_DETAILS_LIMIT);
      assert.deepEqual(
        err.details.map((d) => (d.value as { reason: string }).reason),
        Array.from({ length: ERROR_DETAILS_LIMIT }, (_, i) => `R${i}`),
      );
      assert.equal(err.rawMessage, 'denied [details left out: 1 larger than 65536 bytes, 968 past the first 32]');
    });

    it('an error of ordinary size is kept whole', async () => {
      const details = [{ '@type': ERROR_INFO, reason: 'R', domain: 'd', metadata: { k: 'v'.repeat(1000) } }];
      const message = 'm'.repeat(ERROR_MESSAGE_LIMIT);
      server.errorBody = restBody(404, 'NOT_FOUND', message, details);
      const err = await failure(transport, 'error-404');
      assert.equal(err.rawMessage, message);
      assert.deepEqual(err.details, [
        { type: 'google.rpc.ErrorInfo', value: { reason: 'R', domain: 'd', metadata: { k: 'v'.repeat(1000) } } },
      ] satisfies ErrorDetail[]);
    });
  });

  describe('gRPC', () => {
    it('the message is cut and the details capped the same way', async () => {
      const details: ErrorDetail[] = Array.from({ length: 100 }, (_, i) => ({
        type: 'google.rpc.ErrorInfo',
        value: { reason: `R${i}`, domain: 'd', metadata: {} },
      }));
      const server = await startGrpcTestServer({
        [PS]: {
          GetProduct: () => {
            throw new VisionError(Code.FAILED_PRECONDITION, `start ${'m'.repeat(20_000)}`, { details });
          },
        },
      });
      // A grpc-js server sends at most 64 KB of trailers: the message and details stay under it (a detail
      // over ERROR_DETAIL_BYTES_LIMIT cannot come this way; errorFromStatus below reads one).
      const transport = createGrpcTransport({ endpoint: server.address });
      try {
        const err = await failure(transport, 'p');
        assert.equal(err.code, Code.FAILED_PRECONDITION, err.message);
        assert.ok(err.rawMessage.startsWith('start mmm'));
        assert.match(err.rawMessage, /… \[message cut: 20006 characters\] \[details left out: 68 past the first 32\]$/);
        assert.equal(err.details.length, ERROR_DETAILS_LIMIT);
        assert.deepEqual(
          err.details.map((d) => (d.value as { reason: string }).reason),
          Array.from({ length: ERROR_DETAILS_LIMIT }, (_, i) => `R${i}`),
        );
      } finally {
        transport.close();
        await server.close();
      }
    });
  });

  describe('the codec functions', () => {
    it('errorFromRestResponse, errorFromStatusJson and errorFromStatus never throw on depth or size', () => {
      const rest = errorFromRestResponse(500, deepBody(100_000));
      assert.equal(rest.code, Code.INTERNAL);
      assert.equal(rest.details.length, 1);
      const deepJson = JSON.parse(
        `{"code":5,"message":"gone","details":[{"@type":"x.Y","v":${'['.repeat(100_000)}${']'.repeat(100_000)}}]}`,
      );
      const fromJson = errorFromStatusJson(deepJson);
      assert.equal(fromJson.code, Code.NOT_FOUND);
      assert.equal(fromJson.rawMessage, 'gone [details left out: 1 nested deeper than 32 levels]');
      const notStatus = errorFromStatusJson(JSON.parse(`${'['.repeat(100_000)}${']'.repeat(100_000)}`));
      assert.equal(notStatus.code, Code.UNKNOWN);
      assert.match(notStatus.rawMessage, /^not a google\.rpc\.Status: /);
      const status = errorFromStatus({
        code: 9,
        message: 'x'.repeat(ERROR_MESSAGE_LIMIT + 1),
        details: [
          { typeUrl: 'type.googleapis.com/x.Big', value: new Uint8Array(ERROR_DETAIL_BYTES_LIMIT + 1) },
          ...Array.from({ length: 40 }, () => ({ typeUrl: 'type.googleapis.com/x.Y', value: new Uint8Array(1) })),
        ],
      });
      assert.equal(status.details.length, ERROR_DETAILS_LIMIT);
      assert.ok(status.details.every((d) => d.type === 'x.Y'));
      assert.match(
        status.rawMessage,
        /^x{8192}… \[message cut: 8193 characters\] \[details left out: 1 larger than 65536 bytes, 8 past the first 32\]$/,
      );
    });

    it('a cut never splits a surrogate pair', () => {
      const err = errorFromRestResponse(400, restBody(400, 'INVALID_ARGUMENT', `${'a'.repeat(ERROR_MESSAGE_LIMIT - 1)}😀😀`, []));
      assert.ok(err.rawMessage.startsWith(`${'a'.repeat(ERROR_MESSAGE_LIMIT - 1)}…`), err.rawMessage.slice(ERROR_MESSAGE_LIMIT - 3));
      assert.doesNotMatch(err.rawMessage, /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/);
    });
  });
});
