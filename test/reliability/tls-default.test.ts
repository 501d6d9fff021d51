/**
 * TLS by default for endpoints off this machine (RELIABILITY.md), checked without
 * reaching anything: grpc-js is pointed at a local HTTP CONNECT proxy
 * (`grpc_proxy`), which records the target it is asked for and the first
 * bytes the client sends through the tunnel, then hangs up. A TLS
 * ClientHello naming the host means TLS; the HTTP/2 preface means
 * plaintext. The same through `vision-kit call`. A REST endpoint off this
 * machine must be https:// unless plaintext is asked for.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import net, { type AddressInfo } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Code, createGrpcTransport, createTransport, resolveTransport, VisionError } from 'vision-kit';
import { methodRef } from '../transport/support/behaviour-suite.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const GET = methodRef('google.longrunning.Operations', 'GetOperation');

/** What the proxy saw on one tunnel. */
interface Tunnel {
  readonly target: string;
  readonly first: Buffer;
  readonly socket: net.Socket;
}

/**
 * A CONNECT proxy that records each tunnel's target and first bytes, and
 * never connects anywhere. It holds the tunnel open (the client's handshake
 * waits) until it is closed, so that the client, not a failed handshake,
 * ends the attempt: a grpc-js subchannel that failed would retry once more
 * after the channel closed.
 */
