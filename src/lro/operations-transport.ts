/**
 * The three Operations calls the poller makes (get, cancel, delete) as one
 * small interface, and its implementation over any `Transport`.
 */
import type { Operation } from '../../gen/google/longrunning/operations.js';
import { type MethodRow, SERVICES } from '../../gen/schema/services.js';
import type { MethodRef, Transport } from '../transport/transport.js';
import type { OperationsRpc } from './errors.js';
import { checkRoutes, DEFAULT_OPERATION_ROUTES, type OperationRoutes, routeOperation, routesOf } from './operation-routes.js';

/** Options of one Operations request. */
export interface OperationsCallOptions {
  /** Stops the request on the wire; it then rejects with CANCELLED. */
  readonly signal?: AbortSignal | undefined;
  /** Milliseconds for this one request; it then rejects with DEADLINE_EXCEEDED. */
  readonly timeout?: number | undefined;
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
   * `GET /v1/operations/123` (REST) or `/google.longrunning.Operations/GetOperation`.
   * Undefined when unknown.
   */
  describe?(rpc: OperationsRpc, name: string): string | undefined;
}

const OPERATIONS = 'google.longrunning.Operations';

/** Options of {@link createOperationsTransport}. */
export interface OperationsTransportOptions {
  /** REST routes of Get, Cancel and Delete (any part replaces the default list). */
  readonly routes?: Partial<OperationRoutes> | undefined;
}

function row(name: OperationsRpc): MethodRow {
  const found = SERVICES[OPERATIONS]?.find((m) => m.name === name);
  if (found === undefined) throw new Error(`gen/schema/services.ts has no ${OPERATIONS}.${name}`);
  return found;
}

/**
 * The poller's {@link OperationsTransport} over any `Transport`: gRPC calls
 * `google.longrunning.Operations` on the API's host; REST routes the name
 * through the first matching template of `routes` (a name that matches none
 * is refused before any I/O with an LroRoutingError). The transport's own
 * retries are off: the poller retries on its schedule.
 */
export function createOperationsTransport(transport: Transport, options: OperationsTransportOptions = {}): OperationsTransport {
  const routes: OperationRoutes = { ...DEFAULT_OPERATION_ROUTES, ...options.routes };
  checkRoutes(routes);
  const rest = transport.kind === 'rest';
  const refs = new Map<OperationsRpc, MethodRef>();
  for (const rpc of ['GetOperation', 'CancelOperation', 'DeleteOperation'] as const) {
    const base = row(rpc);
    const custom = routesOf(routes, rpc) !== routesOf(DEFAULT_OPERATION_ROUTES, rpc);
    // A row of our own makes the REST transport use these routes instead of its defaults.
    refs.set(rpc, { service: OPERATIONS, method: custom ? { ...base, http: routesOf(routes, rpc) } : base });
  }

  const call = async <O extends object>(rpc: OperationsRpc, name: string, callOptions: OperationsCallOptions | undefined): Promise<O> => {
    if (rest) routeOperation(rpc, name, routesOf(routes, rpc));
    const ref = refs.get(rpc) as MethodRef;
    return transport.unary<O>(ref, { name }, { signal: callOptions?.signal, timeout: callOptions?.timeout, retry: false });
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
    describe: (rpc, name) => {
      if (!rest) return `/${OPERATIONS}/${rpc}`;
      const routed = routeOperation(rpc, name, routesOf(routes, rpc));
      return `${routed.method} ${routed.path}`;
    },
  };
}
