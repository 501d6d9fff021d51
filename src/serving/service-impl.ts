/**
 * The serving layer's unit: one proto service's handlers, keyed by proto
 * method name, over ts-proto's generic service definition. The same
 * ServiceImpl is served over gRPC ({@link createGrpcHost}) and REST
 * ({@link createRestHandler}); handlers never see which codec ran.
 */
import type {
  DeepPartial,
  GenericMethodDefinition,
  GenericServiceDefinition,
  MessageFns,
  RequestOf,
  ResponseOf,
} from '../schema/definition-types.js';

export type { GenericMethodDefinition, GenericServiceDefinition };

/** The message functions ts-proto emits for every message (`Product`, `Operation`, …). */
export type MessageCodec<T = unknown> = MessageFns<T>;

/** What a handler knows about its call besides the request. */
export interface CallContext {
  /** Aborted when the client goes away or its deadline passes. */
  readonly signal: AbortSignal;
  /** Request headers (gRPC metadata or HTTP headers), lower-case names, first value of each. */
  readonly headers: Readonly<Record<string, string>>;
  /** The wire the call came in on. */
  readonly transport: 'grpc' | 'rest';
}

/** A unary handler: a decoded, normalised request in, a (partial) response out; throw a VisionError to fail. */
export type UnaryHandler<Req = never, Res = unknown> = (request: Req, ctx: CallContext) => Promise<Res>;

/** Handlers for every method of a definition, keyed by proto method name (`GetProduct`). */
export type HandlersOf<D extends GenericServiceDefinition> = {
  [K in keyof D['methods'] as D['methods'][K]['name']]: (
    request: RequestOf<D['methods'][K]>,
    ctx: CallContext,
  ) => Promise<DeepPartial<ResponseOf<D['methods'][K]>>>;
};

/** One service ready to serve: its definition and a handler per proto method name. */
export interface ServiceImpl {
  /** The ts-proto generic definition of the service (its full name and methods). */
  readonly definition: GenericServiceDefinition;
  /** The handlers by proto method name (`GetProduct`); a missing one answers UNIMPLEMENTED. */
  readonly handlers: { readonly [methodName: string]: UnaryHandler<never, unknown> | undefined };
}

/**
 * Pairs a definition with its handlers, type-checked against the
 * definition's request and response types. Methods left out answer
 * UNIMPLEMENTED.
 */
export function defineService<D extends GenericServiceDefinition>(definition: D, handlers: Partial<HandlersOf<D>>): ServiceImpl {
  return { definition, handlers: handlers as ServiceImpl['handlers'] };
}

/** What an interceptor sees of a call before its handler runs. */
export interface CallInfo {
  /** Full service name, e.g. `google.cloud.vision.v1p4beta1.ProductSearch`. */
  readonly service: string;
  /** Proto method name, e.g. `GetProduct`. */
  readonly method: string;
  /** The call's context, as its handler will get it. */
  readonly ctx: CallContext;
}

/**
 * Runs around every call on both transports, in order (the first is outermost):
 * it may throw (a VisionError) to refuse the call, delay it, or count it.
 */
export type Interceptor = (call: CallInfo, next: () => Promise<unknown>) => Promise<unknown>;

/** Finds a method of a ServiceImpl by proto name. */
export function findMethod(impl: ServiceImpl, methodName: string): GenericMethodDefinition | undefined {
  for (const m of Object.values(impl.definition.methods)) if (m.name === methodName) return m;
  return undefined;
}
