import type * as grpc from '@grpc/grpc-js';
import { capMessage } from '../codec/error-caps.js';
import { errorFromStatusBytes } from '../codec/status-bytes.js';
import { httpStatusFromCode } from '../core/code.js';
import * as codes from '../core/codes.js';
import { VisionError } from '../core/vision-error.js';

/**
 * The VisionError of a failed grpc-js call: the `google.rpc.Status` of
 * `grpc-status-details-bin` when the server sent one (typed details), else the
 * call's code and message, capped like every error read from the wire
 * (error-caps.ts). `httpStatus` is what Google's front ends answer for
 * the code, so the same failure is equal over gRPC and REST.
 */
export function errorFromGrpc(err: grpc.ServiceError): VisionError {
  const code = VisionError.isCode(err.code) ? err.code : codes.UNKNOWN;
  const message = err.details ?? '';
  const raw = err.metadata?.get('grpc-status-details-bin')[0];
  if (raw !== undefined && typeof raw !== 'string') {
    const fromDetails = errorFromStatusBytes(raw, { code, message });
    // The trailer must agree with the call's status; otherwise trust the status line.
    if (fromDetails.code === code) return fromDetails;
  }
  return new VisionError(code, capMessage(message), { httpStatus: httpStatusFromCode(code) });
}
