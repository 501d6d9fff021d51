/**
 * Tells a call that could not get through to a server from one that did,
 * from what grpc-js and fetch report, and words the error (browser-safe:
 * only strings and error codes are read).
 *
 * grpc-js fails a call whose channel has no connection with UNAVAILABLE
 * `No connection established. Last error: <the socket's error>` (or
 * `Name resolution failed …`): such a call was never sent. Node's fetch
 * (undici) rejects with `TypeError: fetch failed` whose `cause` carries the
 * socket's code (ECONNREFUSED, ENOTFOUND, a TLS code, …) or, through a
 * proxy, `Proxy response (502) !== 200 when HTTP Tunneling`. A browser's
 * fetch says nothing: that is `network` (the request may have left).
 * Anything else (a reset after the request went out, a server's own
 * UNAVAILABLE) is not a connection failure: it keeps the call's deadline.
 * Node only in effect: the browser's REST transport carries the short
 * classifier of fetch-failure.ts, and the Node entry hands it
 * {@link fetchConnectFailure} (so browsers never load these tables).
 */
import { ConnectionError, type ConnectionFailure } from './connection-error.js';
import type { FailureContext } from './fetch-failure.js';

export type { FailureContext } from './fetch-failure.js';

const DNS = /\b(ENOTFOUND|EAI_AGAIN|EAI_NONAME|EAI_FAIL|EAI_NODATA)\b|Name resolution failed|No addresses resolved/;
const UNREACHABLE = /\b(EHOSTUNREACH|ENETUNREACH|EHOSTDOWN|ENETDOWN|ETIMEDOUT|EADDRNOTAVAIL|UND_ERR_CONNECT_TIMEOUT)\b/;
const RESET = /\b(ECONNRESET|EPIPE)\b|socket hang up/;
const TLS =
  /\b(ERR_TLS_\w+|ERR_SSL_\w+|CERT_\w+|\w*_CERT\w*|DEPTH_ZERO_SELF_SIGNED_CERT|SELF_SIGNED_CERT_IN_CHAIN|UNABLE_TO_\w+|HOSTNAME_MISMATCH)\b|SSL routines|self[- ]signed|certificate|altnames/i;

/**
 * The ConnectionError of a failed grpc-js call, or undefined when the call
 * got through (its error is then the server's, or the deadline's).
 */
export function grpcConnectFailure(code: number, details: string, ctx: FailureContext): ConnectionError | undefined {
  if (code !== 14) return undefined; // UNAVAILABLE only
  const noConnection = /^(\w+: )?No connection established/.test(details);
  if (!noConnection && !DNS.test(details)) return undefined;
  const last = lastError(details);
  let failure: ConnectionFailure;
  let reason: string;
  if (DNS.test(details)) [failure, reason] = ['dns', `its name does not resolve (${last || 'no address'})`];
  else if (/\bECONNREFUSED\b/.test(details)) [failure, reason] = refusedOrProxy(last, ctx);
  else if (/no application protocol/i.test(details)) [failure, reason] = ['not-grpc', 'it answered TLS without HTTP/2 (no "h2" in ALPN)'];
  else if (/Protocol error/.test(details)) [failure, reason] = ['not-grpc', 'it answered, but not in HTTP/2 (an HTTP/1.x server?)'];
  else if (RESET.test(details)) [failure, reason] = ['not-grpc', `it reset the connection at the HTTP/2 preface (${last})`];
  else if (UNREACHABLE.test(details)) [failure, reason] = ['unreachable', last];
  else if (TLS.test(details)) [failure, reason] = ['tls', `the TLS handshake failed: ${last}`];
  else if (ctx.proxy !== undefined) [failure, reason] = ['proxy', `the proxy ${ctx.proxy} would not open a tunnel to it`];
  else if (last === '' || last === 'null' || last === 'undefined') {
    // A channel that joined a connection another channel saw fail has no error of its own. The gRPC
    // transport gives each channel its own subchannel pool (grpc-transport.ts), so this is left for
    // `channelOptions` that turn that off: nothing here tells what the other channel was told.
    [failure, reason] = ['unreachable', 'no connection (an earlier attempt to connect failed; grpc-js is backing off)'];
  } else [failure, reason] = ['unreachable', last];
  return connectionError(failure, reason, ctx, new Error(details));
}

