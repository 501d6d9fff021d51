/**
 * Answers from a newer server carry fields this client does not know: both
 * transports skip them (top level and nested) and keep the known ones.
 */
import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { BinaryWriter } from '@bufbuild/protobuf/wire';
import * as grpc from '@grpc/grpc-js';
import { createGrpcTransport, createRestTransport } from 'vision-kit';
import { Product, Product_KeyValue } from 'vision-kit/gen/google/cloud/vision/v1p4beta1/product_search_service.js';
import { methodRef } from './support/behaviour-suite.js';

const PS = 'google.cloud.vision.v1p4beta1.ProductSearch';
const NAME = 'projects/p/locations/us-west1/products/shoe';
const WANT = {
  name: NAME,
  displayName: 'Shoe',
  description: '',
  productCategory: 'apparel-v2',
  productLabels: [{ key: 'color', value: 'red' }],
};

describe('transport: unknown fields in answers are skipped', () => {
  it('REST: an answer with unknown top-level and nested JSON fields gives the known fields', async () => {
    const server = http.createServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(
        JSON.stringify({
          name: NAME,
          displayName: 'Shoe',
          productCategory: 'apparel-v2',
          productLabels: [{ key: 'color', value: 'red', addedIn2030: { deep: [1, 2] } }],
          someFutureField: 'x',
          futureObject: { a: { b: true } },
        }),
      );
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const transport = createRestTransport({ baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}` });
    try {
      const got = await transport.unary(methodRef(PS, 'GetProduct'), { name: NAME }, { retry: false });
      assert.deepEqual(got, WANT);
    } finally {
      transport.close();
      await new Promise((resolve) => server.close(resolve));
    }
  });

  it('gRPC: an answer with unknown top-level and nested proto fields gives the known fields', async () => {
    // Product with field 999 (varint) and 1000 (bytes) at the top, and field 77 inside a label.
    const label = new BinaryWriter();
    Product_KeyValue.encode({ key: 'color', value: 'red' }, label);
    label.uint32((77 << 3) | 0).int32(5);
    const labelBytes = label.finish();
    const w = new BinaryWriter();
    Product.encode(Product.fromPartial({ name: NAME, displayName: 'Shoe', productCategory: 'apparel-v2' }), w);
    w.uint32((5 << 3) | 2).bytes(labelBytes);
    w.uint32((999 << 3) | 0).int32(42);
    w.uint32((1000 << 3) | 2).bytes(new Uint8Array([1, 2, 3]));
    const answer = Buffer.from(w.finish());

    const server = new grpc.Server();
    server.addService(
      {
        GetProduct: {
          path: `/${PS}/GetProduct`,
          requestStream: false,
          responseStream: false,
          requestSerialize: (b: Buffer) => b,
          requestDeserialize: (b: Buffer) => b,
          responseSerialize: (b: Buffer) => b,
          responseDeserialize: (b: Buffer) => b,
        },
      },
      { GetProduct: (_call: unknown, callback: grpc.sendUnaryData<Buffer>) => callback(null, answer) },
    );
    const port = await new Promise<number>((resolve, reject) =>
      server.bindAsync('127.0.0.1:0', grpc.ServerCredentials.createInsecure(), (err, p) => (err ? reject(err) : resolve(p))),
    );
    const transport = createGrpcTransport({ endpoint: `127.0.0.1:${port}` });
    try {
      const got = await transport.unary(methodRef(PS, 'GetProduct'), { name: NAME }, { retry: false });
      assert.deepEqual(got, WANT);
    } finally {
      transport.close();
      server.forceShutdown();
    }
  });
});
