import { VisionError } from '../core/vision-error.js';

/**
 * Milliseconds an HTTP `Retry-After` value asks for (delta-seconds or an
 * HTTP-date, RFC 9110 §10.2.3), or undefined when absent or unreadable.
 */
export function parseRetryAfter(value: string | null | undefined, now: number = Date.now()): number | undefined {
  if (value === null || value === undefined) return undefined;
  const text = value.trim();
  if (/^\d+$/.test(text)) return Number(text) * 1000;
  const at = Date.parse(text);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

/**
 * The error with a `google.rpc.RetryInfo` detail made from an HTTP
 * `Retry-After` header, so callers read one form of "retry after"; an error
 * that already has a RetryInfo (or no usable header) is returned as is.
 */
export function withRetryAfter(error: VisionError, retryAfter: string | null | undefined): VisionError {
  const ms = parseRetryAfter(retryAfter);
  if (ms === undefined || error.findDetail('google.rpc.RetryInfo') !== undefined) return error;
  const retryDelay = { seconds: String(Math.floor(ms / 1000)), nanos: (ms % 1000) * 1e6 };
  return new VisionError(error.code, error.rawMessage, {
    details: [...error.details, { type: 'google.rpc.RetryInfo', value: { retryDelay } }],
    httpStatus: error.httpStatus,
    cause: error.cause,
  });
}
