/**
 * A gRPC server (@grpc/grpc-js) for any set of ServiceImpls: each method is
 * served at `/package.Service/Method` with ts-proto's codecs, message limits
 * raised to the API's 10 MB, and errors sent with `grpc-status-details-bin`.
 */
import * as grpc from '@grpc/grpc-js';
import { errorToStatusBytes } from '../codec/status-bytes.js';
import { Code } from '../core/code.js';
import { VisionError } from '../core/vision-error.js';
import { dispatchUnary, logUnexpected, toVisionError, type UnexpectedErrorLogger } from './dispatch.js';
import type { CallContext, GenericMethodDefinition, Interceptor, ServiceImpl } from './service-impl.js';

/** The request body limit of the Vision API (10 MiB), used on both transports. */
export const MAX_REQUEST_BYTES = 10 * 1024 * 1024;

/** Options of {@link createGrpcHost}. */
export interface GrpcHostOptions {
  /** Run around every call, outermost first (auth, faults, counting). */
  readonly interceptors?: readonly Interceptor[];
  /** Largest request message accepted; default {@link MAX_REQUEST_BYTES}. */
  readonly maxReceiveBytes?: number;
  /** Largest response message sent; default 64 MiB. */
  readonly maxSendBytes?: number;
  /** Where handler bugs (non-VisionErrors, answered INTERNAL) are reported; default stderr. */
  readonly logUnexpected?: UnexpectedErrorLogger;
}

/** A gRPC server bound to one loopback (or other) address. */
export interface GrpcHost {
  /** The grpc-js server underneath (for adding services of one's own). */
  readonly server: grpc.Server;
  /** Binds `host:port` (port 0 picks a free one) and resolves to the port. */
  listen(host: string, port: number): Promise<number>;
  /** Stops accepting calls, lets running ones finish for up to `graceMs`, then cuts them off. */
  close(graceMs?: number): Promise<void>;
}

const identity = (b: Buffer): Buffer => b;
const toBuffer = (b: Uint8Array): Buffer => Buffer.from(b.buffer, b.byteOffset, b.byteLength);

function headersOf(metadata: grpc.Metadata): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(metadata.getMap())) {
    out[k.toLowerCase()] = typeof v === 'string' ? v : Buffer.from(v).toString('base64');
  }
  return out;
}

/** Sends `err` as the call's status with the google.rpc.Status trailer. */
function grpcError(err: VisionError): Partial<grpc.StatusObject> {
  const metadata = new grpc.Metadata();
  metadata.set('grpc-status-details-bin', Buffer.from(errorToStatusBytes(err)));
  return { code: err.code as number as grpc.status, details: err.rawMessage, metadata };
}

function unaryHandler(
  impl: ServiceImpl,
  method: GenericMethodDefinition,
  interceptors: readonly Interceptor[],
  log: UnexpectedErrorLogger,
) {
  const where = `${impl.definition.fullName}/${method.name}`;
  return (call: grpc.ServerUnaryCall<Buffer, Buffer>, callback: grpc.sendUnaryData<Buffer>): void => {
    const controller = new AbortController();
    const onCancel = (): void => controller.abort(new VisionError(Code.CANCELLED, 'the client cancelled the call'));
    call.once('cancelled', onCancel);
    const ctx: CallContext = { signal: controller.signal, headers: headersOf(call.metadata), transport: 'grpc' };
    void (async () => {
      let request: unknown;
      try {
        request = method.requestType.decode(call.request);
      } catch (err) {
        throw new VisionError(
          Code.INVALID_ARGUMENT,
          `cannot decode the ${where} request: ${err instanceof Error ? err.message : String(err)}`,
        );
      }
      const response = await dispatchUnary(impl, method, request, ctx, interceptors);
      return toBuffer(method.responseType.encode(response as never).finish());
    })().then(
      (bytes) => {
        call.off('cancelled', onCancel);
        callback(null, bytes);
      },
      (err: unknown) => {
        call.off('cancelled', onCancel);
        // A call the client already gave up on: nobody reads the answer, so a handler's reaction to the abort is no bug.
        callback(grpcError(toVisionError(err, where, controller.signal.aborted ? () => undefined : log)));
      },
    );
  };
}

/** Builds a gRPC server serving `impls`. */
export function createGrpcHost(impls: readonly ServiceImpl[], options: GrpcHostOptions = {}): GrpcHost {
  const server = new grpc.Server({
    'grpc.max_receive_message_length': options.maxReceiveBytes ?? MAX_REQUEST_BYTES,
    'grpc.max_send_message_length': options.maxSendBytes ?? 64 * 1024 * 1024,
  });
  const interceptors = options.interceptors ?? [];
  for (const impl of impls) {
    const definition: Record<string, grpc.MethodDefinition<Buffer, Buffer>> = {};
    const handlers: grpc.UntypedServiceImplementation = {};
    for (const method of Object.values(impl.definition.methods)) {
      if (method.requestStream || method.responseStream) continue;
      definition[method.name] = {
        path: `/${impl.definition.fullName}/${method.name}`,
        requestStream: false,
        responseStream: false,
        requestSerialize: identity,
        requestDeserialize: identity,
        responseSerialize: identity,
        responseDeserialize: identity,
        originalName: method.name,
      };
      handlers[method.name] = unaryHandler(impl, method, interceptors, options.logUnexpected ?? logUnexpected);
    }
    server.addService(definition as grpc.ServiceDefinition, handlers);
  }
  return {
    server,
    listen: (host, port) =>
      new Promise<number>((resolve, reject) => {
        const address = host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
        server.bindAsync(address, grpc.ServerCredentials.createInsecure(), (err, bound) => (err ? reject(err) : resolve(bound)));
      }),
    close: (graceMs = 2000) =>
      new Promise<void>((resolve) => {
        const timer = setTimeout(() => {
          server.forceShutdown();
          resolve();
        }, graceMs);
        timer.unref();
        server.tryShutdown(() => {
          clearTimeout(timer);
          resolve();
        });
      }),
  };
}
