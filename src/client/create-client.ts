import type { OperationTypes } from '../../gen/schema/operations.js';
import type { OptionNames } from '../core/check-options.js';
import { type LroDescriptor, lroDescriptor, type OperationTypeMap } from '../lro/descriptor.js';
import { LroHandleError } from '../lro/errors.js';
import type { Lro } from '../lro/lro.js';
import type { OperationRoutes } from '../lro/operation-routes.js';
import { createOperationsTransport } from '../lro/operations-transport.js';
import { createPoller, type LroOptions, type Poller } from '../lro/poller.js';
import type { GenericServiceDefinition, RequestOf, ResponseOf } from '../schema/definition-types.js';
import type { RequestInput } from '../schema/request-input.js';
import type { ServiceDescriptor } from '../schema/service-descriptor.js';
import type { CallOptions, MethodRef, Transport } from '../transport/transport.js';
import { checkClientArgs, createRawClient, type RawClientMethod, type RawClientOptions } from './create-raw-client.js';

/** Call options of an {@link Client} method: the transport's, plus the handle's own settings. */
export interface ClientCallOptions extends CallOptions {
  /** Schedule overrides or a deadline for the handle an operation-returning method gives. */
  readonly lro?: LroOptions | undefined;
}

/**
 * One method of a {@link Client}: a call plus the method it stands for. It is
 * a {@link RawClientMethod} too, so helpers such as `paginate` take either.
 */
export interface ClientMethod<Req, Res> extends RawClientMethod<Req, Res> {
  (request: RequestInput<Req>, options?: ClientCallOptions): Promise<Res>;
}

/**
 * The id of method `K` of a definition: `service full name/Method`, e.g.
 * `google.cloud.vision.v1p4beta1.ImageAnnotator/AsyncBatchAnnotateImages`
 * (the keys of an operation type map such as `OperationTypes`).
 */
export type MethodId<D extends GenericServiceDefinition, K extends keyof D['methods']> = `${D['fullName']}/${D['methods'][K]['name']}`;

/** What a method resolves to: an `Lro<R, M>` for operation-returning methods (per `T`), else its response. */
export type LroResult<D extends GenericServiceDefinition, K extends keyof D['methods'], T> =
  MethodId<D, K> extends keyof T
    ? T[MethodId<D, K>] extends {
        /** The operation's response type. */
        readonly response: infer R;
        /** The operation's metadata type. */
        readonly metadata: infer M;
      }
      ? Lro<R, M>
      : never
    : ResponseOf<D['methods'][K]>;

/**
 * A typed client whose operation-returning methods resolve to typed handles:
 * `await images.asyncBatchAnnotateImages(req)` is an
 * `Lro<AsyncBatchAnnotateImagesResponse, OperationMetadata>`. `T` maps
 * method ids to types (gen/schema/operations.ts for Vision).
 */
export type Client<D extends GenericServiceDefinition, T extends OperationTypeMap<T> = OperationTypes> = {
  readonly [K in keyof D['methods']]: ClientMethod<RequestOf<D['methods'][K]>, LroResult<D, K, T>>;
};

/** Options of {@link createClient}. */
export interface ClientOptions extends Omit<RawClientOptions, 'operation'> {
  /** The poller the handles use (share one across clients); default a new one over `transport`. */
  readonly poller?: Poller | undefined;
  /** REST routes for the default poller's Operations calls. */
  readonly routes?: Partial<OperationRoutes> | undefined;
  /** Settings of every handle (a call's `lro` option wins). */
  readonly lro?: LroOptions | undefined;
}

/** The names of {@link ClientOptions} (a name outside them is refused). */
const CLIENT_OPTIONS: OptionNames<ClientOptions> = { defaults: 1, checkPathFields: 1, poller: 1, routes: 1, lro: 1 };

/**
 * `createRawClient` with the poller wired in: every method that returns a
 * `google.longrunning.Operation` and declares `operation_info` resolves to
 * an {@link Lro} handle for it (typed through `T`); other methods are
 * unchanged. Nothing is polled until the handle is waited on. `T` comes
 * from the descriptor (Vision's for the built-in services; yours from
 * `serviceDescriptor<YourDefinition, YourOperationTypes>(fullName, tables)`).
 */
export function createClient<D extends GenericServiceDefinition, T extends OperationTypeMap<T> = OperationTypes>(
  service: ServiceDescriptor<D, T>,
  transport: Transport,
  options: ClientOptions = {},
): Client<D, T> {
  checkClientArgs('createClient', service, transport, options, CLIENT_OPTIONS);
  const poller = options.poller ?? createPoller({ transport: createOperationsTransport(transport, { routes: options.routes }) });
  const descriptors = new Map<string, LroDescriptor | undefined>();
  const client = createRawClient(service, transport, {
    defaults: options.defaults,
    checkPathFields: options.checkPathFields,
    operation: (operation, context) => {
      const key = `${context.method.service}/${context.method.method.name}`;
      if (!descriptors.has(key)) descriptors.set(key, lroDescriptor(context.method.service, context.method.method));
      const descriptor = descriptors.get(key);
      if (descriptor === undefined) return operation;
      const own = (context.options as ClientCallOptions | undefined)?.lro;
      const base = options.lro;
      return poller.fromOperation(descriptor, operation, {
        deadline: own?.deadline ?? base?.deadline,
        schedule: { ...base?.schedule, ...own?.schedule },
      });
    },
  });
  return client as unknown as Client<D, T>;
}

/**
 * The descriptor of an operation-returning client method, for
 * `poller.resume(descriptorOf(images.asyncBatchAnnotateImages), name)`.
 * Throws an LroHandleError for a method without `operation_info`.
 */
export function descriptorOf<R, M>(method: { readonly ref: MethodRef } & ((...args: never[]) => Promise<Lro<R, M>>)): LroDescriptor<R, M> {
  const d = lroDescriptor<R, M>(method.ref.service, method.ref.method);
  if (d === undefined) throw new LroHandleError(`${method.ref.service}/${method.ref.method.name} does not return a long-running operation`);
  return d;
}