/**
 * The ConnectionError of an error thrown by `fetch` (not an abort), or
 * undefined when it is not a failure to connect (a reset after the request
 * went out, a body cut off).
 */
export function fetchConnectFailure(err: unknown, ctx: FailureContext): ConnectionError | undefined {
  const chain: { code: string; message: string; syscall: string; data: string }[] = [];
  for (let e: unknown = err, depth = 0; e instanceof Error && depth < 4; e = e.cause, depth++) {
    const x = e as Error & { code?: unknown; syscall?: unknown; data?: unknown };
    chain.push({
      code: typeof x.code === 'string' ? x.code : '',
      message: x.message,
      syscall: typeof x.syscall === 'string' ? x.syscall : '',
      data: typeof x.data === 'string' ? x.data : '',
    });
  }
  const root = chain[chain.length - 1];
  if (root === undefined) return undefined;
  if (chain.length === 1) {
    // A browser's fetch: a TypeError and nothing more (refused, DNS and CORS look alike).
    if (!(err instanceof TypeError)) return undefined;
    return connectionError('network', err.message || 'the request failed', ctx, err);
  }
  const text = `${root.code} ${root.message}`;
  let failure: ConnectionFailure;
  let reason = root.message;
  const tunnel = /Proxy response \((\d+)\)/.exec(chain.map((c) => c.message).join(' '));
  if (tunnel) [failure, reason] = ['proxy', `the proxy${ctx.proxy === undefined ? '' : ` ${ctx.proxy}`} answered ${tunnel[1]} to CONNECT`];
  else if (root.code === 'ECONNREFUSED') [failure, reason] = refusedOrProxy(root.message, ctx);
  else if (root.message === 'bad port') [failure, reason] = ['blocked', 'fetch refuses to connect to this port (a blocked port)'];
  else if (DNS.test(text)) [failure, reason] = ['dns', `its name does not resolve (${root.message})`];
  else if (UNREACHABLE.test(text)) failure = 'unreachable';
  else if (root.code === 'ECONNRESET' && root.syscall === 'connect') failure = 'unreachable';
  else if (TLS.test(text)) [failure, reason] = ['tls', `the TLS handshake failed: ${root.message}`];
  else if (root.code === 'HPE_INVALID_CONSTANT') [failure, reason] = ['not-http1', notHttp1Reason(chain[chain.length - 1]!.data)];
  else return undefined;
  return connectionError(failure, reason, ctx, err);
}

/**
 * Why undici's parser refused the answer (HPE_INVALID_CONSTANT, `Expected
 * HTTP/`): its first bytes (`data`) are an HTTP/2 frame header (a SETTINGS
 * frame, type 4, is what an HTTP/2-only server such as gRPC sends first) or
 * something else that is not HTTP/1.x.
 */
function notHttp1Reason(data: string): string {
  return data.length >= 9 && data.charCodeAt(3) === 4 ? 'it answered in HTTP/2 only (a gRPC server?)' : 'it answered, but not in HTTP/1.x';
}

/** A refusal is the proxy's when the connection goes through one (the endpoint itself is never dialled). */
function refusedOrProxy(last: string, ctx: FailureContext): [ConnectionFailure, string] {
  if (ctx.proxy !== undefined) return ['proxy', `the proxy ${ctx.proxy} refused the connection (${last})`];
  return ['refused', `connection refused (${last})`];
}

/** `Error: connect ECONNREFUSED 127.0.0.1:1` out of grpc-js's `No connection established. Last error: …. Resolution note: …`. */
function lastError(details: string): string {
  const m = /Last error: ([\s\S]*?)(?:\. Resolution note:[\s\S]*)?$/.exec(details);
  const text = (m?.[1] ?? details).replace(/^Error(?: \[\w+\])?: /, '').replace(/\s*\(\d{4}-\d\d-\d\dT[\d:.]+Z\)$/, '');
  // OpenSSL's errors carry a long location: keep the reason.
  return text.replace(/^[0-9A-F]+:error:[0-9A-F]+:SSL routines:\w+:([^:]+):[\s\S]*$/, '$1').trim();
}

