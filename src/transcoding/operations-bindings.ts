/**
 * Where `google.longrunning.Operations` lives over REST: the one table that
 * the REST transport (what it sends), the poller (how it routes an operation
 * name before any I/O) and a server on the serving layer (what it answers)
 * all read, so the three cannot disagree.
 *
 * operations.proto binds Get, Cancel and Delete to `/v1/{name=operations/**}`
 * only. Vision names import and purge operations
 * `projects/P/locations/L/operations/ID`, and its service config binds
 * GetOperation to four name shapes instead of the proto rule. So:
 * - a client sends GetOperation on the service config's four shapes, and
 *   Cancel and Delete on the proto rule first, then the service config's
 *   other three shapes (so an import can be cancelled over REST instead of
 *   being refused before any I/O);
 * - a server answers the proto rule and the three other shapes for all
 *   three methods: the proto rule is what google-gax's v1p4beta1 clients
 *   poll through, and `operations/**` covers the service config's
 *   `operations/*`.
 * ListOperations keeps its proto rule; WaitOperation has no binding.
 */
import { type HttpBinding, type MethodRow, SERVICES } from '../../gen/schema/services.js';

const OPERATIONS = 'google.longrunning.Operations';

/** The service config's operation name shapes other than `operations/*`, as path templates. */
const OTHER_SHAPES = ['projects/*/operations/*', 'projects/*/locations/*/operations/*', 'locations/*/operations/*'] as const;

const cancelAt = (name: string): HttpBinding => ({ method: 'POST', path: `/v1/{name=${name}}:cancel`, body: '*' });
const deleteAt = (name: string): HttpBinding => ({ method: 'DELETE', path: `/v1/{name=${name}}` });
const getAt = (name: string): HttpBinding => ({ method: 'GET', path: `/v1/{name=${name}}` });

/** GetOperation as Vision's service config binds it (what a client sends). */
export const GET_OPERATION_BINDINGS: readonly HttpBinding[] = Object.freeze([
  getAt('projects/*/operations/*'),
  getAt('projects/*/locations/*/operations/*'),
  getAt('operations/*'),
  getAt('locations/*/operations/*'),
]);

/** CancelOperation: operations.proto's rule, then the service config's other shapes. */
export const CANCEL_OPERATION_BINDINGS: readonly HttpBinding[] = Object.freeze([cancelAt('operations/**'), ...OTHER_SHAPES.map(cancelAt)]);

/** DeleteOperation: operations.proto's rule, then the service config's other shapes. */
export const DELETE_OPERATION_BINDINGS: readonly HttpBinding[] = Object.freeze([deleteAt('operations/**'), ...OTHER_SHAPES.map(deleteAt)]);

/** What a server answers, per Operations method (absent: the proto rule). */
const SERVED: { readonly [method: string]: readonly HttpBinding[] } = Object.freeze({
  GetOperation: Object.freeze([getAt('operations/**'), ...OTHER_SHAPES.map(getAt)]),
  CancelOperation: CANCEL_OPERATION_BINDINGS,
  DeleteOperation: DELETE_OPERATION_BINDINGS,
});

/** The generated row of an Operations method, to tell it from a caller's own row. */
function generatedRow(name: string): MethodRow | undefined {
  return SERVICES[OPERATIONS]?.find((m) => m.name === name);
}

/**
 * The HTTP bindings a client sends a method on, when they differ from its
 * proto rule (Get, Cancel and Delete of Operations); undefined otherwise,
 * and for a method row that carries bindings of its own (the poller's
 * `routes` option).
 */
export function restBindings(ref: { readonly service: string; readonly method: MethodRow }): readonly HttpBinding[] | undefined {
  if (ref.service !== OPERATIONS) return undefined;
  if (ref.method.http !== generatedRow(ref.method.name)?.http) return undefined;
  switch (ref.method.name) {
    case 'GetOperation':
      return GET_OPERATION_BINDINGS;
    case 'CancelOperation':
      return CANCEL_OPERATION_BINDINGS;
    case 'DeleteOperation':
      return DELETE_OPERATION_BINDINGS;
    default:
      return undefined;
  }
}

/**
 * The bindings a server answers a method on, when they differ from its
 * proto rule (the `bindings` option of the serving layer's REST handler);
 * undefined for every method but Operations' Get, Cancel and Delete.
 */
export function servedBindings(service: string, method: MethodRow): readonly HttpBinding[] | undefined {
  return service === OPERATIONS ? SERVED[method.name] : undefined;
}
