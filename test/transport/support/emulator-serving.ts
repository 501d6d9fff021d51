/**
 * Hosts {@link MemoryHandlers} on the emulator's own serving layer
 * (`src/emulator/rpc/`: the gRPC host and the REST handler), so the behaviour suite runs against the code the
 * emulator serves with. Records cancellations through an interceptor.
 */

import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { SERVICES } from 'vision-kit/gen/schema/services.js';
import { GENERIC_DEFINITIONS } from 'vision-kit/grpc';
import {
  createGrpcHost,
  createRestHandler,
  defineService,
  type Interceptor,
  type ServiceImpl,
  type UnaryHandler,
} from 'vision-kit/serving';
import type { MemoryHandlers } from 'vision-kit/testing';
import { servedBindings } from 'vision-kit/transcoding';

/** ServiceImpls of the three services calling `handlers`. */
export function serviceImpls(handlers: MemoryHandlers): ServiceImpl[] {
  return Object.entries(GENERIC_DEFINITIONS).map(([service, definition]) => {
    const byName: Record<string, UnaryHandler<never, unknown>> = {};
    for (const row of SERVICES[service] ?? []) {
      const handler = handlers[service]?.[row.name];
      if (handler === undefined) continue;
      byName[row.name] = (async (request: object, ctx: { signal: AbortSignal; headers: Readonly<Record<string, string>> }) =>
        handler(request, {
          method: { service, method: row },
          signal: ctx.signal,
          headers: ctx.headers,
          deadline: undefined,
        })) as UnaryHandler<never, unknown>;
    }
    return defineService(definition as Parameters<typeof defineService>[0], byName as never);
  });
}

/** An interceptor that records the methods whose calls were cancelled. */
export function cancellationRecorder(into: string[]): Interceptor {
  return (call, next) => {
    call.ctx.signal.addEventListener('abort', () => into.push(call.method), { once: true });
    return next();
  };
}

/** The emulator's gRPC host serving `handlers` on 127.0.0.1:0. */
export async function startEmulatorGrpcHost(
  handlers: MemoryHandlers,
): Promise<{ address: string; cancelled: string[]; close(): Promise<void> }> {
  const cancelled: string[] = [];
  const host = createGrpcHost(serviceImpls(handlers), { interceptors: [cancellationRecorder(cancelled)] });
  const port = await host.listen('127.0.0.1', 0);
  return { address: `127.0.0.1:${port}`, cancelled, close: () => host.close(0) };
}

/** The emulator's REST handler (with its Operations bindings) serving `handlers` on 127.0.0.1:0. */
export async function startEmulatorRestHost(
  handlers: MemoryHandlers,
): Promise<{ baseUrl: string; cancelled: string[]; close(): Promise<void> }> {
  const cancelled: string[] = [];
  const api = createRestHandler(serviceImpls(handlers), { interceptors: [cancellationRecorder(cancelled)], bindings: servedBindings });
  const server = http.createServer((req, res) => void api.handle(req, res));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}`,
    cancelled,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
