// A clean stop leaves the state journal compacted, so that the next start
// recovers nothing (no `recovered N journal records`, which reads like crash
// recovery): after `vision-kit annotate` with its embedded emulator, after
// SIGTERM to `vision-kit emulator`, after `stop()` of `startEmulator`. A
// SIGKILL still leaves the records for the next start to replay.
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { readFile, rm, stat } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startEmulator } from '../../src/emulator/emulator.js';
import { runCli, spawnEmulator } from './support/child-emulator.js';
import { tempDir } from './support/harness.js';

const FLAG = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', 'samples', 'flag.png');
const LOC = 'projects/p/locations/us-west1';

/** Starts `vision-kit emulator` on `dir`, stops it with SIGTERM and returns what it wrote to stderr. */
async function startAndStop(dir: string): Promise<string> {
  const emu = await spawnEmulator(['--grpc-port', '0', '--http-port', '0', '--data-dir', dir]);
  emu.child.kill('SIGTERM');
  const { code, signal } = await emu.exited;
  assert.equal(code, 0, `${signal} ${emu.stderr()}`);
  return emu.stderr();
}

/** Size of the data dir's journal log in bytes. */
async function journalBytes(dir: string): Promise<number> {
  return (await stat(join(dir, 'state', 'journal.jsonl'))).size;
}

/** Creates product set `id` over REST; resolves once it is acknowledged (journaled). */
async function createProductSet(httpUrl: string, id: string): Promise<void> {
  const res = await fetch(`${httpUrl}/v1p4beta1/${LOC}/productSets?productSetId=${id}`, {
    method: 'POST',
    body: JSON.stringify({ displayName: id }),
  });
  assert.equal(res.status, 200, await res.text());
}

describe('a clean stop compacts the state journal', function () {
  this.timeout(60_000);

  it('after `vision-kit annotate` (embedded emulator) the next start recovers no records', async () => {
    const dir = await tempDir();
    try {
      const r = await runCli(['annotate', FLAG, '--data-dir', dir]);
      assert.equal(r.code, 0, r.stderr);
      assert.ok(existsSync(join(dir, 'state', 'snapshot.json')), 'the operation is in the snapshot');
      assert.equal(await journalBytes(dir), 0, 'nothing left in the journal log');
      assert.ok(!existsSync(join(dir, 'lock')), 'the data dir is released before the process exits');
      const stderr = await startAndStop(dir);
      assert.doesNotMatch(stderr, /recovered/, stderr);
      const snapshot = JSON.parse(await readFile(join(dir, 'state', 'snapshot.json'), 'utf8')) as {
        state: { operations: { done: boolean }[] };
      };
      assert.equal(snapshot.state.operations.length, 1);
      assert.equal(snapshot.state.operations[0]!.done, true);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('after SIGTERM to `vision-kit emulator` that changed state, the next start recovers none; after SIGKILL it does', async () => {
    const dir = await tempDir();
    try {
      const first = await spawnEmulator(['--grpc-port', '0', '--http-port', '0', '--data-dir', dir]);
      await createProductSet(first.ready.http, 's1');
      first.child.kill('SIGTERM');
      assert.equal((await first.exited).code, 0, first.stderr());
      assert.equal(await journalBytes(dir), 0);
      assert.doesNotMatch(await startAndStop(dir), /recovered/);

      // A crash is what recovery is for: the records are replayed and said so.
      const crashed = await spawnEmulator(['--grpc-port', '0', '--http-port', '0', '--data-dir', dir]);
      await createProductSet(crashed.ready.http, 's2');
      crashed.child.kill('SIGKILL');
      await crashed.exited;
      assert.ok((await journalBytes(dir)) > 0);
      const after = await spawnEmulator(['--grpc-port', '0', '--http-port', '0', '--data-dir', dir]);
      try {
        for (const id of ['s1', 's2']) {
          const res = await fetch(`${after.ready.http}/v1p4beta1/${LOC}/productSets/${id}`);
          assert.equal(res.status, 200, `${id} survives`);
        }
      } finally {
        after.child.kill('SIGTERM');
        await after.exited;
      }
      assert.match(after.stderr(), /recovered 1 journal records/);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('after stop() of startEmulator the next start logs nothing about recovery and keeps the state', async () => {
    const dir = await tempDir();
    try {
      const logs: string[] = [];
      const log = (line: string): void => {
        logs.push(line);
      };
      const emu = await startEmulator({ grpcPort: 0, httpPort: 0, dataDir: dir, log });
      await createProductSet(emu.httpUrl, 's1');
      await emu.stop();
      assert.equal(await journalBytes(dir), 0);
      const again = await startEmulator({ grpcPort: 0, httpPort: 0, dataDir: dir, log });
      try {
        const res = await fetch(`${again.httpUrl}/v1p4beta1/${LOC}/productSets/s1`);
        assert.equal(res.status, 200);
      } finally {
        await again.stop();
      }
      assert.deepEqual(
        logs.filter((l) => /recovered/.test(l)),
        [],
      );
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
