/**
 * Mocha root setup, loaded before every test file (`.mocharc.json` `require`).
 * Keeps every test on this machine's loopback:
 * - google-auth-library never probes the cloud metadata address
 *   (`METADATA_SERVER_DETECTION=none`, inherited by child processes too);
 * - a socket connect or DNS lookup for anything but loopback throws at once,
 *   naming the host, so a stray call fails its test instead of leaving the box.
 */
import dns from 'node:dns';
import net from 'node:net';

process.env.METADATA_SERVER_DETECTION = 'none';
delete process.env.GOOGLE_APPLICATION_CREDENTIALS;

const LOOPBACK_NAMES = new Set(['localhost', '127.0.0.1', '::1', '[::1]', '::ffff:127.0.0.1']);

/** True for a loopback host name or address (127.0.0.0/8, ::1, localhost). */
export function isLoopbackHost(host: string): boolean {
  return LOOPBACK_NAMES.has(host) || /^127\.\d+\.\d+\.\d+$/.test(host) || /^::ffff:127\./.test(host);
}

class OffLoopbackError extends Error {
  constructor(host: string) {
    super(`test guard: refused to reach "${host}" (tests stay on 127.0.0.1)`);
    this.name = 'OffLoopbackError';
  }
}

const originalConnect = net.Socket.prototype.connect;
net.Socket.prototype.connect = function guardedConnect(this: net.Socket, ...args: unknown[]) {
  // net.connect() passes its normalised arguments as one array.
  const first = Array.isArray(args[0]) ? (args[0] as unknown[])[0] : args[0];
  let host: string | undefined;
  if (first && typeof first === 'object') {
    const opts = first as { host?: string; path?: string };
    if (opts.path === undefined) host = opts.host ?? 'localhost';
  } else if (typeof first === 'number') {
    host = typeof args[1] === 'string' ? args[1] : 'localhost';
  } else if (typeof first === 'string' && Array.isArray(args[0]) === false && /^\d+$/.test(first)) {
    host = typeof args[1] === 'string' ? args[1] : 'localhost';
  }
  if (host !== undefined && !isLoopbackHost(host)) throw new OffLoopbackError(host);
  return (originalConnect as (...a: unknown[]) => net.Socket).apply(this, args);
} as typeof net.Socket.prototype.connect;

const originalLookup = dns.lookup;
(dns as { lookup: unknown }).lookup = function guardedLookup(hostname: string, ...rest: unknown[]) {
  if (!isLoopbackHost(hostname)) {
    const cb = rest[rest.length - 1];
    const err = Object.assign(new OffLoopbackError(hostname), { code: 'ENOTFOUND', hostname });
    if (typeof cb === 'function') {
      process.nextTick(() => (cb as (e: Error) => void)(err));
      return undefined;
    }
    throw err;
  }
  return (originalLookup as (...a: unknown[]) => unknown).call(dns, hostname, ...rest);
};
const originalPromisesLookup = dns.promises.lookup;
(dns.promises as { lookup: unknown }).lookup = async function guardedPromisesLookup(hostname: string, ...rest: unknown[]) {
  if (!isLoopbackHost(hostname)) throw Object.assign(new OffLoopbackError(hostname), { code: 'ENOTFOUND', hostname });
  return (originalPromisesLookup as (...a: unknown[]) => Promise<unknown>).call(dns.promises, hostname, ...rest);
};
