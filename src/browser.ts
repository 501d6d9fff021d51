/**
 * vision-kit, browser entry: REST clients, the poller and the types. Nothing
 * here (or below it) may import a Node built-in or `@grpc/grpc-js`.
 */
export { Code, codeName, codeFromName, httpStatusFromCode, codeFromHttpStatus } from './core/code.js';
export type { CodeName } from './core/code.js';
export { VisionError } from './core/vision-error.js';
export type { ErrorDetail, VisionErrorInit } from './core/vision-error.js';
export { messageToJson, messageToJsonText, messageFromJson, messageFromJsonText, ProtoJsonError } from './http/proto-json.js';
export type { JsonValue, ToJsonOptions, ToJsonTextOptions, FromJsonOptions } from './http/proto-json.js';
export { packAny, unpackAny, TYPE_URL_PREFIX } from './http/any.js';
export { createMessage, normalizeMessage } from './schema/create-message.js';
export { registerSchema } from './schema/registry.js';
export type { SchemaTables } from './schema/registry.js';
export { SchemaError, FieldPathError } from './schema/schema-error.js';

// Transports and typed clients (#4).
export type { CallOptions, MethodRef, Transport } from './transport/transport.js';
export { DEFAULT_TIMEOUT_MS } from './transport/transport.js';
export { DEFAULT_RETRY, isIdempotent } from './transport/retry.js';
export type { RetryOptions, RetryPolicy } from './transport/retry.js';
export type { Credentials, TokenProvider } from './transport/credentials.js';
export { createRestTransport } from './transport/rest-transport.js';
export type { RestTransportOptions } from './transport/rest-transport.js';
export { createMemoryTransport } from './transport/memory-transport.js';
export type { MemoryCallContext, MemoryHandler, MemoryHandlers } from './transport/memory-transport.js';
export { GOOGLE_GRPC_ENDPOINT, GOOGLE_REST_ENDPOINT, VISION_SCOPES, isLoopbackEndpoint } from './transport/endpoint.js';
export { createRawClient } from './client/create-client.js';
export type { RawClient, RawClientMethod, RawClientOptions, OperationContext } from './client/create-client.js';
export type { DeepPartial, GenericServiceDefinition } from './client/definition-types.js';
export { ImageAnnotator, Operations, ProductSearch, findMethod, serviceDescriptor } from './client/service-descriptor.js';
export type { GeneratedTables, ServiceDescriptor, ServiceTable } from './client/service-descriptor.js';
export { pages, paginate } from './client/paginate.js';
export type { PageItem } from './client/paginate.js';
export {
  ResourceNameError,
  locationName,
  productName,
  productSetName,
  referenceImageName,
  resourceName,
  resourceNameFromPattern,
} from './client/resource-names.js';
export type { ResourceName } from './client/resource-names.js';

// The long-running-operation poller (#5).
export * from './lro/index.js';

// Transcoding (#3).
export { transcodeRequest } from './http/transcode-request.js';
export type { TranscodeOptions, TranscodedRequest } from './http/transcode-request.js';
export { parsePathTemplate, PathTemplate } from './http/path-template.js';
export type { TemplateSegment, TemplateVariable } from './http/path-template.js';
export { TemplateError } from './http/template-error.js';
