/**
 * `google.rpc.Status` as bytes: gRPC's `grpc-status-details-bin` trailer,
 * both ways (the other forms of an error are in rpc-status.ts). Its own
 * module because it needs the binary codec, which the browser's path (REST
 * only) leaves out.
 */

import * as codes from '../core/codes.js';
import { VisionError } from '../core/vision-error.js';
import { decodeMessage, encodeMessage } from './binary-codec.js';
import { errorFromStatus, errorToStatus, type Status } from './rpc-status.js';

/** The bytes of the error's `google.rpc.Status`, for gRPC's `grpc-status-details-bin` trailer. */
export function errorToStatusBytes(err: VisionError): Uint8Array {
  return encodeMessage('google.rpc.Status', errorToStatus(err));
}

/**
 * The VisionError of `grpc-status-details-bin` bytes. Never throws: bytes
 * that do not decode give `fallback` (the call's gRPC code and message) when
 * given, else INTERNAL naming the problem.
 */
export function errorFromStatusBytes(bytes: Uint8Array, fallback?: { code: number; message: string }): VisionError {
  try {
    return errorFromStatus(decodeMessage<Status>('google.rpc.Status', bytes));
  } catch (e) {
    if (fallback !== undefined) return errorFromStatus({ code: fallback.code, message: fallback.message, details: [] });
    return new VisionError(codes.INTERNAL, `malformed google.rpc.Status bytes (${e instanceof VisionError ? e.rawMessage : String(e)})`, {
      httpStatus: 500,
    });
  }
}
