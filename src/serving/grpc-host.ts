/**
 * A gRPC server (@grpc/grpc-js) for any set of ServiceImpls: each method is
 * served at `/package.Service/Method` with ts-proto's codecs, message limits
 * raised to the API's 10 MB, and errors sent with `grpc-status-details-bin`.
 *
 * With a `requestBudget`, a server interceptor admits each call before its
 * message is read. grpc-js gives a handler (and any interceptor) nothing
 * until the whole message is buffered, and reads nothing of a stream until
 * the call's metadata has passed the interceptors; so the interceptor holds
 * the metadata back until it has reserved the largest message allowed
 * (`maxReceiveBytes`), shrinks the reservation to the message's size once
 * it is read, and releases it when the call ends or is cancelled. A call
 * not admitted is answered with the budget's error (RESOURCE_EXHAUSTED)
 * without reading its message; until then its stream stays paused, so
 * HTTP/2 flow control stops the client after one window (64 KB). What this
 * does not bound: the HTTP/2 windows of waiting streams, header blocks,
 * and the response messages being sent.
 */
import * as grpc from '@grpc/grpc-js';
import { errorToStatusBytes } from '../codec/status-bytes.js';
import * as codes from '../core/codes.js';
import { VisionError } from '../core/vision-error.js';
import { dispatchUnary, logUnexpected, toVisionError, type UnexpectedErrorLogger } from './dispatch.js';
import type { BudgetReservation, RequestBudget } from './request-budget.js';
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
  /**
   * Admits calls against a budget of memory held by requests in flight:
   * `maxReceiveBytes` are reserved before a call's message is read, the
   * message's size after (see the module comment).
   */
  readonly requestBudget?: RequestBudget;
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
function grpcError(err: VisionError): grpc.StatusObject {
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
    const onCancel = (): void => controller.abort(new VisionError(codes.CANCELLED, 'the client cancelled the call'));
    call.once('cancelled', onCancel);
    const ctx: CallContext = { signal: controller.signal, headers: headersOf(call.metadata), transport: 'grpc' };
    void (async () => {
      let request: unknown;
      try {
        request = method.requestType.decode(call.request);
      } catch (err) {
        throw new VisionError(
          codes.INVALID_ARGUMENT,
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

/** The server interceptor that admits each call against `budget` before its message is read. */
function budgetInterceptor(budget: RequestBudget, maxReceiveBytes: number): grpc.ServerInterceptor {
  return (_method, call) => {
    const ended = new AbortController();
    let reservation: BudgetReservation | undefined;
    const end = (): void => {
      ended.abort(new VisionError(codes.CANCELLED, 'the call ended'));
      reservation?.release();
      reservation = undefined;
    };
    return new grpc.ServerInterceptingCall(call, {
      start: (next) =>
        next({
          onReceiveMetadata: (metadata, admit) => {
            budget.reserve(maxReceiveBytes, ended.signal).then(
              (r) => {
                if (ended.signal.aborted) return r.release();
                reservation = r;
                admit(metadata);
              },
              (err: unknown) => {
                if (ended.signal.aborted) return;
                end();
                call.sendStatus(grpcError(toVisionError(err, 'admitting a gRPC call')));
              },
            );
          },
          onReceiveMessage: (message: Buffer, pass) => {
            reservation?.resize(message.length);
            pass(message);
          },
          onCancel: end,
        }),
      sendStatus: (status, send) => {
        end();
        send(status);
      },
    });
  };
}

/** Builds a gRPC server serving `impls`. */
export function createGrpcHost(impls: readonly ServiceImpl[], options: GrpcHostOptions = {}): GrpcHost {
  const maxReceiveBytes = options.maxReceiveBytes ?? MAX_REQUEST_BYTES;
  const server = new grpc.Server({
    'grpc.max_receive_message_length': maxReceiveBytes,
    'grpc.max_send_message_length': options.maxSendBytes ?? 64 * 1024 * 1024,
    ...(options.requestBudget ? { interceptors: [budgetInterceptor(options.requestBudget, maxReceiveBytes)] } : {}),
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
