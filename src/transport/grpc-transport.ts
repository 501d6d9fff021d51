/**
 * The gRPC transport (Node only): `@grpc/grpc-js` calls made from ts-proto's
 * generic definitions, one channel (with connections of its own) per transport.
 */

import { BinaryWriter } from '@bufbuild/protobuf/wire';
import * as grpc from '@grpc/grpc-js';
import { checkKeys, checkNumber, checkObject, type OptionNames } from '../core/check-options.js';
import { httpStatusFromCode } from '../core/code.js';
import * as codes from '../core/codes.js';
import { VisionError } from '../core/vision-error.js';
import { normalizeMessage } from '../schema/create-message.js';
import type { GenericMethodDefinition, GenericServiceDefinition } from '../schema/definition-types.js';
import { createInFlight, TransportClosedError } from './closed-error.js';
import { type FailureContext, grpcConnectFailure } from './connect-failure.js';
import { authHeaders, type Credentials, fixedAuthHeaders, secretsOf } from './credentials.js';
import { checkEndpoint, GOOGLE_GRPC_ENDPOINT, grpcEndpointHost, isLoopbackEndpoint, readEnv } from './endpoint.js';
import { excerptBytes } from './excerpt.js';
import { googleAuthTokenProvider, withCredentialsHint } from './google-auth.js';
import { grpcChannelPlan, grpcEndpointPort } from './grpc-channel.js';
import { GENERIC_DEFINITIONS, type GrpcMethodLookup, grpcMethod, grpcMethodLookup } from './grpc-definitions.js';
import { errorFromGrpc } from './grpc-status.js';
import { resolveProxy } from './node-proxy.js';
import { type CaOption, checkCa, grpcRoots } from './node-trust.js';
import { redactError, redactValue } from './redact.js';
import { type AttemptContext, DEFAULT_CONNECT_RETRY_MS } from './retry.js';
import { runUnary } from './run-unary.js';
import type { CallOptions, MethodRef, Transport } from './transport.js';

/** The request size limit (docs/calls.md, "Limits"), applied to grpc-js's send and receive limits. */
export const GRPC_MESSAGE_LIMIT = 10 * 1024 * 1024;

/** Options of {@link createGrpcTransport}. */
export interface GrpcTransportOptions extends Credentials {
  /**
   * `host:port`. Default: `VISION_EMULATOR_HOST` when set, else Google's
   * `vision.googleapis.com:443`.
   */
  readonly endpoint?: string | undefined;
  /**
   * Plaintext instead of TLS. Default: true for loopback endpoints and
   * `VISION_EMULATOR_HOST`, false otherwise.
   */
  readonly plaintext?: boolean | undefined;
  /**
   * `google`: google-auth-library's application default credentials with the
   * Vision scopes; `none`: no credentials. Default: `none` for loopback and the
   * emulator variable, or when `apiKey` or `token` is given; `google` otherwise.
   */
  readonly auth?: 'google' | 'none' | undefined;
  /** Extra grpc-js channel options (over the raised message limits). */
  readonly channelOptions?: Partial<grpc.ChannelOptions> | undefined;
  /**
   * ts-proto generic definitions (`outputServices=generic-definitions`) of
   * services beyond the built-in three (ImageAnnotator, ProductSearch,
   * Operations), e.g. `[ThingsDefinition]`: the transport can then call their
   * methods (their message tables must be registered too, see
   * `serviceDescriptor(fullName, tables)`). A definition of a built-in
   * service's name replaces it. Without it, a method of another service
   * fails with UNIMPLEMENTED before any I/O.
   */
  readonly definitions?: readonly GenericServiceDefinition[] | undefined;
  /**
   * PEM certificates to trust besides the defaults (a private CA, a
   * TLS-inspecting proxy's). Without it, `GRPC_DEFAULT_SSL_ROOTS_FILE_PATH`
   * when set, else Node's trust (with `NODE_EXTRA_CA_CERTS`).
   */
  readonly ca?: CaOption | undefined;
  /**
   * An `http://` proxy to tunnel through (CONNECT; TLS stays end to end), or
   * `false` for none. Default: `grpc_proxy`, `https_proxy` or `http_proxy`
   * (either case) unless `no_grpc_proxy` / `no_proxy` lists the host; never
   * for loopback endpoints or `VISION_EMULATOR_HOST`.
   */
  readonly proxy?: string | false | undefined;
  /**
   * How long (ms) calls keep retrying while the endpoint cannot be reached
   * at all (refused, unreachable, DNS, proxy); then they fail UNAVAILABLE
   * with a {@link ConnectionError}. Default 3,000; `Infinity`: up to the
   * call's deadline; 0: no such retries.
   */
  readonly connectRetryMs?: number | undefined;
}

