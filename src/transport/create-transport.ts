/**
 * Picks and builds a transport from an endpoint, a transport name and the
 * emulator variables, per docs/calls.md (Node only: it may use google-auth-library).
 *
 * With no transport named, gRPC is used and, when the service's REST
 * endpoint is known, calls move to REST for good if the gRPC endpoint
 * answers but cannot speak gRPC (`fallback-transport.ts`). The REST
 * endpoint of a gRPC one is known for Google (`*.googleapis.com:443` →
 * `https://*.googleapis.com`), for `VISION_EMULATOR_HOST` from
 * `VISION_EMULATOR_REST`, and for an explicit endpoint from `restEndpoint`.
 * A named transport never switches.
 */

import { checkKeys, checkObject, type OptionNames } from '../core/check-options.js';
import * as codes from '../core/codes.js';
import { VisionError } from '../core/vision-error.js';
import type { Credentials } from './credentials.js';
import { checkEndpoint, GOOGLE_GRPC_ENDPOINT, GOOGLE_REST_ENDPOINT, grpcEndpointHost, isLoopbackEndpoint } from './endpoint.js';
import { createFallbackTransport, type TransportFallback } from './fallback-transport.js';
import { googleAuthTokenProvider, withCredentialsHint } from './google-auth.js';
import { grpcEndpointPort } from './grpc-channel.js';
import { createGrpcTransport } from './grpc-transport.js';
import { createRestTransport } from './node-rest-transport.js';
import type { CaOption } from './node-trust.js';
import type { Transport } from './transport.js';

/** A transport's name. */
export type TransportKind = 'grpc' | 'rest';

/** Options of {@link resolveTransport} and {@link createTransport}. */
export interface TransportChoiceOptions {
  /** `grpc` or `rest`; absent: follows from the endpoint, then the environment. */
  readonly transport?: TransportKind | undefined;
  /** `host:port` (gRPC) or `http(s)://host:port` (REST). */
  readonly endpoint?: string | undefined;
  /** Plaintext (no TLS) to a non-loopback gRPC endpoint, or `http:` for an `https:` REST one. */
  readonly plaintext?: boolean | undefined;
  /**
   * The REST base URL of the service behind a gRPC `endpoint`, for the
   * automatic switch to REST (no `transport` named). Google's and the
   * emulator variables' are known without it.
   */
  readonly restEndpoint?: string | undefined;
  /**
   * Where to read `VISION_EMULATOR_HOST` and `VISION_EMULATOR_REST`; default
   * `process.env`. (The proxy variables are read from `process.env`.)
   */
  readonly env?: Readonly<Record<string, string | undefined>> | undefined;
}

/** What {@link resolveTransport} decided. */
export interface TransportChoice {
  /** Which transport. */
  readonly kind: TransportKind;
  /** `host:port` for gRPC, a base URL for REST. */
  readonly endpoint: string;
  /** True for loopback endpoints and the emulator variables: plaintext, no credentials. */
  readonly local: boolean;
  /** gRPC without TLS. */
  readonly plaintext: boolean;
  /** Where the endpoint came from. */
  readonly source: 'option' | 'VISION_EMULATOR_HOST' | 'VISION_EMULATOR_REST' | 'google';
  /**
   * The REST base URL calls move to if the gRPC endpoint cannot speak gRPC:
   * set only when no transport was named, the choice is gRPC and the
   * service's REST endpoint is known.
   */
  readonly fallback?: string | undefined;
}

/**
 * The endpoint rules of docs/calls.md: an endpoint's form gives the transport (an
 * explicit one must agree); without one, `VISION_EMULATOR_HOST` (gRPC) or
 * `VISION_EMULATOR_REST` (REST), else Google's endpoints. Throws an
 * INVALID_ARGUMENT VisionError for a malformed or disagreeing endpoint.
 */
