// `npm run build` (also `prepare`, so `npm ci` runs it): bundles the CLI and
// the Node entry for Node, and the browser entry for browsers (the emulator's
// demo page serves it). esbuild only; type checking is `npm run typecheck`.
import { build } from 'esbuild';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const define = { __VISION_KIT_VERSION__: JSON.stringify(pkg.version) };

const t0 = performance.now();
await Promise.all([
  build({
    absWorkingDir: root,
    entryPoints: { cli: 'src/cli/run.ts', index: 'src/index.ts', browser: 'src/browser.ts' },
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
    entryPoints: { 'vision-kit.browser': 'src/browser.ts' },
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
process.stderr.write(`build: dist/ in ${Math.round(performance.now() - t0)} ms\n`);