/** The names of {@link GrpcTransportOptions} (a name outside them is refused). */
const GRPC_OPTIONS: OptionNames<GrpcTransportOptions> = {
  endpoint: 1,
  plaintext: 1,
  auth: 1,
  channelOptions: 1,
  definitions: 1,
  ca: 1,
  proxy: 1,
  connectRetryMs: 1,
  apiKey: 1,
  token: 1,
};

/**
 * A {@link Transport} over gRPC. The endpoint is checked at once
 * (INVALID_ARGUMENT unless `host[:port]`). TLS by default; plaintext for loopback and
 * `VISION_EMULATOR_HOST`; deadlines passed to the server; call headers sent
 * as metadata; errors carry the details of `grpc-status-details-bin`. A
 * call that cannot get through to the server fails with a
 * {@link ConnectionError} naming the endpoint, after `connectRetryMs` of
 * retries at most; proxies per `node-proxy.ts`.
 */
export function createGrpcTransport(options: GrpcTransportOptions = {}): Transport {
  checkObject('createGrpcTransport', 'options', options);
  checkKeys('createGrpcTransport', options, GRPC_OPTIONS);
  const fromEnv = options.endpoint === undefined ? readEnv('VISION_EMULATOR_HOST') : undefined;
  const { endpoint } = checkEndpoint(
    'createGrpcTransport',
    fromEnv === undefined ? 'endpoint' : 'VISION_EMULATOR_HOST',
    options.endpoint ?? fromEnv ?? GOOGLE_GRPC_ENDPOINT,
    'grpc',
    true,
  );
  const local = fromEnv !== undefined || isLoopbackEndpoint(endpoint);
  const plaintext = options.plaintext ?? local;
  const explicit = options.apiKey !== undefined || options.token !== undefined;
  const auth = options.auth ?? (local || explicit ? 'none' : 'google');
  const credentials: Credentials = {
    apiKey: options.apiKey,
    token:
      options.token ??
      (auth === 'google' ? withCredentialsHint(googleAuthTokenProvider(), endpoint, options.endpoint === undefined) : undefined),
  };
  if (options.connectRetryMs !== undefined) checkNumber('createGrpcTransport', 'connectRetryMs', options.connectRetryMs);
  const connectRetryMs = options.connectRetryMs ?? DEFAULT_CONNECT_RETRY_MS;
  const ca = checkCa('createGrpcTransport', options.ca);
  const proxy = resolveProxy(
    'createGrpcTransport',
    options.proxy,
    { host: grpcEndpointHost(endpoint), port: grpcEndpointPort(endpoint), tls: !plaintext, grpc: true },
    local,
  );
  const failure: FailureContext = { transport: 'grpc', endpoint, local, proxy: proxy?.shown };
  const channel = grpcChannelPlan(endpoint, proxy);
  const channelCredentials = plaintext
    ? grpc.credentials.createInsecure()
    : grpc.credentials.createSsl(grpcRoots('createGrpcTransport', ca));
  const client = new grpc.Client(channel.target, channelCredentials, {
    // Each transport connects on its own. grpc-js otherwise shares one subchannel (connection) among
    // the channels of equal target, options and credentials, and a channel that joins a subchannel
    // already failing and backing off never hears why: its calls fail `Last error: undefined`, so a
    // second transport to a closed port was told "no connection" instead of "refused" with the hint,
    // and a server started meanwhile waited out the other transport's backoff. A channel of its own
    // makes every failure this transport's own, current socket error (nothing remembered goes stale).
    'grpc.use_local_subchannel_pool': 1,
    'grpc.max_send_message_length': GRPC_MESSAGE_LIMIT,
    'grpc.max_receive_message_length': GRPC_MESSAGE_LIMIT,
    ...channel.options,
    ...options.channelOptions,
  });
  const inFlight = createInFlight();
  const lookup: GrpcMethodLookup =
    options.definitions === undefined || options.definitions.length === 0
      ? grpcMethod
      : grpcMethodLookup([...Object.values(GENERIC_DEFINITIONS), ...options.definitions]);
  // Credentials without a token provider give the same headers on every attempt: worked out once.
  const fixedAuth = fixedAuthHeaders(credentials);
  const fixedSecrets = fixedAuth === undefined ? undefined : secretsOf(credentials, fixedAuth);

  /** One attempt: the auth headers (awaited only from a token provider), then the call. */
  function attempt(ref: MethodRef, bytes: Buffer, options: CallOptions | undefined, ctx: AttemptContext): Promise<object> {
    if (fixedAuth !== undefined && fixedSecrets !== undefined) return send(ref, bytes, options, ctx, fixedAuth, fixedSecrets);
    return authHeaders(credentials, ctx.signal).then((auth) => send(ref, bytes, options, ctx, auth, secretsOf(credentials, auth)));
  }

  /**
   * The call on the wire. grpc-js enforces the deadline itself (the
   * `deadline` call option, also sent as `grpc-timeout`), so the call's
   * linked signal is followed only when the caller gave a signal (or it was
   * made already): without one, nothing is registered for the call.
   */
  function send(
    ref: MethodRef,
    bytes: Buffer,
    options: CallOptions | undefined,
    ctx: AttemptContext,
    auth: Readonly<Record<string, string>>,
    secrets: readonly string[],
  ): Promise<object> {
    if (inFlight.closed) return Promise.reject(new TransportClosedError('gRPC'));
    const { path, definition } = lookup(ref);
    const signal = ctx.hasCallerSignal ? ctx.signal : undefined;
    if (signal?.aborted) return Promise.reject(signal.reason);
    const metadata = new grpc.Metadata();
    const headers = options?.headers;
    if (headers !== undefined) for (const key of Object.keys(headers)) metadata.set(key.toLowerCase(), headers[key]!);
    for (const key of Object.keys(auth)) metadata.set(key, auth[key]!);
    const deadline = ctx.deadline ?? Number.POSITIVE_INFINITY;
    return new Promise<object>((resolve, reject) => {
      // close() cancels the call on the wire; its callback then rejects with the closed error.
      let closedMidway = false;
      const untrack = inFlight.add(() => {
        closedMidway = true;
        call.cancel();
      });
      const call = client.makeUnaryRequest<Buffer, Buffer>(path, identity, identity, bytes, metadata, { deadline }, (err, reply) => {
        untrack();
        if (closedMidway) {
          signal?.removeEventListener('abort', onAbort);
          reject(new TransportClosedError('gRPC'));
          return;
        }
        if (signal !== undefined) {
          signal.removeEventListener('abort', onAbort);
          if (signal.aborted) {
            reject(signal.reason);
            return;
          }
        }
        if (err) reject(grpcConnectFailure(err.code, err.details ?? '', failure) ?? redactError(errorFromGrpc(err), secrets));
        else {
          try {
            resolve(decodeReply(ref, definition, reply ?? Buffer.alloc(0), secrets));
          } catch (decodeErr) {
            reject(decodeErr);
          }
        }
      });
      const onAbort = (): void => call.cancel();
      signal?.addEventListener('abort', onAbort, { once: true });
    });
  }

  return {
    kind: 'grpc',
    unary<O extends object = object>(ref: MethodRef, request: object, callOptions?: CallOptions): Promise<O> {
      let bytes: Buffer | undefined;
      return runUnary(
        ref,
        callOptions,
        (ctx) => {
          bytes ??= encodeRequest(ref, request, lookup);
          return attempt(ref, bytes, callOptions, ctx) as Promise<O>;
        },
        connectRetryMs,
      );
    },
    close(): void {
      inFlight.close();
      client.close();
    },
  };
}

