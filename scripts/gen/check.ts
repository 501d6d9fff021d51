/**
 * `npm run gen:check`: regenerates into a temporary folder and fails when
 * proto/, gen/ or test/gen/ differ from it (the repository is its own golden
 * file). VISION_KIT_GEN_OUT names another tree to check instead of the
 * repository (the pipeline's tests check doctored copies with it).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { diffTrees } from '../../tools/src/gen/diff-trees.js';
import { generateVision, OUTPUTS, optionsFromEnv, ROOT } from './vision.js';

const tree = process.env.VISION_KIT_GEN_OUT ?? ROOT;
const stage = mkdtempSync(join(tmpdir(), 'vision-kit-gen-check-'));
try {
  await generateVision(stage, optionsFromEnv());
  const lines = OUTPUTS.flatMap((name) => diffTrees(join(stage, name), join(tree, name), name));
  if (lines.length > 0) {
    process.stderr.write(
      `gen:check: proto/ or gen/ differ from a fresh \`npm run gen\` (${lines.length} files); run npm run gen and commit:\n` +
        lines
          .slice(0, 40)
          .map((l) => `  ${l}\n`)
          .join('') +
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