/**
 * The error of a connection failure: its message names the endpoint, the
 * transport and why, then what to do (start the emulator, trust a CA, use
 * the other port).
 */
export function connectionError(failure: ConnectionFailure, reason: string, ctx: FailureContext, cause: unknown): ConnectionError {
  const over = ctx.transport === 'grpc' ? 'gRPC' : 'REST';
  const via = ctx.proxy !== undefined && failure !== 'proxy' ? ` through the proxy ${ctx.proxy}` : '';
  const summary =
    failure === 'not-grpc'
      ? `${ctx.endpoint} answered but does not speak gRPC: ${reason}`
      : failure === 'not-http1'
        ? `${ctx.endpoint} answered but does not speak HTTP/1.1: ${reason}`
        : `cannot reach ${ctx.endpoint} over ${over}${via}: ${reason}`;
  return new ConnectionError(summary, {
    transport: ctx.transport,
    endpoint: ctx.endpoint,
    failure,
    hint: hint(failure, reason, ctx),
    cause,
  });
}

/** The emulator's default ports (`vision-kit emulator` with no flags). */
const EMULATOR_PORTS = { grpc: '8089', rest: '8090' } as const;

/**
 * How to start an emulator where a loopback call went: with no flag on the
 * default port of its transport, else with the flag that puts that
 * transport's port where the call went.
 */
function startEmulator(ctx: FailureContext): string {
  const port = /:(\d+)\/?$/.exec(ctx.endpoint)?.[1];
  const other = ctx.transport === 'grpc' ? 'rest' : 'grpc';
  if (port === undefined || port === EMULATOR_PORTS[ctx.transport])
    return 'start the emulator with `npx vision-kit emulator` (gRPC on 127.0.0.1:8089, REST on http://127.0.0.1:8090)';
  if (port === EMULATOR_PORTS[other])
    return ctx.transport === 'rest'
      ? `${port} is the emulator's default gRPC port: its REST port is 8090 (http://127.0.0.1:8090); start it with \`npx vision-kit emulator\``
      : `${port} is the emulator's default HTTP port: its gRPC port is 8089 (127.0.0.1:8089); start it with \`npx vision-kit emulator\``;
  const flag = ctx.transport === 'grpc' ? '--grpc-port' : '--http-port';
  return `start the emulator on that port with \`npx vision-kit emulator ${flag} ${port}\` (its defaults are gRPC 8089, REST 8090)`;
}

function hint(failure: ConnectionFailure, reason: string, ctx: FailureContext): string {
  switch (failure) {
    case 'refused':
      return ctx.local
        ? `. Nothing is listening there: ${startEmulator(ctx)}, or check the port`
        : '. Nothing is listening there: check the endpoint';
    case 'not-grpc':
      return ctx.local
        ? ". Is it the emulator's HTTP port? Its gRPC port is the other one (8089 by default), or call this one over REST with an http:// URL"
        : '. Something between blocks gRPC: use REST (`transport: "rest"`, `--transport rest`)';
    case 'not-http1':
      return ctx.local
        ? ". Is it the emulator's gRPC port? Its HTTP port is the other one (8090 by default), or call this one over gRPC with a host:port endpoint"
        : '. The server speaks only HTTP/2 (gRPC?): use the gRPC transport (`transport: "grpc"`), or the REST endpoint\'s URL';
    case 'tls':
      if (/wrong version number|packet length too long|EPROTO/i.test(reason)) {
        return ctx.transport === 'grpc'
          ? '. The server does not speak TLS there: for a plaintext server give `plaintext`'
          : '. The server does not speak TLS there: for a plaintext server use an http:// URL';
      }
      return ctx.transport === 'grpc'
        ? '. To trust a private CA, give the `ca` option or set GRPC_DEFAULT_SSL_ROOTS_FILE_PATH'
        : '. To trust a private CA, give the `ca` option or set NODE_EXTRA_CA_CERTS';
    case 'proxy':
      return '. Check https_proxy / http_proxy, or list the host in no_proxy';
    default:
      return '';
  }
}
