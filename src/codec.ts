/**
 * `vision-kit/codec` (browser-safe): messages as data. proto3 JSON both
 * ways, the binary wire format, `google.protobuf.Any`, `google.rpc.Status`
 * (gRPC trailer bytes, REST error bodies, the CLI's JSON), the canonical
 * code mappings, and the schema registry the codecs read (register the
 * gen-time tables of your own protos with `registerSchema`).
 *
 * @module vision-kit/codec
 */

import { registerVisionTables } from './schema/vision-tables.js';

export type { Any } from './codec/any.js';
export { packAny, TYPE_URL_PREFIX, typeNameOfUrl, unpackAny } from './codec/any.js';
export type { WireOptions } from './codec/binary-codec.js';
export { decodeMessage, encodeMessage, WireError } from './codec/binary-codec.js';
export {
  ERROR_DETAIL_BYTES_LIMIT,
  ERROR_DETAIL_DEPTH_LIMIT,
  ERROR_DETAILS_LIMIT,
  ERROR_MESSAGE_LIMIT,
} from './codec/error-caps.js';
export type { FromJsonOptions } from './codec/json/from-json.js';
export { messageFromJson, messageFromJsonText } from './codec/json/from-json.js';
export { ProtoJsonError } from './codec/json/json-error.js';
export { jsonNestingPastLimit, MAX_JSON_NESTING } from './codec/json/json-nesting.js';
export type { JsonValue, ToJsonOptions, ToJsonTextOptions } from './codec/json/to-json.js';
export { messageToJson, messageToJsonText } from './codec/json/to-json.js';
export type { RestErrorBody, Status, StatusJson } from './codec/rpc-status.js';
export {
  errorFromRestResponse,
  errorFromStatus,
  errorFromStatusJson,
  errorToRestBody,
  errorToStatus,
  restStatusOf,
  statusToJson,
} from './codec/rpc-status.js';
export { errorFromStatusBytes, errorToStatusBytes } from './codec/status-bytes.js';
export { codeFromHttpStatus, codeFromName, httpStatusFromCode } from './core/code.js';
export type { MessageObject } from './schema/create-message.js';
export { createMessage, normalizeMessage } from './schema/create-message.js';
export type { EnumInfo, FieldInfo, FieldRow, MapInfo, MessageInfo, MessageShape, SchemaTables, ValueInfo } from './schema/registry.js';
export { enumInfo, messageInfo, registerSchema, ScalarType } from './schema/registry.js';
export { SchemaError } from './schema/schema-error.js';

// Every type of Vision's tables can be looked up by name through this entry (vision-tables.ts).
registerVisionTables();
