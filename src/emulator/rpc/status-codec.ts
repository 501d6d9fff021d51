/**
 * VisionError → google.rpc.Status (message, bytes for `grpc-status-details-bin`)
 * and → Google's REST error body, for the emulator's servers.
 *
 * Stop-gap until src/http/rpc-status.ts (#3) lands: it knows the google.rpc
 * detail types through ts-proto's codecs (Node only, which the servers are).
 */
import type { BinaryWriter } from '@bufbuild/protobuf/wire';
import { codeName, httpStatusFromCode } from '../../core/code.js';
import type { VisionError } from '../../core/vision-error.js';
import type { Any } from '../../../gen/google/protobuf/any.js';
import { Status } from '../../../gen/google/rpc/status.js';
import * as details from '../../../gen/google/rpc/error_details.js';

interface Encoder {
  encode(message: never, writer?: BinaryWriter): BinaryWriter;
  fromPartial(object: never): unknown;
}

const KNOWN: Record<string, Encoder> = {
  'google.rpc.ErrorInfo': details.ErrorInfo,
  'google.rpc.RetryInfo': details.RetryInfo,
  'google.rpc.DebugInfo': details.DebugInfo,
  'google.rpc.QuotaFailure': details.QuotaFailure,
  'google.rpc.PreconditionFailure': details.PreconditionFailure,
  'google.rpc.BadRequest': details.BadRequest,
  'google.rpc.RequestInfo': details.RequestInfo,
  'google.rpc.ResourceInfo': details.ResourceInfo,
  'google.rpc.Help': details.Help,
  'google.rpc.LocalizedMessage': details.LocalizedMessage,
};

/** The error as a google.rpc.Status message (details packed as Any). */
export function statusFromError(err: VisionError): Status {
  const packed: Any[] = [];
  for (const d of err.details) {
    const typeUrl = `type.googleapis.com/${d.type}`;
    if (d.bytes) packed.push({ typeUrl, value: d.bytes });
    else if (d.value && KNOWN[d.type]) {
      const enc = KNOWN[d.type]!;
      packed.push({ typeUrl, value: enc.encode(enc.fromPartial(d.value as never) as never).finish() });
    }
  }
  return { code: err.code, message: err.rawMessage, details: packed };
}

/** Bytes for the `grpc-status-details-bin` trailer. */
export function statusBytesFromError(err: VisionError): Uint8Array {
  return Status.encode(statusFromError(err)).finish();
}

/** Google's REST error body `{"error":{"code","message","status","details"}}`. */
export function restErrorBody(err: VisionError): { error: { code: number; message: string; status: string; details: unknown[] } } {
  const out: unknown[] = [];
  for (const d of err.details) {
    if (d.value) out.push({ '@type': `type.googleapis.com/${d.type}`, ...(d.value as object) });
    else if (d.json && typeof d.json === 'object') out.push({ '@type': `type.googleapis.com/${d.type}`, ...(d.json as object) });
  }
  return {
    error: { code: err.httpStatus ?? httpStatusFromCode(err.code), message: err.rawMessage, status: codeName(err.code), details: out },
  };
}
