// Comparing a freshly generated tree with a committed one (`npm run gen:check`).
import { readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { readText } from './pipeline.mjs';

/** Every file below `dir` (relative paths, sorted); none when `dir` does not exist. */
export function listFiles(dir) {
  const out = [];
  const visit = (d) => {
    let entries;
    try {
      entries = readdirSync(d);
    } catch {
      return;
    }
    for (const e of entries) {
      const p = join(d, e);
      if (statSync(p).isDirectory()) visit(p);
      else out.push(relative(dir, p));
    }
  };
  visit(dir);
  return out.sort();
}

/**
 * Compares the generated tree `expectedDir` with the committed `actualDir`;
 * returns one line per differing file, `changed|missing|extra  <label>/<path>`
 * (missing: generation produces it, the tree lacks it; extra: the reverse).
 */
export function diffTrees(expectedDir, actualDir, label) {
  const expected = listFiles(expectedDir);
  const actual = new Set(listFiles(actualDir));
  const lines = [];
  for (const f of expected) {
    if (!actual.has(f)) lines.push(`missing  ${label}/${f} (generation produces it)`);
    else if (readText(join(expectedDir, f)) !== readText(join(actualDir, f))) lines.push(`changed  ${label}/${f}`);
    actual.delete(f);
  }
  for (const f of actual) lines.push(`extra    ${label}/${f} (generation does not produce it)`);
  return lines;
}
