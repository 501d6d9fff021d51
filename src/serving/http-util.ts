/**
 * Small pieces the emulator's HTTP side shares: reading a body under a limit
 * (a body over the limit is drained and refused, and the server carries on),
 * Google-style JSON errors, CORS headers on every answer.
 */
import { type IncomingMessage, type ServerResponse, STATUS_CODES } from 'node:http';
import type { Duplex } from 'node:stream';
import { errorToRestBody, restStatusOf } from '../codec/rpc-status.js';
import * as codes from '../core/codes.js';
import { VisionError } from '../core/vision-error.js';

/** Headers browsers may read from our answers. */
const EXPOSED = 'Location, Range, Content-Range, ETag, X-Goog-Hash, X-Goog-Generation, X-Goog-Stored-Content-Length, X-Goog-Upload-Url';
const DEFAULT_ALLOWED =
  'Authorization, Content-Type, Content-Range, Range, X-Goog-Api-Key, X-Goog-Api-Client, X-Goog-Request-Params, X-Goog-User-Project, X-Goog-Upload-Protocol, X-Goog-Upload-Command, X-Goog-Upload-Offset, X-Upload-Content-Type, X-Upload-Content-Length, X-Server-Timeout, X-Goog-Hash';

/** Sets the CORS headers of every answer (preflights, errors and 401s included). */
export function setCors(req: IncomingMessage, res: ServerResponse): void {
  const origin = req.headers.origin;
  res.setHeader('Access-Control-Allow-Origin', origin ?? '*');
  if (origin) res.setHeader('Vary', 'Origin');
  res.setHeader('Access-Control-Expose-Headers', EXPOSED);
}

/** True for a CORS preflight. */
export function isPreflight(req: IncomingMessage): boolean {
  return req.method === 'OPTIONS';
}

/** Answers a preflight (never needs credentials). */
export function answerPreflight(req: IncomingMessage, res: ServerResponse): void {
  setCors(req, res);
  res.setHeader('Access-Control-Allow-Methods', 'GET, POST, PUT, PATCH, DELETE, OPTIONS');
  res.setHeader('Access-Control-Allow-Headers', req.headers['access-control-request-headers'] ?? DEFAULT_ALLOWED);
  res.setHeader('Access-Control-Max-Age', '3600');
  res.writeHead(204).end();
}

/** A request body larger than its limit. */
export class BodyTooLargeError extends VisionError {
  constructor(limit: number) {
    super(codes.INVALID_ARGUMENT, `Request payload size exceeds the limit: ${limit} bytes.`, { httpStatus: 413 });
    this.name = 'BodyTooLargeError';
  }
}

/**
 * Reads the whole body, refusing more than `limit` bytes: the rest is read
 * and dropped (up to 128 MB more, then the connection is cut after the answer)
 * so the client gets its 413 instead of a reset.
 */
export function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  return new Promise<Buffer>((resolve, reject) => {
    const declared = Number(req.headers['content-length'] ?? NaN);
    const chunks: Buffer[] = [];
    let size = 0;
    // A declared length over the limit is refused without keeping any of the body (it is only drained).
    let over = Number.isFinite(declared) && declared > limit;
    const dropCap = limit + 128 * 1024 * 1024;
    if (Number.isFinite(declared) && declared > dropCap) {
      req.pause();
      reject(new BodyTooLargeError(limit));
      return;
    }
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (over || size > limit) {
        over = true;
        chunks.length = 0;
        if (size > dropCap) {
          req.pause();
          reject(new BodyTooLargeError(limit));
        }
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => (over ? reject(new BodyTooLargeError(limit)) : resolve(Buffer.concat(chunks))));
    req.on('error', reject);
  });
}

/** Sends a JSON answer. */
export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'Content-Type': 'application/json; charset=UTF-8', 'Content-Length': Buffer.byteLength(text), ...headers });
  res.end(text);
}

/** Sends a VisionError as Google's JSON error (cutting the connection when the body was not read). */
export function sendError(req: IncomingMessage, res: ServerResponse, err: VisionError, extra: Record<string, unknown> = {}): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  const base = errorToRestBody(err);
  const body = { error: { ...base.error, ...extra } };
  const headers: Record<string, string> = {};
  if (err.code === codes.UNAUTHENTICATED) headers['WWW-Authenticate'] = 'Bearer realm="vision-kit emulator"';
  if (!req.complete) headers['Connection'] = 'close';
  sendJson(res, restStatusOf(err), body, headers);
}

/**
 * The server's `clientError` listener: a request Node's HTTP parser refuses
 * (not HTTP/1.1, a bad header, a broken chunk) gets Google's JSON error with
 * the CORS headers, like every other answer, instead of Node's bare
 * "400 Bad Request"; then the connection closes.
 */
export function answerClientError(err: Error & { code?: string }, socket: Duplex): void {
  const inProgress = (socket as Duplex & { _httpMessage?: { headersSent?: boolean } })._httpMessage;
  if (err.code === 'ECONNRESET' || !socket.writable || inProgress?.headersSent === true) {
    socket.destroy();
    return;
  }
  const error =
    err.code === 'HPE_HEADER_OVERFLOW'
      ? new VisionError(codes.INVALID_ARGUMENT, 'the request headers are too large', { httpStatus: 431 })
      : err.code === 'ERR_HTTP_REQUEST_TIMEOUT'
        ? new VisionError(codes.DEADLINE_EXCEEDED, 'the request was not received in time', { httpStatus: 408 })
        : new VisionError(codes.INVALID_ARGUMENT, `the request is not valid HTTP/1.1 (${err.code ?? 'parse error'})`);
  const status = restStatusOf(error);
  const text = JSON.stringify(errorToRestBody(error));
  socket.end(
    `HTTP/1.1 ${status} ${STATUS_CODES[status] ?? 'Error'}\r\n` +
      'Content-Type: application/json; charset=UTF-8\r\n' +
      `Content-Length: ${Buffer.byteLength(text)}\r\n` +
      'Access-Control-Allow-Origin: *\r\n' +
      'Connection: close\r\n\r\n' +
      text,
  );
}
