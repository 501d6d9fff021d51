// The library's JavaScript bundles: one esbuild run with code splitting over
// the entries of the package's `exports` (see scripts/build.mjs for why). The
// build writes them into dist/; the browser-app measurements (the bench's
// measurement 1 and test/client/browser-bundle.test.ts) write the same
// bundles into a scratch package, so the apps they measure are built from
// what the package ships, as a user's bundler sees it.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { NODE_BUNDLE } from './build-support.mjs';

const root = join(fileURLToPath(new URL('.', import.meta.url)), '..');

/** The package's entries (see `exports` in package.json), by output name. */
export const LIBRARY_ENTRIES = Object.freeze({
  index: 'src/index.ts',
  browser: 'src/browser.ts',
  grpc: 'src/grpc.ts',
  codec: 'src/codec.ts',
  transcoding: 'src/transcoding.ts',
  serving: 'src/serving.ts',
  testing: 'src/testing.ts',
  cli: 'src/cli.ts',
  // The `vision-kit` command's process entry (bin/vision-kit.js runs it).
  'vision-kit': 'src/cli/run.ts',
});

/** Bundles the entries into `outdir` (dist/ or a scratch package's dist/): their files and dist/chunks. */
export async function bundleLibrary(outdir) {
  const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
  await build({
    absWorkingDir: root,
    ...NODE_BUNDLE,
    entryPoints: LIBRARY_ENTRIES,
    outdir,
    define: { __VISION_KIT_VERSION__: JSON.stringify(pkg.version) },
  });
}
