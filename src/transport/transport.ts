import type { MethodRef } from './method-ref.js';
import type { RetryOptions } from './retry.js';

export type { MethodRef } from './method-ref.js';

/** Options of one call, accepted by every transport and every client method. */
export interface CallOptions {
  /** Cancels the call (and any retry wait) when it aborts: the call rejects with CANCELLED. */
  readonly signal?: AbortSignal | undefined;
  /**
   * Milliseconds for the whole call, retries and their waits included; when it
   * passes the call rejects with DEADLINE_EXCEEDED. Default 600,000 (the service config's; docs/calls.md's
   * timeout for every method); `Infinity` for none.
   */
  readonly timeout?: number | undefined;
  /**
   * `false` turns retries off for this call. An object turns them on with these
   * settings over the defaults (even for a method that is not retried by
   * default). Absent: the method's default policy (see `retry.ts`).
   */
  readonly retry?: RetryOptions | false | undefined;
  /** Extra request headers (REST) or metadata (gRPC); names are lower-cased. */
  readonly headers?: Readonly<Record<string, string>> | undefined;
}

/** The timeout of every method unless a call says otherwise (docs/calls.md). */
export const DEFAULT_TIMEOUT_MS = 600_000;

/**
 * A way to make one unary call of any method of the three services. The
 * implementations are `createGrpcTransport` (Node, `@grpc/grpc-js`),
 * `createRestTransport` (browser-safe, `fetch` and gRPC transcoding) and
 * `createMemoryTransport` (in-process handlers, for tests).
 *
 * The contract every implementation keeps:
 * 1. `unary` MUST accept the request as a deep partial of the input message
 *    and normalise it (unset scalars take their defaults) before use, or
 *    check it as strictly while writing it (REST: `transcodeRequest` with
 *    `lenient`); it MUST NOT modify the caller's object.
 * 2. It MUST resolve to the output message in the full in-memory shape of
 *    CONTRIBUTING.md ("Message shape"), so the same answer is deep-equal on
 *    every transport.
 * 3. It MUST reject only with a `VisionError` (never anything else, never an
 *    unhandled rejection): the server's status with its code, message and
 *    typed `google.rpc` details; an answer that cannot be decoded is INTERNAL
 *    (or UNKNOWN) naming the HTTP status and a short excerpt.
 * 4. Errors in the request that the client can see (a field the HTTP path
 *    needs is missing, a method with no binding on this transport) MUST be
 *    thrown before any I/O.
 * 5. When `options.signal` aborts, it MUST stop the call on the wire (the
 *    server sees the cancellation) and reject with CANCELLED at once.
 * 6. It MUST enforce `options.timeout` over the whole call, retries included,
 *    and SHOULD pass the deadline to the server (gRPC sends `grpc-timeout`;
 *    REST sends nothing, to keep CORS preflights to the headers every
 *    server allows); when it passes, the call rejects with DEADLINE_EXCEEDED.
 * 7. It MUST retry per `retry.ts` (idempotent methods, UNAVAILABLE and
 *    DEADLINE_EXCEEDED, backoff with jitter, abort-aware waits, bounded by
 *    the deadline) unless the call's options say otherwise.
 * 8. It MUST send `options.headers` with the request and MUST NOT put
 *    credentials (tokens, API keys) into errors, logs or results.
 * 9. It MUST release everything it registered for the call (abort
 *    listeners, timers) when the call settles.
 */
export interface Transport {
  /** `grpc`, `rest` or `memory`. */
  readonly kind: 'grpc' | 'rest' | 'memory';
  /** Makes one call; see the numbered rules above. */
  unary<O extends object = object>(method: MethodRef, request: object, options?: CallOptions): Promise<O>;
  /** Releases connections (gRPC channels). Calls after `close()` fail with UNAVAILABLE. */
  close(): void;
}
