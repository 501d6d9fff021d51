/**
 * Where the gRPC transport's channel connects (Node): straight to the
 * endpoint, or to a proxy that opens a CONNECT tunnel to it. grpc-js's own
 * reading of the proxy variables is turned off (`grpc.enable_http_proxy: 0`)
 * and the decision of `node-proxy.ts` is given to it through its public
 * channel options instead: the channel dials the proxy,
 * `grpc.http_connect_target` names the endpoint in the CONNECT (unresolved:
 * only the proxy looks the name up), TLS runs end to end through the tunnel
 * with the endpoint's name, and `grpc.default_authority` keeps `:authority`
 * the endpoint's. Service-config lookups in DNS (TXT records) are off too:
 * the retry policy is ours, and no lookup goes out for a proxied name.
 */
import type { ChannelOptions } from '@grpc/grpc-js';
import type { ProxyChoice } from './node-proxy.js';

/** The channel's target and the options that route it. */
export interface GrpcChannelPlan {
  /** What grpc-js dials: the endpoint, or the proxy's `host:port`. */
  readonly target: string;
  /** The routing options (to go under the caller's own `channelOptions`). */
  readonly options: ChannelOptions;
}

/** The plan for `endpoint` (`host[:port]`), through `proxy` when given. */
export function grpcChannelPlan(endpoint: string, proxy: ProxyChoice | undefined): GrpcChannelPlan {
  const base: ChannelOptions = { 'grpc.enable_http_proxy': 0, 'grpc.service_config_disable_resolution': 1 };
  if (proxy === undefined) return { target: endpoint, options: base };
  const { url } = proxy;
  const port = url.port || (url.protocol === 'https:' ? '443' : '80');
  const options: ChannelOptions = {
    ...base,
    'grpc.http_connect_target': `dns:${endpoint}`,
    'grpc.default_authority': endpoint,
  };
  if (url.username !== '') {
    const user = decodeURIComponent(url.username);
    options['grpc.http_connect_creds'] = url.password === '' ? user : `${user}:${decodeURIComponent(url.password)}`;
  }
  return { target: `${url.hostname}:${port}`, options };
}

/** The port of a gRPC `host[:port]` endpoint (443 when it has none). */
export function grpcEndpointPort(endpoint: string): number {
  const m = /^(?:\[[^\]]*\]|[^:]*):(\d{1,5})$/.exec(endpoint);
  return m ? Number(m[1]) : 443;
}
