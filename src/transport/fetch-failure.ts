/**
 * How the browser-safe REST transport tells a failed connection from other
 * failures of `fetch`. A browser's fetch says nothing about why it failed
 * (a refusal, a DNS failure and a CORS refusal all are a bare `TypeError`),
 * so here every TypeError from fetch is a `network` ConnectionError (the
 * request may have left). Node's fetch says more (the socket's code in the
 * error's `cause`): the Node entry's `createRestTransport` hands the
 * transport the full classifier of connect-failure.ts under
 * {@link FETCH_FAILURE}, which the browser's bundle then never carries.
 */
import { ConnectionError } from './connection-error.js';

/**
 * The key under which the Node entry's `createRestTransport` hands the
 * browser-safe one the proxy its fetch goes through (as shown), so that
 * connection failures name it; not part of the public options.
 */
export const PROXY_SHOWN: unique symbol = Symbol('vision-kit.proxyShown');

/** The key under which the Node entry hands the browser-safe transport its classifier of fetch failures (not a public option). */
export const FETCH_FAILURE: unique symbol = Symbol('vision-kit.fetchFailure');

/** What a failure's message needs to know about the transport that saw it. */
export interface FailureContext {
  /** Which transport. */
  readonly transport: 'grpc' | 'rest';
  /** The endpoint as shown: `host:port` (gRPC) or the REST origin. */
  readonly endpoint: string;
  /** True for loopback endpoints and the emulator variables: a refusal then says how to start the emulator. */
  readonly local: boolean;
  /** The proxy the connection goes through, as shown (no credentials), and the variable it came from. */
  readonly proxy?: string | undefined;
}

/** Reads an error thrown by `fetch` (not an abort): its ConnectionError, or undefined when it is not a failure to connect. */
export type FetchFailureClassifier = (err: unknown, ctx: FailureContext) => ConnectionError | undefined;

/** A browser's fetch failure: any TypeError is a `network` ConnectionError (see the module comment). */
export const networkFailure: FetchFailureClassifier = (err, ctx) => {
  if (!(err instanceof TypeError)) return undefined;
  const via = ctx.proxy === undefined ? '' : ` through the proxy ${ctx.proxy}`;
  return new ConnectionError(`cannot reach ${ctx.endpoint} over REST${via}: ${err.message || 'the request failed'}`, {
    transport: 'rest',
    endpoint: ctx.endpoint,
    failure: 'network',
    cause: err,
  });
};
