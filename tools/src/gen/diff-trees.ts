/** Comparing a freshly generated tree with one on disk (the generator's check mode, `npm run gen:check`). */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';

/** Every file below `dir` (paths relative to it with `/` separators, sorted); none when `dir` does not exist. */
export function listFiles(dir: string): string[] {
  const out: string[] = [];
  const visit = (d: string): void => {
    let entries: string[];
    try {
      entries = readdirSync(d);
    } catch {
      return;
    }
    for (const e of entries) {
      const p = join(d, e);
      if (statSync(p).isDirectory()) visit(p);
      else out.push(relative(dir, p).split(sep).join('/'));
    }
  };
  visit(dir);
  return out.sort();
}

/** A file's text, or undefined when it cannot be read. */
export function readText(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
}

/**
 * Compares the generated tree `expectedDir` with `actualDir`; returns one
 * line per differing file, `changed|missing|extra  <label>/<path>`
 * (missing: generation produces it, the tree lacks it; extra: the reverse).
 */
export function diffTrees(expectedDir: string, actualDir: string, label: string): string[] {
  const expected = listFiles(expectedDir);
  const actual = new Set(listFiles(actualDir));
  const lines: string[] = [];
  for (const f of expected) {
    if (!actual.has(f)) lines.push(`missing  ${label}/${f} (generation produces it)`);
    else if (readText(join(expectedDir, f)) !== readText(join(actualDir, f))) lines.push(`changed  ${label}/${f}`);
    actual.delete(f);
  }
  for (const f of actual) lines.push(`extra    ${label}/${f} (generation does not produce it)`);
  return lines;
}
