/**
 * Real network pieces on 127.0.0.1 for the connection tests: servers that
 * answer the wrong protocol (HTTP/1.1, a reset), the fixture service on a
 * chosen port (to start it late), a test certificate made with `openssl`,
 * a TLS front that terminates TLS for a name and hands h2 to a gRPC server
 * and the rest to a REST one, and a CONNECT proxy that records its tunnels.
 */
import { execFileSync } from 'node:child_process';
import dns from 'node:dns';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import tls from 'node:tls';
import { createGrpcHost, createRestHandler } from 'vision-kit/serving';
import type { MemoryHandlers } from 'vision-kit/testing';
import { servedBindings } from 'vision-kit/transcoding';
import { serviceImpls } from './emulator-serving.js';

export { closedPort } from '../../cli/support/run-cli.js';

/** Something listening, and how to stop it. */
export interface Listening {
  readonly port: number;
  close(): Promise<void>;
}

async function listen(server: net.Server, port = 0): Promise<number> {
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve());
  });
  return (server.address() as net.AddressInfo).port;
}

/** Closes a server and destroys the sockets it still holds. */
function closer(server: net.Server, sockets: Set<net.Socket>): () => Promise<void> {
  return () =>
    new Promise<void>((resolve) => {
      for (const s of sockets) s.destroy();
      server.close(() => resolve());
    });
}