export function resolveTransport(options: TransportChoiceOptions = {}): TransportChoice {
  const env = options.env ?? process.env;
  const wanted = options.transport;
  if (wanted !== undefined && wanted !== 'grpc' && wanted !== 'rest') {
    throw new VisionError(codes.INVALID_ARGUMENT, `unknown transport "${String(wanted)}" (grpc or rest)`);
  }
  const restEndpoint =
    options.restEndpoint === undefined
      ? undefined
      : checkEndpoint('', 'restEndpoint', options.restEndpoint, 'rest', options.plaintext === true).endpoint;
  if (restEndpoint !== undefined && wanted !== undefined) {
    throw new VisionError(
      codes.INVALID_ARGUMENT,
      `restEndpoint is for the automatic choice of transport: --transport ${wanted} never switches`,
    );
  }
  if (options.endpoint !== undefined) {
    const { kind, endpoint } = checkEndpoint('', 'endpoint', options.endpoint, undefined, options.plaintext === true, '--plaintext');
    if (wanted !== undefined && wanted !== kind) {
      throw new VisionError(
        codes.INVALID_ARGUMENT,
        `--transport ${wanted} does not agree with endpoint "${endpoint}" (${
          kind === 'rest' ? 'a URL is a REST endpoint' : 'host:port is a gRPC endpoint'
        })`,
      );
    }
    // TLS unless --plaintext: checkEndpoint refused an http:// URL elsewhere (credentials would go in the clear).
    const local = isLoopbackEndpoint(endpoint);
    const plaintext = kind === 'grpc' ? local || options.plaintext === true : false;
    const choice: TransportChoice = { kind, endpoint, local, plaintext, source: 'option' };
    return withFallback(choice, options, restEndpoint ?? (plaintext ? undefined : googleRestOf(endpoint)));
  }
  const grpcEnv = nonEmpty(env['VISION_EMULATOR_HOST']);
  const restEnv = nonEmpty(env['VISION_EMULATOR_REST']);
  const kind: TransportKind = wanted ?? (grpcEnv !== undefined ? 'grpc' : restEnv !== undefined ? 'rest' : 'grpc');
  if (kind === 'grpc' && grpcEnv !== undefined) {
    checkEndpoint('', 'VISION_EMULATOR_HOST', grpcEnv, 'grpc', true);
    const choice: TransportChoice = { kind, endpoint: grpcEnv, local: true, plaintext: true, source: 'VISION_EMULATOR_HOST' };
    if (restEndpoint === undefined && restEnv !== undefined) checkEndpoint('', 'VISION_EMULATOR_REST', restEnv, 'rest', true);
    return withFallback(choice, options, restEndpoint ?? restEnv);
  }
  if (kind === 'rest' && restEnv !== undefined) {
    checkEndpoint('', 'VISION_EMULATOR_REST', restEnv, 'rest', true);
    return { kind, endpoint: restEnv, local: true, plaintext: true, source: 'VISION_EMULATOR_REST' };
  }
  const choice: TransportChoice = {
    kind,
    endpoint: kind === 'grpc' ? GOOGLE_GRPC_ENDPOINT : GOOGLE_REST_ENDPOINT,
    local: false,
    plaintext: options.plaintext === true,
    source: 'google',
  };
  return withFallback(choice, options, restEndpoint ?? GOOGLE_REST_ENDPOINT);
}

/** The choice with its `fallback` when no transport is named and it is gRPC. */
function withFallback(choice: TransportChoice, options: TransportChoiceOptions, rest: string | undefined): TransportChoice {
  if (options.transport !== undefined || choice.kind !== 'grpc' || rest === undefined) return choice;
  return { ...choice, fallback: rest };
}

/** `https://host` for a Google API endpoint `host.googleapis.com[:443]`; undefined for any other. */
function googleRestOf(endpoint: string): string | undefined {
  const host = grpcEndpointHost(endpoint).toLowerCase();
  return host.endsWith('.googleapis.com') && grpcEndpointPort(endpoint) === 443 ? `https://${host}` : undefined;
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value.trim() === '' ? undefined : value.trim();
}

