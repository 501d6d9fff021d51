/**
 * A real grpc-js server on 127.0.0.1:0 serving {@link MemoryHandlers}
 * through the same ts-proto definitions the client uses; errors go out with
 * `grpc-status-details-bin`. Records what it saw (cancellations, metadata).
 */
import * as grpc from '@grpc/grpc-js';
import { Code, VisionError } from 'vision-kit';
import { errorToStatusBytes, normalizeMessage } from 'vision-kit/codec';
import { SERVICES } from 'vision-kit/gen/schema/services.js';
import { GENERIC_DEFINITIONS, grpcServiceDefinition } from 'vision-kit/grpc';
import type { MemoryHandlers } from 'vision-kit/testing';

/** A running test server. */
export interface GrpcTestServer {
  /** `127.0.0.1:PORT`. */
  readonly address: string;
  /** Methods whose call the server saw cancelled, in order. */
  readonly cancelled: string[];
  /** Metadata of every call, in order. */
  readonly metadata: Record<string, string>[];
  /** Stops the server at once. */
  close(): Promise<void>;
}

/** The grpc-js error for a thrown value, with the Status in `grpc-status-details-bin`. */
export function toServiceError(err: unknown): Partial<grpc.ServiceError> {
  const error = VisionError.from(err);
  const metadata = new grpc.Metadata();
  metadata.set('grpc-status-details-bin', Buffer.from(errorToStatusBytes(error)));
  return { code: error.code as number as grpc.status, details: error.rawMessage, metadata };
}

/**
 * Starts the server. `raw` overrides a method's answer with bytes as they go
 * on the wire (to send something that does not decode).
 */
export async function startGrpcTestServer(
  handlers: MemoryHandlers,
  raw: { readonly [path: string]: Buffer } = {},
): Promise<GrpcTestServer> {
  const server = new grpc.Server();
  const cancelled: string[] = [];
  const seenMetadata: Record<string, string>[] = [];
  for (const [fullName, definition] of Object.entries(GENERIC_DEFINITIONS)) {
    const service = grpcServiceDefinition(definition);
    const impl: grpc.UntypedServiceImplementation = {};
    for (const [key, method] of Object.entries(service)) {
      const row = SERVICES[fullName]?.find((m) => m.name === method.originalName);
      if (row === undefined) continue;
      const rawAnswer = raw[method.path];
      if (rawAnswer !== undefined)
        (service as Record<string, grpc.MethodDefinition<unknown, unknown>>)[key] = { ...method, responseSerialize: () => rawAnswer };
      impl[key] = ((call: grpc.ServerUnaryCall<object, object>, callback: grpc.sendUnaryData<object>) => {
        const controller = new AbortController();
        call.on('cancelled', () => {
          cancelled.push(row.name);
          controller.abort();
        });
        const headers: Record<string, string> = {};
        for (const [k, v] of Object.entries(call.metadata.getMap())) headers[k] = String(v);
        seenMetadata.push(headers);
        const handler = handlers[fullName]?.[row.name];
        if (handler === undefined) {
          callback(toServiceError(new VisionError(Code.UNIMPLEMENTED, `no handler for ${row.name}`)) as grpc.ServiceError);
          return;
        }
        const deadline = call.getDeadline();
        Promise.resolve()
          .then(() =>
            handler(call.request, {
              method: { service: fullName, method: row },
              signal: controller.signal,
              headers,
              deadline: deadline instanceof Date ? deadline.getTime() : Number.isFinite(deadline) ? deadline : undefined,
            }),
          )
          .then(
            (response) => callback(null, normalizeMessage(row.output, response)),
            (err: unknown) => callback(toServiceError(err) as grpc.ServiceError),
          );
      }) as grpc.UntypedHandleCall;
    }
    server.addService(service, impl);
  }
  const port = await new Promise<number>((resolve, reject) =>
    server.bindAsync('127.0.0.1:0', grpc.ServerCredentials.createInsecure(), (err, p) => (err ? reject(err) : resolve(p))),
  );
  return {
    address: `127.0.0.1:${port}`,
    cancelled,
    metadata: seenMetadata,
    close: () =>
      new Promise<void>((resolve) => {
        server.forceShutdown();
        resolve();
      }),
  };
}