function tracked(server: net.Server): Set<net.Socket> {
  const sockets = new Set<net.Socket>();
  server.on('connection', (s: net.Socket) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  return sockets;
}

/** A plain HTTP/1.1 server answering every request `200 hello`; counts its connections. */
export async function startHttp1Server(): Promise<Listening & { readonly connections: () => number }> {
  let connections = 0;
  const server = http.createServer((_req, res) => res.end('hello'));
  server.on('connection', () => connections++);
  const sockets = tracked(server);
  const port = await listen(server);
  return { port, connections: () => connections, close: closer(server, sockets) };
}

/** A TCP server that resets every connection as soon as the client's first bytes (the HTTP/2 preface) arrive. */
export async function startResetServer(): Promise<Listening & { readonly connections: () => number }> {
  let connections = 0;
  const server = net.createServer((socket) => {
    connections++;
    socket.on('error', () => undefined);
    socket.once('data', () => socket.resetAndDestroy());
  });
  const sockets = tracked(server);
  const port = await listen(server);
  return { port, connections: () => connections, close: closer(server, sockets) };
}

/** The fixture service over gRPC (the emulator's serving layer) on `port` (0: any). */
export async function startGrpcOn(port: number, handlers: MemoryHandlers): Promise<Listening & { readonly address: string }> {
  const host = createGrpcHost(serviceImpls(handlers));
  const bound = await host.listen('127.0.0.1', port);
  return { port: bound, address: `127.0.0.1:${bound}`, close: () => host.close(0) };
}

/** The fixture service over REST (the emulator's gateway) on `port` (0: any); counts requests. */
export async function startRestOn(
  port: number,
  handlers: MemoryHandlers,
): Promise<Listening & { readonly baseUrl: string; readonly requests: () => number }> {
  const api = createRestHandler(serviceImpls(handlers), { bindings: servedBindings });
  let requests = 0;
  const server = http.createServer((req, res) => {
    requests++;
    void api.handle(req, res);
  });
  const sockets = tracked(server);
  const bound = await listen(server, port);
  return { port: bound, baseUrl: `http://127.0.0.1:${bound}`, requests: () => requests, close: closer(server, sockets) };
}

/** A self-signed test certificate for `names` (and 127.0.0.1), made by `openssl` in a temporary folder. */
export interface TestCert {
  readonly cert: string;
  readonly key: string;
  /** The certificate's file (for NODE_EXTRA_CA_CERTS and GRPC_DEFAULT_SSL_ROOTS_FILE_PATH). */
  readonly certFile: string;
  remove(): void;
}

/** Makes a {@link TestCert}; throws naming openssl when it is missing. */
export function makeTestCert(names: readonly string[]): TestCert {
  const dir = mkdtempSync(join(tmpdir(), 'vision-kit-cert-'));
  const certFile = join(dir, 'cert.pem');
  const keyFile = join(dir, 'key.pem');
  const san = [...names.map((n) => `DNS:${n}`), 'IP:127.0.0.1'].join(',');
  // biome-ignore format: one openssl command line
  execFileSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', keyFile, '-out', certFile, '-days', '2', '-subj', `/CN=${names[0]}`, '-addext', `subjectAltName=${san}`], { stdio: 'pipe' });
  return {
    cert: readFileSync(certFile, 'utf8'),
    key: readFileSync(keyFile, 'utf8'),
    certFile,
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}

/**
 * A TLS server on 127.0.0.1 with the test certificate: a connection that
 * negotiates `h2` is piped to `h2` (a plaintext gRPC port), any other to
 * `http1` (a plaintext HTTP port), decrypted. `alpn` lists the protocols it
 * offers (default h2 and http/1.1): without h2 it is a TLS endpoint that
 * cannot speak gRPC.
 */
export async function startTlsFront(
  cert: TestCert,
  backends: { readonly h2?: number; readonly http1?: number },
  alpn: readonly string[] = ['h2', 'http/1.1'],
): Promise<Listening> {
  const server = tls.createServer({ cert: cert.cert, key: cert.key, ALPNProtocols: [...alpn] }, (socket) => {
    const port = socket.alpnProtocol === 'h2' ? backends.h2 : backends.http1;
    if (port === undefined) {
      socket.destroy();
      return;
    }
    const upstream = net.connect(port, '127.0.0.1');
    socket.pipe(upstream).pipe(socket);
    upstream.on('error', () => socket.destroy());
    socket.on('error', () => upstream.destroy());
  });
  const sockets = new Set<net.Socket>();
  server.on('secureConnection', (s: tls.TLSSocket) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  server.on('tlsClientError', () => undefined);
  const port = await listen(server);
  return { port, close: closer(server, sockets) };
}

/** One CONNECT the proxy saw. */
export interface Tunnel {
  /** The request target, e.g. `vision.test:443`. */
  readonly target: string;
  /** The Proxy-Authorization header, if any. */
  readonly proxyAuthorization: string | undefined;
  /** Every byte the client sent through the tunnel. */
  up: Buffer;
}

/** A CONNECT proxy on 127.0.0.1. */
export interface ConnectProxy extends Listening {
  /** `http://127.0.0.1:PORT`. */
  readonly url: string;
  /** Every CONNECT, in order (plain proxy requests are refused and not listed). */
  readonly tunnels: Tunnel[];
  /** Every connection made to the proxy. */
  readonly connections: () => number;
}

/**
 * Starts a CONNECT proxy that maps `host:port` names to ports on
 * 127.0.0.1 (never resolving anything: an unknown name gets 502) and
 * records each tunnel. `status` forces an answer to every CONNECT (e.g. 407).
 */
export async function startConnectProxy(map: Readonly<Record<string, number>>, status?: number): Promise<ConnectProxy> {
  const tunnels: Tunnel[] = [];
  let connections = 0;
  const server = http.createServer((_req, res) => {
    res.writeHead(405).end();
  });
  server.on('connection', () => connections++);
  server.on('connect', (req: http.IncomingMessage, socket: net.Socket, head: Buffer) => {
    const tunnel: Tunnel = { target: req.url ?? '', proxyAuthorization: req.headers['proxy-authorization'], up: Buffer.from(head) };
    tunnels.push(tunnel);
    socket.on('error', () => undefined);
    const port = map[tunnel.target];
    if (status !== undefined || port === undefined) {
      socket.end(`HTTP/1.1 ${status ?? 502} Refused\r\n\r\n`);
      return;
    }
    const upstream = net.connect(port, '127.0.0.1', () => {
      socket.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      if (head.length > 0) upstream.write(head);
      socket.on('data', (chunk: Buffer) => {
        tunnel.up = Buffer.concat([tunnel.up, chunk]);
      });
      socket.pipe(upstream).pipe(socket);
    });
    upstream.on('error', () => socket.destroy());
  });
  const sockets = tracked(server);
  const port = await listen(server);
  return { port, url: `http://127.0.0.1:${port}`, tunnels, connections: () => connections, close: closer(server, sockets) };
}

/** Records every name looked up through `dns.lookup` / `dns.promises.lookup` until `stop()`. */
export function recordLookups(): { readonly names: string[]; stop(): void } {
  const names: string[] = [];
  const lookup = dns.lookup;
  const promised = dns.promises.lookup;
  (dns as { lookup: unknown }).lookup = (hostname: string, ...rest: unknown[]) => {
    names.push(hostname);
    return (lookup as (...a: unknown[]) => unknown).call(dns, hostname, ...rest);
  };
  (dns.promises as { lookup: unknown }).lookup = (hostname: string, ...rest: unknown[]) => {
    names.push(hostname);
    return (promised as (...a: unknown[]) => unknown).call(dns.promises, hostname, ...rest);
  };
  return {
    names,
    stop() {
      (dns as { lookup: unknown }).lookup = lookup;
      (dns.promises as { lookup: unknown }).lookup = promised;
    },
  };
}

/** Sets environment variables for the length of `body`, then restores them. */
export async function withEnv<T>(vars: Readonly<Record<string, string | undefined>>, body: () => Promise<T>): Promise<T> {
  const saved: Record<string, string | undefined> = {};
  for (const [k, v] of Object.entries(vars)) {
    saved[k] = process.env[k];
    if (v === undefined) delete process.env[k];
    else process.env[k] = v;
  }
  try {
    return await body();
  } finally {
    for (const [k, v] of Object.entries(saved)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  }
}

/** Every proxy variable, in both cases, set to `url` (or unset with undefined). */
export function proxyVars(url: string | undefined): Record<string, string | undefined> {
  const out: Record<string, string | undefined> = {};
  for (const name of ['https_proxy', 'http_proxy', 'grpc_proxy']) {
    out[name] = url;
    out[name.toUpperCase()] = url;
  }
  for (const name of ['no_proxy', 'no_grpc_proxy']) {
    out[name] = undefined;
    out[name.toUpperCase()] = undefined;
  }
  return out;
}
