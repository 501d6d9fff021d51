// Builds the tools package into tools/dist: the Node entries (the emulator's
// loader, the workflow, the CLI commands) with every package external — the
// library included, so the tools run on the installed vision-kit — and the
// emulator's demo page for browsers into dist/web (its script bundles the
// library's browser entry from source). Declarations go to dist/types.

import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { NODE_BUNDLE } from '../../scripts/esbuild-node.mjs';

const tools = join(fileURLToPath(new URL('.', import.meta.url)), '..');
const root = join(tools, '..');
const pkg = JSON.parse(readFileSync(join(tools, 'package.json'), 'utf8'));
const define = { __VISION_KIT_VERSION__: JSON.stringify(pkg.version) };

const t0 = performance.now();
for (const part of ['chunks', 'web', 'types']) rmSync(join(tools, 'dist', part), { recursive: true, force: true });
await Promise.all([
  build({
    absWorkingDir: tools,
    ...NODE_BUNDLE,
    entryPoints: { index: 'src/index.ts', workflow: 'src/workflow/index.ts', cli: 'src/cli/main.ts' },
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
const tsc = spawnSync(process.execPath, [join(root, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', 'tsconfig.build.json'], {
  cwd: tools,
  encoding: 'utf8',
});
if (tsc.status !== 0) {
  process.stderr.write(
    `build: warning: tools declaration emit reported errors (run npm run typecheck)\n${(tsc.stdout ?? '').slice(0, 2000)}`,
  );
}
process.stderr.write(`build: tools/dist/ in ${Math.round(performance.now() - t0)} ms\n`);
