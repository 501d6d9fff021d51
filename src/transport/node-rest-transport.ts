/**
 * The REST transport as the Node entry (`vision-kit`) gives it: the
 * browser-safe one, plus proxies and a private CA, which Node's global
 * `fetch` cannot do by itself (it ignores the proxy variables).
 *
 * When the proxy rule (`node-proxy.ts`) picks a proxy, or a `ca` is given,
 * requests go through undici's `fetch` with an undici dispatcher: a
 * `ProxyAgent` (CONNECT tunnel, TLS to the server end to end inside it) or
 * an `Agent` with the extra CA. undici's own `fetch` is used with its own
 * dispatcher, not Node's bundled copy, whose version differs from Node to
 * Node. undici is imported on the first such request only, so an app that
 * needs neither never loads it; browser bundles never reach this module
 * (the `browser` condition of `vision-kit` is `src/browser.ts`, which
 * exports the browser-safe `createRestTransport`). Without a proxy or a
 * `ca`, this is the browser-safe transport unchanged: the global `fetch`,
 * which honours `NODE_EXTRA_CA_CERTS` as Node does.
 */
import { badOption, checkKeys, checkObject, type OptionNames } from '../core/check-options.js';
import * as codes from '../core/codes.js';
import { VisionError } from '../core/vision-error.js';
import { fetchConnectFailure } from './connect-failure.js';
import { GOOGLE_REST_ENDPOINT, isLoopbackEndpoint, readEnv } from './endpoint.js';
import { FETCH_FAILURE, PROXY_SHOWN } from './fetch-failure.js';
import { type ProxyChoice, resolveProxy } from './node-proxy.js';
import { type CaOption, checkCa, restCa } from './node-trust.js';
import { createRestTransport as createBrowserRestTransport, REST_OPTIONS, type RestTransportOptions } from './rest-transport.js';
import type { Transport } from './transport.js';

/** Options of the Node entry's {@link createRestTransport}: the browser-safe ones plus `ca` and `proxy`. */
export interface NodeRestTransportOptions extends RestTransportOptions {
  /** PEM certificates to trust besides Node's defaults (which include `NODE_EXTRA_CA_CERTS`). */
  readonly ca?: CaOption | undefined;
  /**
   * An `http://` or `https://` proxy to tunnel through, or `false` for none.
   * Default: `https_proxy` (else `http_proxy`) for `https:` URLs,
   * `http_proxy` for `http:` ones, either case, unless `no_proxy` lists the
   * host; never for loopback or `VISION_EMULATOR_REST`.
   */
  readonly proxy?: string | false | undefined;
}

/** The names of {@link NodeRestTransportOptions}: the browser transport's and Node's own two. */
const NODE_REST_OPTIONS: OptionNames<NodeRestTransportOptions> = { ...REST_OPTIONS, ca: 1, proxy: 1 };

/**
 * A REST {@link Transport} (see the browser-safe `createRestTransport`)
 * that also goes through proxies and trusts a private CA: options `proxy`
 * and `ca` (neither applies with a `fetch` of your own).
 */
