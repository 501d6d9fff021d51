// `npm run gen`: regenerate proto/ and gen/ from the pinned protos.
// Generates into a staging folder beside them, then swaps both folders in, so
// a failing step never leaves a half-written proto/ or gen/ behind.
import { existsSync, mkdirSync, mkdtempSync, renameSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { OUTPUTS, ROOT, generate } from './pipeline.mjs';

// VISION_KIT_GEN_OUT names another folder to write proto/ and gen/ into (the
// pipeline's own tests use it so they never touch the working tree).
const out = process.env.VISION_KIT_GEN_OUT ?? ROOT;
const t0 = performance.now();
const stage = mkdtempSync(join(out, '.gen-stage-'));
try {
  const timings = await generate(stage);
  const trash = mkdtempSync(join(out, '.gen-old-'));
  for (const name of OUTPUTS) {
    const live = join(out, name);
    const old = join(trash, name);
    mkdirSync(dirname(old), { recursive: true });
    mkdirSync(dirname(live), { recursive: true });
    if (existsSync(live)) renameSync(live, old);
    renameSync(join(stage, name), live);
  }
  rmSync(trash, { recursive: true, force: true });
  const total = Math.round(performance.now() - t0);
  const steps = Object.entries(timings).map(([k, v]) => `${k} ${v} ms`).join(', ');
  process.stderr.write(`gen: wrote proto/ and gen/ in ${total} ms (${steps})\n`);
} catch (err) {
  process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
  process.exitCode = 1;
} finally {
  rmSync(stage, { recursive: true, force: true });
}