function identity(bytes: Buffer): Buffer {
  return bytes;
}

/** The answer's message; INTERNAL naming the type, the size and an excerpt when it does not decode. */
function decodeReply(ref: MethodRef, definition: GenericMethodDefinition, reply: Buffer, secrets: readonly string[]): object {
  let message: object;
  try {
    // A plain Uint8Array view, so bytes fields come out as Uint8Array (not Buffer) as on every transport.
    message = definition.responseType.decode(new Uint8Array(reply.buffer, reply.byteOffset, reply.byteLength)) as object;
  } catch (err) {
    throw new VisionError(
      codes.INTERNAL,
      `could not decode the ${ref.method.output} answer of ${ref.method.name} (${reply.length} bytes, ${
        err instanceof Error ? err.message : String(err)
      }): ${excerptBytes(reply)}`,
      { httpStatus: httpStatusFromCode(codes.INTERNAL), cause: err },
    );
  }
  // A server that echoes a credential into an answer (an operation's error, say) does not get it shown.
  return secrets.length > 0 && secrets.some((s) => reply.includes(s)) ? redactValue(message, secrets) : message;
}

/**
 * One writer for every request's encoding (encoding is synchronous): a
 * fresh `BinaryWriter` per call allocated and grew a buffer each time. Its
 * buffer is kept while requests stay small; after a large one (or a failed
 * encoding, which leaves it mid-message) it is replaced.
 */
