/**
 * A real node:http server on 127.0.0.1:0 serving {@link MemoryHandlers}
 * through the REST gateway, with Google's JSON error bodies. Records
 * cancellations (the client closed the connection before the answer) and
 * can answer chosen paths with raw bodies (not JSON, truncated, cut off).
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Code, VisionError } from 'vision-kit';
import { errorToRestBody, normalizeMessage, restStatusOf } from 'vision-kit/codec';
import { type MethodRow, SERVICES } from 'vision-kit/gen/schema/services.js';
import type { MemoryHandlers } from 'vision-kit/testing';
import { createGateway, restBindings } from 'vision-kit/transcoding';

/** A raw answer for a path: status, body, and whether to cut the connection mid-body. */
export interface RawAnswer {
  readonly status: number;
  readonly body: string;
  readonly contentType?: string;
  /** Announce a longer Content-Length and destroy the socket after `body`. */
  readonly cutOff?: boolean;
}

/** A running test server. */
export interface RestTestServer {
  /** `http://127.0.0.1:PORT`. */
  readonly baseUrl: string;
  /** Methods whose calls were closed by the client before the answer. */
  readonly cancelled: string[];
  /** Request lines and headers seen, in order. */
  readonly requests: { method: string; url: string; headers: http.IncomingHttpHeaders }[];
  close(): Promise<void>;
}

/** The services with the REST transport's bindings (GetOperation on the service-config paths, …). */
export function servedServices(): { [service: string]: readonly MethodRow[] } {
  const out: { [service: string]: readonly MethodRow[] } = {};
  for (const [service, rows] of Object.entries(SERVICES)) {
    out[service] = rows.map((row) => ({ ...row, http: restBindings({ service, method: row }) ?? row.http }));
  }
  return out;
}

function send(res: http.ServerResponse, status: number, body: string): void {
  if (res.destroyed) return;
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(body) });
  res.end(body);
}

function sendError(res: http.ServerResponse, err: unknown): void {
  const error = VisionError.from(err);
  send(res, restStatusOf(error), JSON.stringify(errorToRestBody(error)));
}

/** Starts the server. `raw` answers a path (without query) with a raw body instead of routing it. */
export async function startRestTestServer(
  handlers: MemoryHandlers,
  raw: { readonly [path: string]: RawAnswer } = {},
): Promise<RestTestServer> {
  const gateway = createGateway(servedServices());
  const cancelled: string[] = [];
  const requests: RestTestServer['requests'] = [];
  const server = http.createServer((req, res) => {
    const url = req.url ?? '/';
    requests.push({ method: req.method ?? '', url, headers: req.headers });
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const path = url.split('?')[0] ?? '/';
      const rawAnswer = raw[path];
      if (rawAnswer !== undefined) {
        const bytes = Buffer.from(rawAnswer.body);
        res.writeHead(rawAnswer.status, {
          'content-type': rawAnswer.contentType ?? 'application/json',
          'content-length': bytes.length + (rawAnswer.cutOff ? 100 : 0),
        });
        if (rawAnswer.cutOff) res.write(bytes, () => res.destroy());
        else res.end(bytes);
        return;
      }
      const m = gateway.match(req.method ?? 'GET', url);
      if (!('route' in m)) {
        sendError(res, m.error);
        return;
      }
      const route = m.route;
      const name = route.method.name;
      const controller = new AbortController();
      res.on('close', () => {
        if (!res.writableFinished) {
          cancelled.push(name);
          controller.abort();
        }
      });
      let request: object;
      let system: ReturnType<typeof gateway.decodeRequest>['system'];
      try {
        const query = url.includes('?') ? url.slice(url.indexOf('?') + 1) : '';
        ({ request, system } = gateway.decodeRequest(m, query, Buffer.concat(chunks).toString('utf8')));
      } catch (err) {
        sendError(res, err);
        return;
      }
      const handler = handlers[route.service]?.[name];
      if (handler === undefined) {
        sendError(res, new VisionError(Code.UNIMPLEMENTED, `no handler for ${name}`));
        return;
      }
      const headers: Record<string, string> = {};
      for (const [k, v] of Object.entries(req.headers)) if (typeof v === 'string') headers[k] = v;
      Promise.resolve()
        .then(() =>
          handler(request, {
            method: { service: route.service, method: route.method },
            signal: controller.signal,
            headers,
            deadline: undefined,
          }),
        )
        .then(
          (response) => send(res, 200, gateway.encodeResponse(route, normalizeMessage(route.method.output, response), system)),
          (err: unknown) => sendError(res, err),
        );
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}`,
    cancelled,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
