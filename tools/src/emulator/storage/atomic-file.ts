/**
 * Durable file writes: write to a temporary file in a separate folder,
 * fsync, rename over the target, fsync the target's folder. A reader (or a
 * restart after SIGKILL) sees the old file or the whole new one, never part.
 */
import { randomUUID } from 'node:crypto';
import { open, rename, rm } from 'node:fs/promises';
import { dirname, join } from 'node:path';

/** Fsyncs a folder so that a rename or create inside it is durable. */
export async function fsyncDir(dir: string): Promise<void> {
  const fh = await open(dir, 'r');
  try {
    await fh.sync();
  } finally {
    await fh.close();
  }
}

/** A new temporary path in `tmpDir` (which must be on the target's file system). */
export function tempPath(tmpDir: string): string {
  return join(tmpDir, `${randomUUID()}.tmp`);
}

/** Writes `data` to a new file in `tmpDir` and fsyncs it; resolves to its path (removed again on failure). */
export async function stageFile(data: Uint8Array | string, tmpDir: string): Promise<string> {
  const tmp = tempPath(tmpDir);
  try {
    const fh = await open(tmp, 'wx', 0o644);
    try {
      await fh.writeFile(data);
      await fh.sync();
    } finally {
      await fh.close();
    }
  } catch (err) {
    await rm(tmp, { force: true });
    throw err;
  }
  return tmp;
}

/** Writes `data` to `target` atomically and durably, staging it in `tmpDir`. */
export async function writeFileAtomic(target: string, data: Uint8Array | string, tmpDir: string): Promise<void> {
  const tmp = await stageFile(data, tmpDir);
  try {
    await rename(tmp, target);
  } catch (err) {
    await rm(tmp, { force: true });
    throw err;
  }
  await fsyncDir(dirname(target));
}

/** Moves an already fsynced temporary file over `target` and makes the rename durable. */
export async function commitTempFile(tmp: string, target: string): Promise<void> {
  try {
    await rename(tmp, target);
  } catch (err) {
    await rm(tmp, { force: true });
    throw err;
  }
  await fsyncDir(dirname(target));
}
