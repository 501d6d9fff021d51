/**
 * The REST transport (browser-safe: global `fetch` only): gRPC transcoding
 * of the methods' `google.api.http` rules, proto3 JSON bodies, Google's JSON
 * error bodies.
 */

import { messageFromJson } from '../codec/json/from-json.js';
import { errorFromRestResponse } from '../codec/rpc-status.js';
import { checkKeys, checkNumber, checkObject, type OptionNames } from '../core/check-options.js';
import * as codes from '../core/codes.js';
import { messageOf, VisionError } from '../core/vision-error.js';
import { restBindings } from '../transcoding/operations-bindings.js';
import { transcodeRequest } from '../transcoding/transcode-request.js';
import { REST_ANSWER_LIMIT, readBoundedText } from './bounded-text.js';
import { createInFlight, TransportClosedError } from './closed-error.js';
import { authHeaders, type Credentials, secretsOf } from './credentials.js';
import { checkRestUrl, GOOGLE_REST_ENDPOINT, isLoopbackUrl, readEnv } from './endpoint.js';
import { excerptText } from './excerpt.js';
import { FETCH_FAILURE, type FetchFailureClassifier, networkFailure, PROXY_SHOWN } from './fetch-failure.js';
import { redactError, redactText, redactValue } from './redact.js';
import { redirectError } from './rest-redirect.js';
import { type AttemptContext, DEFAULT_CONNECT_RETRY_MS } from './retry.js';
import { withRetryAfter } from './retry-after.js';
import { runUnary } from './run-unary.js';
import type { CallOptions, MethodRef, Transport } from './transport.js';

/** Options of {@link createRestTransport}. */
export interface RestTransportOptions extends Credentials {
  /**
   * Base URL, e.g. `http://127.0.0.1:8090`. Default: `VISION_EMULATOR_REST`
   * when set (where there is a `process`), else `https://vision.googleapis.com`.
   */
  readonly baseUrl?: string | undefined;
  /** Where the API key goes: the `x-goog-api-key` header (default) or the `key` query parameter. */
  readonly apiKeyIn?: 'header' | 'query' | undefined;
  /**
   * Send enums as numbers and ask for numbers back with
   * `$alt=json;enum-encoding=int` (as Google's own Node client does; the
   * transcoder appends it). Default false.
   */
  readonly enumAsInt?: boolean | undefined;
  /**
   * Allow an `http://` base URL off this machine (requests and credentials
   * unencrypted). Default false: only loopback and `VISION_EMULATOR_REST` may
   * be `http://`.
   */
  readonly plaintext?: boolean | undefined;
  /**
   * Largest answer body read, in bytes (Infinity: no limit); default
   * {@link REST_ANSWER_LIMIT}, 10 MiB, the gRPC transport's receive limit.
   * Enforced while reading: past it the stream is cancelled and the call
   * fails with RESOURCE_EXHAUSTED naming the limit.
   */
  readonly maxReceiveBytes?: number | undefined;
  /** The fetch to use; default the global one. It is asked not to follow redirects (`redirect: 'manual'`). */
  readonly fetch?: typeof globalThis.fetch | undefined;
  /**
   * How long (ms) calls keep retrying while the server cannot be reached at
   * all (refused, unreachable, DNS, proxy); then they fail UNAVAILABLE with
   * a `ConnectionError`. Default 3,000; `Infinity`: up to the call's
   * deadline; 0: no such retries.
   */
  readonly connectRetryMs?: number | undefined;
}

/** The names of {@link RestTransportOptions} (a name outside them is refused: see `checkKeys`). */
export const REST_OPTIONS: OptionNames<RestTransportOptions> = {
  baseUrl: 1,
  apiKeyIn: 1,
  enumAsInt: 1,
  plaintext: 1,
  maxReceiveBytes: 1,
  fetch: 1,
  connectRetryMs: 1,
  apiKey: 1,
  token: 1,
};

