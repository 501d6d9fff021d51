import assert from 'node:assert/strict';
import * as grpc from '@grpc/grpc-js';
import { Code, createGrpcTransport, VisionError } from 'vision-kit';
import type { Product } from 'vision-kit/gen/google/cloud/vision/v1p4beta1/product_search_service.js';
import { OperationsGrpcClient, ProductSearchGrpcClient } from 'vision-kit/grpc';
import { methodRef } from './support/behaviour-suite.js';
import { FIXTURE_HANDLERS } from './support/fixture-service.js';
import { type GrpcTestServer, startGrpcTestServer } from './support/grpc-test-server.js';

const PS = 'google.cloud.vision.v1p4beta1.ProductSearch';
const OPS = 'google.longrunning.Operations';

describe('transport: gRPC specifics', () => {
  let server: GrpcTestServer;
  before(async () => {
    server = await startGrpcTestServer(FIXTURE_HANDLERS, {
      // An answer that is not a Product: a length-delimited field 1 claiming 200 bytes.
      [`/${PS}/GetProduct`]: Buffer.from([0x0a, 0xc8, 0x01, 0x41, 0x42]),
    });
  });
  after(() => server.close());

  it('an answer that does not decode is INTERNAL with the type, size and an excerpt, not an exception', async () => {
    const transport = createGrpcTransport({ endpoint: server.address });
    try {
      const err = await transport.unary(methodRef(PS, 'GetProduct'), { name: 'n' }).catch((e: unknown) => e);
      assert.ok(err instanceof VisionError, String(err));
      assert.equal(err.code, Code.INTERNAL);
      assert.match(err.message, /google\.cloud\.vision\.v1p4beta1\.Product answer of GetProduct \(5 bytes/);
      assert.match(err.message, /0a c8 01 41 42/);
    } finally {
      transport.close();
    }
  });

  it('WaitOperation (no HTTP rule) works over gRPC', async () => {
    const transport = createGrpcTransport({ endpoint: server.address });
    try {
      const op = await transport.unary<{ name: string; done: boolean }>(methodRef(OPS, 'WaitOperation'), { name: 'operations/9' });
      assert.equal(op.name, 'operations/9');
      assert.equal(op.done, true);
    } finally {
      transport.close();
    }
  });

  it('a bad request fails before any I/O, naming the field', async () => {
    const transport = createGrpcTransport({ endpoint: server.address });
    const calls = server.metadata.length;
    try {
      await assert.rejects(
        transport.unary(methodRef(PS, 'CreateProduct'), { parent: 'p', product: { productLabels: [{ key: 1 }] } }),
        (e: unknown) => e instanceof VisionError && e.code === Code.INVALID_ARGUMENT && /product\.productLabels\[0\]\.key/.test(e.message),
      );
      assert.equal(server.metadata.length, calls, 'the server saw nothing');
    } finally {
      transport.close();
    }
  });

  it('an unreachable server is UNAVAILABLE; a closed transport refuses calls', async () => {
    const probe = new grpc.Server();
    const port = await new Promise<number>((res, rej) =>
      probe.bindAsync('127.0.0.1:0', grpc.ServerCredentials.createInsecure(), (e, p) => (e ? rej(e) : res(p))),
    );
    probe.forceShutdown();
    const transport = createGrpcTransport({ endpoint: `127.0.0.1:${port}` });
    await assert.rejects(
      transport.unary(methodRef(PS, 'CreateProduct'), { parent: 'p' }, { timeout: 5000 }),
      (e: unknown) => e instanceof VisionError && e.code === Code.UNAVAILABLE,
    );
    transport.close();
    await assert.rejects(
      transport.unary(methodRef(PS, 'CreateProduct'), { parent: 'p' }),
      (e: unknown) => e instanceof VisionError && e.code === Code.UNAVAILABLE && /closed/.test(e.message),
    );
  });

  it('uses TLS for a non-loopback endpoint unless told otherwise (a TLS handshake against a plaintext server fails)', async () => {
    const tls = createGrpcTransport({ endpoint: server.address, plaintext: false, auth: 'none' });
    try {
      await assert.rejects(
        tls.unary(methodRef(PS, 'CreateProduct'), { parent: 'p' }, { timeout: 3000 }),
        (e: unknown) => e instanceof VisionError && e.code === Code.UNAVAILABLE,
      );
    } finally {
      tls.close();
    }
  });

  it('the plain grpc-js client classes call the same server', async () => {
    const client = new ProductSearchGrpcClient(server.address, grpc.credentials.createInsecure());
    const ops = new OperationsGrpcClient(server.address, grpc.credentials.createInsecure());
    try {
      const product = await new Promise<Product>((resolve, reject) =>
        client.createProduct({ parent: 'projects/p/locations/us-west1', productId: 'x', product: { displayName: 'D' } }, (err, value) =>
          err || !value ? reject(err) : resolve(value),
        ),
      );
      assert.equal(product.name, 'projects/p/locations/us-west1/products/x');
      assert.equal(product.displayName, 'D');
      const error = await new Promise<grpc.ServiceError | null>((resolve) =>
        client.getProduct({ name: 'projects/p/locations/us-west1/products/missing' }, new grpc.Metadata(), (err) => resolve(err)),
      );
      assert.equal(error?.code, grpc.status.NOT_FOUND);
      assert.ok(error?.metadata.get('grpc-status-details-bin')[0] instanceof Buffer, 'the Status travels in the trailer');
      const op = await new Promise<{ name: string }>((resolve, reject) =>
        ops.getOperation({ name: 'operations/5' }, (err, value) => (err || !value ? reject(err) : resolve(value))),
      );
      assert.equal(op.name, 'operations/5');
    } finally {
      client.close();
      ops.close();
    }
  });
});