/** Options of {@link createTransport}. */
export interface CreateTransportOptions extends TransportChoiceOptions, Credentials {
  /** REST only: send enums as numbers with `$alt=json;enum-encoding=int`. */
  readonly enumAsInt?: boolean | undefined;
  /** PEM certificates to trust besides the defaults (both transports). */
  readonly ca?: CaOption | undefined;
  /**
   * A proxy URL to tunnel through, or `false` for none. Default: the proxy
   * variables, never for loopback or the emulator variables.
   */
  readonly proxy?: string | false | undefined;
  /** How long (ms) calls keep retrying while the server cannot be reached at all; default 3,000. */
  readonly connectRetryMs?: number | undefined;
  /**
   * Told once when calls move from gRPC to REST because the gRPC endpoint
   * cannot speak gRPC (only when no transport is named).
   */
  readonly onFallback?: ((event: TransportFallback) => void) | undefined;
}

/** The names of {@link CreateTransportOptions} (a name outside them is refused). */
const CREATE_TRANSPORT_OPTIONS: OptionNames<CreateTransportOptions> = {
  transport: 1,
  endpoint: 1,
  plaintext: 1,
  restEndpoint: 1,
  env: 1,
  apiKey: 1,
  token: 1,
  enumAsInt: 1,
  ca: 1,
  proxy: 1,
  connectRetryMs: 1,
  onFallback: 1,
};

/**
 * A gRPC or REST transport per {@link resolveTransport}: local endpoints get
 * no credentials (unless `apiKey`/`token` are given, e.g. for an emulator
 * started with `--auth-token`); Google's get those, or google-auth-library's
 * application default credentials with the Vision scopes. With no transport
 * named and a known REST endpoint (`choice.fallback`), gRPC that cannot
 * speak gRPC gives way to REST (see the module's header).
 */
export function createTransport(options: CreateTransportOptions = {}): Transport {
  checkObject('createTransport', 'options', options);
  checkKeys('createTransport', options, CREATE_TRANSPORT_OPTIONS);
  const choice = resolveTransport(options);
  const explicit = options.apiKey !== undefined || options.token !== undefined;
  const token =
    options.token ??
    (choice.local || explicit ? undefined : withCredentialsHint(googleAuthTokenProvider(), choice.endpoint, choice.source === 'google'));
  const common = { apiKey: options.apiKey, token, ca: options.ca, connectRetryMs: options.connectRetryMs };
  const rest = (endpoint: string, local: boolean): Transport => {
    const plaintext = options.plaintext === true;
    const baseUrl = plaintext ? endpoint.replace(/^https:/i, 'http:') : endpoint;
    return createRestTransport({
      ...common,
      baseUrl,
      plaintext: plaintext || local,
      enumAsInt: options.enumAsInt,
      proxy: proxyOf(options, local),
    });
  };
  if (choice.kind === 'rest') return rest(choice.endpoint, choice.local);
  const grpc = createGrpcTransport({
    ...common,
    endpoint: choice.endpoint,
    plaintext: choice.plaintext,
    auth: 'none',
    proxy: proxyOf(options, choice.local),
  });
  const fallback = choice.fallback;
  if (fallback === undefined) return grpc;
  return createFallbackTransport({
    grpc,
    rest: () => rest(fallback, choice.source === 'VISION_EMULATOR_HOST' || isLoopbackEndpoint(fallback)),
    grpcEndpoint: choice.endpoint,
    restEndpoint: fallback,
    onFallback: options.onFallback,
  });
}

/**
 * The `proxy` option a transport gets: the caller's; `false` for local
 * endpoints (an emulator variable need not look local to the transport);
 * otherwise none, and the transport applies the proxy rule to `process.env`.
 */
function proxyOf(options: CreateTransportOptions, local: boolean): string | false | undefined {
  if (options.proxy !== undefined) return options.proxy;
  return local ? false : undefined;
}