/**
 * A {@link Transport} over REST/JSON. The base URL is checked at once
 * (INVALID_ARGUMENT: not an http(s) URL, user info or a query in it, or
 * `http://` off this machine without `plaintext`). Requests are transcoded before any I/O
 * (a field the path needs, or a method without binding such as WaitOperation,
 * fails then); responses are parsed ignoring unknown fields; errors come from
 * the Google error body, and an answer that is not the JSON expected becomes
 * INTERNAL with the HTTP status and an excerpt. Redirects are never followed
 * (a 3xx is UNKNOWN naming the status and target, see rest-redirect.ts);
 * answers are read up to `maxReceiveBytes` (bounded-text.ts).
 */
export function createRestTransport(options: RestTransportOptions = {}): Transport {
  const where = 'createRestTransport';
  checkObject(where, 'options', options);
  checkKeys(where, options, REST_OPTIONS);
  const fromEnv = options.baseUrl === undefined ? readEnv('VISION_EMULATOR_REST') : undefined;
  const baseUrl = checkRestUrl(
    where,
    fromEnv === undefined ? 'baseUrl' : 'VISION_EMULATOR_REST',
    options.baseUrl ?? fromEnv ?? GOOGLE_REST_ENDPOINT,
    fromEnv !== undefined || options.plaintext === true,
  ).replace(/\/+$/, '');
  const keyInQuery = options.apiKeyIn === 'query';
  const enumAsInt = options.enumAsInt ?? false;
  if (options.maxReceiveBytes !== undefined) checkNumber(where, 'maxReceiveBytes', options.maxReceiveBytes, 1);
  const maxReceiveBytes = options.maxReceiveBytes ?? REST_ANSWER_LIMIT;
  const credentials: Credentials = { apiKey: options.apiKey, token: options.token };
  const keyParam = keyInQuery && credentials.apiKey !== undefined ? `key=${encodeURIComponent(credentials.apiKey)}` : undefined;
  if (options.connectRetryMs !== undefined) checkNumber(where, 'connectRetryMs', options.connectRetryMs);
  const connectRetryMs = options.connectRetryMs ?? DEFAULT_CONNECT_RETRY_MS;
  // `scheme://host:port` (never the path or query, where a key could sit); checkRestUrl made sure it parses.
  const origin = new URL(baseUrl).origin;
  const failure = {
    transport: 'rest',
    endpoint: origin,
    local: fromEnv !== undefined || isLoopbackUrl(baseUrl),
    proxy: (options as { [PROXY_SHOWN]?: string })[PROXY_SHOWN],
  } as const;
  const classify = (options as { [FETCH_FAILURE]?: FetchFailureClassifier })[FETCH_FAILURE] ?? networkFailure;
  const inFlight = createInFlight();

  /**
   * `pending` unless close() is called first: then the closed error at once, the attempt's fetch aborted
   * through `stopper` (`onClosed` releases what `pending` still brings: a custom fetch may ignore its signal).
   */
  function whileOpen<T>(pending: Promise<T>, onClosed: (settled: T) => void, stopper: AbortController): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      let stopped = false;
      const untrack = inFlight.add(() => {
        stopped = true;
        const closedError = new TransportClosedError('REST');
        stopper.abort(closedError);
        reject(closedError);
      });
      pending.then(
        (value) => {
          untrack();
          if (stopped) onClosed(value);
          else resolve(value);
        },
        (err: unknown) => {
          untrack();
          reject(err);
        },
      );
    });
  }

  /** One attempt: transcoding (before any I/O), the auth headers, then the exchange. */
  async function attempt(ref: MethodRef, request: object, callOptions: CallOptions | undefined, ctx: AttemptContext): Promise<object> {
    // The caller's partial request is checked while it is written (as normalizeMessage would check it).
    const http = transcodeRequest(ref.method, request, { enumAsInt, lenient: true, bindings: restBindings(ref) });
    const auth = await authHeaders(credentials, ctx.signal, !keyInQuery);
    const secrets = secretsOf(credentials, auth);
    if (inFlight.closed) throw new TransportClosedError('REST');
    // The call's signal, when there is a deadline or a caller's signal to stop at; otherwise none is made.
    const signal = ctx.hasCallerSignal || ctx.deadline !== undefined ? ctx.signal : undefined;
    const query = keyParam === undefined ? http.query : http.query ? `${http.query}&${keyParam}` : keyParam;
    const url = `${baseUrl}${http.path}${query ? `?${query}` : ''}`;
    const headers: Record<string, string> = {};
    const extra = callOptions?.headers;
    if (extra !== undefined) for (const key of Object.keys(extra)) headers[key.toLowerCase()] = extra[key]!;
    Object.assign(headers, auth);
    if (http.body !== undefined) headers['content-type'] = 'application/json; charset=utf-8';
    // Never followed: a 3xx is an error (rest-redirect.ts), so nothing goes to another origin.
    const init: RequestInit = { method: http.method, headers, body: http.body, redirect: 'manual' };
    // fetch follows its own signal, which close() aborts (with the closed error) and the call's signal forwards to.
    const stopper = new AbortController();
    const forward = (): void => stopper.abort(signal?.reason);
    if (signal?.aborted) throw signal.reason;
    signal?.addEventListener('abort', forward, { once: true });
    init.signal = stopper.signal;
    const what = `${ref.method.name} (${http.method} ${http.path})`;

    /** An INTERNAL error about the answer (its HTTP status kept), secrets redacted. */
    const bad = (response: Response, problem: string): VisionError =>
      redactError(
        new VisionError(codes.INTERNAL, `the HTTP ${response.status} answer to ${what} ${problem}`, { httpStatus: response.status }),
        secrets,
      );

    try {
      let response: Response;
      try {
        response = await whileOpen(
          (options.fetch ?? globalThis.fetch)(url, init),
          (late) => {
            late.body?.cancel().catch(() => undefined);
          },
          stopper,
        );
      } catch (err) {
        if (err instanceof TransportClosedError) throw err;
        if (signal?.aborted) throw signal.reason;
        throw (
          classify(err, failure) ??
          new VisionError(codes.UNAVAILABLE, `could not reach ${origin} for ${what}: ${networkReason(err, secrets)}`)
        );
      }
      const redirect = redirectError(response, url, what);
      if (redirect !== undefined) {
        response.body?.cancel().catch(() => undefined);
        throw redactError(redirect, secrets);
      }
      let text: string;
      try {
        const reading = readBoundedText(response, maxReceiveBytes, what);
        text = await whileOpen(reading, () => undefined, stopper);
      } catch (err) {
        if (err instanceof TransportClosedError) {
          response.body?.cancel().catch(() => undefined);
          throw err;
        }
        if (signal?.aborted) throw signal.reason;
        // A VisionError here is the answer over the limit (bounded-text.ts); anything else, the stream's failure.
        throw err instanceof VisionError ? redactError(err, secrets) : bad(response, `was cut off: ${networkReason(err, secrets)}`);
      }
      if (!response.ok) {
        const error = withRetryAfter(errorFromRestResponse(response.status, text), response.headers.get('retry-after'));
        throw redactError(error, secrets);
      }
      let json: unknown;
      try {
        json = text.trim() === '' ? {} : JSON.parse(text);
      } catch {
        throw bad(response, `is not JSON: ${excerptText(text)}`);
      }
      try {
        const message = messageFromJson(ref.method.output, json, { ignoreUnknownFields: true }) as object;
        // A server that echoes a credential into an answer (an operation's error, say) does not get it shown.
        return secrets.some((s) => text.includes(s)) ? redactValue(message, secrets) : message;
      } catch (err) {
        throw bad(response, `is not a ${ref.method.output} (${messageOf(err)}): ${excerptText(text)}`);
      }
    } finally {
      signal?.removeEventListener('abort', forward);
    }
  }

  return {
    kind: 'rest',
    unary<O extends object = object>(ref: MethodRef, request: object, callOptions?: CallOptions): Promise<O> {
      return runUnary(ref, callOptions, (ctx) => attempt(ref, request, callOptions, ctx) as Promise<O>, connectRetryMs);
    },
    close(): void {
      inFlight.close();
    },
  };
}

/** A network failure's reason, with its `cause` (undici puts ECONNREFUSED there), secrets scrubbed. */
function networkReason(err: unknown, secrets: readonly string[]): string {
  const parts: string[] = [];
  let e: unknown = err;
  for (let depth = 0; e !== undefined && e !== null && depth < 3; depth++) {
    parts.push(messageOf(e));
    e = e instanceof Error ? e.cause : undefined;
  }
  return redactText(parts.filter(Boolean).join(': ') || 'network error', secrets);
}
