/**
 * Serves ServiceImpls over REST through the gateway (gRPC transcoding of
 * their `google.api.http` rules): routing with 404, and 405 with `Allow`;
 * bodies up to 10 MB (larger: 413 with a Google error, the server carries
 * on); proto3 JSON in (both field-name forms, enums by name or number) and
 * out (`$alt=json;enum-encoding=int` honoured); errors as Google's JSON
 * error body. Auth and CORS are the caller's (see `emulator-http.ts`).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { type HttpBinding, type MethodRow, SERVICES } from '../../gen/schema/services.js';
import { Code } from '../core/code.js';
import { VisionError } from '../core/vision-error.js';
import { createGateway, type Gateway } from '../transcoding/gateway.js';
import { dispatchUnary, logUnexpected, toVisionError, type UnexpectedErrorLogger } from './dispatch.js';
import { MAX_REQUEST_BYTES } from './grpc-host.js';
import { readBody, sendError } from './http-util.js';
import { type CallContext, findMethod, type Interceptor, type ServiceImpl } from './service-impl.js';

/** Options of {@link createRestHandler}. */
export interface RestHandlerOptions {
  readonly interceptors?: readonly Interceptor[];
  /** Largest request body; default {@link MAX_REQUEST_BYTES}. */
  readonly maxBodyBytes?: number;
  /**
   * The bindings to serve for a method instead of its proto rule (e.g. the
   * Operations bindings of Vision's service config); default: the proto's.
   */
  readonly bindings?: (service: string, method: MethodRow) => readonly HttpBinding[] | undefined;
  /** Where handler bugs (non-VisionErrors, answered INTERNAL) are reported; default stderr. */
  readonly logUnexpected?: UnexpectedErrorLogger;
  /** Method rows by service; default `gen/schema/services.ts` (tests pass their own). */
  readonly schema?: { readonly [service: string]: readonly MethodRow[] };
}

/** The REST side of a set of ServiceImpls. */
export interface RestHandler {
  readonly gateway: Gateway;
  /** Serves one request (never rejects: errors are answered). */
  handle(req: IncomingMessage, res: ServerResponse, url?: URL): Promise<void>;
}

function headersOf(req: IncomingMessage): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(req.headers)) if (v !== undefined) out[k] = Array.isArray(v) ? (v[0] ?? '') : v;
  return out;
}

/** Builds the REST handler of `impls`. */
export function createRestHandler(impls: readonly ServiceImpl[], options: RestHandlerOptions = {}): RestHandler {
  const schema = options.schema ?? SERVICES;
  const served: { [service: string]: readonly MethodRow[] } = {};
  const byService = new Map<string, ServiceImpl>();
  for (const impl of impls) {
    const rows = schema[impl.definition.fullName];
    if (!rows) throw new Error(`no schema rows for ${impl.definition.fullName}`);
    served[impl.definition.fullName] = rows.map((row) => ({ ...row, http: options.bindings?.(impl.definition.fullName, row) ?? row.http }));
    byService.set(impl.definition.fullName, impl);
  }
  const gateway = createGateway(served);
  const interceptors = options.interceptors ?? [];
  const limit = options.maxBodyBytes ?? MAX_REQUEST_BYTES;

  return {
    gateway,
    async handle(req, res) {
      const rawUrl = req.url ?? '/';
      const q = rawUrl.indexOf('?');
      const rawPath = q < 0 ? rawUrl : rawUrl.slice(0, q);
      const rawQuery = q < 0 ? '' : rawUrl.slice(q + 1);
      const m = gateway.match(req.method ?? 'GET', rawPath);
      if (!('route' in m)) {
        if (m.status === 405 && m.allow) res.setHeader('Allow', m.allow.join(', '));
        sendError(req, res, m.error);
        return;
      }
      const route = m.route;
      const where = `${route.service}/${route.method.name}`;
      const controller = new AbortController();
      const onClose = (): void => {
        if (!res.writableFinished) controller.abort(new VisionError(Code.CANCELLED, 'the client closed the connection'));
      };
      res.once('close', onClose);
      try {
        const body = await readBody(req, limit);
        let text: string;
        try {
          text = new TextDecoder('utf-8', { fatal: true }).decode(body);
        } catch {
          throw new VisionError(Code.INVALID_ARGUMENT, 'the request body is not valid UTF-8');
        }
        const { request, system } = gateway.decodeRequest(m, rawQuery, text);
        const impl = byService.get(route.service)!;
        const method = findMethod(impl, route.method.name);
        if (!method) throw new VisionError(Code.UNIMPLEMENTED, `${where} is not implemented by this server`);
        const ctx: CallContext = { signal: controller.signal, headers: headersOf(req), transport: 'rest' };
        const response = await dispatchUnary(impl, method, request, ctx, interceptors);
        const json = gateway.encodeResponse(route, response as object, system);
        if (res.destroyed) return;
        res.writeHead(200, { 'Content-Type': 'application/json; charset=UTF-8', 'Content-Length': Buffer.byteLength(json) });
        res.end(json);
      } catch (err) {
        if (!res.destroyed && !controller.signal.aborted)
          sendError(req, res, toVisionError(err, where, options.logUnexpected ?? logUnexpected));
      } finally {
        res.off('close', onClose);
      }
    },
  };
}
