/**
 * Where `google.longrunning.Operations` lives over REST: the one place that
 * the REST transport (what it sends), the poller (how it routes an operation
 * name before any I/O) and a server on the serving layer (what it answers)
 * all read, so the three cannot disagree.
 *
 * An API's service config says where its Operations mixin is served; `vision-kit
 * gen` turns its http rules into the generated `OPERATION_ROUTES` (one row
 * per service: the Get, Cancel and Delete bindings, operations.proto's own
 * rule for any the config leaves out). Vision's come from
 * scripts/gen/vision_v1p4beta1.yaml: GetOperation on the four name shapes of
 * Vision v1's service config, Cancel and Delete on operations.proto's rule
 * (`/v1/{name=operations/**}`) and then the other three shapes (so an import
 * operation can be cancelled over REST instead of being refused before any
 * I/O). A client sends Vision's routes for a direct Operations call; a server
 * answers operations.proto's rule and every route of the APIs it serves
 * (`servedOperationBindings`): the proto rule is what google-gax's v1p4beta1
 * clients poll through. ListOperations keeps its proto rule; WaitOperation
 * has no binding.
 */
import type { HttpBinding, MethodRow, OperationRouteRow } from '../../gen/schema/services.js';
import { visionOperationRoutes } from '../schema/packed-tables.js';
import { Operations } from '../schema/service-descriptor.js';
import { matchPath } from './path-match.js';
import { type PathTemplate, readPathTemplate } from './path-template.js';

const OPERATIONS = 'google.longrunning.Operations';

/** Vision's routes: its service config's, which both Vision services share (the base pack of gen/schema/packed.ts holds them once). */
const visionRoutes = (): OperationRouteRow => visionOperationRoutes();

/** GetOperation as Vision's service config binds it (what a client sends). */
export const GET_OPERATION_BINDINGS: readonly HttpBinding[] = Object.freeze([...visionRoutes().get]);

/** CancelOperation: operations.proto's rule, then Vision's other name shapes. */
export const CANCEL_OPERATION_BINDINGS: readonly HttpBinding[] = Object.freeze([...visionRoutes().cancel]);

/** DeleteOperation: operations.proto's rule, then Vision's other name shapes. */
export const DELETE_OPERATION_BINDINGS: readonly HttpBinding[] = Object.freeze([...visionRoutes().delete]);

/** What {@link restBindings} gives per Operations method (read only for names of Operations' own methods). */
const REST_BINDINGS: { readonly [name: string]: readonly HttpBinding[] | undefined } = {
  GetOperation: GET_OPERATION_BINDINGS,
  CancelOperation: CANCEL_OPERATION_BINDINGS,
  DeleteOperation: DELETE_OPERATION_BINDINGS,
};

/** The generated row of an Operations method, to tell it from a caller's own row. */
function generatedRow(name: string): MethodRow | undefined {
  return Operations.methods.find((m) => m.name === name);
}

/** True when two binding lists are the same bindings (rows of two copies of the tables compare equal). */
function sameBindings(a: readonly HttpBinding[], b: readonly HttpBinding[] | undefined): boolean {
  return (
    a === b ||
    (b !== undefined &&
      a.length === b.length &&
      a.every(
        (x, i) => x.method === b[i]!.method && x.path === b[i]!.path && x.body === b[i]!.body && x.responseBody === b[i]!.responseBody,
      ))
  );
}

/**
 * The HTTP bindings a client sends a method on, when they differ from its
 * proto rule (Get, Cancel and Delete of Operations: Vision's routes);
 * undefined otherwise, and for a method row that carries bindings of its
 * own (the poller's routes for an API).
 */
export function restBindings(ref: { readonly service: string; readonly method: MethodRow }): readonly HttpBinding[] | undefined {
  if (ref.service !== OPERATIONS) return undefined;
  if (!sameBindings(ref.method.http, generatedRow(ref.method.name)?.http)) return undefined;
  return REST_BINDINGS[ref.method.name];
}

