/**
 * Picks and builds a transport from an endpoint, a transport name and the
 * emulator variables, per design.md (Node only: it may use google-auth-library).
 */
import { Code } from '../core/code.js';
import { VisionError } from '../core/vision-error.js';
import type { Credentials } from './credentials.js';
import { checkEndpoint, GOOGLE_GRPC_ENDPOINT, GOOGLE_REST_ENDPOINT, isLoopbackEndpoint } from './endpoint.js';
import { googleAuthTokenProvider } from './google-auth.js';
import { createGrpcTransport } from './grpc-transport.js';
import { createRestTransport } from './rest-transport.js';
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
  /** Where to read `VISION_EMULATOR_HOST` and `VISION_EMULATOR_REST`; default `process.env`. */
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
}

/**
 * design.md's endpoint rules: an endpoint's form gives the transport (an
 * explicit one must agree); without one, `VISION_EMULATOR_HOST` (gRPC) or
 * `VISION_EMULATOR_REST` (REST), else Google's endpoints. Throws an
 * INVALID_ARGUMENT VisionError for a malformed or disagreeing endpoint.
 */
export function resolveTransport(options: TransportChoiceOptions = {}): TransportChoice {
  const env = options.env ?? process.env;
  const wanted = options.transport;
  if (wanted !== undefined && wanted !== 'grpc' && wanted !== 'rest') {
    throw new VisionError(Code.INVALID_ARGUMENT, `unknown transport "${String(wanted)}" (grpc or rest)`);
  }
  if (options.endpoint !== undefined) {
    const { kind, endpoint } = checkEndpoint('', 'endpoint', options.endpoint, undefined, options.plaintext === true, '--plaintext');
    if (wanted !== undefined && wanted !== kind) {
      throw new VisionError(
        Code.INVALID_ARGUMENT,
        `--transport ${wanted} does not agree with endpoint "${endpoint}" (${
          kind === 'rest' ? 'a URL is a REST endpoint' : 'host:port is a gRPC endpoint'
        })`,
      );
    }
    // TLS unless --plaintext: checkEndpoint refused an http:// URL elsewhere (credentials would go in the clear).
    const local = isLoopbackEndpoint(endpoint);
    return { kind, endpoint, local, plaintext: kind === 'grpc' ? local || options.plaintext === true : false, source: 'option' };
  }
  const grpcEnv = nonEmpty(env['VISION_EMULATOR_HOST']);
  const restEnv = nonEmpty(env['VISION_EMULATOR_REST']);
  const kind: TransportKind = wanted ?? (grpcEnv !== undefined ? 'grpc' : restEnv !== undefined ? 'rest' : 'grpc');
  if (kind === 'grpc' && grpcEnv !== undefined) {
    checkEndpoint('', 'VISION_EMULATOR_HOST', grpcEnv, 'grpc', true);
    return { kind, endpoint: grpcEnv, local: true, plaintext: true, source: 'VISION_EMULATOR_HOST' };
  }
  if (kind === 'rest' && restEnv !== undefined) {
    checkEndpoint('', 'VISION_EMULATOR_REST', restEnv, 'rest', true);
    return { kind, endpoint: restEnv, local: true, plaintext: true, source: 'VISION_EMULATOR_REST' };
  }
  return {
    kind,
    endpoint: kind === 'grpc' ? GOOGLE_GRPC_ENDPOINT : GOOGLE_REST_ENDPOINT,
    local: false,
    plaintext: options.plaintext === true,
    source: 'google',
  };
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value.trim() === '' ? undefined : value.trim();
}

/** Options of {@link createTransport}. */
export interface CreateTransportOptions extends TransportChoiceOptions, Credentials {
  /** REST only: send enums as numbers with `$alt=json;enum-encoding=int`. */
  readonly enumAsInt?: boolean | undefined;
}

/**
 * A gRPC or REST transport per {@link resolveTransport}: local endpoints get
 * no credentials (unless `apiKey`/`token` are given, e.g. for an emulator
 * started with `--auth-token`); Google's get those, or google-auth-library's
 * application default credentials with the Vision scopes.
 */
export function createTransport(options: CreateTransportOptions = {}): Transport {
  const choice = resolveTransport(options);
  const explicit = options.apiKey !== undefined || options.token !== undefined;
  const token = options.token ?? (choice.local || explicit ? undefined : googleAuthTokenProvider());
  if (choice.kind === 'grpc') {
    return createGrpcTransport({
      endpoint: choice.endpoint,
      plaintext: choice.plaintext,
      apiKey: options.apiKey,
      token,
      auth: 'none',
    });
  }
  const plaintext = options.plaintext === true;
  const baseUrl = plaintext ? choice.endpoint.replace(/^https:/i, 'http:') : choice.endpoint;
  return createRestTransport({
    baseUrl,
    plaintext: plaintext || choice.local,
    apiKey: options.apiKey,
    token,
    enumAsInt: options.enumAsInt,
  });
}
