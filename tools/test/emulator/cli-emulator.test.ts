// `vision-kit emulator` as a child process: the ready line is the first
// stdout line, logs go to stderr, SIGTERM/SIGINT stop it cleanly (exit 0,
// data dir released), bad flags are usage errors, a busy port or data dir
// is reported in one line.
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import net from 'node:net';
import { join } from 'node:path';
import { runCli, spawnEmulator } from './support/child-emulator.js';
import { tempDir } from './support/harness.js';

describe('vision-kit emulator (child process)', function () {
  this.timeout(30_000);

  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    it(`prints the ready line first, serves, and stops cleanly on ${signal}`, async () => {
      const dir = await tempDir();
      try {
        const emu = await spawnEmulator(['--grpc-port', '0', '--http-port', '0', '--data-dir', dir]);
        assert.deepEqual(Object.keys(emu.ready), ['grpc', 'http', 'dataDir']);
        assert.match(emu.ready.grpc, /^127\.0\.0\.1:\d+$/);
        assert.match(emu.ready.http, /^http:\/\/127\.0\.0\.1:\d+$/);
        assert.equal(emu.ready.dataDir, dir);
        const res = await fetch(`${emu.ready.http}/v1/operations`);
        assert.equal(res.status, 200);
        const [host, port] = emu.ready.grpc.split(':');
        await new Promise<void>((resolve, reject) => net.connect(Number(port), host, resolve).on('error', reject).end());
        assert.ok(existsSync(join(dir, 'lock')));
        emu.child.kill(signal);
        const { code } = await emu.exited;
        assert.equal(code, 0, emu.stderr());
        assert.equal(emu.stdout().trim().split('\n').length, 1, 'stdout holds the ready line only');
        assert.ok(!existsSync(join(dir, 'lock')), 'the data dir is released');
        await assert.rejects(fetch(`${emu.ready.http}/v1/operations`));
      } finally {
        await rm(dir, { recursive: true, force: true });
      }
    });
  }

  it('refuses bad flags with a usage error (exit 2) and nothing on stdout', async () => {
    for (const args of [
      ['--grpc-port', 'abc'],
      ['--fault-rate', '1.5'],
      ['--op-step-ms', '-3'],
      ['--render-budget-ms', '0'],
      ['--render-budget-ms', '1.5'],
      ['--max-inflight-mib', '8'],
      ['--max-inflight-mib', 'lots'],
      ['--nope'],
    ]) {
      const r = await runCli(['emulator', ...args]);
      assert.equal(r.code, 2, `${args.join(' ')}: ${r.stderr}`);
      assert.equal(r.stdout, '');
      const [what, ...rest] = r.stderr.trimEnd().split('\n');
      assert.match(what ?? '', /^vision-kit: /, r.stderr);
      assert.deepEqual(rest, ['(vision-kit emulator --help for usage)'], 'one line, then a pointer at --help (not the whole help)');
    }
  });

  it('reports a port in use and a data dir in use in one line (exit 1)', async () => {
    const dir = await tempDir();
    const other = await tempDir();
    const emu = await spawnEmulator(['--grpc-port', '0', '--http-port', '0', '--data-dir', dir]);
    try {
      const busyPort = emu.ready.http.split(':').pop()!;
      const r = await runCli(['emulator', '--grpc-port', '0', '--http-port', busyPort, '--data-dir', other]);
      assert.equal(r.code, 1, r.stderr);
      assert.match(r.stderr, /EADDRINUSE|in use/);
      assert.equal(r.stdout, '');
      const r2 = await runCli(['emulator', '--grpc-port', '0', '--http-port', '0', '--data-dir', dir]);
      assert.equal(r2.code, 1, r2.stderr);
      assert.match(r2.stderr, /in use by another emulator/);
    } finally {
      emu.child.kill('SIGTERM');
      await emu.exited;
      await rm(dir, { recursive: true, force: true });
      await rm(other, { recursive: true, force: true });
    }
  });
});
