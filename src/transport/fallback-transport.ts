/**
 * gRPC that moves to REST when the gRPC endpoint answers but cannot speak
 * gRPC: what `createTransport()` gives when no transport is named and the
 * service's REST endpoint is known.
 *
 * The sign is a {@link ConnectionError} with failure `not-grpc` (the peer
 * answered HTTP/1.x, its TLS offers no `h2`, or it reset the connection at
 * the HTTP/2 preface), never a refusal or any other failure: a refused
 * connection may be a server restarting, and fails fast as it is. On the
 * first sign the transport switches to REST for good (later calls go
 * straight there) and tells `onFallback` once. The call that met the sign
 * is sent again over REST within what is left of its deadline: grpc-js
 * reports these failures only before a connection is up, so gRPC never
 * delivered it; were a call ever delivered (a failure that is not
 * `neverSent`), it would be sent again only when idempotent.
 */
import { ConnectionError } from './connection-error.js';
import { isIdempotent } from './retry.js';
import { type CallOptions, DEFAULT_TIMEOUT_MS, type MethodRef, type Transport } from './transport.js';

/** What `onFallback` is told when the transport moves from gRPC to REST. */
export interface TransportFallback {
  /** The transport left. */
  readonly from: 'grpc';
  /** The transport taken. */
  readonly to: 'rest';
  /** The gRPC endpoint that does not speak gRPC. */
  readonly grpcEndpoint: string;
  /** The REST base URL calls now go to. */
  readonly restEndpoint: string;
  /** The failure that showed it (its message says why). */
  readonly error: ConnectionError;
}

/** What {@link createFallbackTransport} needs. */
export interface FallbackTransportInit {
  /** The gRPC transport calls start on. */
  readonly grpc: Transport;
  /** Makes the REST transport, on the switch. */
  readonly rest: () => Transport;
  /** The gRPC endpoint, for `onFallback`. */
  readonly grpcEndpoint: string;
  /** The REST base URL, for `onFallback`. */
  readonly restEndpoint: string;
  /** Told once, when the transport switches; what it throws is ignored. */
  readonly onFallback?: ((event: TransportFallback) => void) | undefined;
}

/** A {@link Transport} whose `kind` is `grpc` until it switches to REST, then `rest`. */
export function createFallbackTransport(init: FallbackTransportInit): Transport {
  let rest: Transport | undefined;
  let closed = false;

  function switchToRest(error: ConnectionError): Transport {
    if (rest !== undefined) return rest;
    rest = init.rest();
    try {
      init.onFallback?.({ from: 'grpc', to: 'rest', grpcEndpoint: init.grpcEndpoint, restEndpoint: init.restEndpoint, error });
    } catch {
      // A listener's failure is not the call's.
    }
    return rest;
  }

  return {
    get kind() {
      return rest === undefined ? 'grpc' : 'rest';
    },
    unary<O extends object = object>(ref: MethodRef, request: object, options?: CallOptions): Promise<O> {
      if (rest !== undefined) return rest.unary<O>(ref, request, options);
      const started = Date.now();
      return init.grpc.unary<O>(ref, request, options).catch((err: unknown) => {
        if (closed || !(err instanceof ConnectionError) || err.failure !== 'not-grpc') throw err;
        const target = switchToRest(err);
        if (!err.neverSent && !isIdempotent(ref)) throw err;
        return target.unary<O>(ref, request, remaining(options, started));
      });
    },
    close(): void {
      closed = true;
      init.grpc.close();
      rest?.close();
    },
  };
}

/** The call's options with the time already spent taken off its timeout. */
function remaining(options: CallOptions | undefined, started: number): CallOptions {
  const timeout = options?.timeout ?? DEFAULT_TIMEOUT_MS;
  return { ...options, timeout: Math.max(0, timeout - (Date.now() - started)) };
}
