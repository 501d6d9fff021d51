/**
 * The three Operations calls the poller makes (get, cancel, delete) as one
 * small interface, and its implementation over any `Transport`.
 */
import type { Operation } from '../../gen/google/longrunning/operations.js';
import type { HttpBinding, MethodRow } from '../../gen/schema/services.js';
import { Operations } from '../schema/service-descriptor.js';
import type { MethodRef, Transport } from '../transport/transport.js';
import type { OperationsRpc } from './errors.js';
import { checkRoutes, DEFAULT_OPERATION_ROUTES, type OperationRoutes, routeOperation, routesOf } from './operation-routes.js';

/** Options of one Operations request. */
export interface OperationsCallOptions {
  /** Stops the request on the wire; it then rejects with CANCELLED. */
  readonly signal?: AbortSignal | undefined;
  /** Milliseconds for this one request; it then rejects with DEADLINE_EXCEEDED. */
  readonly timeout?: number | undefined;
  /**
   * The REST routes of the operation's API (its descriptor's, from its
   * service config); used for any call the transport has no `routes` option
   * for. Ignored by gRPC.
   */
  readonly routes?: OperationRoutes | undefined;
}

/**
 * The three calls of `google.longrunning.Operations` the poller makes. It
 * never sends anything else (in particular never the method that started an
 * operation). Implementations: {@link createOperationsTransport} over any
 * `Transport` (gRPC, REST, in-memory), or a test's own.
 *
 * Every method rejects only with a `VisionError`, and a REST implementation
 * refuses a name that matches no route before any I/O (`LroRoutingError`).
 */
export interface OperationsTransport {
  /** `grpc`, `rest`, `memory` or another word for logs. */
  readonly kind: string;
  /** GetOperation: the current state of the operation. */
  get(name: string, options?: OperationsCallOptions): Promise<Operation>;
  /** CancelOperation (asks the server to stop; the operation ends with code 1). */
  cancel(name: string, options?: OperationsCallOptions): Promise<void>;
  /** DeleteOperation (the server forgets the operation). */
  delete(name: string, options?: OperationsCallOptions): Promise<void>;
  /**
   * Names what a call of `rpc` for `name` goes to, for error messages:
   * `GET /v1/operations/123` (REST, through `routes` as the calls would
   * route it) or `/google.longrunning.Operations/GetOperation`. Undefined
   * when unknown. A REST implementation throws an LroRoutingError for a
   * name no route covers (the poller asks as soon as an operation starts).
   */
  describe?(rpc: OperationsRpc, name: string, routes?: OperationRoutes): string | undefined;
}

const OPERATIONS = 'google.longrunning.Operations';

/** Options of {@link createOperationsTransport}. */
export interface OperationsTransportOptions {
  /**
   * REST routes of Get, Cancel and Delete for every operation (any part
   * replaces, for every API, the operation's own routes and the default).
   */
  readonly routes?: Partial<OperationRoutes> | undefined;
}

/** The generated row of `name` (google.longrunning.Operations has all three methods). */
function row(name: OperationsRpc): MethodRow {
  return Operations.methods.find((m) => m.name === name) as MethodRow;
}

/**
 * The poller's {@link OperationsTransport} over any `Transport`: gRPC calls
 * `google.longrunning.Operations` on the API's host; REST routes the name
 * through the first matching template of the routes for the call — the
 * `routes` option's, else the operation's own (its API's, given with each
 * call), else the default (Vision's) — and a name that matches none is
 * refused before any I/O with an LroRoutingError. The transport's own
 * retries are off: the poller retries on its schedule.
 */
export function createOperationsTransport(transport: Transport, options: OperationsTransportOptions = {}): OperationsTransport {
  const fixed: Partial<Record<keyof OperationRoutes, readonly HttpBinding[]>> = {};
  for (const key of ['get', 'cancel', 'delete'] as const) {
    const list = options.routes?.[key];
    if (list !== undefined) fixed[key] = list;
  }
  checkRoutes({ ...DEFAULT_OPERATION_ROUTES, ...fixed });
  const rest = transport.kind === 'rest';
  /** The bindings of `rpc` for a call whose operation's API has `own` routes. */
  const bindingsFor = (rpc: OperationsRpc, own: OperationRoutes | undefined): readonly HttpBinding[] =>
    routesOf({ ...DEFAULT_OPERATION_ROUTES, ...own, ...fixed }, rpc);
  /** One MethodRef per RPC and binding list (a row of our own makes the REST transport use those bindings). */
  const refs = new Map<OperationsRpc, WeakMap<readonly HttpBinding[], MethodRef>>();
  const refFor = (rpc: OperationsRpc, bindings: readonly HttpBinding[]): MethodRef => {
    let byBindings = refs.get(rpc);
    if (byBindings === undefined) refs.set(rpc, (byBindings = new WeakMap()));
    let ref = byBindings.get(bindings);
    if (ref === undefined) {
      const base = row(rpc);
      ref = { service: OPERATIONS, method: bindings === routesOf(DEFAULT_OPERATION_ROUTES, rpc) ? base : { ...base, http: bindings } };
      byBindings.set(bindings, ref);
    }
    return ref;
  };

  const call = async <O extends object>(rpc: OperationsRpc, name: string, callOptions: OperationsCallOptions | undefined): Promise<O> => {
    const own = callOptions?.routes;
    if (own !== undefined) checkRoutes(own);
    const bindings = bindingsFor(rpc, own);
    if (rest) routeOperation(rpc, name, bindings);
    return transport.unary<O>(
      refFor(rpc, bindings),
      { name },
      { signal: callOptions?.signal, timeout: callOptions?.timeout, retry: false },
    );
  };

  return {
    kind: transport.kind,
    get: (name, callOptions) => call<Operation>('GetOperation', name, callOptions),
    cancel: async (name, callOptions) => {
      await call('CancelOperation', name, callOptions);
    },
    delete: async (name, callOptions) => {
      await call('DeleteOperation', name, callOptions);
    },
    describe: (rpc, name, own) => {
      if (!rest) return `/${OPERATIONS}/${rpc}`;
      const routed = routeOperation(rpc, name, bindingsFor(rpc, own));
      return `${routed.method} ${routed.path}`;
    },
  };
}
