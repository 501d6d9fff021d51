import type { HttpBinding } from '../../gen/schema/services.js';
import * as codes from '../core/codes.js';
import { VisionError } from '../core/vision-error.js';
import { CANCEL_OPERATION_BINDINGS, DELETE_OPERATION_BINDINGS, GET_OPERATION_BINDINGS } from '../transcoding/operations-bindings.js';
import { type PathTemplate, readPathTemplate } from '../transcoding/path-template.js';
import { LroRoutingError, type OperationsRpc } from './errors.js';

/**
 * The REST bindings of the three Operations calls the poller makes, tried
 * in order; each must bind `{name=…}`. An API's come from its service
 * config: `vision-kit gen --service-config` writes them into the generated
 * `OPERATION_ROUTES` (the same shape, `OperationRouteRow`), its service
 * descriptors carry them and the handles of its operations poll through
 * them. Without any, the default is Vision's: GetOperation on Vision's
 * service-config paths (`projects/*\/operations/*`,
 * `projects/*\/locations/*\/operations/*`, `operations/*`,
 * `locations/*\/operations/*`), Cancel and Delete on operations.proto's rule
 * and then the other three shapes. WaitOperation has none.
 */
export interface OperationRoutes {
  /** Where `GetOperation` (a poll) goes, in the order tried. */
  readonly get: readonly HttpBinding[];
  /** Where `CancelOperation` goes, in the order tried. */
  readonly cancel: readonly HttpBinding[];
  /** Where `DeleteOperation` goes, in the order tried. */
  readonly delete: readonly HttpBinding[];
}

/** Vision's routes, generated from its service config (see `transcoding/operations-bindings.ts`): what a poller uses for an API without routes of its own. */
export const DEFAULT_OPERATION_ROUTES: OperationRoutes = Object.freeze({
  get: GET_OPERATION_BINDINGS,
  cancel: CANCEL_OPERATION_BINDINGS,
  delete: DELETE_OPERATION_BINDINGS,
});

/** Which route list an RPC uses. */
export function routesOf(routes: OperationRoutes, rpc: OperationsRpc): readonly HttpBinding[] {
  return rpc === 'GetOperation' ? routes.get : rpc === 'CancelOperation' ? routes.cancel : routes.delete;
}

const compiled = new Map<string, PathTemplate>();

function template(path: string): PathTemplate {
  let t = compiled.get(path);
  if (t === undefined) {
    t = readPathTemplate(path);
    if (t.variables.length !== 1 || t.variables[0]?.name !== 'name') {
      throw new VisionError(codes.INVALID_ARGUMENT, `an Operations route must bind exactly {name=…}: ${path}`);
    }
    compiled.set(path, t);
  }
  return t;
}

/** A name routed to a binding: the HTTP method and the percent-encoded path. */
export interface RoutedOperation {
  readonly binding: HttpBinding;
  readonly method: string;
  readonly path: string;
}

/**
 * The first binding of `bindings` whose template holds `name`, with the path
 * it expands to (each segment percent-encoded, the slashes of the name
 * kept). Throws an LroRoutingError naming the name and the templates when
 * none fits, so the request fails before any I/O.
 */
export function routeOperation(rpc: OperationsRpc, name: string, bindings: readonly HttpBinding[]): RoutedOperation {
  for (const binding of bindings) {
    const path = template(binding.path).tryExpand([name]);
    if (typeof path === 'string') return { binding, method: binding.method, path };
  }
  throw new LroRoutingError(
    rpc,
    name,
    bindings.map((b) => `${b.method} ${b.path}`),
  );
}

/** Checks every template of a route table at once (a bad one is a TemplateError or INVALID_ARGUMENT VisionError naming it). */
export function checkRoutes(routes: OperationRoutes): void {
  for (const list of [routes.get, routes.cancel, routes.delete]) for (const b of list) template(b.path);
}
