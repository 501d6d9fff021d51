/**
 * Serves ServiceImpls over REST through the gateway (gRPC transcoding of
 * their `google.api.http` rules): routing with 404, and 405 with `Allow`;
 * bodies up to 10 MB (larger: 413 with a Google error, the server carries
 * on); proto3 JSON in (both field-name forms, enums by name or number) and
 * out (`$alt=json;enum-encoding=int` honoured); errors as Google's JSON
 * error body. Auth and CORS are the caller's (see `emulator-http.ts`).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { HttpBinding, MethodRow, OperationRouteRow } from '../../gen/schema/services.js';
import * as codes from '../core/codes.js';
import { VisionError } from '../core/vision-error.js';
import { operationRoutesOf, serviceRows } from '../schema/service-registry.js';
import { createGateway, type Gateway } from '../transcoding/gateway.js';
import { type RoutedOperationsRpc, servedOperationBindings } from '../transcoding/operations-bindings.js';
import { dispatchUnary, logUnexpected, toVisionError, type UnexpectedErrorLogger } from './dispatch.js';
import { MAX_REQUEST_BYTES } from './grpc-host.js';
import { readBody, sendError } from './http-util.js';
import { type CallContext, findMethod, type Interceptor, type ServiceImpl } from './service-impl.js';

/** Options of {@link createRestHandler}. */
export interface RestHandlerOptions {
  /** Run around every call, outermost first (auth, faults, counting); the same ones the gRPC side runs. */
  readonly interceptors?: readonly Interceptor[];
  /** Largest request body; default {@link MAX_REQUEST_BYTES}. */
  readonly maxBodyBytes?: number;
  /**
   * The bindings to serve for a method instead of its proto rule (undefined:
   * the proto's). Default: Get, Cancel and Delete of
   * `google.longrunning.Operations` on operations.proto's rule and on the
   * Operations routes of the other services served (their service configs'
   * rules, e.g. Speech's `GET /v1/operations/{name=**}`; see
   * `servedOperationBindings`), every other method on its proto rule.
   */
  readonly bindings?: (service: string, method: MethodRow) => readonly HttpBinding[] | undefined;
  /** Where handler bugs (non-VisionErrors, answered INTERNAL) are reported; default stderr. */
  readonly logUnexpected?: UnexpectedErrorLogger;
  /**
   * Method rows by service. Default: the registered services — Vision's, and
   * those of every generated descriptor made so far (importing the `index.js`
   * that `vision-kit gen` writes registers its services).
   */
  readonly schema?: { readonly [service: string]: readonly MethodRow[] };
}

/** The REST side of a set of ServiceImpls. */
export interface RestHandler {
  /** The gateway that routes and decodes the served methods' HTTP bindings (for a server's own routing or an index of routes). */
  readonly gateway: Gateway;
  /** Serves one request (never rejects: errors are answered). */
  handle(req: IncomingMessage, res: ServerResponse, url?: URL): Promise<void>;
}

function headersOf(req: IncomingMessage): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(req.headers)) if (v !== undefined) out[k] = Array.isArray(v) ? (v[0] ?? '') : v;
  return out;
}

const OPERATIONS = 'google.longrunning.Operations';

/** The default `bindings`: Operations on its proto rule and the served APIs' routes. */
function defaultBindings(impls: readonly ServiceImpl[]): (service: string, method: MethodRow) => readonly HttpBinding[] | undefined {
  const routes = impls.map((i) => operationRoutesOf(i.definition.fullName)).filter((r): r is OperationRouteRow => r !== undefined);
  const served = servedOperationBindings(routes);
  return (service, method) =>
    service === OPERATIONS && Object.hasOwn(served, method.name) ? served[method.name as RoutedOperationsRpc] : undefined;
}

/**
 * Builds the REST handler of `impls`: every method of each on its HTTP
 * bindings (see {@link RestHandlerOptions}). Throws an INVALID_ARGUMENT
 * VisionError for a service whose method rows it cannot find, and a
 * TemplateError for two bindings of one HTTP method with the same template
 * shape.
 */
export function createRestHandler(impls: readonly ServiceImpl[], options: RestHandlerOptions = {}): RestHandler {
  if (!Array.isArray(impls))
    throw new VisionError(codes.INVALID_ARGUMENT, 'createRestHandler: impls must be an array of defineService() results');
  const bindings = options.bindings ?? defaultBindings(impls);
  const served: { [service: string]: readonly MethodRow[] } = {};
  const byService = new Map<string, ServiceImpl>();
  for (const impl of impls) {
    const name = impl?.definition?.fullName;
    if (typeof name !== 'string')
      throw new VisionError(codes.INVALID_ARGUMENT, 'createRestHandler: every impl must come from defineService()');
    const rows =
      (options.schema === undefined ? undefined : Object.hasOwn(options.schema, name) ? options.schema[name] : undefined) ??
      serviceRows(name);
    if (!rows) {
      throw new VisionError(
        codes.INVALID_ARGUMENT,
        `createRestHandler: no method rows for ${name}: import the index.js vision-kit gen wrote for it (it registers them), or pass schema`,
      );
    }
    served[name] = rows.map((row) => ({ ...row, http: bindings(name, row) ?? row.http }));
    byService.set(name, impl);
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
        if (!res.writableFinished) controller.abort(new VisionError(codes.CANCELLED, 'the client closed the connection'));
      };
      res.once('close', onClose);
      try {
        const body = await readBody(req, limit);
        let text: string;
        try {
          text = new TextDecoder('utf-8', { fatal: true }).decode(body);
        } catch {
          throw new VisionError(codes.INVALID_ARGUMENT, 'the request body is not valid UTF-8');
        }
        const { request, system } = gateway.decodeRequest(m, rawQuery, text);
        const impl = byService.get(route.service)!;
        const method = findMethod(impl, route.method.name);
        if (!method) throw new VisionError(codes.UNIMPLEMENTED, `${where} is not implemented by this server`);
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
