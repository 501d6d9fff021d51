/**
 * The proxy rule both transports follow on Node, in one place:
 *
 * - An explicit `proxy` option wins: a URL to tunnel through, or `false`
 *   for none.
 * - Loopback endpoints and the emulator variables (`VISION_EMULATOR_HOST`,
 *   `VISION_EMULATOR_REST`) never go through a proxy: a corporate proxy set
 *   in a shell must not break the emulator.
 * - Otherwise the variables decide, each read in lower case, else upper
 *   case (`https_proxy`, then `HTTPS_PROXY`): a TLS endpoint uses
 *   `https_proxy`, else `http_proxy`; a plaintext one `http_proxy`. gRPC
 *   reads grpc-js's own `grpc_proxy` and `no_grpc_proxy` first (grpc-js's
 *   reading of the variables is turned off: this rule replaces it).
 * - `no_proxy` lists hosts that go direct, separated by commas or spaces:
 *   `*` (every host), a name (itself and its subdomains; a leading `.` or
 *   `*.` is the same), an IP address, a CIDR range (`10.0.0.0/8`,
 *   `fd00::/8`), each optionally with `:port` (that port only).
 *
 * A proxy is an `http://` URL (a bare `host:port` reads as one); REST also
 * takes `https://` proxies. User info in it is sent to the proxy
 * (`Proxy-Authorization: Basic`) and never shown: messages name the proxy
 * by its origin and the variable it came from. The tunnel is a CONNECT, and
 * TLS to the server runs end to end inside it; the endpoint's name goes to
 * the proxy unresolved.
 */
import { BlockList, isIP } from 'node:net';
import { badOption } from '../core/check-options.js';

/** Where the proxy variables are read; default `process.env`. */
export type ProxyEnv = Readonly<Record<string, string | undefined>>;

/** A proxy to tunnel through, and how messages show it. */
export interface ProxyChoice {
  /** The proxy's URL, user info included (for the agent only). */
  readonly url: URL;
  /** `http://host:port (from https_proxy)`: no user info. */
  readonly shown: string;
}

/** What is being connected to. */
export interface ProxyTarget {
  /** Host name or address (IPv6 without brackets). */
  readonly host: string;
  /** Port. */
  readonly port: number;
  /** TLS to the server (`https:` REST, gRPC without `plaintext`). */
  readonly tls: boolean;
  /** The gRPC transport (reads `grpc_proxy` / `no_grpc_proxy` first). */
  readonly grpc: boolean;
}

/**
 * The proxy a transport tunnels through, per the rule above, or undefined
 * to connect directly. `option` is the transport's `proxy` option; `local`
 * is true for loopback endpoints and the emulator variables. Throws
 * INVALID_ARGUMENT `<where>: <variable> "…" …` for a proxy URL that is not
 * one (or an `https://` one for gRPC).
 */
export function resolveProxy(
  where: string,
  option: string | false | undefined,
  target: ProxyTarget,
  local: boolean,
  env: ProxyEnv = process.env,
): ProxyChoice | undefined {
  if (option === false) return undefined;
  if (option !== undefined) {
    if (typeof option !== 'string') badOption(where, 'proxy must be a URL string or false');
    return parseProxy(where, 'proxy', option, target.grpc);
  }
  if (local) return undefined;
  const names = [...(target.grpc ? ['grpc_proxy'] : []), ...(target.tls ? ['https_proxy', 'http_proxy'] : ['http_proxy'])];
  let variable: string | undefined;
  let value: string | undefined;
  for (const name of names) {
    [variable, value] = readVariable(env, name);
    if (value !== undefined) break;
  }
  if (value === undefined || variable === undefined) return undefined;
  let noProxy = target.grpc ? readVariable(env, 'no_grpc_proxy')[1] : undefined;
  noProxy ??= readVariable(env, 'no_proxy')[1];
  if (noProxy !== undefined && matchesNoProxy(target.host, target.port, noProxy)) return undefined;
  return parseProxy(where, variable, value, target.grpc);
}

/** A variable in lower case, else upper case: [the name found, its value]; empty counts as unset. */
function readVariable(env: ProxyEnv, name: string): [string, string | undefined] {
  for (const n of [name, name.toUpperCase()]) {
    const v = env[n]?.trim();
    if (v) return [n, v];
  }
  return [name, undefined];
}

/** A proxy URL (a bare `host:port` is `http://host:port`); INVALID_ARGUMENT naming `variable` when it is not one. */
export function parseProxy(where: string, variable: string, value: string, grpc: boolean): ProxyChoice {
  const text = /^[a-z][a-z0-9+.-]*:\/\//i.test(value) ? value : `http://${value}`;
  let url: URL | undefined;
  try {
    url = new URL(text);
  } catch {
    url = undefined;
  }
  const safe = value.replace(/^([a-z][a-z0-9+.-]*:\/\/)?[^@/]*@/i, '$1…@');
  if (url === undefined || url.hostname === '' || (url.pathname !== '/' && url.pathname !== '')) {
    badOption(where, `${variable} "${safe}" is not a proxy URL (http://host:port)`);
  }
  if (url.protocol !== 'http:' && !(url.protocol === 'https:' && !grpc)) {
    badOption(
      where,
      `${variable} "${safe}": ${grpc ? 'gRPC tunnels only through http:// proxies' : 'a proxy URL is http:// or https://'} (set ${
        grpc ? 'grpc_proxy to an http:// proxy, or ' : ''
      }no_proxy to go direct)`,
    );
  }
  return { url, shown: `${url.protocol}//${url.host} (from ${variable})` };
}

/** True when `no_proxy` (the list) sends `host:port` direct. */
export function matchesNoProxy(host: string, port: number, list: string): boolean {
  const h = host
    .toLowerCase()
    .replace(/^\[|\]$/g, '')
    .replace(/\.$/, '');
  for (const raw of list.split(/[\s,]+/)) {
    let entry = raw.trim().toLowerCase();
    if (entry === '') continue;
    if (entry === '*') return true;
    const withPort = /^(\[[^\]]+\]|[^:]+):(\d+)$/.exec(entry);
    if (withPort) {
      if (Number(withPort[2]) !== port) continue;
      entry = withPort[1] as string;
    }
    entry = entry.replace(/^\[|\]$/g, '');
    if (entry.includes('/')) {
      if (inRange(h, entry)) return true;
      continue;
    }
    entry = entry.replace(/^\*?\./, '').replace(/\.$/, '');
    if (entry !== '' && (h === entry || (isIP(h) === 0 && h.endsWith(`.${entry}`)))) return true;
  }
  return false;
}

/** True when the address `host` is inside the CIDR range `cidr` (false for names and malformed ranges). */
function inRange(host: string, cidr: string): boolean {
  const [address = '', bits = ''] = cidr.split('/');
  const family = isIP(address);
  if (family === 0 || family !== isIP(host) || !/^\d{1,3}$/.test(bits)) return false;
  try {
    const list = new BlockList();
    list.addSubnet(address, Number(bits), family === 4 ? 'ipv4' : 'ipv6');
    return list.check(host, family === 4 ? 'ipv4' : 'ipv6');
  } catch {
    return false;
  }
}
