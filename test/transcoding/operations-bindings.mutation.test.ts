/**
 * The Operations bindings pinned by value: which bindings a client sends a
 * method on (restBindings: Vision's for the generated rows or equal copies,
 * none for a row of its own or another service), and what a server answers
 * (servedOperationBindings: the proto rule kept or replaced by shape, each
 * route once per method and path, routes the proto rule already answers
 * with the same name left out, in order). servedBindings is read from a
 * fresh copy of the module, so its cache is filled in the test.
 */
import assert from 'node:assert/strict';
import { type HttpBinding, type MethodRow, type OperationRouteRow, SERVICES } from 'vision-kit/gen/schema/services.js';
import {
  CANCEL_OPERATION_BINDINGS,
  DELETE_OPERATION_BINDINGS,
  GET_OPERATION_BINDINGS,
  restBindings,
  servedOperationBindings,
} from '../../src/transcoding/operations-bindings.js';

const OPS = 'google.longrunning.Operations';
const row = (name: string): MethodRow => SERVICES[OPS]!.find((m) => m.name === name)!;
const paths = (list: readonly HttpBinding[] | undefined) => list?.map((b) => `${b.method} ${b.path}`);

const GET = 'GET /v1/{name=operations/**}';
const CANCEL = 'POST /v1/{name=operations/**}:cancel';
const DELETE = 'DELETE /v1/{name=operations/**}';

/** A route row with the proto rules for what `partial` leaves out. */
function routes(partial: Partial<OperationRouteRow>): OperationRouteRow {
  return { get: [], cancel: [], delete: [], ...partial };
}

function served(...rows: OperationRouteRow[]): { get?: string[]; cancel?: string[]; delete?: string[] } {
  const s = servedOperationBindings(rows);
  return { get: paths(s.GetOperation), cancel: paths(s.CancelOperation), delete: paths(s.DeleteOperation) };
}

