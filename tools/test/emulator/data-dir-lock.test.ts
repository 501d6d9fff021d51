// One emulator per data dir, by a lock the operating system drops when its
// holder dies: a second live emulator is refused with the holder's pid; a
// restart right after SIGKILL is taken at once, even while the killed
// emulator is still an unreaped zombie, and even when every run is PID 1 of
// its own PID namespace (a container); a data dir whose path is too long for
// a socket still locks; racing starters over a stale lock leave one winner.
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { mkdir, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataDirLockedError, lockDataDir } from '../../src/emulator/data-dir-lock.js';
import { startEmulator } from '../../src/emulator/emulator.js';
import { type ChildEmulator, spawnEmulator } from './support/child-emulator.js';
import { startTestEmulator, tempDir } from './support/harness.js';

const FLAGS = ['--grpc-port', '0', '--http-port', '0'];
const lockedMessage = (dir: string, pid: number): string =>
  `the data dir ${dir} is in use by another emulator (pid ${pid}); stop it or pick another --data-dir`;

/**
 * The state letter of /proc/PID/stat (R, S, Z, …), or undefined once the
 * process is gone. A killed process's first thread shows Z while its other
 * threads still exit; it is dead (its files closed) once it is the only one.
 */
function procState(pid: number): string | undefined {
  try {
    const state = /^\d+ \(.*\) (\S)/s.exec(readFileSync(`/proc/${pid}/stat`, 'utf8'))?.[1];
    return state === 'Z' && readdirSync(`/proc/${pid}/task`).length > 1 ? 'exiting' : state;
  } catch {
    return undefined;
  }
}

async function until(what: string, ok: () => boolean, timeoutMs = 10_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!ok()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 2));
  }
}

/** Why this machine cannot run a PID namespace test, or undefined when it can. */
function cannotUnshare(): string | undefined {
  if (process.platform !== 'linux') return 'PID namespaces are Linux only';
  const r = spawnSync('unshare', ['-pf', '--mount-proc', 'true'], { encoding: 'utf8', timeout: 10_000 });
  if (r.error) return `unshare cannot run here (${r.error.message})`;
  if (r.status !== 0) return `"unshare -pf --mount-proc true" failed here (exit ${r.status}: ${r.stderr.trim()})`;
  return undefined;
}

