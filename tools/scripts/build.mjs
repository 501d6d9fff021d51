// Builds the tools package into tools/dist: the Node entries (the emulator's
// loader, the workflow, the CLI commands) with every package external — the
// library included, so the tools run on the installed vision-kit — and the
// emulator's demo page for browsers into dist/web (its script bundles the
// library's browser entry from source). Declarations go to dist/types.

import { copyFileSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { emitDeclarations, NODE_BUNDLE } from '../../scripts/build-support.mjs';

const tools = join(fileURLToPath(new URL('.', import.meta.url)), '..');
const pkg = JSON.parse(readFileSync(join(tools, 'package.json'), 'utf8'));
const define = { __VISION_KIT_VERSION__: JSON.stringify(pkg.version) };

const t0 = performance.now();
for (const part of ['chunks', 'web', 'types']) rmSync(join(tools, 'dist', part), { recursive: true, force: true });
await Promise.all([
  build({
    absWorkingDir: tools,
    ...NODE_BUNDLE,
    // pdf-worker: the PDF renderer's worker thread, started by file name (dist/pdf-worker.js).
    entryPoints: {
      index: 'src/index.ts',
      workflow: 'src/workflow/index.ts',
      cli: 'src/cli/main.ts',
      'pdf-worker': 'src/emulator/annotators/pdf-worker.ts',
    },
    outdir: 'dist',
    define,
  }),
  build({
    absWorkingDir: tools,
    entryPoints: { 'vision-kit.demo': 'src/demo/main.ts' },
    outdir: 'dist/web',
    bundle: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    conditions: ['vision-kit-source'],
    minify: true,
    define,
    logLevel: 'warning',
  }),
]);
mkdirSync(join(tools, 'dist/web'), { recursive: true });
for (const file of ['index.html', 'favicon.svg']) copyFileSync(join(tools, 'src/demo', file), join(tools, 'dist/web', file));
emitDeclarations('tsconfig.build.json', tools, 'tools');
process.stderr.write(`build: tools/dist/ in ${Math.round(performance.now() - t0)} ms\n`);
