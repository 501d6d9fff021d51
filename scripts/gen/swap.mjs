// The last step of `npm run gen`: moving freshly generated trees (proto/,
// gen/, test/gen/) from the staging folder into place, all or nothing.
//
// A rename is atomic, three renames in a row are not. So the swap goes in
// phases, and any failure is rolled back:
//   1. every live tree is moved aside into a `.gen-old-*` folder next to it,
//   2. every new tree is moved from the staging folder into place,
//   3. only then is the `.gen-old-*` folder removed.
// On a failure in 1 or 2 the new trees that already moved go back to the
// staging folder and the old ones back into place, in reverse order, and the
// error names the step. Should the rollback itself fail (or the process die
// part-way), the previous trees are still in `.gen-old-*` (ignored by git),
// and the error says where.
import { existsSync, mkdirSync, mkdtempSync, renameSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { GenStepError } from './pipeline.mjs';

/**
 * Moves `names` (paths relative to both folders, e.g. `test/gen`) from
 * `stage` into `out`, replacing what is there, all or nothing. `rename` is
 * `fs.renameSync` unless a test passes another (to fail at a chosen point).
 * Throws a `GenStepError` of step "swap"; after it, `out` holds the trees it
 * held before (unless the message says the rollback failed too).
 * @param {string} stage
 * @param {string} out
 * @param {readonly string[]} names
 * @param {{ rename?: (from: string, to: string) => void }} [options]
 */
export function swapTrees(stage, out, names, { rename = renameSync } = {}) {
  const trash = mkdtempSync(join(out, '.gen-old-'));
  /** Names whose live tree is in `trash`. */
  const asideDone = [];
  /** Names whose new tree is live. */
  const inDone = [];
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
function rollBack(stage, out, trash, asideDone, inDone) {
  const stuck = [];
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
