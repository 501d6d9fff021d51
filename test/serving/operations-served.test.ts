// What a server on the serving layer answers Operations on: operations.proto's
// rule and the routes of the APIs it serves, generated from their service
// configs (servedOperationBindings). Vision's, from scripts/gen/vision_v1p4beta1.yaml,
// are what the emulator has always served; an API whose route has the proto
// rule's shape (Speech's /v1/operations/{name=**}) replaces it.
import assert from 'node:assert/strict';
import { Code, VisionError } from 'vision-kit';
import { OperationsDefinition } from 'vision-kit/gen/google/longrunning/operations.js';
import { OPERATION_ROUTES, type OperationRouteRow, SERVICES } from 'vision-kit/gen/schema/services.js';
import { createRestHandler, defineService } from 'vision-kit/serving';
import { GET_OPERATION_BINDINGS, servedBindings, servedOperationBindings } from 'vision-kit/transcoding';

const row = (name: string) => SERVICES['google.longrunning.Operations']!.find((m) => m.name === name)!;
const paths = (list: readonly { method: string; path: string }[] | undefined) => list?.map((b) => `${b.method} ${b.path}`);

describe('serving: the Operations bindings a server answers', () => {
  it("Vision's routes are generated from its service config, for both services", () => {
    const vision = OPERATION_ROUTES['google.cloud.vision.v1p4beta1.ImageAnnotator'];
    assert.deepEqual(OPERATION_ROUTES['google.cloud.vision.v1p4beta1.ProductSearch'], vision);
    assert.deepEqual(paths(vision?.get), [
      'GET /v1/{name=projects/*/operations/*}',
      'GET /v1/{name=projects/*/locations/*/operations/*}',
      'GET /v1/{name=operations/*}',
      'GET /v1/{name=locations/*/operations/*}',
    ]);
    assert.deepEqual(GET_OPERATION_BINDINGS, vision?.get, 'what a client sends is the same table');
    for (const [key, verb, suffix] of [
      ['cancel', 'POST', ':cancel'],
      ['delete', 'DELETE', ''],
    ] as const) {
      assert.deepEqual(paths(vision?.[key]), [
        `${verb} /v1/{name=operations/**}${suffix}`,
        `${verb} /v1/{name=projects/*/operations/*}${suffix}`,
        `${verb} /v1/{name=projects/*/locations/*/operations/*}${suffix}`,
        `${verb} /v1/{name=locations/*/operations/*}${suffix}`,
      ]);
    }
  });

  it("a server for Vision answers the proto rule and Vision's other shapes (operations/* is the proto rule's already)", () => {
    assert.deepEqual(paths(servedBindings('google.longrunning.Operations', row('GetOperation'))), [
      'GET /v1/{name=operations/**}',
      'GET /v1/{name=projects/*/operations/*}',
      'GET /v1/{name=projects/*/locations/*/operations/*}',
      'GET /v1/{name=locations/*/operations/*}',
    ]);
    assert.deepEqual(
      servedBindings('google.longrunning.Operations', row('CancelOperation')),
      OPERATION_ROUTES['google.cloud.vision.v1p4beta1.ImageAnnotator']?.cancel,
    );
    assert.equal(servedBindings('google.longrunning.Operations', row('ListOperations')), undefined);
    assert.equal(servedBindings('google.cloud.vision.v1p4beta1.ImageAnnotator', row('GetOperation')), undefined);
  });

  it("an API route of the proto rule's shape replaces it; routes of several APIs are served once each", () => {
    const speech: OperationRouteRow = {
      get: [{ method: 'GET', path: '/v1/operations/{name=**}' }],
      cancel: row('CancelOperation').http,
      delete: row('DeleteOperation').http,
    };
    const docs: OperationRouteRow = {
      get: [
        { method: 'GET', path: '/v1/{name=projects/*/operations/*}' },
        { method: 'GET', path: '/v1/{name=projects/*/locations/*/operations/*}' },
      ],
      cancel: [{ method: 'POST', path: '/v1/{name=projects/*/locations/*/operations/*}:cancel' }],
      delete: row('DeleteOperation').http,
    };
    const served = servedOperationBindings([speech, docs, docs]);
    assert.deepEqual(paths(served.GetOperation), [
      'GET /v1/operations/{name=**}',
      'GET /v1/{name=projects/*/operations/*}',
      'GET /v1/{name=projects/*/locations/*/operations/*}',
    ]);
    assert.deepEqual(paths(served.CancelOperation), [
      'POST /v1/{name=operations/**}:cancel',
      'POST /v1/{name=projects/*/locations/*/operations/*}:cancel',
    ]);
    assert.deepEqual(paths(served.DeleteOperation), ['DELETE /v1/{name=operations/**}']);
    assert.deepEqual(servedOperationBindings([]).GetOperation, row('GetOperation').http, 'no API routes: the proto rule');
  });

  it('createRestHandler refuses a service it has no method rows for, saying what to import', () => {
    const unknown = defineService(
      { ...OperationsDefinition, fullName: 'acme.nowhere.v1.Operations' } as unknown as typeof OperationsDefinition,
      {},
    );
    assert.throws(
      () => createRestHandler([unknown]),
      (e) =>
        e instanceof VisionError &&
        e.code === Code.INVALID_ARGUMENT &&
        /no method rows for acme\.nowhere\.v1\.Operations: import the index\.js vision-kit gen wrote for it/.test(e.message),
    );
    assert.throws(() => createRestHandler('nope' as never), /impls must be an array/);
  });
});
