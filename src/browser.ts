/**
 * vision-kit for browsers (`vision-kit/browser`): the REST transport, typed
 * clients, the operation poller, errors, resource names, Timestamp and
 * Duration helpers, and the API's generated message types (types only) and
 * enums (values built from the schema tables, each dropped by a bundler
 * when unused). Nothing here (or
 * below it) imports a Node built-in or `@grpc/grpc-js`; the Node entry
 * (`vision-kit`) is this plus the gRPC transport and Google credentials.
 * Lower-level pieces live behind subpaths: `vision-kit/codec`,
 * `vision-kit/transcoding`, `vision-kit/testing` (and, on Node,
 * `vision-kit/grpc`, `vision-kit/serving`).
 *
 * @module vision-kit/browser
 */

// The row types of the gen-time tables (the tables `vision-kit gen` writes for other APIs have them too).
export type { OperationTypes } from '../gen/schema/operations.js';
export type { HttpBinding, MethodRow, OperationInfo, OperationRouteRow } from '../gen/schema/services.js';
export type { Client, ClientCallOptions, ClientMethod, ClientOptions, LroResult, MethodId } from './client/create-client.js';
// Typed clients.
export { createClient, descriptorOf } from './client/create-client.js';
export type { OperationContext, RawClient, RawClientMethod, RawClientOptions } from './client/create-raw-client.js';
export { createRawClient } from './client/create-raw-client.js';
// Timestamp and Duration helpers.
export { durationFromMillis, durationToMillis } from './client/duration.js';
export type { PageableMethod, PageItem, PageRequest, PageResponse, RequestOfMethod } from './client/paginate.js';
export { pages, paginate } from './client/paginate.js';
export { PathFieldError } from './client/path-fields.js';
export type { ResourceName } from './client/resource-names.js';
export {
  locationName,
  productName,
  productSetName,
  ResourceNameError,
  referenceImageName,
  resourceName,
  resourceNameFromPattern,
} from './client/resource-names.js';
export type { TimeMessageInput } from './client/time-value.js';
export { TimeValueError } from './client/time-value.js';
export {
  timestampFromDate,
  timestampFromMillis,
  timestampToDate,
  timestampToMillis,
} from './client/timestamp.js';
export type { CodeName } from './core/code.js';
// Errors and codes.
export { Code, codeName } from './core/code.js';
export type { DetailTypes, ErrorDetail, TypedErrorDetail, VisionErrorInit } from './core/vision-error.js';
export { VisionError } from './core/vision-error.js';
// Long-running operations.
export * from './lro/index.js';
export type {
  DeepPartial,
  GenericMethodDefinition,
  GenericServiceDefinition,
  MessageFns,
  RequestOf,
  ResponseOf,
} from './schema/definition-types.js';
// The API's enums as values (`Feature_Type.IMAGE_PROPERTIES`), and a value's name.
export type { EnumKey, EnumObject } from './schema/enums.js';
export {
  BatchOperationMetadata_State,
  Block_BlockType,
  enumName,
  FaceAnnotation_Landmark_Type,
  Feature_Type,
  Likelihood,
  OperationMetadata_State,
  TextAnnotation_DetectedBreak_BreakType,
} from './schema/enums.js';
// Every generated message and enum type (`Product`, `AnnotateImageRequest`, `BadRequest`, …), as types only.
export type * from './schema/message-types.js';
export type { EnumNameOf, EnumTypes, RequestInput } from './schema/request-input.js';
export { FieldPathError } from './schema/schema-error.js';
export type {
  GeneratedTables,
  ImageAnnotatorService,
  OperationsService,
  ProductSearchService,
  ServiceDescriptor,
  ServiceTable,
} from './schema/service-descriptor.js';
export { ImageAnnotator, Operations, ProductSearch, serviceDescriptor } from './schema/service-descriptor.js';
export type { OperationRouteTable } from './schema/service-registry.js';
export { REST_ANSWER_LIMIT } from './transport/bounded-text.js';
export { TransportClosedError } from './transport/closed-error.js';
export type { ConnectionErrorInit, ConnectionFailure } from './transport/connection-error.js';
export { ConnectionError } from './transport/connection-error.js';
export type { Credentials, TokenProvider } from './transport/credentials.js';
export { GOOGLE_GRPC_ENDPOINT, GOOGLE_REST_ENDPOINT, VISION_SCOPES } from './transport/endpoint.js';
export type { RestTransportOptions } from './transport/rest-transport.js';
// Transports.
export { createRestTransport } from './transport/rest-transport.js';
export type { RetryOptions, RetryPolicy } from './transport/retry.js';
export { DEFAULT_CONNECT_RETRY_MS, DEFAULT_RETRY } from './transport/retry.js';
export type { CallOptions, MethodRef, Transport } from './transport/transport.js';
export { DEFAULT_TIMEOUT_MS } from './transport/transport.js';
