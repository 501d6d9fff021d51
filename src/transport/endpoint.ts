import { badOption, shown } from '../core/check-options.js';

/** Host names that mean this machine. */
const LOOPBACK = new Set(['localhost', '127.0.0.1', '::1', '[::1]']);

/** True for a loopback host (localhost, 127.0.0.0/8, ::1), with or without brackets. */
export function isLoopbackHost(host: string): boolean {
  const h = host.toLowerCase();
  return LOOPBACK.has(h) || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(h) || h.endsWith('.localhost');
}

/** The host of a gRPC `host:port` endpoint (brackets of an IPv6 address removed). */
export function grpcEndpointHost(endpoint: string): string {
  const m = /^\[([^\]]+)\](?::\d+)?$/.exec(endpoint);
  if (m) return m[1] as string;
  const colon = endpoint.lastIndexOf(':');
  return colon > 0 && endpoint.indexOf(':') === colon ? endpoint.slice(0, colon) : endpoint;
}

/** True for a URL whose host is loopback (false when it does not parse). */
export function isLoopbackUrl(url: string): boolean {
  try {
    return isLoopbackHost(new URL(url).hostname.replace(/^\[|\]$/g, ''));
  } catch {
    return false;
  }
}

/** True for a gRPC `host:port` or a REST base URL on loopback. */
export function isLoopbackEndpoint(endpoint: string): boolean {
  return /^https?:\/\//i.test(endpoint) ? isLoopbackUrl(endpoint) : isLoopbackHost(grpcEndpointHost(endpoint));
}

/** Google's gRPC endpoint for Vision. */
export const GOOGLE_GRPC_ENDPOINT = 'vision.googleapis.com:443';

/** Google's REST base URL for Vision. */
export const GOOGLE_REST_ENDPOINT = 'https://vision.googleapis.com';

/** OAuth scopes of the Vision API. */
export const VISION_SCOPES: readonly string[] = [
  'https://www.googleapis.com/auth/cloud-platform',
  'https://www.googleapis.com/auth/cloud-vision',
];

/** Reads an environment variable where there is a `process` (Node), else undefined (browsers). */
export function readEnv(name: string): string | undefined {
  const proc = (globalThis as { process?: { env?: Record<string, string | undefined> } }).process;
  const value = proc?.env?.[name];
  return value === undefined || value === '' ? undefined : value;
}

/**
 * Checks an endpoint the one way every entry point does (`resolveTransport`,
 * `createGrpcTransport`, `createRestTransport`) and returns it trimmed with
 * its kind: a URL (`scheme://…`) is REST and must be http(s) with no user
 * info, query or fragment; anything else is gRPC `host[:port]`. An `http://`
 * URL off this machine needs `plaintext` (credentials would go in the
 * clear). `kind`, when given, is the kind wanted. Throws INVALID_ARGUMENT
 * `<where>: <option> "<value>" …`, the value shown without user info or
 * query (where credentials could sit).
 */
export function checkEndpoint(
  where: string,
  option: string,
  value: unknown,
  kind: 'grpc' | 'rest' | undefined,
  plaintext: boolean,
  plaintextOption = 'plaintext',
): { readonly kind: 'grpc' | 'rest'; readonly endpoint: string } {
  const endpoint = typeof value === 'string' ? value.trim() : '';
  const isUrl = /^[a-z][a-z0-9+.-]*:\/\//i.test(endpoint);
  refuse(
    where,
    option,
    value,
    isUrl || kind === 'rest' ? urlProblem(endpoint, kind === 'grpc', plaintext, plaintextOption) : hostPortProblem(endpoint, option),
  );
  return { kind: isUrl ? 'rest' : 'grpc', endpoint };
}

/**
 * What is wrong with a gRPC `host[:port]`: not that shape; a port alone
 * (`8089` would be read as a host, 0.0.31.153, on port 443); or, for the
 * emulator variable, no port (the emulator is never on 443).
 */
function hostPortProblem(endpoint: string, option: string): string | undefined {
  const m = /^(\[[0-9a-f:.]+\]|[a-z0-9._-]+)(:\d{1,5})?$/i.exec(endpoint);
  if (m === null) return 'is not host:port';
  if (/^\d+$/.test(m[1]!) && m[2] === undefined) return `is a port alone: give host:port, e.g. "127.0.0.1:${endpoint}"`;
  if (option === 'VISION_EMULATOR_HOST' && m[2] === undefined) return `has no port: give host:port, e.g. "${endpoint}:8089"`;
  return undefined;
}

/**
 * {@link checkEndpoint} of a REST base URL (kind `rest`), without the gRPC
 * rules (so a browser bundle leaves them out): the URL, trimmed.
 */
export function checkRestUrl(where: string, option: string, value: unknown, plaintext: boolean): string {
  const endpoint = typeof value === 'string' ? value.trim() : '';
  refuse(where, option, value, urlProblem(endpoint, false, plaintext, 'plaintext'));
  return endpoint;
}

/** What is wrong with an endpoint that must be an http(s) URL (`grpc`: one that must be `host:port` but is a URL). */
function urlProblem(endpoint: string, grpc: boolean, plaintext: boolean, plaintextOption: string): string | undefined {
  try {
    if (!/^https?:\/\/[^/]/i.test(endpoint)) throw 0;
    new URL(endpoint);
    if (/[@?#\s]/.test(endpoint)) return 'may not hold user info, a query or spaces';
    if (grpc) throw 0;
    if (!plaintext && /^http:/i.test(endpoint) && !isLoopbackUrl(endpoint)) {
      return `is off this machine: use https:// (TLS), or give ${plaintextOption} to send credentials unencrypted`;
    }
  } catch {
    return grpc ? 'is not host:port' : 'is not an http(s) URL';
  }
  return undefined;
}

/** Throws INVALID_ARGUMENT `<where>: <option> "<value>" <why>` when there is a `why`. */
function refuse(where: string, option: string, value: unknown, why: string | undefined): void {
  if (why === undefined) return;
  // Shown without user info (all of it, up to the last '@') or query: either may hold a credential.
  const safe =
    typeof value === 'string'
      ? `"${value
          .trim()
          .replace(/^([a-z][a-z0-9+.-]*:\/\/)?[\s\S]*@/i, '$1…')
          .replace(/[?#][\s\S]*/, '…')}"`
      : shown(value);
  badOption(where, `${option} ${safe} ${why}`);
}
