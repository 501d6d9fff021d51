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

/** True for a gRPC `host:port` or a REST base URL on loopback. */
export function isLoopbackEndpoint(endpoint: string): boolean {
  if (/^https?:\/\//i.test(endpoint)) {
    try {
      return isLoopbackHost(new URL(endpoint).hostname.replace(/^\[|\]$/g, ''));
    } catch {
      return false;
    }
  }
  return isLoopbackHost(grpcEndpointHost(endpoint));
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
