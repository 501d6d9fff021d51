/**
 * Which build of vision-kit the benchmark measures. By default `npm run
 * bench` bundles `src/index.ts` (with `src/transcoding.ts`) the way `npm run build` does (esbuild, ESM,
 * node20, dependencies external: what `dist/` ships) into
 * node_modules/.cache/vision-kit-bench/, and the measurements import it
 * through VISION_KIT_BENCH_OURS; without that variable (`--source`, or a
 * measurement run on its own) they import the TypeScript sources through
 * tsx, whose keep-names transform costs a few µs per closure-heavy call.
 */

import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { build } from 'esbuild';
import { ROOT } from './process.js';

/** The Node entry of vision-kit, with the transcoding subpath (the transcoding bench calls `transcodeRequest`). */
export type Ours = typeof import('../../../src/index.js') & typeof import('../../../src/transcoding.js');

/** What the bench bundles: the Node entry and the transcoding subpath, as one module. */
const OURS_SOURCE = "export * from './src/index.ts';\nexport * from './src/transcoding.ts';\n";

/** The environment variable holding the file URL of the bundle to measure. */
export const OURS_ENV = 'VISION_KIT_BENCH_OURS';

/** vision-kit as the measurements call it: the bundle named by {@link OURS_ENV}, else the sources. */
export async function loadOurs(): Promise<Ours> {
  const url = process.env[OURS_ENV];
  if (url) return (await import(url)) as Ours;
  return { ...(await import('../../../src/index.js')), ...(await import('../../../src/transcoding.js')) };
}

/** Where {@link buildOurs} bundles, per process. */
function outDir(): string {
  return join(ROOT, 'node_modules', '.cache', 'vision-kit-bench', String(process.pid));
}

/** Bundles src/index.ts (and src/transcoding.ts) as `npm run build` does and returns its file URL (for {@link OURS_ENV}). */
export async function buildOurs(): Promise<string> {
  const dir = outDir();
  mkdirSync(dir, { recursive: true });
  const outfile = join(dir, 'index.js');
  await build({
    absWorkingDir: ROOT,
    stdin: { contents: OURS_SOURCE, resolveDir: ROOT, sourcefile: 'bench-entry.ts', loader: 'ts' },
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
