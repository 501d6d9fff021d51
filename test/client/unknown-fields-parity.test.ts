/**
 * One mistake, one error, for unknown request fields too: a property that
 * names no field (a misspelling such as `productID`, a snake_case name such
 * as `page_size`, anything) fails before any I/O with the same error over
 * gRPC and REST — class, code, message (the field's path from the request
 * root), details — whatever the REST binding sends (body `*`, a body field,
 * no body), at the top level or nested, and reaches no server. Before,
 * REST left such properties out and sent the rest (a product with a random
 * id, a plain `GET …/products`).
 */
import assert from 'node:assert/strict';
import { Code, createRawClient, FieldPathError, ImageAnnotator, ProductSearch, type ServiceDescriptor, VisionError } from 'vision-kit';
import { methodKey } from '../../src/schema/service-descriptor.js';
import type { RunningEmulator } from '../../tools/src/emulator/emulator.js';
import { useEmulatorTransports } from '../support/emulator-transports.js';

const PARENT = 'projects/p/locations/us-west1';

/** Everything two errors must agree on. */
function shapeOf(e: unknown): object {
  assert.ok(e instanceof VisionError, String(e));
  return { class: e.constructor.name, name: e.name, code: e.code, message: e.message, details: e.details, httpStatus: e.httpStatus };
}

const totalCalls = (emu: RunningEmulator): number => Object.values(emu.stats.calls).reduce((a, b) => a + b, 0);

/** [service, method, binding kind, request, expected path, type owning the unknown field, the name offered instead]. */
const CASES: [ServiceDescriptor, string, string, object, string, string, string | undefined][] = [
  [
    ProductSearch,
    'CreateProduct',
    'body "product"',
    { parent: PARENT, productID: 'x', product: { displayName: 'S' } },
    'productID',
    'CreateProductRequest',
    'productId',
  ],
  [
    ProductSearch,
    'CreateProduct',
    'body "product"',
    { parent: PARENT, product: { display_name: 'S' } },
    'product.display_name',
    'Product',
    'displayName',
  ],
  [
    ProductSearch,
    'UpdateProduct',
    'body "product"',
    { product: { name: `${PARENT}/products/a`, productLabels: [{ key: 'k', vaule: 'v' }] } },
    'product.productLabels[0].vaule',
    'Product.KeyValue',
    'value',
  ],
  [ProductSearch, 'ListProducts', 'no body', { parent: PARENT, page_size: 1 }, 'page_size', 'ListProductsRequest', 'pageSize'],
  [ProductSearch, 'ListProducts', 'no body', { parent: PARENT, bogus: 1 }, 'bogus', 'ListProductsRequest', undefined],
  [ProductSearch, 'GetProduct', 'no body', { name: `${PARENT}/products/a`, view: 'FULL' }, 'view', 'GetProductRequest', undefined],
  [
    ProductSearch,
    'AddProductToProductSet',
    'body "*"',
    { name: `${PARENT}/productSets/s`, produc: 'x' },
    'produc',
    'AddProductToProductSetRequest',
    'product',
  ],
  [
    ImageAnnotator,
    'BatchAnnotateImages',
    'body "*"',
    { requests: [{ image: { content: new Uint8Array([1]) }, features: [{ type: 'LABEL_DETECTION', maxResult: 2 }] }] },
    'requests[0].features[0].maxResult',
    'Feature',
    'maxResults',
  ],
];

describe('client: unknown request fields, the same error on both transports', function () {
  this.timeout(60_000);
  const env = useEmulatorTransports('vk-unknown-fields-');

  for (const [service, name, binding, request, path, owner, offered] of CASES) {
    it(`${service.name}.${name} (${binding}): "${path}" fails identically on gRPC and REST and reaches no server`, async () => {
      const calls = totalCalls(env.emu);
      const errors: object[] = [];
      for (const transport of [env.grpc, env.rest]) {
        const client = createRawClient(service, transport) as unknown as Record<string, (r: object) => Promise<unknown>>;
        const e = await client[methodKey(name)]!(request).then(
          () => assert.fail(`${transport.kind} resolved`),
          (err: unknown) => err,
        );
        assert.ok(e instanceof FieldPathError, `${transport.kind}: ${String(e)}`);
        assert.equal(e.code, Code.INVALID_ARGUMENT);
        assert.equal(e.path, path, transport.kind);
        const key = path.slice(path.lastIndexOf('.') + 1);
        const hint = offered === undefined ? '' : `; did you mean "${offered}"?`;
        assert.equal(e.message, `[INVALID_ARGUMENT] ${path}: unknown field "${key}" of google.cloud.vision.v1p4beta1.${owner}${hint}`);
        errors.push(shapeOf(e));
      }
      assert.deepEqual(errors[1], errors[0], 'the same error on both transports');
      assert.equal(totalCalls(env.emu), calls, 'the emulator saw no call');
    });
  }

  it('a request that is not an object fails identically on gRPC and REST and reaches no server', async () => {
    for (const request of ['projects/p/locations/us-west1/products/p1', ['x'], 7]) {
      const calls = totalCalls(env.emu);
      const errors: object[] = [];
      for (const transport of [env.grpc, env.rest]) {
        const client = createRawClient(ProductSearch, transport) as unknown as Record<string, (r: unknown) => Promise<unknown>>;
        const e = await client['getProduct']!(request).then(
          () => assert.fail(`${transport.kind} resolved`),
          (err: unknown) => err,
        );
        assert.ok(e instanceof FieldPathError, `${transport.kind}: ${String(e)}`);
        assert.match(
          e.message,
          /^\[INVALID_ARGUMENT\] \(root\): expected a google\.cloud\.vision\.v1p4beta1\.GetProductRequest object, got /,
        );
        errors.push(shapeOf(e));
      }
      assert.deepEqual(errors[1], errors[0], `the same error on both transports for ${JSON.stringify(request)}`);
      assert.equal(totalCalls(env.emu), calls, 'the emulator saw no call');
    }
  });

  it('the correctly spelled request goes through on both transports (the emulator creates the product with the id given)', async () => {
    for (const transport of [env.grpc, env.rest]) {
      const id = `id-${transport.kind}`;
      const product = (await createRawClient(ProductSearch, transport).createProduct({
        parent: PARENT,
        productId: id,
        product: { displayName: 'S', productCategory: 'apparel-v2' },
      })) as { name: string };
      assert.equal(product.name, `${PARENT}/products/${id}`);
    }
  });
});
