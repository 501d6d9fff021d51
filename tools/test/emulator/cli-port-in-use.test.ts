// `vision-kit emulator` on a gRPC or HTTP port another process holds: one
// line naming the side, the port and the flag to change, exit 1, nothing on
// stdout and nothing else on stderr (no `E No address added …` log line of
// grpc-js).
import assert from 'node:assert/strict';
import { rm } from 'node:fs/promises';
import net from 'node:net';
import { runCli } from './support/child-emulator.js';
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
});
