import * as codes from '../core/codes.js';
import { VisionError } from '../core/vision-error.js';

/**
 * Why a call could not get through to a server (browser-safe):
 * - `refused`: nothing listens at the endpoint (ECONNREFUSED);
 * - `unreachable`: no route, the connect timed out, or the connection was
 *   reset before anything was sent;
 * - `dns`: the endpoint's name does not resolve;
 * - `proxy`: the proxy could not be reached or would not open the tunnel;
 * - `tls`: the TLS handshake failed (an untrusted or mismatched
 *   certificate, a server that does not speak TLS);
 * - `blocked`: the client will not connect there (fetch's blocked ports);
 * - `not-grpc`: something answered at a gRPC endpoint but cannot speak
 *   gRPC (it answered HTTP/1.x, its TLS offers no `h2`, or it reset the
 *   connection at the HTTP/2 preface);
 * - `not-http1`: something answered at a REST endpoint but not in HTTP/1.1
 *   (an HTTP/2-only server, such as a gRPC port);
 * - `network`: a browser's fetch failed without saying why (the request may
 *   have left).
 */
export type ConnectionFailure = 'refused' | 'unreachable' | 'dns' | 'proxy' | 'tls' | 'blocked' | 'not-grpc' | 'not-http1' | 'network';

/** The failures worth trying again for a while: they go away when the server (or the network) comes back. */
const TRANSIENT: ReadonlySet<ConnectionFailure> = new Set(['refused', 'unreachable', 'dns', 'proxy', 'network']);

/** Constructor fields of {@link ConnectionError}. */
export interface ConnectionErrorInit {
  /** Which transport. */
  readonly transport: 'grpc' | 'rest';
  /** The endpoint as shown (`host:port` or the REST origin, never credentials). */
  readonly endpoint: string;
  /** Why. */
  readonly failure: ConnectionFailure;
  /** What to do about it (`. Nothing is listening there: …`), shown after the reason. */
  readonly hint?: string | undefined;
  /** The underlying error. */
  readonly cause?: unknown;
}

/**
 * UNAVAILABLE: the call could not get through to a server at `endpoint`.
 * Apart from `network` (a browser's opaque fetch failure), the request never
 * reached a server that could act on it, so sending it again (on this
 * transport or another) cannot do it twice. Transports retry the transient
 * failures (`refused`, `unreachable`, `dns`, `proxy`, `network`) for a short
 * budget only (`connectRetryMs`), not for the whole deadline; `tls`,
 * `blocked`, `not-grpc` and `not-http1` are not retried (waiting does not
 * change them).
 */
export class ConnectionError extends VisionError {
  /** Which transport failed. */
  readonly transport: 'grpc' | 'rest';
  /** The endpoint as shown in the message. */
  readonly endpoint: string;
  /** Why the call could not get through. */
  readonly failure: ConnectionFailure;
  /** What failed and why, without the retries or the advice that follow in the message. */
  readonly summary: string;
  readonly #init: ConnectionErrorInit;

  /** `summary` says what failed and why; `init.hint` (what to do) follows it in the message. */
  constructor(summary: string, init: ConnectionErrorInit, retries = '') {
    super(codes.UNAVAILABLE, `${summary}${retries}${init.hint ?? ''}`, {
      httpStatus: 503, // httpStatusFromCode(UNAVAILABLE)
      cause: init.cause,
    });
    this.name = 'ConnectionError';
    this.transport = init.transport;
    this.endpoint = init.endpoint;
    this.failure = init.failure;
    this.summary = summary;
    this.#init = init;
  }

  /** True when the request certainly did not reach a server that could act on it (all but `network`). */
  get neverSent(): boolean {
    return this.failure !== 'network';
  }

  /** True for the failures a short wait may cure (see {@link ConnectionFailure}). */
  get transient(): boolean {
    return TRANSIENT.has(this.failure);
  }

  /** The same error with ` (gave up after 2.9 s, 12 attempts)` after the reason: what the retries that preceded it tried. */
  afterRetries(attempts: number, elapsedMs: number): ConnectionError {
    return withRetries(this.summary, this.#init, ` (gave up after ${(elapsedMs / 1000).toFixed(1)} s, ${attempts} attempts)`);
  }
}

/**
 * A new ConnectionError, made outside the class body: a class that names
 * itself inside its body is renamed by the bundler (`_ConnectionError`),
 * and the error must print under its own name.
 */
function withRetries(summary: string, init: ConnectionErrorInit, retries: string): ConnectionError {
  return new ConnectionError(summary, init, retries);
}
