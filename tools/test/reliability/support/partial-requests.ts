/**
 * Requests that never finish arriving, for memory tests: each declares a
 * body (or a gRPC message) larger than what it then sends, and keeps its
 * connection open. Written at the protocol level — raw HTTP/1.1 over TCP,
 * raw HTTP/2 for gRPC — so nothing in a client library finishes, retries
 * or buffers them differently. Every answer the server gives is recorded,
 * and a request stops sending once it has one.
 */
import http2 from 'node:http2';
import net from 'node:net';

/** What the server said to one partial request (nothing yet: undefined). */
export interface PartialAnswer {
  /** HTTP status (REST, storage) or `grpc-status` (gRPC). */
  readonly status: number;
  /** `Retry-After` (HTTP) or `grpc-message` (gRPC). */
  readonly hint: string | undefined;
  /** ms after the request was opened. */
  readonly afterMs: number;
}

/** A flood of partial requests. */
export interface PartialFlood {
  /** One entry per request: its answer so far. */
  answers(): readonly (PartialAnswer | undefined)[];
  /** Bytes of request data the kernel accepted from us so far (sent or buffered by the server's side). */
  written(): number;
  /** Closes every connection. */
  close(): void;
}

/**
 * `count` HTTP/1.1 requests `POST path` declaring `declared` bytes of body,
 * sending `sent` of them, on one connection each.
 */
export function partialHttp(port: number, path: string, count: number, declared: number, sent: number): PartialFlood {
  const answers: (PartialAnswer | undefined)[] = Array(count).fill(undefined);
  const sockets: net.Socket[] = [];
  let written = 0;
  const chunk = Buffer.alloc(64 * 1024, 0x5b); // '['
  for (let i = 0; i < count; i++) {
    const t0 = performance.now();
    const socket = net.connect(port, '127.0.0.1');
    sockets.push(socket);
    socket.on('error', () => undefined);
    let head = '';
    socket.setEncoding('latin1');
    socket.on('data', (d: string) => {
      if (answers[i]) return;
      head += d;
      const m = /^HTTP\/1\.1 (\d{3})/.exec(head);
      if (m && head.includes('\r\n\r\n')) {
        const retry = /^retry-after:\s*(\S+)/im.exec(head)?.[1];
        answers[i] = { status: Number(m[1]), hint: retry, afterMs: performance.now() - t0 };
      }
    });
    socket.write(`POST ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: ${declared}\r\n\r\n`);
    sendPiecewise(
      socket,
      chunk,
      sent,
      () => answers[i] !== undefined,
      (n) => {
        written += n;
      },
    );
  }
  return {
    answers: () => answers,
    written: () => written,
    close: () => {
      for (const s of sockets) s.destroy();
    },
  };
}

/**
 * `count` gRPC calls of `path`, `perSession` per HTTP/2 connection, each
 * sending a message prefix declaring `declared` bytes and then `sent` bytes
 * of it, never ending the stream.
 */
export function partialGrpc(address: string, path: string, count: number, declared: number, sent: number, perSession = 10): PartialFlood {
  const answers: (PartialAnswer | undefined)[] = Array(count).fill(undefined);
  const sessions: http2.ClientHttp2Session[] = [];
  let written = 0;
  const chunk = Buffer.alloc(64 * 1024, 0x41);
  for (let i = 0; i < count; i++) {
    if (i % perSession === 0) {
      const session = http2.connect(`http://${address}`);
      session.on('error', () => undefined);
      sessions.push(session);
    }
    const session = sessions[sessions.length - 1]!;
    const t0 = performance.now();
    const stream = session.request({
      ':method': 'POST',
      ':path': path,
      'content-type': 'application/grpc',
      te: 'trailers',
    });
    stream.on('error', () => undefined);
    const record = (headers: http2.IncomingHttpHeaders): void => {
      const status = headers['grpc-status'];
      if (status !== undefined && !answers[i]) {
        const message = headers['grpc-message'];
        answers[i] = {
          status: Number(status),
          hint: typeof message === 'string' ? decodeURIComponent(message) : undefined,
          afterMs: performance.now() - t0,
        };
      }
    };
    stream.on('response', record);
    stream.on('trailers', record);
    const prefix = Buffer.alloc(5);
    prefix.writeUInt32BE(declared, 1);
    stream.write(prefix);
    sendPiecewise(
      stream,
      chunk,
      sent,
      () => answers[i] !== undefined,
      (n) => {
        written += n;
      },
    );
  }
  return {
    answers: () => answers,
    written: () => written,
    close: () => {
      for (const s of sessions) s.destroy();
    },
  };
}

/** A socket or an HTTP/2 stream: what {@link sendPiecewise} writes to. */
interface Writable {
  readonly destroyed: boolean;
  write(chunk: Buffer, callback: (err?: Error | null) => void): boolean;
  once(event: 'drain', listener: () => void): unknown;
}

/**
 * Writes `total` bytes to `out` in pieces of `chunk`, honouring
 * back-pressure, until they are all written, `out` is destroyed or `stop()`
 * says so; `onWritten` counts each piece the kernel accepted.
 */
function sendPiecewise(out: Writable, chunk: Buffer, total: number, stop: () => boolean, onWritten: (bytes: number) => void): void {
  let left = total;
  const pump = (): void => {
    while (left > 0 && !out.destroyed && !stop()) {
      const piece = left >= chunk.length ? chunk : chunk.subarray(0, left);
      left -= piece.length;
      const ok = out.write(piece, (err) => {
        if (!err) onWritten(piece.length);
      });
      if (!ok) {
        out.once('drain', pump);
        return;
      }
    }
  };
  pump();
}

/** Peak and current resident memory of a process (Linux), in bytes. */
export function memoryOf(pid: number, readStatus: (path: string) => string): { peak: number; rss: number } {
  const status = readStatus(`/proc/${pid}/status`);
  const kb = (name: string): number => Number(new RegExp(`^${name}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? Number.NaN);
  return { peak: kb('VmHWM') * 1024, rss: kb('VmRSS') * 1024 };
}
