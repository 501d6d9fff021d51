// `npm run build` (also `prepare`, so `npm ci` runs it): bundles the CLI and
// the Node entry for Node, the browser entry for browsers, and the emulator's
// demo page (src/demo: its script, built from the browser entry, plus
// index.html and favicon.svg) into dist/web, which the emulator serves at `/`.
// esbuild only; type checking is `npm run typecheck`.
import { build } from 'esbuild';
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const define = { __VISION_KIT_VERSION__: JSON.stringify(pkg.version) };

const t0 = performance.now();
// Code-split chunks carry content hashes: drop the previous build's so they do not pile up.
rmSync(join(root, 'dist', 'chunks'), { recursive: true, force: true });
await Promise.all([
  build({
    absWorkingDir: root,
    entryPoints: { cli: 'src/cli/run.ts', index: 'src/index.ts', browser: 'src/browser.ts', workflow: 'src/workflow.ts' },
    outdir: 'dist',
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    packages: 'external',
    sourcemap: true,
    define,
    logLevel: 'warning',
    chunkNames: 'chunks/[name]-[hash]',
  }),
  build({
    absWorkingDir: root,
    entryPoints: { 'vision-kit.browser': 'src/browser.ts', 'vision-kit.demo': 'src/demo/main.ts' },
    outdir: 'dist/web',
    bundle: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    minify: true,
    sourcemap: true,
    define,
    logLevel: 'warning',
  }),
]);
mkdirSync(join(root, 'dist/web'), { recursive: true });
for (const file of ['index.html', 'favicon.svg']) copyFileSync(join(root, 'src/demo', file), join(root, 'dist/web', file));
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
