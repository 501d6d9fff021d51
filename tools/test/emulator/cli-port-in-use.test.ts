// `vision-kit emulator` on a gRPC or HTTP port another process holds: one
// line naming the side, the port and the flag to change, exit 1, nothing on
// stdout and nothing else on stderr (no `E No address added …` log line of
// grpc-js). The same port for both is refused up front as a usage error.
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import net from 'node:net';
import { join } from 'node:path';
import { startEmulator } from '../../src/emulator/emulator.js';
import { assertUsageError, runCli, spawnEmulator } from './support/child-emulator.js';
import { tempDir } from './support/harness.js';

/** A plain TCP server holding a free port on 127.0.0.1. */
async function occupy(): Promise<{ port: number; close: () => Promise<void> }> {
  const server = net.createServer((socket) => socket.destroy());
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const { port } = server.address() as net.AddressInfo;
  return { port, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

describe('vision-kit emulator on a port in use (child process)', function () {
  this.timeout(30_000);

  for (const side of ['gRPC', 'HTTP'] as const) {
    it(`names the busy ${side} port and the flag to change, exit 1, one stderr line`, async () => {
      const dir = await tempDir();
      const busy = await occupy();
      try {
        const flag = side === 'gRPC' ? '--grpc-port' : '--http-port';
        const otherFlag = side === 'gRPC' ? '--http-port' : '--grpc-port';
        const r = await runCli(['emulator', flag, String(busy.port), otherFlag, '0', '--data-dir', dir]);
        assert.equal(r.code, 1, r.stderr);
        assert.equal(r.stdout, '');
        assert.equal(
          r.stderr,
          `vision-kit: cannot start the emulator: its ${side} port ${busy.port} on 127.0.0.1 is already in use; ` +
            `pass ${flag} <n> for another port, or ${flag} 0 for any free one\n`,
        );
      } finally {
        await busy.close();
        await rm(dir, { recursive: true, force: true });
      }
    });
  }

  it('refuses the same port for gRPC and HTTP as a usage error (exit 2) before binding anything', async () => {
    const dir = await tempDir();
    try {
      for (const [args, port] of [
        [['--grpc-port', '9000', '--http-port', '9000'], 9000],
        [['--grpc-port', '8090'], 8090], // the default HTTP port
        [['--http-port', '8089'], 8089], // the default gRPC port
      ] as const) {
        assertUsageError(
          await runCli(['emulator', ...args, '--data-dir', dir]),
          `--grpc-port and --http-port are both ${port}; the two ports must differ (0 picks any free port)`,
        );
        assert.ok(!existsSync(join(dir, 'lock')), 'the data dir was not taken');
      }
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('accepts 0 for both ports (two different free ports)', async () => {
    const dir = await tempDir();
    try {
      const emu = await spawnEmulator(['--grpc-port', '0', '--http-port', '0', '--data-dir', dir]);
      emu.child.kill('SIGTERM');
      assert.equal((await emu.exited).code, 0, emu.stderr());
      assert.notEqual(emu.ready.grpc.split(':').pop(), emu.ready.http.split(':').pop());
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('startEmulator refuses equal ports with a RangeError', async () => {
    const dir = await tempDir();
    try {
      await assert.rejects(startEmulator({ grpcPort: 9000, httpPort: 9000, dataDir: dir, log: () => undefined }), {
        name: 'RangeError',
        message: 'grpcPort and httpPort are both 9000; the two ports must differ (0 picks any free port)',
      });
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
