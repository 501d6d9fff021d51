import { httpStatusFromCode } from '../core/code.js';
import * as codes from '../core/codes.js';
import { raceSignal } from '../core/race-signal.js';
import { VisionError } from '../core/vision-error.js';
import { normalizeMessage } from '../schema/create-message.js';
import { TransportClosedError } from './closed-error.js';
import { authHeaders, type Credentials, secretsOf } from './credentials.js';
import { redactError, redactValue } from './redact.js';
import { runUnary } from './run-unary.js';
import type { CallOptions, MethodRef, Transport } from './transport.js';

/** What an in-memory handler learns about its call. */
export interface MemoryCallContext {
  /** The method called. */
  readonly method: MethodRef;
  /** Aborts when the caller cancels or the deadline passes. */
  readonly signal: AbortSignal;
  /** The call's headers (lower-case names), credentials included, as a server would see them. */
  readonly headers: Readonly<Record<string, string>>;
  /** The deadline (epoch ms), or undefined. */
  readonly deadline: number | undefined;
}

/** Serves one method: the normalised request in, a (partial) response out, or a thrown VisionError. */
export type MemoryHandler = (request: object, context: MemoryCallContext) => Promise<object> | object;

/** Handlers by service full name, then proto method name. */
export type MemoryHandlers = {
  readonly [service: string]: { readonly [method: string]: MemoryHandler | undefined } | undefined;
};

/**
 * A {@link Transport} that calls in-process handlers with the real
 * transports' semantics: requests and responses normalised to the full
 * message shape (copies, never the caller's or handler's objects), errors as
 * VisionError (anything else a handler throws is UNKNOWN, as a gRPC server
 * answers), UNIMPLEMENTED for a method without handler, cancellation,
 * deadlines and retries. For fast unit tests of clients and the poller.
 */
export function createMemoryTransport(handlers: MemoryHandlers, credentials: Credentials = {}): Transport {
  let closed = false;
  return {
    kind: 'memory',
    unary<O extends object = object>(ref: MethodRef, request: object, options?: CallOptions): Promise<O> {
      return runUnary(ref, options, async ({ signal, deadline }) => {
        const normalized = normalizeMessage<object>(ref.method.input, request);
        const auth = await authHeaders(credentials, signal);
        const secrets = secretsOf(credentials, auth);
        if (closed) throw new TransportClosedError('memory');
        const handler = handlers[ref.service]?.[ref.method.name];
        if (handler === undefined) {
          throw new VisionError(codes.UNIMPLEMENTED, `no handler for ${ref.service}.${ref.method.name}`, {
            httpStatus: 501,
          });
        }
        const headers: Record<string, string> = {};
        for (const [k, v] of Object.entries({ ...options?.headers, ...auth })) headers[k.toLowerCase()] = v;
        const context: MemoryCallContext = { method: ref, signal, headers, deadline };
        let response: object;
        try {
          response = await raceSignal(
            Promise.resolve().then(() => handler(normalized, context)),
            signal,
          );
        } catch (err) {
          if (signal.aborted) throw signal.reason;
          throw redactError(asServerError(err), secrets);
        }
        let message: O;
        try {
          message = normalizeMessage<O>(ref.method.output, response);
        } catch (err) {
          throw new VisionError(
            codes.INTERNAL,
            `the handler of ${ref.method.name} answered something that is not a ${ref.method.output}: ${
              err instanceof Error ? err.message : String(err)
            }`,
            { httpStatus: 500, cause: err },
          );
        }
        return redactValue(message, secrets);
      });
    },
    close(): void {
      closed = true;
    },
  };
}

/**
 * A handler's failure as a client would receive it from a server: a
 * VisionError with the HTTP status of its code (anything else UNKNOWN).
 */
function asServerError(err: unknown): VisionError {
  if (!(err instanceof VisionError)) {
    return new VisionError(codes.UNKNOWN, err instanceof Error ? err.message : String(err), {
      httpStatus: httpStatusFromCode(codes.UNKNOWN),
    });
  }
  if (err.httpStatus !== undefined) return err;
  return new VisionError(err.code, err.rawMessage, { details: err.details, httpStatus: httpStatusFromCode(err.code) });
}
