import assert from 'node:assert/strict';
import { Code, ImageAnnotator, Operations, ProductSearch, VisionError } from 'vision-kit';
import { SERVICES } from 'vision-kit/gen/schema/services.js';
import { GENERIC_DEFINITIONS } from 'vision-kit/grpc';
import { findMethod, methodKey, SERVICE_DESCRIPTORS } from '../../src/schema/service-descriptor.js';

describe('client: service descriptors', () => {
  it('the three descriptors carry every method of the gen-time table', () => {
    assert.deepEqual(SERVICE_DESCRIPTORS.map((s) => s.fullName).sort(), Object.keys(SERVICES).sort());
    assert.equal(ImageAnnotator.methods.length + ProductSearch.methods.length, 23);
    assert.equal(Operations.methods.length, 5);
  });

  it("method keys are the names ts-proto's generic definitions use", () => {
    for (const service of SERVICE_DESCRIPTORS) {
      const definition = GENERIC_DEFINITIONS[service.fullName];
      assert.ok(definition, service.fullName);
      const fromTsProto = Object.entries(definition.methods).map(([key, m]) => [key, m.name]);
      assert.deepEqual(
        service.methods.map((m) => [methodKey(m.name), m.name]),
        fromTsProto,
      );
    }
  });

  it('findMethod finds a method by proto name or qualified name, and names an unknown one', () => {
    assert.equal(findMethod('GetOperation').service, Operations);
    assert.equal(findMethod('google.cloud.vision.v1p4beta1.ProductSearch.GetProduct').method.name, 'GetProduct');
    assert.equal(findMethod('ImageAnnotator/BatchAnnotateFiles').service, ImageAnnotator);
    assert.throws(
      () => findMethod('GetProdukt'),
      (e: unknown) => e instanceof VisionError && e.code === Code.NOT_FOUND && /"GetProdukt"/.test(e.message),
    );
    assert.throws(() => findMethod('Operations.GetProduct'), /unknown method/);
  });

  it("findMethod takes the clients' camelCase spelling and any case, qualified or not", () => {
    assert.equal(findMethod('getOperation').method.name, 'GetOperation');
    assert.equal(findMethod('asyncbatchannotateimages').method.name, 'AsyncBatchAnnotateImages');
    assert.equal(findMethod('productsearch/GETPRODUCT').service, ProductSearch);
    assert.equal(findMethod('Google.Longrunning.Operations.listOperations').method.name, 'ListOperations');
    assert.throws(() => findMethod('imageannotator/getProduct'), /unknown method/);
  });
});
