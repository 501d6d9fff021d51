/**
 * The REST transport's answer limit (`maxReceiveBytes`, default 10 MiB like
 * the gRPC transport's receive limit), over a real HTTP server: at the limit
 * an answer is read, one byte over it fails with RESOURCE_EXHAUSTED naming
 * the limit; a declared Content-Length over it fails before the body is
 * read; an endless body or a gzip bomb is cut off while reading (the server
 * sees the connection closed having sent little more than the limit); an
 * error answer over the limit keeps its status. The same hostile answers at
 * full size, with the client's memory measured, are in
 * test/reliability/rest-answer-size.test.ts and test/soak.
 */
import assert from 'node:assert/strict';
import { Code, createRestTransport, REST_ANSWER_LIMIT, type Transport, VisionError } from 'vision-kit';
import { GRPC_MESSAGE_LIMIT } from 'vision-kit/grpc';
import { methodRef } from './support/behaviour-suite.js';
import { type HostileAnswerServer, productJsonOfSize, startHostileAnswerServer } from './support/hostile-answer-server.js';

const PS = 'google.cloud.vision.v1p4beta1.ProductSearch';
const MiB = 1024 * 1024;

async function failure(transport: Transport, id: string): Promise<VisionError> {
  return transport.unary(methodRef(PS, 'GetProduct'), { name: `projects/p/locations/us-west1/products/${id}` }, { retry: false }).then(
    (v) => assert.fail(`resolved with ${JSON.stringify(v).slice(0, 200)}`),
    (e: unknown) => {
      assert.ok(e instanceof VisionError, `not a VisionError: ${String(e)}`);
      return e;
    },
  );
}

describe('transport: REST answers have a size limit, enforced while reading', function () {
  this.timeout(60_000);
  let server: HostileAnswerServer;
  before(async () => {
    // Endless answers stop at 64 MiB, so a client without a limit would still finish (and the test fail, not hang).
    server = await startHostileAnswerServer({ cap: 64 * MiB });
  });
  after(() => server.close());

  it('defaults to 10 MiB, the gRPC transport’s receive limit', () => {
    assert.equal(REST_ANSWER_LIMIT, 10 * MiB);
    assert.equal(REST_ANSWER_LIMIT, GRPC_MESSAGE_LIMIT);
  });

  it('reads an answer of exactly the limit, and refuses one byte more naming the limit', async () => {
    const limit = 4096;
    const transport = createRestTransport({ baseUrl: server.baseUrl, maxReceiveBytes: limit });
    try {
      const product = (await transport.unary(methodRef(PS, 'GetProduct'), {
        name: `projects/p/locations/us-west1/products/sized-${limit}`,
      })) as {
        description: string;
      };
      assert.equal(JSON.stringify(product).length > 0, true);
      assert.equal(productJsonOfSize(limit).length, limit);
      assert.equal(product.description, JSON.parse(productJsonOfSize(limit)).description);
      const err = await failure(transport, `sized-${limit + 1}`);
      assert.equal(err.code, Code.RESOURCE_EXHAUSTED, err.message);
      assert.equal(err.httpStatus, 200);
      assert.match(err.message, /HTTP 200 answer to GetProduct \(GET .*\) is over the limit of 4096 bytes \(the maxReceiveBytes option\)/);
      assert.match(err.message, /declares 4097 bytes/);
    } finally {
      transport.close();
    }
  });

  it('refuses a declared Content-Length of 2 GiB before reading, and closes the connection', async () => {
    const transport = createRestTransport({ baseUrl: server.baseUrl });
    try {
      const index = server.answers.length;
      const started = performance.now();
      const err = await failure(transport, 'declared');
      assert.equal(err.code, Code.RESOURCE_EXHAUSTED, err.message);
      assert.match(err.message, /declares 2147483648 bytes \(Content-Length\)/);
      assert.match(err.message, /limit of 10485760 bytes/);
      assert.ok(performance.now() - started < 5_000);
      const record = await server.settled(index);
      assert.equal(record.closedEarly, true, 'the connection was closed');
      assert.ok(record.written < 20 * MiB, `the server got ${record.written} bytes out`);
    } finally {
      transport.close();
    }
  });

  it('cuts off an endless body past the limit: RESOURCE_EXHAUSTED, the stream cancelled', async () => {
    const transport = createRestTransport({ baseUrl: server.baseUrl });
    try {
      const index = server.answers.length;
      const err = await failure(transport, 'endless');
      assert.equal(err.code, Code.RESOURCE_EXHAUSTED, err.message);
      assert.match(err.message, /over the limit of 10485760 bytes \(the maxReceiveBytes option\): stopped reading after \d+ bytes/);
      const record = await server.settled(index);
      assert.equal(record.closedEarly, true, 'the connection was closed');
      // The limit plus what the sockets' buffers held when the client stopped.
      assert.ok(record.written < REST_ANSWER_LIMIT + 8 * MiB, `the server got ${record.written} bytes out`);
    } finally {
      transport.close();
    }
  });

  it('counts a gzip body as it decodes (a small bomb is refused)', async () => {
    const transport = createRestTransport({ baseUrl: server.baseUrl });
    try {
      const index = server.answers.length;
      const err = await failure(transport, 'gzip-bomb');
      assert.equal(err.code, Code.RESOURCE_EXHAUSTED, err.message);
      assert.match(err.message, /stopped reading after \d+ bytes/);
      const record = await server.settled(index);
      assert.ok(record.written < 1 * MiB, `the bomb is ${record.written} bytes on the wire`);
    } finally {
      transport.close();
    }
  });

  it('keeps the HTTP status of an error answer over the limit', async () => {
    const transport = createRestTransport({ baseUrl: server.baseUrl, maxReceiveBytes: MiB });
    try {
      const err = await failure(transport, 'error-endless');
      assert.equal(err.code, Code.UNAVAILABLE, err.message);
      assert.equal(err.httpStatus, 503);
      assert.match(err.message, /HTTP 503 with an error body over the limit of 1048576 bytes, not read/);
    } finally {
      transport.close();
    }
  });

  it('maxReceiveBytes raises the limit', async () => {
    const transport = createRestTransport({ baseUrl: server.baseUrl, maxReceiveBytes: 80 * MiB });
    try {
      const product = (await transport.unary(methodRef(PS, 'GetProduct'), { name: 'projects/p/locations/us-west1/products/endless' })) as {
        description: string;
      };
      assert.equal(
        product.description.length,
        64 * MiB - '{"name":"projects/p/locations/us-west1/products/endless","description":"'.length,
      );
    } finally {
      transport.close();
    }
  });

  it('checks maxReceiveBytes', () => {
    for (const bad of [0, -1, Number.NaN, '10', 0.5]) {
      assert.throws(
        () => createRestTransport({ baseUrl: server.baseUrl, maxReceiveBytes: bad as number }),
        (e: unknown) =>
          e instanceof VisionError &&
          e.code === Code.INVALID_ARGUMENT &&
          /^\[INVALID_ARGUMENT\] createRestTransport: maxReceiveBytes must be/.test(e.message),
      );
    }
    createRestTransport({ baseUrl: server.baseUrl, maxReceiveBytes: Number.POSITIVE_INFINITY }).close();
  });
});
