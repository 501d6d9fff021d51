/**
 * One error, four forms: {@link VisionError} ⇄ `google.rpc.Status` (ts-proto
 * shape, details as Any) ⇄ its bytes (gRPC `grpc-status-details-bin`, in
 * status-bytes.ts: the binary codec stays off the browser's path) ⇄
 * proto3 JSON, and Google's REST error body
 * `{"error":{"code":<http>,"message","status":"NOT_FOUND","details":[…]}}`.
 *
 * Details of a type the schema knows are decoded into `ErrorDetail.value`
 * (ts-proto shape), so the same error read from bytes or from JSON is
 * deep-equal. Unknown types stay raw: `bytes` from gRPC, `json` from REST.
 * Nothing here throws on bad input from the wire. What an error read from
 * the wire keeps is capped (error-caps.ts): the message's length, the
 * number of details, each detail's size and nesting.
 */
import type { Any } from '../../gen/google/protobuf/any.js';
import type { Status } from '../../gen/google/rpc/status.js';
import { codeFromName, codeName, failureCodeFromHttpStatus, httpStatusFromCode, isCode } from '../core/code.js';
import * as codes from '../core/codes.js';
import { type ErrorDetail, VisionError } from '../core/vision-error.js';
import { hasMessage } from '../schema/registry.js';
import { packAny, TYPE_URL_PREFIX, typeNameOfUrl } from './any.js';
import { cappedError, type DetailFault, detailFault, ERROR_DETAIL_BYTES_LIMIT, flatExcerpt } from './error-caps.js';
import { anyBytesCodec, heldMessage } from './held-any.js';
import { messageFromJson } from './json/from-json.js';
import { type JsonValue, messageToJson } from './json/to-json.js';

export type { Status } from '../../gen/google/rpc/status.js';

/** The `error` object of a Google REST error body. */
export interface RestErrorBody {
  /** The error. */
  error: {
    /** The HTTP status. */
    code: number;
    /** The message (without the `[CODE]` prefix). */
    message: string;
    /** The canonical code name, e.g. `NOT_FOUND`. */
    status: string;
    /** Details as proto3 JSON Any objects (`@type` first); left out when there are none. */
    details?: JsonValue[];
  };
}

type JsonObject = { [key: string]: JsonValue };