let writer = new BinaryWriter();
const KEEP_WRITER_BELOW = 64 * 1024;
/**
 * The request codecs the shared writer may be handed: ours (ts-proto 2 on
 * `@bufbuild/protobuf`). A user's own definitions may come from another
 * generator or version whose `encode(message, writer)` expects its own
 * writer type (ts-proto 1 calls protobufjs's `ldelim()`), so they encode alone.
 */
const OWN_CODECS: WeakSet<object> = new WeakSet(
  Object.values(GENERIC_DEFINITIONS).flatMap((s) => Object.values(s.methods).map((m) => m.requestType)),
);

/** The request's bytes (normalised, then ts-proto's `encode`); INVALID_ARGUMENT when it cannot be encoded. */
function encodeRequest(ref: MethodRef, request: object, lookup: GrpcMethodLookup): Buffer {
  const { definition } = lookup(ref);
  // Checked and normalised like on every transport (a FieldPathError names a bad field).
  const message = normalizeMessage(ref.method.input, request);
  try {
    // ts-proto's encode takes the writer to write into (the shared type leaves it out: it is browser-safe).
    const type = definition.requestType as unknown as { encode(message: unknown, into?: BinaryWriter): { finish(): Uint8Array } };
    const bytes = OWN_CODECS.has(type) ? type.encode(message, writer).finish() : type.encode(message).finish();
    if (bytes.byteLength >= KEEP_WRITER_BELOW) writer = new BinaryWriter();
    return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  } catch (err) {
    writer = new BinaryWriter();
    throw new VisionError(
      codes.INVALID_ARGUMENT,
      `could not encode the ${ref.method.input} request of ${ref.method.name}: ${err instanceof Error ? err.message : String(err)}`,
      { cause: err },
    );
  }
}
