import type { Operation } from '../../gen/google/longrunning/operations.js';
import { badOption, checkKeys, checkObject, type OptionNames, shown } from '../core/check-options.js';
import { describe } from '../schema/create-message.js';
import type { GenericServiceDefinition, RequestOf, ResponseOf } from '../schema/definition-types.js';
import type { RequestInput } from '../schema/request-input.js';
import { FieldPathError } from '../schema/schema-error.js';
import { methodKey, type ServiceDescriptor } from '../schema/service-descriptor.js';
import { checkCallOptions } from '../transport/run-unary.js';
import type { CallOptions, MethodRef, Transport } from '../transport/transport.js';
import { checkPathFields } from './path-fields.js';

/** What a client's operation hook learns about the call that returned the operation. */
export interface OperationContext {
  /** The method that returned it (its row carries `operationInfo`). */
  readonly method: MethodRef;
  /** The transport the client calls through (for polling). */
  readonly transport: Transport;
  /** The options of the call that returned it. */
  readonly options: CallOptions | undefined;
}

/** Options of {@link createRawClient}. */
export interface RawClientOptions<Op = Operation> {
  /** Options every call starts from; a call's own options win, `headers` are merged. */
  readonly defaults?: CallOptions;
  /**
   * What a method returning `google.longrunning.Operation` resolves to. Absent:
   * the raw Operation. The poller passes a function that wraps it in a handle.
   */
  readonly operation?: (operation: Operation, context: OperationContext) => Op;
  /**
   * Check the fields a method's HTTP path binds (`name`, `parent`, …) before
   * any transport, so a request missing one fails the same way on every
   * transport: a `PathFieldError` (INVALID_ARGUMENT with a BadRequest naming
   * the field). Default true; `false` sends such requests on to the server
   * (tests of a server's own validation; over REST the transport still
   * cannot build their URL).
   */
  readonly checkPathFields?: boolean;
}

/** The names of {@link RawClientOptions} (a name outside them is refused). */
const RAW_CLIENT_OPTIONS: OptionNames<RawClientOptions> = { defaults: 1, checkPathFields: 1, operation: 1 };

/** One method of a client: a call plus the method it stands for. */
export interface RawClientMethod<Req, Res> {
  (request: RequestInput<Req>, options?: CallOptions): Promise<Res>;
  /** The method this function calls. */
  readonly ref: MethodRef;
}

/** The response a client method resolves to: the hook's type for an Operation. */
type Resolved<Res, Op> = Res extends Operation ? (Operation extends Res ? Op : Res) : Res;

/** A typed client of a service: one method per RPC, by lowerCamel name (`getProduct`). */
export type RawClient<D extends GenericServiceDefinition, Op = Operation> = {
  readonly [K in keyof D['methods']]: RawClientMethod<RequestOf<D['methods'][K]>, Resolved<ResponseOf<D['methods'][K]>, Op>>;
};

/**
 * A typed client of `service` over `transport`: `client.getProduct({ name })`
 * resolves to a `Product` on every transport. Methods are made from the
 * service's gen-time rows, named as ts-proto names them.
 */
export function createRawClient<D extends GenericServiceDefinition, Op = Operation>(
  service: ServiceDescriptor<D, unknown>,
  transport: Transport,
  options: RawClientOptions<Op> = {},
): RawClient<D, Op> {
  checkClientArgs('createRawClient', service, transport, options, RAW_CLIENT_OPTIONS);
  const checkPaths = options.checkPathFields !== false;
  const client: Record<string, RawClientMethod<object, unknown>> = {};
  for (const row of service.methods) {
    const ref: MethodRef = Object.freeze({ service: service.fullName, method: row });
    const hook = row.output === 'google.longrunning.Operation' ? options.operation : undefined;
    // Not async: the transport's promise is handed back as is (no extra frame per call); a synchronous
    // throw of a custom transport still becomes a rejection.
    const call = (request: object, callOptions?: CallOptions): Promise<unknown> => {
      try {
        const message = request ?? {};
        // Refused here, before the path fields are read, so that every transport gives this same error.
        if (typeof message !== 'object' || Array.isArray(message))
          throw new FieldPathError(row.input, '', `expected a ${row.input} object, got ${describe(message)}`);
        if (checkPaths) checkPathFields(ref, message);
        const merged = mergeOptions(options.defaults, callOptions);
        const response = transport.unary(ref, message, merged);
        if (hook === undefined) return response;
        return response.then((operation) => hook(operation as Operation, { method: ref, transport, options: merged }));
      } catch (err) {
        return Promise.reject(err);
      }
    };
    client[methodKey(row.name)] = Object.assign(call, { ref });
  }
  return Object.freeze(client) as unknown as RawClient<D, Op>;
}

/**
 * Checks the arguments of a client factory: a service descriptor, a
 * transport, options of the `known` names whose `defaults` are valid call
 * options. Throws INVALID_ARGUMENT naming the argument.
 */
export function checkClientArgs(
  where: string,
  service: unknown,
  transport: unknown,
  options: { readonly defaults?: CallOptions | undefined; readonly checkPathFields?: boolean | undefined },
  known: object,
): void {
  checkObject(where, 'service', service);
  checkObject(where, 'transport', transport);
  checkObject(where, 'options', options);
  checkKeys(where, options, known, 'options.');
  if (options.defaults !== undefined) checkCallOptions(where, options.defaults);
  const check: unknown = options.checkPathFields;
  if (check !== undefined && typeof check !== 'boolean')
    badOption(where, `options.checkPathFields must be a boolean (got ${shown(check)})`);
}

/** A call's options over the client's defaults (headers merged, the call's win). */
export function mergeOptions(defaults: CallOptions | undefined, call: CallOptions | undefined): CallOptions | undefined {
  if (defaults === undefined) return call;
  if (call === undefined) return defaults;
  const headers = defaults.headers || call.headers ? { ...defaults.headers, ...call.headers } : undefined;
  return { ...defaults, ...stripUndefined(call), headers };
}

function stripUndefined(options: CallOptions): CallOptions {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(options)) if (value !== undefined) out[key] = value;
  return out as CallOptions;
}