/** The Operations RPCs whose bindings route rows hold. */
export type RoutedOperationsRpc = 'GetOperation' | 'CancelOperation' | 'DeleteOperation';

const ROW_KEY: { readonly [K in RoutedOperationsRpc]: keyof OperationRouteRow } = {
  GetOperation: 'get',
  CancelOperation: 'cancel',
  DeleteOperation: 'delete',
};

/** A template's shape: what the route trie keys it by (method, literals and wildcards, verb). */
function shapeOf(b: HttpBinding, t: PathTemplate): string {
  return `${b.method} ${t.segments.map((s) => (s.kind === 'literal' ? `=${s.literal}` : s.kind)).join('/')}:${t.verb ?? ''}`;
}

/** True when `outer` matches every path `inner` matches with the same `name` (tried on one path of `inner`'s shape). */
function covers(outer: PathTemplate, inner: PathTemplate): boolean {
  let n = 0;
  const sample = `/${inner.segments.map((s) => (s.kind === 'literal' ? s.raw : s.kind === '*' ? `s${n++}` : `d${n++}/e${n++}`)).join('/')}${inner.verb === undefined ? '' : `:${inner.verb}`}`;
  const a = matchPath(inner, sample);
  const b = matchPath(outer, sample);
  return a !== undefined && b !== undefined && a.name === b.name;
}

/**
 * What a server answers Get, Cancel and Delete of Operations on, for the
 * route rows of the APIs it serves: operations.proto's rule and every
 * route, once. A route of the same shape as the proto rule replaces it
 * (Speech's `/v1/operations/{name=**}`, where the proto rule would capture
 * `operations/…` into the name); a route the proto rule already answers
 * with the same name (Vision's `/v1/{name=operations/*}`) is left out.
 */
export function servedOperationBindings(rows: readonly OperationRouteRow[]): Readonly<Record<RoutedOperationsRpc, readonly HttpBinding[]>> {
  const out = {} as Record<RoutedOperationsRpc, readonly HttpBinding[]>;
  for (const rpc of Object.keys(ROW_KEY) as RoutedOperationsRpc[]) {
    const routes: { b: HttpBinding; t: PathTemplate }[] = [];
    for (const row of rows) {
      for (const b of row[ROW_KEY[rpc]]) {
        if (!routes.some((r) => r.b.method === b.method && r.b.path === b.path)) routes.push({ b, t: readPathTemplate(b.path) });
      }
    }
    // Every routed RPC has a generated row (operations.proto's own rule).
    const proto = generatedRow(rpc)!.http.map((b) => ({ b, t: readPathTemplate(b.path) }));
    const kept = proto.filter((p) => !routes.some((r) => shapeOf(r.b, r.t) === shapeOf(p.b, p.t) && r.b.path !== p.b.path));
    const extra = routes.filter(
      (r) => !kept.some((p) => p.b.method === r.b.method && (p.b.path === r.b.path || (p.t.verb === r.t.verb && covers(p.t, r.t)))),
    );
    out[rpc] = Object.freeze([...kept, ...extra].map((x) => x.b));
  }
  return Object.freeze(out);
}

/** What a server for Vision answers, per Operations method. */
/** What a server answers for Vision's Operations (worked out on first use: a client never needs it). */
let served: Readonly<Record<RoutedOperationsRpc, readonly HttpBinding[]>> | undefined;

/**
 * The bindings a server for Vision answers a method on, when they differ
 * from its proto rule (the `bindings` option of the serving layer's REST
 * handler); undefined for every method but Operations' Get, Cancel and
 * Delete. A handler without `bindings` serves the routes of the APIs it
 * serves the same way.
 */
export function servedBindings(service: string, method: MethodRow): readonly HttpBinding[] | undefined {
  if (service !== OPERATIONS || !Object.hasOwn(ROW_KEY, method.name)) return undefined;
  served ??= servedOperationBindings([visionRoutes()]);
  return served[method.name as RoutedOperationsRpc];
}
