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
export { SchemaError, FieldPathError } from './schema/schema-error.js';
export { transcodeRequest } from './http/transcode-request.js';
export type { TranscodeOptions, TranscodedRequest } from './http/transcode-request.js';
export { parsePathTemplate, PathTemplate } from './http/path-template.js';
export type { TemplateSegment, TemplateVariable } from './http/path-template.js';
export { TemplateError } from './http/template-error.js';