describe('transcoding: the Operations bindings, by value', () => {
  describe('restBindings', () => {
    it("gives Vision's routes for Get, Cancel and Delete of the generated rows and of equal copies", () => {
      assert.equal(restBindings({ service: OPS, method: row('GetOperation') }), GET_OPERATION_BINDINGS);
      assert.equal(restBindings({ service: OPS, method: row('CancelOperation') }), CANCEL_OPERATION_BINDINGS);
      assert.equal(restBindings({ service: OPS, method: row('DeleteOperation') }), DELETE_OPERATION_BINDINGS);
      const copy = (name: string): MethodRow => ({ ...row(name), http: row(name).http.map((b) => ({ ...b })) });
      assert.equal(restBindings({ service: OPS, method: copy('GetOperation') }), GET_OPERATION_BINDINGS);
      assert.equal(restBindings({ service: OPS, method: copy('CancelOperation') }), CANCEL_OPERATION_BINDINGS);
      assert.deepEqual(paths(GET_OPERATION_BINDINGS), [
        'GET /v1/{name=projects/*/operations/*}',
        'GET /v1/{name=projects/*/locations/*/operations/*}',
        'GET /v1/{name=operations/*}',
        'GET /v1/{name=locations/*/operations/*}',
      ]);
      assert.deepEqual(paths(DELETE_OPERATION_BINDINGS)?.[0], DELETE);
      assert.deepEqual(paths(CANCEL_OPERATION_BINDINGS)?.[0], CANCEL);
    });

    it('gives nothing for another service, other Operations methods, or a row with bindings of its own', () => {
      assert.equal(restBindings({ service: 'google.cloud.vision.v1p4beta1.ImageAnnotator', method: row('GetOperation') }), undefined);
      assert.equal(restBindings({ service: OPS, method: row('ListOperations') }), undefined);
      assert.equal(restBindings({ service: OPS, method: row('WaitOperation') }), undefined);
      const get = row('GetOperation');
      const own = (http: readonly HttpBinding[]) => restBindings({ service: OPS, method: { ...get, http } });
      const [b] = get.http as [HttpBinding];
      assert.equal(own([{ ...b, method: 'POST' }]), undefined, 'another method');
      assert.equal(own([{ ...b, path: '/v2/{name=operations/**}' }]), undefined, 'another path');
      assert.equal(own([{ ...b, body: '*' }]), undefined, 'a body');
      assert.equal(own([{ ...b, responseBody: 'name' }]), undefined, 'a response_body');
      assert.equal(own([b, b]), undefined, 'more bindings');
      assert.equal(own([]), undefined, 'none');
      assert.equal(own([b]), GET_OPERATION_BINDINGS, 'the same binding again');
      assert.equal(restBindings({ service: OPS, method: { ...get, name: 'PeekOperation' } }), undefined, 'no generated row of that name');
    });
  });

  describe('servedOperationBindings', () => {
    it("Vision's routes: the proto rule, then the shapes it does not answer with the same name", () => {
      const vision: OperationRouteRow = {
        get: GET_OPERATION_BINDINGS,
        cancel: CANCEL_OPERATION_BINDINGS,
        delete: DELETE_OPERATION_BINDINGS,
      };
      assert.deepEqual(served(vision), {
        get: [
          GET,
          'GET /v1/{name=projects/*/operations/*}',
          'GET /v1/{name=projects/*/locations/*/operations/*}',
          'GET /v1/{name=locations/*/operations/*}',
        ],
        cancel: paths(CANCEL_OPERATION_BINDINGS),
        delete: paths(DELETE_OPERATION_BINDINGS),
      });
    });

    it('keeps the proto rule beside routes of other shapes (literals, wildcards and verbs count), and first', () => {
      assert.deepEqual(
        served(
          routes({
            get: [
              { method: 'GET', path: '/v2/{name=operations/**}' },
              { method: 'GET', path: '/v1/{name=operations/*}/{x=*}' },
            ],
            cancel: [
              { method: 'POST', path: '/v1/{name=projects/*/operations/*}:cancel' },
              { method: 'POST', path: '/v1/{name=operations/**}:abort' },
              { method: 'POST', path: '/v1/{name=operations/**}:cancel', body: '*' },
            ],
            delete: [{ method: 'POST', path: '/v1/{name=operations/**}' }],
          }),
        ),
        {
          get: [GET, 'GET /v2/{name=operations/**}', 'GET /v1/{name=operations/*}/{x=*}'],
          cancel: [CANCEL, 'POST /v1/{name=projects/*/operations/*}:cancel', 'POST /v1/{name=operations/**}:abort'],
          delete: [DELETE, 'POST /v1/{name=operations/**}'],
        },
      );
    });

    it("a route of the proto rule's shape replaces it", () => {
      assert.deepEqual(
        served(
          routes({
            get: [{ method: 'GET', path: '/v1/operations/{name=**}' }],
            cancel: [{ method: 'POST', path: '/v1/operations/{name=**}:cancel' }],
          }),
        ),
        { get: ['GET /v1/operations/{name=**}'], cancel: ['POST /v1/operations/{name=**}:cancel'], delete: [DELETE] },
      );
    });

    it('leaves out the routes the proto rule answers with the same name, and only those', () => {
      assert.deepEqual(
        served(
          routes({
            get: [
              { method: 'GET', path: '/v1/{name=operations/*}' },
              { method: 'GET', path: '/v1/{name=operations/x/**}' },
              { method: 'GET', path: '/v1/{name=operations/x}' },
              { method: 'GET', path: '/v1/{name=operations/*}/status' },
              { method: 'GET', path: '/v1/{name=operations/*}:peek' },
            ],
            cancel: [
              { method: 'POST', path: '/v1/{name=operations/*}:cancel' },
              { method: 'POST', path: '/v1/{name=operations/*}' },
            ],
            delete: [{ method: 'DELETE', path: '/v1/{name=operations/**}' }],
          }),
        ),
        {
          get: [GET, 'GET /v1/{name=operations/*}/status', 'GET /v1/{name=operations/*}:peek'],
          cancel: [CANCEL, 'POST /v1/{name=operations/*}'],
          delete: [DELETE],
        },
      );
    });

    it('serves each method and path once, across rows, keeping a path bound for two methods', () => {
      const a = routes({
        get: [
          { method: 'GET', path: '/v1/a/{name=**}' },
          { method: 'HEAD', path: '/v1/a/{name=**}' },
        ],
      });
      const b = routes({
        get: [
          { method: 'GET', path: '/v1/a/{name=**}' },
          { method: 'GET', path: '/v1/b/{name=**}' },
        ],
      });
      assert.deepEqual(served(a, b, a).get, [GET, 'GET /v1/a/{name=**}', 'HEAD /v1/a/{name=**}', 'GET /v1/b/{name=**}']);
      assert.deepEqual(served(), { get: [GET], cancel: [CANCEL], delete: [DELETE] });
    });
  });

  describe('servedBindings (a fresh copy of the module, its cache empty)', () => {
    it("answers Vision's served routes for Get, Cancel and Delete, the same ones each time, and nothing else", async () => {
      type Module = typeof import('../../src/transcoding/operations-bindings.js');
      const fresh = (await import(`../../src/transcoding/operations-bindings.js?fresh=${Date.now()}`)) as Module;
      const get = fresh.servedBindings(OPS, row('GetOperation'));
      assert.deepEqual(paths(get), [
        GET,
        'GET /v1/{name=projects/*/operations/*}',
        'GET /v1/{name=projects/*/locations/*/operations/*}',
        'GET /v1/{name=locations/*/operations/*}',
      ]);
      assert.equal(fresh.servedBindings(OPS, row('GetOperation')), get);
      assert.deepEqual(paths(fresh.servedBindings(OPS, row('DeleteOperation'))), paths(DELETE_OPERATION_BINDINGS));
      assert.deepEqual(paths(fresh.servedBindings(OPS, row('CancelOperation'))), paths(CANCEL_OPERATION_BINDINGS));
      assert.equal(fresh.servedBindings(OPS, row('ListOperations')), undefined);
      assert.equal(fresh.servedBindings(OPS, { ...row('GetOperation'), name: 'toString' }), undefined);
      assert.equal(fresh.servedBindings('google.cloud.vision.v1p4beta1.ImageAnnotator', row('GetOperation')), undefined);
      // The module's constants, made while the test runs.
      assert.deepEqual(paths(fresh.GET_OPERATION_BINDINGS), paths(GET_OPERATION_BINDINGS));
      assert.deepEqual(paths(fresh.CANCEL_OPERATION_BINDINGS), paths(CANCEL_OPERATION_BINDINGS));
      assert.deepEqual(paths(fresh.DELETE_OPERATION_BINDINGS), paths(DELETE_OPERATION_BINDINGS));
      assert.equal(paths(fresh.GET_OPERATION_BINDINGS)?.length, 4);
      assert.equal(paths(fresh.CANCEL_OPERATION_BINDINGS)?.length, 4);
      assert.equal(paths(fresh.DELETE_OPERATION_BINDINGS)?.length, 4);
      assert.ok(Object.isFrozen(fresh.GET_OPERATION_BINDINGS));
      assert.equal(fresh.restBindings({ service: OPS, method: row('GetOperation') }), fresh.GET_OPERATION_BINDINGS);
      assert.equal(fresh.restBindings({ service: OPS, method: row('CancelOperation') }), fresh.CANCEL_OPERATION_BINDINGS);
      assert.equal(fresh.restBindings({ service: OPS, method: row('DeleteOperation') }), fresh.DELETE_OPERATION_BINDINGS);
    });
  });
});
