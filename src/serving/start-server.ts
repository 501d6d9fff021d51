/**
 * A server for a set of ServiceImpls in one call: a gRPC host and an HTTP
 * server with the REST handler, both on a loopback address and free ports
 * unless told otherwise. What a test double of a Google API, or a small
 * server for one's own protos, needs:
 *
 * ```ts
 * const server = await startServer([defineService(SpeechDefinition, handlers), operations.service]);
 * // server.grpcAddress: '127.0.0.1:PORT', server.httpUrl: 'http://127.0.0.1:PORT'
 * await server.close();
 * ```
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { checkObject } from '../core/check-options.js';
import * as codes from '../core/codes.js';
import { VisionError } from '../core/vision-error.js';
import { createGrpcHost, type GrpcHostOptions } from './grpc-host.js';
import { answerClientError } from './http-util.js';
import { createRestHandler, type RestHandlerOptions } from './rest-handler.js';
import type { ServiceImpl } from './service-impl.js';

/** Options of {@link startServer}: where to listen, and the host's and handler's own options. */
export interface ServerOptions extends GrpcHostOptions, RestHandlerOptions {
  /** The address both listen on; default `127.0.0.1`. */
  readonly host?: string | undefined;
  /** The gRPC port; default 0 (a free one). */
  readonly grpcPort?: number | undefined;
  /** The HTTP (REST) port; default 0 (a free one). */
  readonly httpPort?: number | undefined;
}

/** A running {@link startServer}. */
export interface RunningServer {
  /** `host:port` of the gRPC side (an endpoint for `createGrpcTransport`). */
  readonly grpcAddress: string;
  /** `http://host:port` of the REST side (a `baseUrl` for `createRestTransport`). */
  readonly httpUrl: string;
  /** The gRPC side's port (the one bound when 0 was asked for). */
  readonly grpcPort: number;
  /** The REST side's port (the one bound when 0 was asked for). */
  readonly httpPort: number;
  /** Stops both: calls in flight get up to `graceMs` (default 2,000) to finish. */
  close(graceMs?: number): Promise<void>;
}

function port(name: string, value: number | undefined): number {
  const p = value ?? 0;
  if (!Number.isInteger(p) || p < 0 || p > 65535)
    throw new VisionError(codes.INVALID_ARGUMENT, `startServer: ${name} must be a whole number from 0 to 65535`);
  return p;
}

/**
 * Serves `impls` over gRPC and REST (see `createGrpcHost`, `createRestHandler`;
 * a request Node's HTTP parser refuses gets Google's JSON 400). Resolves once
 * both listen; rejects (after closing what started) when one cannot.
 */
export async function startServer(impls: readonly ServiceImpl[], options: ServerOptions = {}): Promise<RunningServer> {
  checkObject('startServer', 'options', options);
  const host = options.host ?? '127.0.0.1';
  const grpcPort = port('grpcPort', options.grpcPort);
  const httpPort = port('httpPort', options.httpPort);
  const rest = createRestHandler(impls, options);
  const grpcHost = createGrpcHost(impls, options);
  const server = http.createServer((req, res) => void rest.handle(req, res));
  server.on('clientError', answerClientError);
  let boundGrpc: number;
  try {
    boundGrpc = await grpcHost.listen(host, grpcPort);
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(httpPort, host, () => {
        server.off('error', reject);
        resolve();
      });
    });
  } catch (err) {
    await grpcHost.close(0);
    throw err;
  }
  const boundHttp = (server.address() as AddressInfo).port;
  const name = host.includes(':') ? `[${host}]` : host;
  return {
    grpcAddress: `${name}:${boundGrpc}`,
    httpUrl: `http://${name}:${boundHttp}`,
    grpcPort: boundGrpc,
    httpPort: boundHttp,
    async close(graceMs = 2000) {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeIdleConnections();
      const timer = setTimeout(() => server.closeAllConnections(), graceMs);
      await Promise.all([grpcHost.close(graceMs), closed]);
      clearTimeout(timer);
    },
  };
}
