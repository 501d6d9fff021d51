// `npm run build` (also `prepare`, so `npm ci` runs it): bundles the library
// into dist/ and writes its type declarations into dist/types, then builds
// the tools package (tools/scripts/build.mjs) against it.
//
// One esbuild run with code splitting over every entry of the package's
// `exports` (the Node and browser entries, the subpaths, the CLI, and each
// generated module under dist/gen/) so that each module exists once in dist/:
// `vision-kit` and `vision-kit/gen/…` imported side by side share their
// code and their state (the schema registry). Dependencies stay external.
// No source maps: the package ships the JavaScript that runs, readable.
// esbuild only; type checking is `npm run typecheck`.
import { build } from 'esbuild';
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync, rmSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(fileURLToPath(new URL('.', import.meta.url)), '..');
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));

/** The package's entries (see `exports` in package.json), by output name. */
export const LIBRARY_ENTRIES = {
  index: 'src/index.ts',
  browser: 'src/browser.ts',
  grpc: 'src/grpc.ts',
  codec: 'src/codec.ts',
  transcoding: 'src/transcoding.ts',
  serving: 'src/serving.ts',
  testing: 'src/testing.ts',
  cli: 'src/cli/run.ts',
};

function generatedModules(dir) {
  return readdirSync(join(root, dir), { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? generatedModules(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : [],
  );
}

const t0 = performance.now();
// Chunks carry content hashes: drop the previous build so they do not pile up.
for (const part of ['chunks', 'gen', 'types']) rmSync(join(root, 'dist', part), { recursive: true, force: true });
const entryPoints = { ...LIBRARY_ENTRIES };
for (const file of generatedModules('gen')) entryPoints[relative(root, file).replace(/\.ts$/, '')] = file;
await build({
  absWorkingDir: root,
  entryPoints,
  outdir: 'dist',
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  packages: 'external',
  define: { __VISION_KIT_VERSION__: JSON.stringify(pkg.version) },
  logLevel: 'warning',
  chunkNames: 'chunks/[name]-[hash]',
});
// Type declarations for the package's `exports` (dist/types). Type errors are
// `npm run typecheck`'s business; here they only warn, so an install never fails.
const tsc = spawnSync(process.execPath, [join(root, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', 'tsconfig.build.json'], {
  cwd: root,
  encoding: 'utf8',
});
if (tsc.status !== 0) {
  process.stderr.write(`build: warning: declaration emit reported errors (run npm run typecheck)\n${(tsc.stdout ?? '').slice(0, 2000)}`);
}
process.stderr.write(`build: dist/ in ${Math.round(performance.now() - t0)} ms\n`);
