/**
 * Two gRPC transports to the same closed loopback port are each told the
 * refusal (`failure: 'refused'`, the emulator hint): the second one must not
 * get grpc-js's error-less "backing off" report of a connection another
 * transport saw fail. And a server started later on that port is reached at
 * once by a new transport (no refusal remembered, no shared backoff).
 */
import assert from 'node:assert/strict';
import { ConnectionError, createGrpcTransport, createTransport, type Transport } from 'vision-kit';
import { failure, methodRef } from './support/behaviour-suite.js';
import { FIXTURE_HANDLERS, REQUESTS } from './support/fixture-service.js';
import { closedPort, startGrpcOn } from './support/network-fixtures.js';

const PS = 'google.cloud.vision.v1p4beta1.ProductSearch';
const GET = methodRef(PS, 'GetProduct');
const getRequest = REQUESTS[PS]!.GetProduct!;

/** The call's ConnectionError, checked to be a refusal of `127.0.0.1:port` with the hint. */
async function refusal(transport: Transport, port: number): Promise<ConnectionError> {
  const { error } = await failure(transport.unary(GET, getRequest));
  assert.ok(error instanceof ConnectionError, String(error));
  assert.equal(error.failure, 'refused', error.message);
  assert.equal(error.endpoint, `127.0.0.1:${port}`);
  assert.match(error.message, new RegExp(`connection refused \\(connect ECONNREFUSED 127\\.0\\.0\\.1:${port}\\)`));
  assert.match(error.message, /Nothing is listening there/);
  assert.doesNotMatch(error.message, /backing off/);
  return error;
}

describe('transport: separate gRPC transports to a closed port are each told it is refused', function () {
  this.timeout(20_000);

  it('the second transport (createGrpcTransport, then createTransport) gets the same failure and hint as the first', async () => {
    const port = await closedPort();
    const endpoint = `127.0.0.1:${port}`;
    const first = createGrpcTransport({ endpoint, connectRetryMs: 300 });
    const second = createTransport({ transport: 'grpc', endpoint, connectRetryMs: 300 });
    try {
      const a = await refusal(first, port);
      const b = await refusal(second, port);
      // The same words, the retry note aside: reason and hint alike.
      const said = (e: ConnectionError): string => e.message.replace(/ \(gave up after [^)]*\)/, '');
      assert.equal(said(b), said(a));
      // Both again, now that both have failed once (and concurrently).
      await Promise.all([refusal(first, port), refusal(second, port)]);
    } finally {
      first.close();
      second.close();
    }
  });

  it('two transports failing at the same time are both told it is refused', async () => {
    const port = await closedPort();
    const endpoint = `127.0.0.1:${port}`;
    const transports = [0, 1, 2].map(() => createGrpcTransport({ endpoint, connectRetryMs: 300 }));
    try {
      await Promise.all(transports.map((t) => refusal(t, port)));
    } finally {
      for (const t of transports) t.close();
    }
  });

  it('a server started later on that port is reached by another transport, not reported refused nor held in the backoff of the one refused', async () => {
    const port = await closedPort();
    const endpoint = `127.0.0.1:${port}`;
    const before = createGrpcTransport({ endpoint, connectRetryMs: 300 });
    const after = createGrpcTransport({ endpoint, connectRetryMs: 300 });
    try {
      await refusal(before, port);
      const server = await startGrpcOn(port, FIXTURE_HANDLERS);
      try {
        // `before` is still open and backing off: `after` does not wait for it (nor inherit its refusal).
        assert.ok(await after.unary(GET, getRequest, { timeout: 5_000 }));
      } finally {
        await server.close();
      }
    } finally {
      before.close();
      after.close();
    }
  });
});
