import assert from 'node:assert/strict';
import { Code, ImageAnnotator, type MethodRef, ProductSearch, VisionError } from 'vision-kit';
import { grpcMethod } from '../../src/transport/grpc-definitions.js';

function ref(service: typeof ProductSearch, name: string): MethodRef {
  const row = service.methods.find((m) => m.name === name);
  assert.ok(row, name);
  return { service: service.fullName, method: row };
}

describe('transport: grpcMethod (method lookup per ref)', () => {
  it('finds the path and the ts-proto definition, the same object for the same ref and for an equal ref', () => {
    const a = ref(ProductSearch, 'GetProduct');
    const first = grpcMethod(a);
    assert.equal(first.path, '/google.cloud.vision.v1p4beta1.ProductSearch/GetProduct');
    assert.equal(first.definition.name, 'GetProduct');
    assert.equal(grpcMethod(a), first);
    assert.equal(grpcMethod(ref(ProductSearch, 'GetProduct')), first);
  });

  it('follows a ref changed in place (a cached answer is not reused for another method)', () => {
    const mutable = ref(ProductSearch, 'GetProduct') as { service: string; method: MethodRef['method'] };
    assert.equal(grpcMethod(mutable).definition.name, 'GetProduct');
    mutable.method = ref(ProductSearch, 'ListProducts').method;
    assert.equal(grpcMethod(mutable).path, '/google.cloud.vision.v1p4beta1.ProductSearch/ListProducts');
    mutable.service = ImageAnnotator.fullName;
    mutable.method = ref(ImageAnnotator as unknown as typeof ProductSearch, 'BatchAnnotateImages').method;
    assert.equal(grpcMethod(mutable).path, '/google.cloud.vision.v1p4beta1.ImageAnnotator/BatchAnnotateImages');
  });

  it('refuses a method no definition has, with UNIMPLEMENTED', () => {
    const bogus: MethodRef = {
      service: ProductSearch.fullName,
      method: { ...ref(ProductSearch, 'GetProduct').method, name: 'NoSuchMethod' },
    };
    assert.throws(
      () => grpcMethod(bogus),
      (e: unknown) => e instanceof VisionError && e.code === Code.UNIMPLEMENTED && /NoSuchMethod/.test(e.message),
    );
  });
});
