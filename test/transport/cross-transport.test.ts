import assert from 'node:assert/strict';
import { Code, createGrpcTransport, createRestTransport, type Transport, VisionError } from 'vision-kit';
import { methodRef } from './support/behaviour-suite.js';
import { FIXTURE_HANDLERS, REQUESTS } from './support/fixture-service.js';
import { type GrpcTestServer, startGrpcTestServer } from './support/grpc-test-server.js';
import { type RestTestServer, startRestTestServer } from './support/rest-test-server.js';

const PS = 'google.cloud.vision.v1p4beta1.ProductSearch';

describe('transport: gRPC and REST give equal results and equal errors', () => {
  let grpcServer: GrpcTestServer;
  let restServer: RestTestServer;
  let grpc: Transport;
  let rest: Transport;
  before(async () => {
    grpcServer = await startGrpcTestServer(FIXTURE_HANDLERS);
    restServer = await startRestTestServer(FIXTURE_HANDLERS);
    grpc = createGrpcTransport({ endpoint: grpcServer.address });
    rest = createRestTransport({ baseUrl: restServer.baseUrl });
  });
  after(async () => {
    grpc.close();
    rest.close();
    await grpcServer.close();
    await restServer.close();
  });

  it('every method with an HTTP rule answers deep-equal messages on both', async () => {
    let n = 0;
    for (const [service, methods] of Object.entries(REQUESTS)) {
      for (const [name, request] of Object.entries(methods)) {
        const ref = methodRef(service, name);
        const [a, b] = await Promise.all([grpc.unary(ref, request), rest.unary(ref, request)]);
        assert.deepStrictEqual(b, a, name);
        n++;
      }
    }
    assert.equal(n, 27);
  });

  it("timeouts past setTimeout's limit (2^31 - 1 ms, ~24.8 days) are far deadlines on both, not immediate ones", async () => {
    const ref = methodRef(PS, 'GetProduct');
    const request = REQUESTS[PS]!.GetProduct;
    const signal = new AbortController().signal; // a caller's signal makes the REST and gRPC sides arm their own timers
    for (const timeout of [2 ** 31, 2 ** 31 + 5000, 1e12]) {
      const [a, b] = await Promise.all([grpc.unary(ref, request, { timeout, signal }), rest.unary(ref, request, { timeout, signal })]);
      assert.deepStrictEqual(b, a, `timeout ${timeout}`);
    }
  });

  it('the same NOT_FOUND with an ErrorInfo detail is a deep-equal VisionError on both', async () => {
    const ref = methodRef(PS, 'GetProduct');
    const name = 'projects/p/locations/us-west1/products/missing';
    const [a, b] = await Promise.all([
      grpc.unary(ref, { name }).catch((e: unknown) => e),
      rest.unary(ref, { name }).catch((e: unknown) => e),
    ]);
    assert.ok(a instanceof VisionError && b instanceof VisionError);
    assert.equal(a.code, Code.NOT_FOUND);
    assert.deepStrictEqual(b, a);
    assert.deepStrictEqual(
      { code: b.code, message: b.message, httpStatus: b.httpStatus, details: b.details },
      { code: a.code, message: a.message, httpStatus: a.httpStatus, details: a.details },
    );
    assert.equal(a.findDetail('google.rpc.ErrorInfo')?.type, 'google.rpc.ErrorInfo');
  });
});
