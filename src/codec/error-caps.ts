/**
 * What an error read from the wire may keep (browser-safe). A server's error
 * is held in a VisionError for as long as the caller keeps it, printed,
 * logged, walked by the redactor: a hostile server must not make it huge,
 * nor nest its details so deep that walking them overflows the stack and the
 * server's own code and message are lost. So, for errors read from a REST
 * body, a gRPC status (`grpc-message`, `grpc-status-details-bin`) or an
 * operation's `error`:
 *
 * - the message keeps its first {@link ERROR_MESSAGE_LIMIT} characters, then
 *   `… [message cut: N characters]`;
 * - at most {@link ERROR_DETAILS_LIMIT} details are kept, the first ones;
 * - a detail larger than {@link ERROR_DETAIL_BYTES_LIMIT} (its bytes on
 *   gRPC, about its JSON text on REST) or nested deeper than
 *   {@link ERROR_DETAIL_DEPTH_LIMIT} levels is left out.
 *
 * What was left out is said at the end of the message, e.g. `[details left
 * out: 1 larger than 65536 bytes, 968 past the first 32]`. The checks walk
 * a detail without recursion and stop at the first limit crossed, so they
 * cost at most the limit itself.
 */
import { type Code, httpStatusFromCode } from '../core/code.js';
import { type ErrorDetail, VisionError } from '../core/vision-error.js';

/** Characters of a server's error message kept. */
export const ERROR_MESSAGE_LIMIT = 8 * 1024;
/** Details of one error kept (the first ones). */
export const ERROR_DETAILS_LIMIT = 32;
/** Largest detail kept, in bytes (gRPC) or about its JSON text's length (REST). */
export const ERROR_DETAIL_BYTES_LIMIT = 64 * 1024;
/** Deepest nesting of objects and arrays in a detail kept (the detail itself is level 1). */
export const ERROR_DETAIL_DEPTH_LIMIT = 32;

/** Why a detail was left out. */
export type DetailFault = 'deep' | 'large';

/** The message cut to {@link ERROR_MESSAGE_LIMIT} characters (never inside a surrogate pair), saying so. */
export function capMessage(message: string): string {
  if (message.length <= ERROR_MESSAGE_LIMIT) return message;
  let end = ERROR_MESSAGE_LIMIT;
  const last = message.charCodeAt(end - 1);
  if (last >= 0xd800 && last <= 0xdbff) end--;
  return `${message.slice(0, end)}… [message cut: ${message.length} characters]`;
}

/**
 * Why a detail (parsed JSON, or a decoded message) is over the limits, or
 * undefined when it is not. Its size is about its JSON text's length
 * (bytes count their length).
 */
export function detailFault(value: unknown): DetailFault | undefined {
  let size = 0;
  const stack: { value: unknown; depth: number }[] = [{ value, depth: 1 }];
  for (let item = stack.pop(); item !== undefined; item = stack.pop()) {
    const v = item.value;
    if (typeof v === 'string') size += v.length + 2;
    else if (v instanceof Uint8Array) size += v.byteLength;
    else if (v !== null && typeof v === 'object') {
      if (item.depth > ERROR_DETAIL_DEPTH_LIMIT) return 'deep';
      size += 2;
      const depth = item.depth + 1;
      if (Array.isArray(v)) {
        for (const inner of v as unknown[]) {
          stack.push({ value: inner, depth });
          if (++size > ERROR_DETAIL_BYTES_LIMIT) return 'large';
        }
      } else {
        for (const key of Object.keys(v)) {
          stack.push({ value: (v as Record<string, unknown>)[key], depth });
          size += key.length + 4;
          if (size > ERROR_DETAIL_BYTES_LIMIT) return 'large';
        }
      }
    } else size += 8;
    if (size > ERROR_DETAIL_BYTES_LIMIT) return 'large';
  }
  return undefined;
}

/**
 * The VisionError of an error read from the wire: its message cut to the
 * limit, the details kept of `items` (each read by `read`, which gives a
 * detail or why it is left out), and a note at the end of the message saying
 * what was left out, when anything was. `httpStatus` defaults to the code's.
 */
export function cappedError<T>(
  code: Code,
  message: string,
  items: readonly T[],
  read: (item: T) => ErrorDetail | DetailFault,
  httpStatus: number = httpStatusFromCode(code),
): VisionError {
  const details: ErrorDetail[] = [];
  let deep = 0;
  let large = 0;
  let i = 0;
  for (; i < items.length && details.length < ERROR_DETAILS_LIMIT; i++) {
    const d = read(items[i]!);
    if (d === 'deep') deep++;
    else if (d === 'large') large++;
    else details.push(d);
  }
  const past = items.length - i;
  const parts: string[] = [];
  if (deep > 0) parts.push(`${deep} nested deeper than ${ERROR_DETAIL_DEPTH_LIMIT} levels`);
  if (large > 0) parts.push(`${large} larger than ${ERROR_DETAIL_BYTES_LIMIT} bytes`);
  if (past > 0) parts.push(`${past} past the first ${ERROR_DETAILS_LIMIT}`);
  const kept = capMessage(message);
  return new VisionError(code, parts.length === 0 ? kept : `${kept} [details left out: ${parts.join(', ')}]`, { details, httpStatus });
}

/**
 * A short excerpt of text for an error message: whitespace runs collapsed to
 * one space, trimmed, cut to `max` characters with `…`.
 */
export function flatExcerpt(text: string, max = 120): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > max ? `${flat.slice(0, max)}…` : flat;
}
