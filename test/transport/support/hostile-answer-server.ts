/**
 * A real node:http server on 127.0.0.1:0 whose answers to GetProduct
 * (`GET /v1p4beta1/projects/p/locations/us-west1/products/<id>`) are hostile in
 * size, chosen by the product id:
 *
 * - `ok`: a small Product.
 * - `sized-<n>`: a Product whose JSON is exactly n bytes (Content-Length set).
 * - `endless`: a chunked Product JSON whose description never ends (up to
 *   `cap` bytes, then it is closed as valid JSON).
 * - `declared`: the same, declaring `Content-Length: 2147483648` (and
 *   sending that much at most).
 * - `gzip-bomb`: a gzip body, about 1 MB on the wire, `cap` bytes of JSON decoded (1 GiB when `cap` is Infinity).
 * - `error-endless`: a 503 whose Google error body never ends (up to `cap`).
 * - `error-<status>`: a Google error body of that status read from `errorBody`.
 *
 * Writes follow backpressure, so what the server counts as written is what
 * the client's socket took; `answers` records it and whether the client
 * closed the connection before the end.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { createGzip } from 'node:zlib';

/** What the server did for one request. */
export interface AnswerRecord {
  readonly id: string;
  /** Body bytes handed to the socket. */
  written: number;
  /** True when the connection closed before the whole answer was sent. */
  closedEarly: boolean;
  /** Milliseconds from the request to the connection's close (or the end). */
  ms: number;
}

/** A running hostile-answer server. */
export interface HostileAnswerServer {
  /** `http://127.0.0.1:PORT`. */
  readonly baseUrl: string;
  readonly answers: AnswerRecord[];
  /** The body of `error-<status>` answers (set by the test). */
  errorBody: string;
  /** Resolves when the answer to the nth request (0-based) is over: sent in full, or its connection closed. */
  settled(index: number): Promise<AnswerRecord>;
  close(): Promise<void>;
}

/** Options of {@link startHostileAnswerServer}. */
export interface HostileAnswerOptions {
  /** Most body bytes an endless answer sends (then it ends as valid JSON). Default Infinity. */
  readonly cap?: number;
  /** Make the gzip bomb before listening, so its compression is not timed as part of a call. Default false (made when asked). */
  readonly gzipFirst?: boolean;
}

const PREFIX = '/v1p4beta1/projects/p/locations/us-west1/products/';
const CHUNK = Buffer.alloc(64 * 1024, 'a');
const DECLARED = 2147483648;
const PRODUCT_HEAD = '{"name":"projects/p/locations/us-west1/products/endless","description":"';

/** A Product JSON of exactly `size` bytes (at least the smallest one). */
export function productJsonOfSize(size: number): string {
  const head = '{"name":"projects/p/locations/us-west1/products/sized","description":"';
  const tail = '"}';
  return head + 'd'.repeat(Math.max(0, size - head.length - tail.length)) + tail;
}

/** Gzip of a Product JSON of `size` bytes of `a`s in its description, made a chunk at a time (never held whole). */
async function gzipOfProduct(head: string, size: number): Promise<Buffer> {
  const gzip = createGzip({ level: 9 });
  const out: Buffer[] = [];
  gzip.on('data', (c: Buffer) => out.push(c));
  const ended = new Promise<void>((resolve, reject) => {
    gzip.on('end', resolve);
    gzip.on('error', reject);
  });
  gzip.write(head);
  for (let left = size; left > 0; left -= CHUNK.length) {
    if (!gzip.write(left < CHUNK.length ? CHUNK.subarray(0, left) : CHUNK)) await new Promise((resolve) => gzip.once('drain', resolve));
  }
  gzip.end('"}');
  await ended;
  return Buffer.concat(out);
}

/** Starts the server. */
export async function startHostileAnswerServer(options: HostileAnswerOptions = {}): Promise<HostileAnswerServer> {
  const cap = options.cap ?? Number.POSITIVE_INFINITY;
  const answers: AnswerRecord[] = [];
  const waiters = new Map<number, (r: AnswerRecord) => void>();
  const done = new Set<number>();
  let gzipBomb: Promise<Buffer> | undefined;
  const bombSize = Number.isFinite(cap) ? cap : 1024 * 1024 * 1024;
  const state = { errorBody: '' };

  const server = http.createServer((req, res) => {
    const url = req.url ?? '/';
    const id = url.startsWith(PREFIX) ? url.slice(PREFIX.length).split('?')[0]! : '';
    const record: AnswerRecord = { id, written: 0, closedEarly: false, ms: 0 };
    const index = answers.push(record) - 1;
    const started = performance.now();
    const settle = (): void => {
      if (done.has(index)) return;
      done.add(index);
      record.ms = performance.now() - started;
      waiters.get(index)?.(record);
    };
    res.on('close', () => {
      record.closedEarly = !res.writableFinished;
      settle();
    });
    res.on('finish', settle);
    req.resume();

    const send = (status: number, body: string | Buffer, headers: http.OutgoingHttpHeaders = {}): void => {
      const bytes = typeof body === 'string' ? Buffer.from(body) : body;
      res.writeHead(status, { 'content-type': 'application/json', 'content-length': bytes.length, ...headers });
      record.written = bytes.length;
      res.end(bytes);
    };
    /** Writes `head`, then `a`s until the client stops reading or `cap`, then `tail`. */
    const stream = async (head: string, tail: string, most = cap): Promise<void> => {
      res.write(head);
      record.written += head.length;
      while (!res.destroyed && record.written < most) {
        const chunk = most - record.written < CHUNK.length ? CHUNK.subarray(0, most - record.written) : CHUNK;
        record.written += chunk.length;
        if (!res.write(chunk)) {
          await new Promise<void>((resolve) => {
            const go = (): void => {
              res.off('drain', go);
              res.off('close', go);
              resolve();
            };
            res.on('drain', go);
            res.on('close', go);
          });
        }
      }
      if (!res.destroyed) res.end(tail);
    };

    if (id === 'ok') send(200, '{"name":"projects/p/locations/us-west1/products/ok","displayName":"fine"}');
    else if (id.startsWith('sized-')) send(200, productJsonOfSize(Number(id.slice(6))));
    else if (id === 'endless') {
      res.writeHead(200, { 'content-type': 'application/json' });
      void stream(PRODUCT_HEAD, '"}');
    } else if (id === 'declared') {
      // Sends what it declares (2 GiB) at most.
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': String(DECLARED) });
      void stream(PRODUCT_HEAD, '"}', Math.min(cap, DECLARED - 2));
    } else if (id === 'gzip-bomb') {
      gzipBomb ??= gzipOfProduct(PRODUCT_HEAD, bombSize);
      void gzipBomb.then((bytes) => send(200, bytes, { 'content-encoding': 'gzip' }));
    } else if (id === 'error-endless') {
      res.writeHead(503, { 'content-type': 'application/json' });
      void stream('{"error":{"code":503,"status":"UNAVAILABLE","message":"', '"}}');
    } else if (id.startsWith('error-')) send(Number(id.slice(6)), state.errorBody);
    else send(404, '{"error":{"code":404,"status":"NOT_FOUND","message":"no such answer"}}');
  });
  if (options.gzipFirst === true) await (gzipBomb = gzipOfProduct(PRODUCT_HEAD, bombSize));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}`,
    answers,
    get errorBody() {
      return state.errorBody;
    },
    set errorBody(body: string) {
      state.errorBody = body;
    },
    settled: (index) =>
      new Promise<AnswerRecord>((resolve) => {
        if (done.has(index)) resolve(answers[index]!);
        else waiters.set(index, resolve);
      }),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
