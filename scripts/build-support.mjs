// What both packages' builds share (scripts/build.mjs, tools/scripts/build.mjs):
// the esbuild options of their Node entries, and the declaration step.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(fileURLToPath(new URL('.', import.meta.url)), '..');

/**
 * esbuild options for a package's Node entries (entries, outdir, define and
 * working folder are the caller's): ESM for Node 20, code splitting into
 * dist/chunks so each module exists once however many entries import it,
 * and every package left external (an installed copy uses the installed
 * dependencies).
 */
export const NODE_BUNDLE = Object.freeze({
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  packages: 'external',
  logLevel: 'warning',
  chunkNames: 'chunks/[name]-[hash]',
});

/**
 * Writes the type declarations of the tsc project `project` (run in `cwd`).
 * Type errors are `npm run typecheck`'s business: here they only warn, so
 * an install never fails.
 */
export function emitDeclarations(project, cwd, label) {
  const tsc = spawnSync(process.execPath, [join(root, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', project], {
    cwd,
    encoding: 'utf8',
  });
  if (tsc.status !== 0) {
    process.stderr.write(
      `build: warning: ${label} declaration emit reported errors (run npm run typecheck)\n${(tsc.stdout ?? '').slice(0, 2000)}`,
    );
  }
}
