/**
 * Which build of vision-kit the benchmark measures. By default `npm run
 * bench` bundles `src/index.ts` the way `npm run build` does (esbuild, ESM,
 * node20, dependencies external: what `dist/` ships) into
 * node_modules/.cache/vision-kit-bench/, and the measurements import it
 * through VISION_KIT_BENCH_OURS; without that variable (`--source`, or a
 * measurement run on its own) they import the TypeScript sources through
 * tsx, whose keep-names transform costs a few µs per closure-heavy call.
 */
import { build } from 'esbuild';
import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { ROOT } from './process.js';

/** The Node entry of vision-kit. */
export type Ours = typeof import('../../../src/index.js');

/** The environment variable holding the file URL of the bundle to measure. */
export const OURS_ENV = 'VISION_KIT_BENCH_OURS';

/** vision-kit as the measurements call it: the bundle named by {@link OURS_ENV}, else the sources. */
export async function loadOurs(): Promise<Ours> {
  const url = process.env[OURS_ENV];
  return url ? ((await import(url)) as Ours) : await import('../../../src/index.js');
}

/** Where {@link buildOurs} bundles, per process. */
function outDir(): string {
  return join(ROOT, 'node_modules', '.cache', 'vision-kit-bench', String(process.pid));
}

/** Bundles src/index.ts as `npm run build` does and returns its file URL (for {@link OURS_ENV}). */
export async function buildOurs(): Promise<string> {
  const dir = outDir();
  mkdirSync(dir, { recursive: true });
  const outfile = join(dir, 'index.js');
  await build({
    absWorkingDir: ROOT,
    entryPoints: ['src/index.ts'],
    outfile,
    bundle: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    packages: 'external',
    define: { __VISION_KIT_VERSION__: '"bench"' },
    logLevel: 'warning',
  });
  return pathToFileURL(outfile).href;
}

/** Removes what {@link buildOurs} wrote. */
export function removeOurs(): void {
  rmSync(outDir(), { recursive: true, force: true });
}
