/**
 * The emulator's HTTP port: CORS on every answer (preflights never need
 * credentials), the `--auth-token` check on every other request, then the
 * storage subset, the Vision REST API (through the gateway), the demo page
 * at `/`, and `/emulator/stats`. Unknown paths answer 404 with a Google error.
 *
 * A request with a body for the API or storage first reserves, from the
 * emulator's budget of request memory (`--max-inflight-mib`), what reading
 * it may hold: its Content-Length, or the route's body limit when it is
 * chunked (10 MiB for the API, 65 MiB for storage); a declared length over
 * the limit reserves nothing, since such a body is refused and drained
 * without being kept. Until the reservation is granted the body is not
 * read; a request the budget refuses gets 429 RESOURCE_EXHAUSTED
 * (`Retry-After: 1` when waiting may help) and its connection is closed.
 * The reservation is released when the answer is sent or the connection
 * closes.
 */
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { dirname, join, normalize, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Code, VisionError } from 'vision-kit';
import {
  answerPreflight,
  isPreflight,
  MAX_REQUEST_BYTES,
  type RequestBudget,
  sendError,
  sendJson,
  setCors,
  toVisionError,
  type UnexpectedErrorLogger,
} from 'vision-kit/serving';
import { credentialsOf, isAuthorized, unauthenticated } from '../guards.js';
import type { EmulatorKnobs, EmulatorStats } from '../knobs.js';
import type { StorageApi } from './storage-api.js';

/** A sub-handler of the HTTP port. */
export interface HttpRoutes {
  handles(pathname: string): boolean;
  handle(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void>;
}

/** Serves the demo page and its files; resolves false for paths it does not serve. */
export type DemoHandler = (req: IncomingMessage, res: ServerResponse, url: URL) => Promise<boolean>;

/** Options of {@link createEmulatorHttpHandler}. */
export interface EmulatorHttpOptions {
  readonly knobs: EmulatorKnobs;
  readonly stats: EmulatorStats;
  readonly storage: StorageApi;
  /** The Vision REST API (the gateway); absent → 501 for API paths. */
  readonly api?: HttpRoutes;
  /** The demo at `/`; default {@link builtinDemo}. */
  readonly demo?: DemoHandler;
  /** Where unexpected errors are reported; default stderr. */
  readonly logUnexpected?: UnexpectedErrorLogger;
  /** The budget of memory held by requests in flight; without it bodies are read unbounded in number. */
  readonly budget?: RequestBudget;
  /** The largest body a storage route reads (what a chunked upload reserves); default 65 MiB. */
  readonly maxStorageBodyBytes?: number;
  /** More emulator-only routes (outside Google's paths), tried before the demo. */
  readonly routes?: readonly HttpRoutes[];
}

/** The storage API's largest object (64 MiB) plus room for a multipart upload's metadata. */
const STORAGE_BODY_BYTES = 65 * 1024 * 1024;

/**
 * What reading this request's body may hold: Content-Length (up to `limit`),
 * `limit` for a chunked body, 0 without a body or when the declared length is
 * over `limit` (the body is then refused and drained, never kept).
 */
export function bodyReservation(req: IncomingMessage, limit: number): number {
  const te = req.headers['transfer-encoding'];
  const cl = req.headers['content-length'];
  if (cl === undefined) return te === undefined ? 0 : limit;
  const declared = Number(cl);
  if (!Number.isFinite(declared) || declared <= 0) return te === undefined ? 0 : limit;
  return declared > limit ? 0 : declared;
}

/** True when a VisionError says waiting may help (it carries a RetryInfo). */
function retryable(err: VisionError): boolean {
  return err.details.some((d) => d.type === 'google.rpc.RetryInfo');
}

// A 1×1 transparent PNG, so a browser's favicon request does not fail.
const FAVICON = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=', 'base64');

const WEB_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.map': 'application/json',
  '.css': 'text/css; charset=utf-8',
  '.png': 'image/png',
  '.svg': 'image/svg+xml',
};

/** `dist/web` seen from this module, in the source tree (src/emulator/http) or bundled (dist/ or dist/chunks). */
function findWebRoot(): string {
  const here = dirname(fileURLToPath(import.meta.url));
  const candidates = [join(here, 'web'), join(here, '..', 'web'), join(here, '..', '..', '..', 'dist', 'web')];
  return candidates.find((c) => existsSync(c)) ?? candidates[candidates.length - 1]!;
}

/**
 * The default demo: the REST demo page of `src/demo` at `/` (`dist/web/index.html`;
 * before a build, a landing page naming the endpoints), the favicon, and the
 * page's files under `/web/` (`dist/web`, built by `npm run build`).
 */
