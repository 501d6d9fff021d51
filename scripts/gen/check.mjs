// `npm run gen:check`: regenerate into a temporary folder and fail when
// proto/ or gen/ differ from it (the repository is its own golden file).
import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { OUTPUTS, ROOT, generate, readText } from './pipeline.mjs';

function listFiles(dir) {
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

/** Compares two trees; returns lines `added|removed|changed <path>`. */
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

const stage = mkdtempSync(join(tmpdir(), 'vision-kit-gen-check-'));
try {
  await generate(stage);
  const lines = OUTPUTS.flatMap((name) => diffTrees(join(stage, name), join(ROOT, name), name));
  if (lines.length > 0) {
    process.stderr.write(
      `gen:check: proto/ or gen/ differ from a fresh \`npm run gen\` (${lines.length} files); run npm run gen and commit:\n` +
        lines.slice(0, 40).map((l) => `  ${l}\n`).join('') +
        (lines.length > 40 ? `  … and ${lines.length - 40} more\n` : ''),
    );
    process.exitCode = 1;
  } else {
    process.stderr.write('gen:check: proto/ and gen/ are up to date\n');
  }
} catch (err) {
  process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
  process.exitCode = 1;
} finally {
  rmSync(stage, { recursive: true, force: true });
}