export function createRestTransport(options: NodeRestTransportOptions = {}): Transport {
  checkObject('createRestTransport', 'options', options);
  checkKeys('createRestTransport', options, NODE_REST_OPTIONS);
  const { ca: caOption, proxy: proxyOption, ...rest } = options;
  if (options.fetch !== undefined && (caOption !== undefined || typeof proxyOption === 'string')) {
    badOption('createRestTransport', 'ca and proxy do not apply to a fetch of your own');
  }
  const ca = checkCa('createRestTransport', caOption);
  const fromEnv = options.baseUrl === undefined ? readEnv('VISION_EMULATOR_REST') : undefined;
  const base = String(options.baseUrl ?? fromEnv ?? GOOGLE_REST_ENDPOINT).trim();
  let url: URL | undefined;
  try {
    url = new URL(base);
  } catch {
    url = undefined; // the browser-safe transport says what is wrong with it
  }
  const proxy =
    url === undefined || options.fetch !== undefined
      ? undefined
      : resolveProxy(
          'createRestTransport',
          proxyOption,
          {
            host: url.hostname.replace(/^\[|\]$/g, ''),
            port: Number(url.port) || (url.protocol === 'https:' ? 443 : 80),
            tls: url.protocol === 'https:',
            grpc: false,
          },
          fromEnv !== undefined || isLoopbackEndpoint(base),
        );
  // Google by default with nothing to authenticate with (most often: VISION_EMULATOR_REST not set in this shell):
  // every call would come back 403 "unregistered callers", so each is refused here, saying why and what to do.
  const bare = options.baseUrl === undefined && fromEnv === undefined && options.apiKey === undefined && options.token === undefined;
  if (bare && options.fetch === undefined) return noCredentials(base);
  // Node's fetch tells why a connection failed: the full classifier (the browser's bundle carries a short one).
  if (proxy === undefined && ca === undefined)
    return createBrowserRestTransport({ ...rest, [FETCH_FAILURE]: fetchConnectFailure } as RestTransportOptions);
  const network = undiciFetch(proxy, restCa(ca));
  const transport = createBrowserRestTransport({
    ...rest,
    fetch: network.fetch,
    [PROXY_SHOWN]: proxy?.shown,
    [FETCH_FAILURE]: fetchConnectFailure,
  } as RestTransportOptions);
  return {
    kind: 'rest',
    unary: transport.unary,
    close(): void {
      transport.close();
      network.close();
    },
  };
}

/** A `fetch` through an undici dispatcher (a ProxyAgent, or an Agent with `ca`), undici loaded on first use. */
function undiciFetch(proxy: ProxyChoice | undefined, ca: string[] | undefined): { fetch: typeof globalThis.fetch; close(): void } {
  type Undici = typeof import('undici');
  let loaded:
    | Promise<{ fetch: Undici['fetch']; dispatcher: InstanceType<Undici['Agent']> | InstanceType<Undici['ProxyAgent']> }>
    | undefined;
  const load = () =>
    (loaded ??= import('undici').then((undici) => {
      const tls = ca === undefined ? undefined : { ca };
      const dispatcher =
        proxy === undefined
          ? new undici.Agent({ connect: tls })
          : new undici.ProxyAgent({ uri: proxy.url.href, requestTls: tls, proxyTls: tls });
      return { fetch: undici.fetch, dispatcher };
    }));
  return {
    fetch: (async (input: string | URL | Request, init?: RequestInit) => {
      const { fetch, dispatcher } = await load();
      return fetch(input as Parameters<Undici['fetch']>[0], { ...(init as Parameters<Undici['fetch']>[1]), dispatcher });
    }) as unknown as typeof globalThis.fetch,
    close(): void {
      loaded?.then(({ dispatcher }) => dispatcher.close()).catch(() => undefined);
    },
  };
}

/**
 * The transport of `createRestTransport()` with no `baseUrl`, no
 * `VISION_EMULATOR_REST` and no credentials: Google's endpoint, which
 * answers such calls 403. Each call fails UNAUTHENTICATED before any I/O.
 */
function noCredentials(base: string): Transport {
  const error = (): VisionError =>
    new VisionError(
      codes.UNAUTHENTICATED,
      `createRestTransport: calls go to ${base} (Google's endpoint: no baseUrl was given and VISION_EMULATOR_REST is not set), ` +
        'which needs credentials, and none were given: give `apiKey` or `token` (googleAuthTokenProvider() for application ' +
        'default credentials), or for the emulator start it with `npx vision-kit emulator` and set VISION_EMULATOR_REST=http://127.0.0.1:8090',
    );
  return {
    kind: 'rest',
    unary: () => Promise.reject(error()),
    close(): void {},
  };
}
