/**
 * createTransport() with no transport named: a gRPC endpoint that answers
 * but cannot speak gRPC gives way to REST (once, for good, told through
 * onFallback); a named transport and a refused connection never switch.
 * The CLI does the same and says so with --verbose.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { ConnectionError, createTransport, type Transport, type TransportFallback } from 'vision-kit';
import { messageToJson } from 'vision-kit/codec';
import { cleanEnv } from '../cli/support/run-cli.js';
import { SOURCE_FLAGS } from '../support/source-flags.js';
import { expectedAnswer, methodRef } from './support/behaviour-suite.js';
import { FIXTURE_HANDLERS, REQUESTS } from './support/fixture-service.js';
import { closedPort, type Listening, startHttp1Server, startResetServer, startRestOn } from './support/network-fixtures.js';

const PS = 'google.cloud.vision.v1p4beta1.ProductSearch';
const CALLS = ['GetProduct', 'CreateProduct', 'ListProducts', 'DeleteProduct'] as const;

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

/** Runs the CLI from the sources (no build needed) in a clean environment plus `env`. */
function cliFromSources(args: readonly string[], env: Record<string, string>): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [...SOURCE_FLAGS, 'src/cli/run.ts', ...args],
      { cwd: ROOT, env: cleanEnv(env), timeout: 60_000 },
      (err, stdout, stderr) => resolve({ code: err === null ? 0 : typeof err.code === 'number' ? err.code : -1, stdout, stderr }),
    );
  });
}

