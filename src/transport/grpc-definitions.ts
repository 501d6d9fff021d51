/**
 * gRPC method definitions made at run time from ts-proto's generic service
 * definitions (the way nice-grpc does it): path `/package.Service/Method`,
 * ts-proto's binary codecs. Node only (it imports the message modules).
 */
import * as grpc from '@grpc/grpc-js';
import { ImageAnnotatorDefinition } from '../../gen/google/cloud/vision/v1p4beta1/image_annotator.js';
import { ProductSearchDefinition } from '../../gen/google/cloud/vision/v1p4beta1/product_search_service.js';
import { OperationsDefinition } from '../../gen/google/longrunning/operations.js';
import type {
  DeepPartial,
  GenericMethodDefinition,
  GenericServiceDefinition,
  RequestOf,
  ResponseOf,
} from '../client/definition-types.js';
import { Code } from '../core/code.js';
import { VisionError } from '../core/vision-error.js';
import type { MethodRef } from './transport.js';

/** The three ts-proto generic definitions, by service full name. */
export const GENERIC_DEFINITIONS: { readonly [fullName: string]: GenericServiceDefinition } = {
  [ImageAnnotatorDefinition.fullName]: ImageAnnotatorDefinition,
  [ProductSearchDefinition.fullName]: ProductSearchDefinition,
  [OperationsDefinition.fullName]: OperationsDefinition,
};

/** A method's gRPC path and codecs. */
export interface GrpcMethod {
  /** `/google.cloud.vision.v1p4beta1.ProductSearch/GetProduct`. */
  readonly path: string;
  /** The ts-proto method definition. */
  readonly definition: GenericMethodDefinition;
}

const cache = new Map<string, GrpcMethod>();
/**
 * By MethodRef object first: a client makes its refs once, so a call finds
 * its method without building and hashing a key string (a few µs per call in
 * `npm run bench`). The names are kept to notice a ref changed in place.
 */
const byRef = new WeakMap<MethodRef, { readonly service: string; readonly name: string; readonly method: GrpcMethod }>();

/** The gRPC path and codecs of a method; UNIMPLEMENTED when no definition has it. */
export function grpcMethod(ref: MethodRef): GrpcMethod {
  const known = byRef.get(ref);
  if (known !== undefined && known.service === ref.service && known.name === ref.method.name) return known.method;
  const key = `/${ref.service}/${ref.method.name}`;
  const hit = cache.get(key);
  if (hit !== undefined) {
    byRef.set(ref, { service: ref.service, name: ref.method.name, method: hit });
    return hit;
  }
  const service = GENERIC_DEFINITIONS[ref.service];
  const definition = service && Object.values(service.methods).find((m) => m.name === ref.method.name);
  if (definition === undefined) {
    throw new VisionError(Code.UNIMPLEMENTED, `no gRPC definition for ${ref.service}.${ref.method.name}`);
  }
  const found = { path: key, definition };
  cache.set(key, found);
  byRef.set(ref, { service: ref.service, name: ref.method.name, method: found });
  return found;
}

/** Buffers as grpc-js wants them, without copying. */
function toBuffer(bytes: Uint8Array): Buffer {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

/** Encodes a deep partial (normalised by ts-proto's `fromPartial`). */
function serializer(type: GenericMethodDefinition['requestType']): (value: unknown) => Buffer {
  return (value) => toBuffer(type.encode(type.fromPartial(value as never)).finish());
}

/** Decodes with ts-proto. */
function deserializer(type: GenericMethodDefinition['requestType']): (bytes: Buffer) => unknown {
  return (bytes) => type.decode(bytes);
}

/**
 * A `@grpc/grpc-js` service definition (for `Server.addService` or
 * `makeClientConstructor`) from a ts-proto generic definition. Serializers
 * accept deep partials.
 */
export function grpcServiceDefinition(definition: GenericServiceDefinition): grpc.ServiceDefinition {
  const out: Record<string, grpc.MethodDefinition<unknown, unknown>> = {};
  for (const [key, method] of Object.entries(definition.methods)) {
    out[key] = {
      path: `/${definition.fullName}/${method.name}`,
      requestStream: method.requestStream,
      responseStream: method.responseStream,
      requestSerialize: serializer(method.requestType),
      requestDeserialize: deserializer(method.requestType),
      responseSerialize: serializer(method.responseType),
      responseDeserialize: deserializer(method.responseType),
      originalName: method.name,
    };
  }
  return out;
}

/** One method of a plain grpc-js client, with grpc-js's usual overloads. */
export interface GrpcClientMethod<Req, Res> {
  (request: DeepPartial<Req>, callback: grpc.requestCallback<Res>): grpc.ClientUnaryCall;
  (request: DeepPartial<Req>, metadata: grpc.Metadata, callback: grpc.requestCallback<Res>): grpc.ClientUnaryCall;
  (
    request: DeepPartial<Req>,
    metadata: grpc.Metadata,
    options: Partial<grpc.CallOptions>,
    callback: grpc.requestCallback<Res>,
  ): grpc.ClientUnaryCall;
}

/** A plain grpc-js client of a service: `grpc.Client` plus one callback method per RPC. */
export type GrpcClient<D extends GenericServiceDefinition> = grpc.Client & {
  readonly [K in keyof D['methods']]: GrpcClientMethod<RequestOf<D['methods'][K]>, ResponseOf<D['methods'][K]>>;
};

/** The constructor of a plain grpc-js client class. */
export interface GrpcClientConstructor<D extends GenericServiceDefinition> {
  new (address: string, credentials: grpc.ChannelCredentials, options?: Partial<grpc.ChannelOptions>): GrpcClient<D>;
  /** The grpc-js service definition it was made from. */
  readonly service: grpc.ServiceDefinition;
  /** The service's full name. */
  readonly serviceName: string;
}

/** A plain `@grpc/grpc-js` client class made from a ts-proto generic definition. */
export function makeGrpcClientClass<D extends GenericServiceDefinition>(definition: D): GrpcClientConstructor<D> {
  return grpc.makeClientConstructor(
    grpcServiceDefinition(definition),
    definition.fullName,
  ) as unknown as GrpcClientConstructor<D>;
}

/** A plain grpc-js client class for ImageAnnotator (`new ImageAnnotatorGrpcClient(address, credentials)`). */
export const ImageAnnotatorGrpcClient: GrpcClientConstructor<typeof ImageAnnotatorDefinition> =
  makeGrpcClientClass(ImageAnnotatorDefinition);

/** A plain grpc-js client class for ProductSearch. */
export const ProductSearchGrpcClient: GrpcClientConstructor<typeof ProductSearchDefinition> =
  makeGrpcClientClass(ProductSearchDefinition);

/** A plain grpc-js client class for google.longrunning.Operations. */
export const OperationsGrpcClient: GrpcClientConstructor<typeof OperationsDefinition> =
  makeGrpcClientClass(OperationsDefinition);
