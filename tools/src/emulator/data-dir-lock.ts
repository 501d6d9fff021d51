/**
 * One emulator per data dir: `DATA_DIR/lock` holds the owner's pid. A lock
 * left by a process that no longer runs (a SIGKILL) is taken over.
 */
import { open, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';

/** The data dir is in use by another running emulator. */
export class DataDirLockedError extends Error {
  constructor(dir: string, pid: number) {
    super(`the data dir ${dir} is in use by another emulator (pid ${pid}); stop it or pick another --data-dir`);
    this.name = 'DataDirLockedError';
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as { code?: string }).code === 'EPERM';
  }
}

/** Takes the lock of `dir`; resolves to its release function. */
export async function lockDataDir(dir: string): Promise<() => Promise<void>> {
  const path = join(dir, 'lock');
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      const fh = await open(path, 'wx');
      await fh.writeFile(String(process.pid));
      await fh.sync();
      await fh.close();
      return async () => {
        const owner = Number(await readFile(path, 'utf8').catch(() => '0'));
        if (owner === process.pid) await rm(path, { force: true });
      };
    } catch (err) {
      if ((err as { code?: string }).code !== 'EEXIST') throw err;
      const pid = Number((await readFile(path, 'utf8').catch(() => '')).trim());
      if (Number.isInteger(pid) && pid > 0 && alive(pid)) throw new DataDirLockedError(dir, pid);
      await rm(path, { force: true });
    }
  }
  throw new Error(`cannot take the lock of ${dir}`);
}