describe('transport: automatic choice falls back from gRPC to REST', function () {
  this.timeout(60_000);
  let rest: Listening & { readonly baseUrl: string; readonly requests: () => number };
  before(async () => {
    rest = await startRestOn(0, FIXTURE_HANDLERS);
  });
  after(async () => {
    await rest.close();
  });

  const peers: { label: string; start: () => Promise<Listening & { connections(): number }>; why: RegExp }[] = [
    { label: 'a plain HTTP/1.1 server', start: startHttp1Server, why: /not in HTTP\/2/ },
    { label: 'a server that resets the connection at the HTTP/2 preface', start: startResetServer, why: /reset the connection/ },
  ];

  for (const peer of peers) {
    describe(`${peer.label} on the gRPC port, the emulator's REST port configured`, () => {
      let grpcPeer: Listening & { connections(): number };
      beforeEach(async () => {
        grpcPeer = await peer.start();
      });
      afterEach(async () => {
        await grpcPeer.close();
      });
      const env = () => ({ VISION_EMULATOR_HOST: `127.0.0.1:${grpcPeer.port}`, VISION_EMULATOR_REST: rest.baseUrl });

      it('calls succeed over REST and the callback fires once', async () => {
        const events: TransportFallback[] = [];
        const transport = createTransport({ env: env(), onFallback: (e) => events.push(e) });
        const before = rest.requests();
        try {
          assert.equal(transport.kind, 'grpc');
          // The first calls at once (all meet the sign together), then more after the switch.
          const first = await Promise.all(CALLS.map((m) => transport.unary(methodRef(PS, m), REQUESTS[PS]![m]!)));
          const second = await Promise.all(CALLS.map((m) => transport.unary(methodRef(PS, m), REQUESTS[PS]![m]!)));
          for (const [i, m] of CALLS.entries()) {
            const want = await expectedAnswer(methodRef(PS, m), REQUESTS[PS]![m]!);
            assert.deepEqual(first[i], want, m);
            assert.deepEqual(second[i], want, m);
          }
          assert.equal(events.length, 1, 'told once');
          const [event] = events;
          assert.equal(event?.from, 'grpc');
          assert.equal(event?.to, 'rest');
          assert.equal(event?.grpcEndpoint, `127.0.0.1:${grpcPeer.port}`);
          assert.equal(event?.restEndpoint, rest.baseUrl);
          assert.ok(event?.error instanceof ConnectionError && event.error.failure === 'not-grpc');
          assert.match(event.error.message, peer.why);
          assert.equal(transport.kind, 'rest', 'it stays on REST');
          assert.equal(rest.requests() - before, 2 * CALLS.length, 'every call answered over REST, once each');
          const seen = grpcPeer.connections();
          await transport.unary(methodRef(PS, 'GetProduct'), REQUESTS[PS]!.GetProduct!);
          assert.equal(grpcPeer.connections(), seen, 'after the switch nothing goes to the gRPC port');
        } finally {
          transport.close();
        }
      });

      it('a named grpc transport fails instead (UNAVAILABLE, not-grpc), and REST is never called', async () => {
        const events: TransportFallback[] = [];
        const transport = createTransport({ transport: 'grpc', env: env(), onFallback: (e) => events.push(e) });
        const before = rest.requests();
        try {
          const err = await transport.unary(methodRef(PS, 'GetProduct'), REQUESTS[PS]!.GetProduct!).catch((e: unknown) => e);
          assert.ok(err instanceof ConnectionError, String(err));
          assert.equal(err.failure, 'not-grpc');
          assert.match(err.message, new RegExp(`^\\[UNAVAILABLE\\] 127\\.0\\.0\\.1:${grpcPeer.port} answered but does not speak gRPC`));
          assert.match(err.message, /emulator's HTTP port/);
          assert.equal(events.length, 0);
          assert.equal(rest.requests(), before);
          assert.equal(transport.kind, 'grpc');
        } finally {
          transport.close();
        }
      });
    });
  }

  it('a refused gRPC port never switches: it fails fast as refused', async () => {
    const events: TransportFallback[] = [];
    const transport = createTransport({
      env: { VISION_EMULATOR_HOST: `127.0.0.1:${await closedPort()}`, VISION_EMULATOR_REST: rest.baseUrl },
      connectRetryMs: 500,
      onFallback: (e) => events.push(e),
    });
    const before = rest.requests();
    try {
      const err = await transport.unary(methodRef(PS, 'GetProduct'), REQUESTS[PS]!.GetProduct!).catch((e: unknown) => e);
      assert.ok(err instanceof ConnectionError && err.failure === 'refused', String(err));
      assert.equal(events.length, 0);
      assert.equal(rest.requests(), before);
    } finally {
      transport.close();
    }
  });

  it('an explicit endpoint switches to an explicit restEndpoint; without one there is nothing to switch to', async () => {
    const peer = await startHttp1Server();
    const events: TransportFallback[] = [];
    const withRest = createTransport({ endpoint: `127.0.0.1:${peer.port}`, restEndpoint: rest.baseUrl, onFallback: (e) => events.push(e) });
    const alone: Transport = createTransport({ endpoint: `127.0.0.1:${peer.port}`, env: { VISION_EMULATOR_REST: rest.baseUrl } });
    try {
      const got = await withRest.unary(methodRef(PS, 'GetProduct'), REQUESTS[PS]!.GetProduct!);
      assert.deepEqual(got, await expectedAnswer(methodRef(PS, 'GetProduct'), REQUESTS[PS]!.GetProduct!));
      assert.equal(events.length, 1);
      const err = await alone.unary(methodRef(PS, 'GetProduct'), REQUESTS[PS]!.GetProduct!).catch((e: unknown) => e);
      assert.ok(err instanceof ConnectionError && err.failure === 'not-grpc', String(err));
    } finally {
      withRest.close();
      alone.close();
      await peer.close();
    }
  });

  it('the CLI switches too, and says so on stderr only with --verbose; --transport grpc fails instead', async () => {
    const peer = await startHttp1Server();
    const env = { VISION_EMULATOR_HOST: `127.0.0.1:${peer.port}`, VISION_EMULATOR_REST: rest.baseUrl };
    const name = 'projects/p/locations/us-west1/products/shoe';
    const want = messageToJson('google.cloud.vision.v1p4beta1.Product', await expectedAnswer(methodRef(PS, 'GetProduct'), { name }));
    try {
      const args = ['call', 'GetProduct', '--json', JSON.stringify({ name })];
      const [verbose, quiet, named] = await Promise.all([
        cliFromSources([...args, '--verbose'], env),
        cliFromSources(args, env),
        cliFromSources([...args, '--transport', 'grpc'], env),
      ]);
      assert.equal(verbose.code, 0, verbose.stderr);
      assert.deepEqual(JSON.parse(verbose.stdout), want);
      const said = verbose.stderr.split('\n').filter((l) => l.includes('switched to REST'));
      assert.equal(said.length, 1, verbose.stderr);
      assert.match(
        said[0]!,
        new RegExp(`127\\.0\\.0\\.1:${peer.port} answered but does not speak gRPC.*switched to REST at ${rest.baseUrl}`),
      );
      assert.equal(quiet.code, 0, quiet.stderr);
      assert.deepEqual(JSON.parse(quiet.stdout), want);
      assert.equal(quiet.stderr, '');
      assert.equal(named.code, 1);
      assert.match(named.stderr, /answered but does not speak gRPC/);
      assert.equal(named.stdout, '');
    } finally {
      await peer.close();
    }
  });
});