function isObject(v: unknown): v is JsonObject {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function anyToDetail(any: Any): ErrorDetail {
  const type = typeNameOfUrl(any.typeUrl);
  const held = heldMessage(any);
  if (held !== undefined) return { type, value: held.message };
  if (hasMessage(type)) {
    try {
      return { type, value: anyBytesCodec('decoding an error detail').decode(type, any.value) };
    } catch {
      // Fall through: keep the raw bytes.
    }
  }
  return { type, bytes: any.value };
}

/** A detail of a Status as kept: left out when its bytes, or the message they decode to (or it holds), are over the caps. */
function cappedAnyToDetail(any: Any): ErrorDetail | DetailFault {
  if (heldMessage(any) === undefined && any.value.byteLength > ERROR_DETAIL_BYTES_LIMIT) return 'large';
  const detail = anyToDetail(any);
  return detail.value === undefined ? detail : (detailFault(detail.value) ?? detail);
}

function detailToAny(d: ErrorDetail): Any | undefined {
  try {
    if (d.value !== undefined) return packAny(d.type, d.value);
    if (d.bytes !== undefined) return { typeUrl: TYPE_URL_PREFIX + d.type, value: d.bytes };
    if (hasMessage(d.type) && isObject(d.json))
      return messageFromJson<Any>('google.protobuf.Any', { '@type': TYPE_URL_PREFIX + d.type, ...d.json });
  } catch {
    // A detail that cannot be encoded is left out rather than failing the error itself.
  }
  return undefined;
}

function detailToJson(d: ErrorDetail): JsonValue {
  const url = TYPE_URL_PREFIX + d.type;
  if (d.json !== undefined) return isObject(d.json) ? { '@type': url, ...d.json } : { '@type': url, value: d.json as JsonValue };
  const any = detailToAny(d);
  if (any !== undefined && hasMessage(d.type)) {
    try {
      return messageToJson('google.protobuf.Any', any);
    } catch {
      // Fall through.
    }
  }
  return any === undefined ? { '@type': url } : { '@type': url, value: messageToJson('google.protobuf.BytesValue', { value: any.value }) };
}

/** A REST detail as kept: left out, before anything else reads it, when it is over the caps. */
function cappedJsonToDetail(j: JsonValue): ErrorDetail | DetailFault {
  return detailFault(j) ?? jsonToDetail(j);
}

function jsonToDetail(j: JsonValue): ErrorDetail {
  if (!isObject(j)) return { type: '', json: j };
  const url = j['@type'];
  const { '@type': _type, ...rest } = j;
  if (typeof url !== 'string') return { type: '', json: j };
  const type = typeNameOfUrl(url);
  if (hasMessage(type)) {
    try {
      return anyToDetail(messageFromJson<Any>('google.protobuf.Any', j, { ignoreUnknownFields: true }));
    } catch {
      // Fall through: keep the JSON.
    }
  }
  return { type, json: rest };
}

/** The `google.rpc.Status` (ts-proto shape) of an error; details that cannot be encoded are left out. */
export function errorToStatus(err: VisionError): Status {
  const details: Any[] = [];
  for (const d of err.details) {
    const any = detailToAny(d);
    if (any !== undefined) details.push(any);
  }
  return { code: err.code, message: err.rawMessage, details };
}

/**
 * The VisionError of a `google.rpc.Status` (from gRPC or an Operation's
 * `error`): a code outside 0–16 reads as UNKNOWN; `httpStatus` is the status
 * Google's front ends give the code. The message and details are capped
 * (error-caps.ts).
 */
export function errorFromStatus(status: Status): VisionError {
  const code = isCode(status.code) ? status.code : codes.UNKNOWN;
  return cappedError(code, status.message, status.details, cappedAnyToDetail);
}

/** `google.rpc.Status` as proto3 JSON, every field present: what {@link statusToJson} gives. */
export interface StatusJson {
  /** The canonical code number (0–16). */
  code: number;
  /** The error message without the `[CODE_NAME]` prefix (`VisionError.rawMessage`). */
  message: string;
  /** The details as proto3 JSON `Any` objects (`{"@type": "type.googleapis.com/…", …}`), in order. */
  details: JsonValue[];
}

/**
 * The error as `google.rpc.Status` proto3 JSON, always with `code`,
 * `message` and `details`: the CLI's one line `{"code":5,"message":"…","details":[…]}`.
 */
export function statusToJson(err: VisionError): StatusJson {
  return { code: err.code, message: err.rawMessage, details: err.details.map(detailToJson) };
}

/**
 * The VisionError of a `google.rpc.Status` JSON object (the inverse of
 * {@link statusToJson}), the message and details capped; never throws.
 */
export function errorFromStatusJson(json: unknown): VisionError {
  if (!isObject(json)) return new VisionError(codes.UNKNOWN, `not a google.rpc.Status: ${flatExcerpt(safeStringify(json))}`);
  const code = isCode(json.code) ? json.code : codes.UNKNOWN;
  const message = typeof json.message === 'string' ? json.message : '';
  return cappedError(code, message, Array.isArray(json.details) ? json.details : [], cappedJsonToDetail);
}

/** JSON text of a value, or its type when it cannot be written (nested too deep, a cycle). */
function safeStringify(value: unknown): string {
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return Array.isArray(value) ? 'an array' : typeof value;
  }
}

/** The HTTP status a REST answer carries for the error: its own, else the code's. */
export function restStatusOf(err: VisionError): number {
  return err.httpStatus ?? httpStatusFromCode(err.code);
}

/** Google's REST error body for the error (details as `@type` objects, left out when none). */
export function errorToRestBody(err: VisionError): RestErrorBody {
  const error: RestErrorBody['error'] = { code: restStatusOf(err), message: err.rawMessage, status: codeName(err.code) };
  if (err.details.length > 0) error.details = err.details.map(detailToJson);
  return { error };
}

/**
 * The VisionError of a failed REST answer. Reads Google's wrapped form
 * `{"error":{…}}`, the unwrapped form `{code,message,status,details}` and an
 * array holding either (google-gax issue 1303). The code comes from the
 * body's `status` name when it is a valid one, else from the HTTP status.
 * A body that is not JSON (an HTML error page, a truncated answer) gives the
 * HTTP status's code (UNKNOWN when it has none, INTERNAL for 500) and a
 * message with the status and a short excerpt. The message and details are
 * capped (error-caps.ts): details too large or too deep are left out before
 * anything reads them, so the code and message always survive. Never throws.
 */
export function errorFromRestResponse(httpStatus: number, bodyText: string): VisionError {
  let json: unknown;
  try {
    json = JSON.parse(bodyText);
  } catch {
    json = undefined;
  }
  let e: unknown = Array.isArray(json) ? json[0] : json;
  if (isObject(e) && isObject(e.error)) e = e.error;
  if (!isObject(e)) {
    const what = bodyText.trim() === '' ? 'an empty body' : `a body that is not a Google error: ${flatExcerpt(bodyText)}`;
    return cappedError(failureCodeFromHttpStatus(httpStatus), `HTTP ${httpStatus} with ${what}`, [], cappedJsonToDetail, httpStatus);
  }
  const named = typeof e.status === 'string' ? codeFromName(e.status) : undefined;
  const code = named ?? failureCodeFromHttpStatus(httpStatus);
  const message = typeof e.message === 'string' ? e.message : `HTTP ${httpStatus}`;
  return cappedError(code, message, Array.isArray(e.details) ? e.details : [], cappedJsonToDetail, httpStatus);
}
