/**
 * Reading a REST answer with a size limit (browser-safe), like the gRPC
 * transport's receive limit: `response.text()` reads whatever comes, so an
 * endless answer grows the process without bound, and one declaring a
 * `Content-Length` of gigabytes can kill it. Here the limit is enforced
 * while reading: a declared length over it is refused before a byte is read
 * (unless the body is content-encoded, where the declared length is the
 * compressed one), then the bytes are counted as chunks arrive (after
 * decompression, so a small gzip bomb counts what it expands to), and past
 * the limit the stream is cancelled, which closes the connection.
 */
import { codeFromHttpStatus } from '../core/code.js';
import * as codes from '../core/codes.js';
import { VisionError } from '../core/vision-error.js';

/** The default limit on a REST answer's body: 10 MiB, the gRPC transport's receive limit (`GRPC_MESSAGE_LIMIT`). */
export const REST_ANSWER_LIMIT = 10 * 1024 * 1024;

/** Thrown by {@link readBoundedText} when the answer is over the limit; the stream is cancelled by then. */
export class AnswerTooLargeError extends Error {
  /** The limit, in bytes. */
  readonly limit: number;
  /** The `Content-Length` declared, when it was over the limit (nothing was read). */
  readonly declared: number | undefined;
  /** Bytes received before giving up (0 when the declared length was refused). */
  readonly received: number;

  constructor(limit: number, declared: number | undefined, received: number) {
    super(
      declared === undefined
        ? `the answer is larger than the limit of ${limit} bytes (stopped reading after ${received})`
        : `the answer declares ${declared} bytes (Content-Length), over the limit of ${limit}`,
    );
    this.name = 'AnswerTooLargeError';
    this.limit = limit;
    this.declared = declared;
    this.received = received;
  }
}

/**
 * The body of `response` as UTF-8 text (a BOM dropped, bad sequences as
 * U+FFFD, as `response.text()` does), reading at most `limit` bytes. Throws
 * {@link AnswerTooLargeError} past the limit, after cancelling the stream; a
 * read that fails (the connection cut, the call's signal aborted) rejects
 * with the stream's error.
 */
export async function readBoundedText(response: Response, limit: number): Promise<string> {
  const body = response.body;
  if (body === null) return '';
  const declared = declaredLength(response);
  if (declared !== undefined && declared > limit) {
    cancel(body.cancel());
    throw new AnswerTooLargeError(limit, declared, 0);
  }
  const reader = body.getReader();
  const chunks: Uint8Array[] = [];
  let received = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    received += value.byteLength;
    if (received > limit) {
      cancel(reader.cancel());
      throw new AnswerTooLargeError(limit, undefined, received);
    }
    chunks.push(value);
  }
  return new TextDecoder().decode(chunks.length === 1 ? chunks[0] : concat(chunks, received));
}

/**
 * The error for an answer to `what` over the limit. A successful status
 * gives RESOURCE_EXHAUSTED (what grpc-js gives a message over its receive
 * limit), naming the limit and the option that raises it; an error status
 * keeps the code its HTTP status means (the server's error is not read).
 */
export function answerTooLargeError(err: AnswerTooLargeError, httpStatus: number, what: string): VisionError {
  const size =
    err.declared === undefined ? `stopped reading after ${err.received} bytes` : `it declares ${err.declared} bytes (Content-Length)`;
  if (httpStatus >= 200 && httpStatus < 300) {
    return new VisionError(
      codes.RESOURCE_EXHAUSTED,
      `the HTTP ${httpStatus} answer to ${what} is over the limit of ${err.limit} bytes (the maxReceiveBytes option): ${size}`,
      { httpStatus, cause: err },
    );
  }
  const code = codeFromHttpStatus(httpStatus);
  return new VisionError(
    code === codes.OK ? codes.UNKNOWN : code,
    `HTTP ${httpStatus} with an error body over the limit of ${err.limit} bytes, not read (${size})`,
    { httpStatus, cause: err },
  );
}

/** The `Content-Length` of an answer whose body is not content-encoded, when it is a valid one. */
function declaredLength(response: Response): number | undefined {
  const encoding = response.headers.get('content-encoding');
  if (encoding !== null && encoding.trim().toLowerCase() !== 'identity') return undefined;
  const value = response.headers.get('content-length');
  return value !== null && /^\s*\d+\s*$/.test(value) ? Number(value) : undefined;
}

function concat(chunks: readonly Uint8Array[], length: number): Uint8Array {
  const out = new Uint8Array(length);
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.byteLength;
  }
  return out;
}

/** A cancellation is fire-and-forget: its failure (the stream already errored) changes nothing. */
function cancel(p: Promise<void>): void {
  p.catch(() => undefined);
}
