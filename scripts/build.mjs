// The library's build: bundles it into dist/ and writes its type
// declarations into dist/types. `npm run build` (also `prepare`, so
// `npm ci` runs it) runs this, then the tools package's build
// (tools/scripts/build.mjs), which uses these declarations.
//
// One esbuild run with code splitting over the entries of the package's
// `exports` (the Node and browser entries, the subpaths) and the CLI, so
// that each module of src/ exists once in dist/: `vision-kit` and
// `vision-kit/codec` imported side by side share their code and state.
// Dependencies stay external. The generated modules that the bundles use
// are inside the bundles; `vision-kit/gen/….js` is a second, file-per-module
// copy of the generated code (dist/gen/), because making each generated
// module an entry of the split build cut the code into three times as many
// files and made `import('vision-kit')` about 14 % slower. The copies hold
// no state (ts-proto's codecs, enums and the gen-time tables are plain
// values), so two of them cannot disagree. Only the modules reachable from
// the API's own protos are copied: the option protos (descriptor.proto,
// google/api/client.proto, …) matter to the generator only.
// No source maps: the package ships the JavaScript that runs, readable.
// esbuild only; type checking is `npm run typecheck`.

import { readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { emitDeclarations } from './build-support.mjs';
import { bundleLibrary, LIBRARY_ENTRIES } from './library-bundle.mjs';

const root = join(fileURLToPath(new URL('.', import.meta.url)), '..');

/** The generated modules `vision-kit/gen/….js` starts from: the API's protos, google.rpc and the gen-time tables. */
export const GEN_ROOTS = [
  ...readdirSync(join(root, 'gen/google/cloud/vision/v1p4beta1')).map((f) => `gen/google/cloud/vision/v1p4beta1/${f}`),
  'gen/google/longrunning/operations.ts',
  'gen/google/rpc/error_details.ts',
  'gen/google/rpc/status.ts',
  ...readdirSync(join(root, 'gen/schema')).map((f) => `gen/schema/${f}`),
].filter((f) => f.endsWith('.ts'));

/** GEN_ROOTS and every generated module they import, as paths relative to the root. */
async function reachableGenerated() {
  const probe = await build({
    absWorkingDir: root,
    entryPoints: GEN_ROOTS,
    bundle: true,
    write: false,
    metafile: true,
    format: 'esm',
    platform: 'neutral',
    packages: 'external',
    outdir: 'probe',
    logLevel: 'warning',
  });
  return Object.keys(probe.metafile.inputs)
    .filter((f) => f.startsWith('gen/'))
    .sort();
}

const t0 = performance.now();
// Chunks carry content hashes: drop the previous build so they do not pile up.
for (const part of ['chunks', 'gen', 'types']) rmSync(join(root, 'dist', part), { recursive: true, force: true });
const generated = await reachableGenerated();
await Promise.all([
  bundleLibrary(join(root, 'dist')),
  build({
    absWorkingDir: root,
    entryPoints: generated,
    outbase: 'gen',
    outdir: 'dist/gen',
    bundle: false,
    format: 'esm',
    platform: 'neutral',
    target: 'es2022',
    logLevel: 'warning',
  }),
]);
// The declarations of the entries (and everything they use) and of the same generated modules.
writeFileSync(
  join(root, 'dist', '.tsconfig.types.json'),
  JSON.stringify({
    extends: '../tsconfig.build.json',
    files: [...Object.values(LIBRARY_ENTRIES).filter((f) => f !== LIBRARY_ENTRIES['vision-kit']), ...generated].map((f) => `../${f}`),
  }),
);
emitDeclarations(join('dist', '.tsconfig.types.json'), root, 'library');
process.stderr.write(`build: dist/ in ${Math.round(performance.now() - t0)} ms\n`);
