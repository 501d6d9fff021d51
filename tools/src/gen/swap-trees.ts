/**
 * Moving freshly generated trees from a staging folder into place, all or
 * nothing (the last step of a generation that writes).
 *
 * A rename is atomic, several renames in a row are not. So the swap goes in
 * phases, and any failure is rolled back:
 *   1. every live tree is moved aside into a `.gen-old-*` folder next to them,
 *   2. every new tree is moved from the staging folder into place,
 *   3. only then is the `.gen-old-*` folder removed.
 * On a failure in 1 or 2 the new trees that already moved go back to the
 * staging folder and the old ones back into place, in reverse order, and the
 * error names the step. Should the rollback itself fail (or the process die
 * part-way), the previous trees are still in `.gen-old-*`, and the error
 * says where.
 */
import { existsSync, mkdirSync, mkdtempSync, renameSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { GenStepError } from './gen-error.js';

/** Options of {@link swapTrees}. */
export interface SwapOptions {
  /** `fs.renameSync` unless a test passes another (to fail at a chosen point). */
  readonly rename?: ((from: string, to: string) => void) | undefined;
}

/**
 * Moves `names` (paths relative to both folders, e.g. `test/gen`) from
 * `stage` into `out`, replacing what is there, all or nothing. Throws a
 * `GenStepError` of step "swap"; after it, `out` holds the trees it held
 * before (unless the message says the rollback failed too).
 */
export function swapTrees(stage: string, out: string, names: readonly string[], { rename = renameSync }: SwapOptions = {}): void {
  const trash = mkdtempSync(join(out, '.gen-old-'));
  /** Names whose live tree is in `trash`. */
  const asideDone: string[] = [];
  /** Names whose new tree is live. */
  const inDone: string[] = [];
  try {
    for (const name of names) {
      const live = join(out, name);
      if (!existsSync(live)) continue;
      mkdirSync(dirname(join(trash, name)), { recursive: true });
      rename(live, join(trash, name));
      asideDone.push(name);
    }
    for (const name of names) {
      const live = join(out, name);
      mkdirSync(dirname(live), { recursive: true });
      rename(join(stage, name), live);
      inDone.push(name);
    }
  } catch (err) {
    const reason = err instanceof Error ? err.message : String(err);
    const stuck = rollBack(stage, out, trash, asideDone, inDone);
    if (stuck.length > 0) {
      throw new GenStepError('swap', `${reason}; the rollback failed too (${stuck.join('; ')}): the previous trees are in ${trash}`);
    }
    rmSync(trash, { recursive: true, force: true });
    throw new GenStepError('swap', `${reason} (rolled back: nothing was replaced)`);
  }
  rmSync(trash, { recursive: true, force: true });
}

/** Undoes the moves done so far; returns what could not be undone. */
function rollBack(stage: string, out: string, trash: string, asideDone: readonly string[], inDone: readonly string[]): string[] {
  const stuck: string[] = [];
  for (const name of [...inDone].reverse()) {
    try {
      renameSync(join(out, name), join(stage, name));
    } catch (err) {
      stuck.push(`${name}: ${err instanceof Error ? err.message : String(err)}`);
    }
  }
  for (const name of [...asideDone].reverse()) {
    try {
      mkdirSync(dirname(join(out, name)), { recursive: true });
      renameSync(join(trash, name), join(out, name));
    } catch (err) {
      stuck.push(`${name}: ${err instanceof Error ? err.message : String(err)}`);
    }
  }
  return stuck;
}
