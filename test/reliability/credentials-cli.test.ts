/**
 * Credentials in what the CLI and the emulator print (RELIABILITY.md): `vision-kit
 * call` and `vision-kit annotate` run as child processes with an API key —
 * against a server that echoes it in every error, against an emulator
 * started with `--auth-token` (right and wrong key), with `--wait` — and
 * their stdout and stderr are searched for it; `vision-kit emulator
 * --auth-token T` is sent the token (and wrong ones) every way it takes them,
 * on good and bad requests, and its output is searched too; an unexpected
 * error inside the emulator is logged and answered without the `?key=`.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import sharp from 'sharp';
import { type ChildEmulator, spawnEmulator } from '../../tools/test/emulator/support/child-emulator.js';
import { startTestEmulator, tempDir } from '../../tools/test/emulator/support/harness.js';
import { type LeakyServer, startLeakyServer } from './support/leaky-server.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const KEY = `AIzaSy${randomBytes(12).toString('hex')}`;
const WRONG = `wrong-${randomBytes(8).toString('hex')}`;

interface Run {
  readonly code: number;
  readonly out: string;
}

/** Runs the built CLI with a clean environment; `out` is stdout and stderr together. */
function cli(args: readonly string[], env: Record<string, string> = {}): Promise<Run> {
  const base: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env))
    if (v !== undefined && !/^(VISION_EMULATOR|STORAGE_EMULATOR|GOOGLE_APPLICATION)/.test(k)) base[k] = v;
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [join(root, 'bin/vision-kit.js'), ...args],
      { cwd: root, env: { ...base, METADATA_SERVER_DETECTION: 'none', ...env }, timeout: 30_000 },
      (err, stdout, stderr) => {
        resolve({ code: err === null ? 0 : typeof err.code === 'number' ? err.code : -1, out: `${stdout}\n${stderr}` });
      },
    );
  });
}

function assertClean(run: Run, secrets: readonly string[], what: string): void {
  for (const s of secrets) assert.ok(!run.out.includes(s), `${what} printed a credential:\n${run.out.slice(0, 2000)}`);
}

