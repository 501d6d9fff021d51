// Restart right after SIGKILL, measured: the emulator (a child process) is
// killed and a new one started on the same data dir at once, without waiting
// for the old one to be reaped — as a plain child, and as PID 1 of a fresh
// PID namespace each run (`unshare -pf --mount-proc`, as a container runs
// it). Every restart must succeed; prints the time from the kill to the new
// emulator's ready line (and, to compare, the first start's), and from the
// old one's death to the lock being taken in this process.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { lockDataDir } from '../../src/emulator/data-dir-lock.js';
import { type ChildEmulator, spawnEmulator } from '../emulator/support/child-emulator.js';
import { tempDir } from '../emulator/support/harness.js';

const ROUNDS = Number(process.env.VK_LOCK_ROUNDS ?? 10);
const FLAGS = ['--grpc-port', '0', '--http-port', '0'];

/** True once `pid` has no thread left running (gone, or a zombie whose files are closed). */
function dead(pid: number): boolean {
  try {
    const state = /^\d+ \(.*\) (\S)/s.exec(readFileSync(`/proc/${pid}/stat`, 'utf8'))?.[1];
    return state === 'Z' && readdirSync(`/proc/${pid}/task`).length === 1;
  } catch {
    return true;
  }
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

async function measure(label: string, prefix: string[], emulatorPid: (run: ChildEmulator) => number): Promise<void> {
  const dir = await tempDir('vk-lock-soak-');
  const toReady: number[] = [];
  const toLock: number[] = [];
  const started = performance.now();
  let run = await spawnEmulator([...FLAGS, '--data-dir', dir], 30_000, prefix);
  const firstStart = performance.now() - started;
  try {
    for (let round = 0; round < ROUNDS; round++) {
      const pid = emulatorPid(run);
      const killed = performance.now();
      process.kill(pid, 'SIGKILL');
      if (round % 2 === 0) {
        // The lock alone: taken here as soon as the old emulator is dead (it may still be an unreaped zombie).
        while (!dead(pid)) await new Promise((r) => setTimeout(r, 1));
        const died = performance.now();
        const release = await lockDataDir(dir);
        toLock.push(performance.now() - died);
        await release();
      }
      // A whole new emulator, started at once.
      const next = await spawnEmulator([...FLAGS, '--data-dir', dir], 30_000, prefix);
      toReady.push(performance.now() - killed);
      assert.equal((await fetch(`${next.ready.http}/v1/operations`)).status, 200);
      await run.exited;
      run = next;
    }
  } finally {
    run.child.kill('SIGKILL');
    await run.exited;
    await rm(dir, { recursive: true, force: true });
  }
  process.stderr.write(
    `      ${label}: ${ROUNDS} restarts after SIGKILL, kill → ready line median ${median(toReady).toFixed(0)} ms (max ${Math.max(...toReady).toFixed(0)} ms); ` +
      `death → lock taken median ${median(toLock).toFixed(1)} ms (max ${Math.max(...toLock).toFixed(1)} ms); ` +
      `a first start with no lock to take: ${firstStart.toFixed(0)} ms\n`,
  );
}

describe('Restart right after SIGKILL (data-dir lock)', () => {
  it(`restarts a plain child emulator ${ROUNDS} times`, async () => {
    await measure('child process', [], (run) => run.child.pid!);
  });

  it(`restarts an emulator that is PID 1 of a fresh PID namespace ${ROUNDS} times`, async function () {
    const r = spawnSync('unshare', ['-pf', '--mount-proc', 'true'], { encoding: 'utf8', timeout: 10_000 });
    if (process.platform !== 'linux' || r.error || r.status !== 0) {
      this.test!.title += ` (skipped: "unshare -pf --mount-proc" does not work here: ${r.error?.message ?? r.stderr.trim()})`;
      this.skip();
    }
    await measure('PID 1 of a fresh PID namespace', ['unshare', '-pf', '--mount-proc'], (run) => {
      const unshare = run.child.pid!;
      return Number(readFileSync(`/proc/${unshare}/task/${unshare}/children`, 'utf8').trim().split(/\s+/)[0]);
    });
  });
});