describe('data dir lock', function () {
  this.timeout(60_000);

  it('refuses a second live emulator on the same data dir, naming the holder by its pid', async () => {
    const t = await startTestEmulator();
    try {
      await assert.rejects(startEmulator({ grpcPort: 0, httpPort: 0, dataDir: t.dir, log: () => undefined }), (err: unknown) => {
        assert.ok(err instanceof DataDirLockedError);
        assert.equal(err.message, lockedMessage(t.dir, process.pid));
        return true;
      });
      // The refused start changed nothing: the first one still serves and still holds the dir.
      assert.equal((await fetch(`${t.emu.httpUrl}/v1/operations`)).status, 200);
      await assert.rejects(lockDataDir(t.dir), DataDirLockedError);
    } finally {
      await t.close();
    }
  });

  it('refuses a child emulator while another child holds the dir, with the holder’s pid', async () => {
    const dir = await tempDir();
    const first = await spawnEmulator([...FLAGS, '--data-dir', dir]);
    try {
      await assert.rejects(lockDataDir(dir), (err: unknown) => {
        assert.ok(err instanceof DataDirLockedError);
        assert.equal(err.message, lockedMessage(dir, first.child.pid!));
        return true;
      });
    } finally {
      first.child.kill('SIGTERM');
      await first.exited;
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('takes over a lock file that names a live process which is no emulator (pid 1, as a container leaves it)', async () => {
    const dir = await tempDir();
    try {
      await writeFile(join(dir, 'lock'), '1');
      const t = await startTestEmulator({ dataDir: dir });
      await t.close();
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('restarts right after SIGKILL while the killed emulator is still an unreaped zombie', async function () {
    if (process.platform !== 'linux') {
      this.test!.title += ' (skipped: /proc and zombies are read the Linux way)';
      this.skip();
    }
    const dir = await tempDir();
    // sh starts the emulator in the background and becomes `sleep`, which never reaps it: after SIGKILL
    // the emulator stays a zombie whose pid is still "alive" to kill(pid, 0).
    const parent = await spawnEmulator([...FLAGS, '--data-dir', dir], 20_000, [
      'sh',
      '-c',
      '"$0" "$@" & echo "pid:$!" >&2; exec sleep 120',
    ]);
    try {
      const pid = Number(/pid:(\d+)/.exec(parent.stderr())?.[1]);
      assert.ok(pid > 0, parent.stderr());
      process.kill(pid, 'SIGKILL');
      await until('the killed emulator to become a zombie', () => procState(pid) === 'Z');
      const t = await startTestEmulator({ dataDir: dir });
      assert.equal(procState(pid), 'Z', 'still a zombie while the new emulator took the dir');
      assert.equal((await fetch(`${t.emu.httpUrl}/v1/operations`)).status, 200);
      await t.close(true);
    } finally {
      parent.child.kill('SIGKILL');
      await parent.exited;
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('restarts as PID 1 of a fresh PID namespace, twice in a row after SIGKILL, on the same data dir', async function () {
    const why = cannotUnshare();
    if (why) {
      this.test!.title += ` (skipped: ${why})`;
      this.skip();
    }
    const dir = await tempDir();
    let run: ChildEmulator | undefined;
    try {
      for (let round = 0; round < 3; round++) {
        run = await spawnEmulator([...FLAGS, '--data-dir', dir], 20_000, ['unshare', '-pf', '--mount-proc']);
        const res = await fetch(`${run.ready.http}/v1/operations`);
        assert.equal(res.status, 200, `round ${round}`);
        // The emulator is the child of `unshare` on this side, PID 1 on its own.
        const unsharePid = run.child.pid!;
        const pid = Number(readFileSync(`/proc/${unsharePid}/task/${unsharePid}/children`, 'utf8').trim().split(/\s+/)[0]);
        assert.ok(pid > 0);
        assert.match(readFileSync(`/proc/${pid}/status`, 'utf8'), /^NSpid:\s+\d+\s+1$/m, 'the emulator is PID 1 in its namespace');
        process.kill(pid, 'SIGKILL');
        await run.exited;
        run = undefined;
      }
    } finally {
      if (run) {
        run.child.kill('SIGKILL');
        await run.exited;
      }
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('locks a data dir whose path is too long for a socket address, with a short socket in the temp folder', async () => {
    const base = await tempDir();
    const dir = join(base, 'a-rather-long-folder-name-'.repeat(4), 'and-another-one');
    await mkdir(dir, { recursive: true });
    assert.ok(Buffer.byteLength(join(dir, 'lock')) > 107);
    const { lockSocketPath } = await import('../../src/emulator/data-dir-lock.js');
    const socket = lockSocketPath(dir);
    assert.ok(Buffer.byteLength(socket) <= 107, socket);
    assert.equal(join(socket, '..'), tmpdir());
    try {
      const release = await lockDataDir(dir);
      assert.ok(existsSync(socket));
      await assert.rejects(lockDataDir(dir), (err: unknown) => err instanceof DataDirLockedError && /\(pid \d+\)/.test(err.message));
      // The same folder reached through another path is the same lock.
      await assert.rejects(lockDataDir(join(dir, '..', 'and-another-one')), DataDirLockedError);
      await release();
      assert.ok(!existsSync(socket), 'released on a normal stop');
      const again = await lockDataDir(dir);
      await again();
    } finally {
      await rm(base, { recursive: true, force: true });
    }
  });

  it('leaves exactly one winner when eight starters race over a stale lock', async () => {
    const dir = await tempDir();
    try {
      for (let round = 0; round < 5; round++) {
        // A holder killed with SIGKILL leaves its socket file behind, with nobody listening.
        const holder = spawn(
          process.execPath,
          [
            '-e',
            `require('node:net').createServer().listen(${JSON.stringify(join(dir, 'lock'))}, () => process.kill(process.pid, 'SIGKILL'))`,
          ],
          { stdio: 'ignore' },
        );
        await new Promise((r) => holder.once('exit', r));
        assert.deepEqual(await readdir(dir), ['lock']);
        const results = await Promise.allSettled(Array.from({ length: 8 }, () => lockDataDir(dir)));
        const won = results.filter((r) => r.status === 'fulfilled');
        assert.equal(won.length, 1, `round ${round}: ${results.map((r) => r.status).join(' ')}`);
        for (const r of results) if (r.status === 'rejected') assert.ok(r.reason instanceof DataDirLockedError, String(r.reason));
        await (won[0] as PromiseFulfilledResult<() => Promise<void>>).value();
      }
      assert.deepEqual(await readdir(dir), [], 'nothing left behind');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