async function startRecordingProxy(): Promise<{
  url: string;
  tunnels: Tunnel[];
  onTunnel: ((socket: net.Socket) => void) | undefined;
  close(): Promise<void>;
}> {
  const tunnels: Tunnel[] = [];
  const sockets = new Set<net.Socket>();
  const proxy = { onTunnel: undefined as ((socket: net.Socket) => void) | undefined };
  const server = net.createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    let buf = Buffer.alloc(0);
    let target: string | undefined;
    socket.on('error', () => undefined);
    socket.on('data', (d: Buffer) => {
      buf = Buffer.concat([buf, d]);
      if (target === undefined) {
        const end = buf.indexOf('\r\n\r\n');
        if (end < 0) return;
        target = /^CONNECT (\S+) HTTP/.exec(buf.subarray(0, end).toString('latin1'))?.[1] ?? '?';
        buf = buf.subarray(end + 4);
        socket.write('HTTP/1.1 200 Connection established\r\n\r\n');
      }
      // A TLS record: 5-byte header with its length; else enough for the HTTP/2 preface.
      const need = buf[0] === 0x16 && buf.length >= 5 ? 5 + buf.readUInt16BE(3) : 24;
      if (buf.length >= need && tunnels.every((t) => t.socket !== socket)) {
        tunnels.push({ target, first: buf.subarray(0, need), socket });
        proxy.onTunnel?.(socket);
      }
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return Object.assign(proxy, {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    tunnels,
    close: () =>
      new Promise<void>((r) => {
        for (const s of sockets) s.destroy();
        server.close(() => r());
      }),
  });
}

const isTlsHello = (b: Buffer): boolean => b[0] === 0x16 && b[1] === 0x03 && b[5] === 0x01;
const isH2Preface = (b: Buffer): boolean => b.subarray(0, 24).toString('latin1') === 'PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n';

describe('reliability: TLS by default off this machine', function () {
  this.timeout(30_000);
  let proxy: Awaited<ReturnType<typeof startRecordingProxy>>;
  const saved = process.env.grpc_proxy;
  before(async () => {
    proxy = await startRecordingProxy();
    process.env.grpc_proxy = proxy.url;
  });
  after(async () => {
    if (saved === undefined) delete process.env.grpc_proxy;
    else process.env.grpc_proxy = saved;
    await proxy.close();
  });

  async function tunnelOf(make: () => ReturnType<typeof createTransport>): Promise<Tunnel> {
    const n = proxy.tunnels.length;
    const t = make();
    const seen = new AbortController();
    proxy.onTunnel = () => seen.abort(new Error('the proxy has seen the first bytes'));
    try {
      await assert.rejects(
        t.unary(GET, { name: 'operations/x' }, { retry: false, timeout: 5000, signal: seen.signal }),
        (e: unknown) => e instanceof VisionError && e.code === Code.CANCELLED,
      );
    } finally {
      proxy.onTunnel = undefined;
      t.close();
    }
    assert.equal(proxy.tunnels.length, n + 1, 'one tunnel was asked for');
    return proxy.tunnels[n]!;
  }

  const cases: { name: string; make: () => ReturnType<typeof createTransport>; target: string; tls: boolean }[] = [
    {
      name: 'createTransport, a remote host:port',
      make: () => createTransport({ endpoint: 'vision.example.com:443', apiKey: 'k', env: {} }),
      target: 'vision.example.com:443',
      tls: true,
    },
    {
      name: "createTransport, no endpoint (Google's)",
      make: () => createTransport({ apiKey: 'k', env: {} }),
      target: 'vision.googleapis.com:443',
      tls: true,
    },
    {
      name: 'createGrpcTransport, a remote host:port',
      make: () => createGrpcTransport({ endpoint: 'vision.example.com:8443', token: 't' }),
      target: 'vision.example.com:8443',
      tls: true,
    },
    {
      name: 'createTransport with plaintext',
      make: () => createTransport({ endpoint: 'vision.example.com:8080', apiKey: 'k', plaintext: true, env: {} }),
      target: 'vision.example.com:8080',
      tls: false,
    },
  ];
  for (const c of cases) {
    it(`${c.name}: ${c.tls ? 'a TLS ClientHello naming the host' : 'plaintext HTTP/2'}`, async () => {
      const tunnel = await tunnelOf(c.make);
      assert.equal(tunnel.target, c.target);
      if (c.tls) {
        assert.ok(isTlsHello(tunnel.first), `not a TLS ClientHello: ${tunnel.first.subarray(0, 16).toString('hex')}`);
        const host = c.target.split(':')[0]!;
        assert.ok(tunnel.first.includes(host), 'the ClientHello names the host (SNI)');
      } else {
        assert.ok(isH2Preface(tunnel.first), `not the HTTP/2 preface: ${tunnel.first.toString('latin1')}`);
      }
    });
  }

  it('`vision-kit call --endpoint host:443` speaks TLS too', async () => {
    const n = proxy.tunnels.length;
    proxy.onTunnel = (socket) => socket.destroy(); // the child's attempts fail at once; it exits when done
    const run = await new Promise<{ code: number; stderr: string }>((resolve) => {
      const env: Record<string, string> = {};
      for (const [k, v] of Object.entries(process.env)) if (v !== undefined && !/^(VISION_EMULATOR|GOOGLE_APPLICATION)/.test(k)) env[k] = v;
      execFile(
        process.execPath,
        [
          join(root, 'bin/vision-kit.js'),
          'call',
          'GetOperation',
          '--endpoint',
          'vision.example.com:443',
          '--api-key',
          'k',
          '--json',
          '{"name":"operations/x"}',
        ],
        { env: { ...env, METADATA_SERVER_DETECTION: 'none', grpc_proxy: proxy.url }, timeout: 30_000 },
        (err, _stdout, stderr) => resolve({ code: err === null ? 0 : typeof err.code === 'number' ? err.code : -1, stderr }),
      );
    });
    proxy.onTunnel = undefined;
    assert.equal(run.code, 1, run.stderr);
    const tunnels = proxy.tunnels.slice(n);
    assert.ok(tunnels.length >= 1, run.stderr);
    for (const t of tunnels) {
      assert.equal(t.target, 'vision.example.com:443');
      assert.ok(isTlsHello(t.first));
    }
  });

  it('a REST endpoint off this machine must be https:// unless plaintext is asked for; loopback http:// is fine', () => {
    assert.throws(
      () => resolveTransport({ endpoint: 'http://vision.example.com', env: {} }),
      (e: unknown) => e instanceof VisionError && e.code === Code.INVALID_ARGUMENT && /https:\/\/.*--plaintext/.test(e.message),
    );
    assert.equal(
      resolveTransport({ endpoint: 'http://vision.example.com', plaintext: true, env: {} }).endpoint,
      'http://vision.example.com',
    );
    assert.equal(resolveTransport({ endpoint: 'https://vision.example.com', env: {} }).endpoint, 'https://vision.example.com');
    assert.equal(resolveTransport({ transport: 'rest', env: {} }).endpoint, 'https://vision.googleapis.com');
    assert.equal(resolveTransport({ endpoint: 'http://127.0.0.1:8090', env: {} }).local, true);
  });
});
