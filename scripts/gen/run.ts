/**
 * `npm run gen`: regenerates proto/, gen/ and test/gen/ (vision.ts) into a
 * staging folder beside them, then swaps the trees in all or nothing, so a
 * failing step never leaves a half-written tree, nor a new proto/ next to
 * an old gen/, behind. VISION_KIT_GEN_OUT names another folder to write
 * them into (the pipeline's own tests use it so they never touch the
 * working tree).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { swapTrees } from '../../tools/src/gen/swap-trees.js';
import { generateVision, OUTPUTS, optionsFromEnv, ROOT } from './vision.js';

const out = process.env.VISION_KIT_GEN_OUT ?? ROOT;
const t0 = performance.now();
const stage = mkdtempSync(join(out, '.gen-stage-'));
try {
  const timings = await generateVision(stage, optionsFromEnv());
  swapTrees(stage, out, OUTPUTS);
  const total = Math.round(performance.now() - t0);
  const steps = Object.entries(timings)
    .map(([k, v]) => `${k} ${v} ms`)
    .join(', ');
  process.stderr.write(`gen: wrote proto/ and gen/ in ${total} ms (${steps})\n`);
} catch (err) {
  process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
  process.exitCode = 1;
} finally {
  rmSync(stage, { recursive: true, force: true });
}