describe('reliability: credentials in CLI and emulator output', function () {
  this.timeout(120_000);
  let leaky: LeakyServer;
  before(async () => {
    if (!existsSync(join(root, 'dist/vision-kit.js'))) throw new Error('dist/vision-kit.js is missing: run `npm run build` first');
    leaky = await startLeakyServer();
  });
  after(() => leaky.close());

  it('`vision-kit call --api-key` against a server that echoes the key: exit 1, the key in no output line (gRPC, REST, --wait)', async () => {
    const runs: [string, string[]][] = [];
    for (const endpoint of [leaky.grpcAddress, leaky.restUrl]) {
      runs.push([
        `GetProduct ${endpoint}`,
        ['call', 'GetProduct', '--endpoint', endpoint, '--api-key', KEY, '--json', '{"name":"projects/p/locations/us-west1/products/x"}'],
      ]);
      runs.push([
        `AsyncBatchAnnotateImages --wait ${endpoint}`,
        ['call', 'AsyncBatchAnnotateImages', '--endpoint', endpoint, '--api-key', KEY, '--wait'],
      ]);
    }
    runs.push([
      'an HTML error page',
      [
        'call',
        'GetProduct',
        '--endpoint',
        leaky.htmlUrl,
        '--api-key',
        KEY,
        '--json',
        '{"name":"projects/p/locations/us-west1/products/x"}',
      ],
    ]);
    const before = leaky.received.length;
    for (const [what, args] of runs) {
      const r = await cli(args);
      assert.equal(r.code, 1, `${what}: ${r.out}`);
      assertClean(r, [KEY], what);
    }
    assert.ok(
      leaky.received.slice(before).every((x) => x.includes(KEY)),
      'the server received (and echoed) the key every time',
    );
  });

  describe('against `vision-kit emulator --auth-token`', () => {
    let emu: ChildEmulator;
    let dir: string;
    let image: string;
    before(async () => {
      dir = await tempDir('vk-cred-');
      emu = await spawnEmulator([
        '--grpc-port',
        '0',
        '--http-port',
        '0',
        '--data-dir',
        join(dir, 'data'),
        '--auth-token',
        KEY,
        '--op-step-ms',
        '0',
      ]);
      image = join(dir, 'red.png');
      await writeFile(
        image,
        await sharp({ create: { width: 8, height: 8, channels: 3, background: { r: 200, g: 0, b: 0 } } })
          .png()
          .toBuffer(),
      );
    });
    after(async () => {
      emu.child.kill('SIGTERM');
      await emu.exited;
      await rm(dir, { recursive: true, force: true });
    });

    it('`call` and `annotate` with the right key succeed, with a wrong one fail UNAUTHENTICATED; neither key is printed', async () => {
      for (const endpoint of [emu.ready.grpc, emu.ready.http]) {
        const ok = await cli([
          'call',
          'ListProducts',
          '--endpoint',
          endpoint,
          '--api-key',
          KEY,
          '--json',
          '{"parent":"projects/p/locations/us-west1"}',
        ]);
        assert.equal(ok.code, 0, ok.out);
        assertClean(ok, [KEY], `call ${endpoint}`);
        const waited = await cli([
          'call',
          'AsyncBatchAnnotateImages',
          '--endpoint',
          endpoint,
          '--api-key',
          KEY,
          '--wait',
          '--json',
          JSON.stringify({
            requests: [{ image: { content: 'AAAA' }, features: [{ type: 'IMAGE_PROPERTIES' }] }],
            outputConfig: { gcsDestination: { uri: 'gs://cred-out/x/' } },
          }),
        ]);
        assert.equal(waited.code, 0, waited.out);
        assertClean(waited, [KEY], `call --wait ${endpoint}`);
        const bad = await cli([
          'call',
          'ListProducts',
          '--endpoint',
          endpoint,
          '--api-key',
          WRONG,
          '--json',
          '{"parent":"projects/p/locations/us-west1"}',
        ]);
        assert.equal(bad.code, 1, bad.out);
        assert.match(bad.out, /UNAUTHENTICATED|"code":16/);
        assertClean(bad, [KEY, WRONG], `call with a wrong key ${endpoint}`);
      }
      const env = { STORAGE_EMULATOR_HOST: emu.ready.http };
      // annotate keeps a local copy of the output files in its data dir (default ./.vision-emulator): a temp one here.
      const copies = ['--data-dir', join(dir, 'copies')];
      for (const endpoint of [emu.ready.grpc, emu.ready.http]) {
        const ok = await cli(['annotate', image, '--endpoint', endpoint, '--api-key', KEY, '--json', ...copies], env);
        assert.equal(ok.code, 0, ok.out);
        assertClean(ok, [KEY], `annotate ${endpoint}`);
        const bad = await cli(['annotate', image, '--endpoint', endpoint, '--api-key', WRONG, ...copies], env);
        assert.notEqual(bad.code, 0, bad.out);
        assertClean(bad, [KEY, WRONG], `annotate with a wrong key ${endpoint}`);
      }
    });

    it('the emulator prints neither its token nor the credentials it is sent, on good and bad requests', async () => {
      const base = emu.ready.http;
      const attempts: [string, RequestInit][] = [
        [`/v1p4beta1/projects/p/locations/us-west1/products?key=${KEY}`, {}],
        [`/v1p4beta1/projects/p/locations/us-west1/products?key=${WRONG}`, {}],
        ['/v1p4beta1/projects/p/locations/us-west1/products', { headers: { authorization: `Bearer ${KEY}` } }],
        ['/v1p4beta1/projects/p/locations/us-west1/products', { headers: { authorization: `Bearer ${WRONG}` } }],
        ['/v1p4beta1/projects/p/locations/us-west1/products', { headers: { 'x-goog-api-key': WRONG } }],
        [`/v1p4beta1/projects/p/locations/us-west1/products?key=${KEY}`, { method: 'POST', body: '{"displayName":' }],
        [`/v1p4beta1/nothing/here?key=${KEY}`, {}],
        [`/storage/v1/b/cred/o/..%2Fx?alt=media&key=${KEY}`, {}],
        [`/upload/storage/v1/b/cred/o?uploadType=media&name=a.txt&key=${KEY}`, { method: 'POST', body: 'a' }],
        [`/?key=${KEY}`, {}],
        [`/emulator/stats?key=${WRONG}`, {}],
      ];
      for (const [path, init] of attempts) {
        const res = await fetch(`${base}${path}`, init);
        const text = await res.text();
        assert.ok(!text.includes(KEY) && !text.includes(WRONG), `${path}: the answer shows a credential: ${text.slice(0, 300)}`);
      }
      await new Promise((r) => setTimeout(r, 100));
      assert.ok(!emu.stdout().includes(KEY) && !emu.stderr().includes(KEY), 'the emulator printed its token');
      assert.ok(!emu.stdout().includes(WRONG) && !emu.stderr().includes(WRONG), 'the emulator printed a credential it was sent');
    });
  });

  it("an unexpected error inside the emulator is logged and answered without the request's ?key=", async () => {
    const logs: string[] = [];
    const t = await startTestEmulator({
      authToken: KEY,
      log: (l) => logs.push(l),
      demo: async () => {
        throw new Error('a bug in the demo handler');
      },
    });
    try {
      const res = await fetch(`${t.emu.httpUrl}/some/page?key=${KEY}&x=1`);
      const text = await res.text();
      assert.equal(res.status, 500, text);
      assert.match(text, /a bug in the demo handler/);
      assert.ok(
        logs.some((l) => /unexpected error/.test(l)),
        'the bug was logged',
      );
      assert.ok(!text.includes(KEY), `answered with the key: ${text}`);
      assert.ok(!logs.join('\n').includes(KEY), `logged the key: ${logs.join('\n')}`);
    } finally {
      await t.close();
    }
  });
});