export function builtinDemo(webRoot = findWebRoot()): DemoHandler {
  return async (req, res, url) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') return false;
    if (url.pathname === '/favicon.ico') {
      res.writeHead(200, { 'Content-Type': 'image/png', 'Content-Length': FAVICON.length, 'Cache-Control': 'max-age=86400' }).end(FAVICON);
      return true;
    }
    if (url.pathname === '/' || url.pathname === '/index.html') {
      const index = await readFile(join(webRoot, 'index.html')).catch(() => undefined);
      const html =
        index ??
        Buffer.from(
          '<!doctype html><meta charset="utf-8"><link rel="icon" href="/favicon.ico"><title>vision-kit emulator</title>' +
            '<h1>vision-kit emulator</h1><p>Vision v1p4beta1 REST at <code>/v1p4beta1/…</code>, operations at <code>/v1/operations</code>, ' +
            'Cloud Storage JSON API at <code>/storage/v1/b/…</code> and <code>/upload/storage/v1/b/…</code>; gRPC on the other port.</p>',
        );
      res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8', 'Content-Length': html.length }).end(html);
      return true;
    }
    if (url.pathname.startsWith('/web/')) {
      let decoded: string;
      try {
        decoded = decodeURIComponent(url.pathname.slice('/web/'.length));
      } catch {
        return false; // a malformed escape names no file: 404
      }
      const rel = normalize(decoded);
      const file = join(webRoot, rel);
      if (!file.startsWith(webRoot + sep) || rel.startsWith('..')) return false;
      const bytes = await readFile(file).catch(() => undefined);
      if (!bytes) return false;
      const ext = /\.[a-z]+$/.exec(file)?.[0] ?? '';
      res.writeHead(200, { 'Content-Type': WEB_TYPES[ext] ?? 'application/octet-stream', 'Content-Length': bytes.length }).end(bytes);
      return true;
    }
    return false;
  };
}

/**
 * Reserves `bytes` for this request until its answer is sent or its
 * connection closes; false when it was refused (and answered) or the client
 * went away while it waited.
 */
async function admit(budget: RequestBudget, bytes: number, req: IncomingMessage, res: ServerResponse): Promise<boolean> {
  const gone = new AbortController();
  const onClose = (): void => gone.abort(new VisionError(Code.CANCELLED, 'the client closed the connection'));
  res.once('close', onClose);
  try {
    const reservation = await budget.reserve(bytes, gone.signal);
    res.off('close', onClose);
    if (res.destroyed) {
      reservation.release();
      return false;
    }
    res.once('close', () => reservation.release());
    return true;
  } catch (err) {
    res.off('close', onClose);
    if (gone.signal.aborted || res.destroyed) return false;
    const error = toVisionError(err, 'admitting an HTTP request');
    if (retryable(error)) res.setHeader('Retry-After', '1');
    sendError(req, res, error);
    return false;
  }
}

/** The request listener of the HTTP port. */
export function createEmulatorHttpHandler(options: EmulatorHttpOptions): (req: IncomingMessage, res: ServerResponse) => void {
  const demo = options.demo ?? builtinDemo();
  return (req, res) => {
    void (async () => {
      setCors(req, res);
      if (isPreflight(req)) {
        answerPreflight(req, res);
        return;
      }
      const rawPath = (req.url ?? '/').split('?')[0]!;
      // URL parsing would resolve dot segments and so retarget the request: refuse them instead.
      if (!rawPath.startsWith('/') || rawPath.split('/').some((seg) => /^(\.|%2e){1,2}$/i.test(seg))) {
        sendError(
          req,
          res,
          new VisionError(Code.INVALID_ARGUMENT, 'the request path has a "." or ".." segment (or does not start with "/")'),
        );
        return;
      }
      let url: URL;
      try {
        url = new URL(req.url ?? '/', 'http://127.0.0.1');
      } catch {
        sendError(req, res, new VisionError(Code.INVALID_ARGUMENT, 'the request URL cannot be parsed'));
        return;
      }
      if (!isAuthorized(options.knobs.authToken, credentialsOf(req.headers, url.searchParams))) {
        sendError(req, res, unauthenticated());
        return;
      }
      const path = url.pathname;
      const isStorage = options.storage.handles(path);
      const isApi = !isStorage && (path.startsWith('/v1/') || path.startsWith('/v1p4beta1/') || path === '/v1' || path === '/v1p4beta1');
      if (options.budget && (isStorage || isApi)) {
        const bytes = bodyReservation(req, isStorage ? (options.maxStorageBodyBytes ?? STORAGE_BODY_BYTES) : MAX_REQUEST_BYTES);
        if (bytes > 0 && !(await admit(options.budget, bytes, req, res))) return;
      }
      if (isStorage) return options.storage.handle(req, res, url);
      if (isApi) {
        if (options.api) return options.api.handle(req, res, url);
        sendError(req, res, new VisionError(Code.UNIMPLEMENTED, 'the REST gateway is not available in this build'));
        return;
      }
      if (path === '/emulator/stats' && req.method === 'GET') {
        sendJson(res, 200, options.stats);
        return;
      }
      const route = options.routes?.find((r) => r.handles(path));
      if (route) return route.handle(req, res, url);
      if (await demo(req, res, url)) return;
      sendError(req, res, new VisionError(Code.NOT_FOUND, `no route for ${req.method} ${path}`));
    })().catch((err: unknown) => {
      // The path only: the query may hold an API key (?key=).
      sendError(req, res, toVisionError(err, `HTTP ${req.method} ${(req.url ?? '/').split('?')[0]}`, options.logUnexpected));
    });
  };
}
