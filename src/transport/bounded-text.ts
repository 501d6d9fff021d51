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
import { failureCodeFromHttpStatus } from '../core/code.js';
import * as codes from '../core/codes.js';
import { VisionError } from '../core/vision-error.js';

/** The default limit on a REST answer's body: 10 MiB, the gRPC transport's receive limit (`GRPC_MESSAGE_LIMIT`). */
export const REST_ANSWER_LIMIT = 10 * 1024 * 1024;

/**
 * The body of `response` (the answer to `what`, e.g. `GetProduct (GET /v1/…)`)
 * as UTF-8 text (a BOM dropped, bad sequences as U+FFFD, as
 * `response.text()` does), reading at most `limit` bytes. Past the limit the
 * stream is cancelled and this throws a VisionError: RESOURCE_EXHAUSTED for
 * a successful status (what grpc-js gives a message over its receive limit),
 * naming the limit and the option that raises it; an error status keeps the
 * code its HTTP status means (the server's error is not read). A read that
 * fails (the connection cut, the call's signal aborted) rejects with the
 * stream's error.
 */
export async function readBoundedText(response: Response, limit: number, what: string): Promise<string> {
  const body = response.body;
  if (body === null) return '';
  const declared = declaredLength(response);
  if (declared !== undefined && declared > limit) {
    cancel(body.cancel());
    throw tooLarge(response, limit, what, `it declares ${declared} bytes (Content-Length)`);
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
      throw tooLarge(response, limit, what, `stopped reading after ${received} bytes`);
    }
    chunks.push(value);
  }
  return new TextDecoder().decode(chunks.length === 1 ? chunks[0] : concat(chunks, received));
}

/** The error for an answer to `what` over the limit; `size` says what was seen of it. */
function tooLarge(response: Response, limit: number, what: string, size: string): VisionError {
  const httpStatus = response.status;
  return response.ok
    ? new VisionError(
        codes.RESOURCE_EXHAUSTED,
        `the HTTP ${httpStatus} answer to ${what} is over the limit of ${limit} bytes (the maxReceiveBytes option): ${size}`,
        { httpStatus },
      )
    : new VisionError(
        failureCodeFromHttpStatus(httpStatus),
        `HTTP ${httpStatus} with an error body over the limit of ${limit} bytes, not read (${size})`,
        { httpStatus },
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
