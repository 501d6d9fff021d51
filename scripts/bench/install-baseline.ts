/**
 * Measures the pre-split library for the install measurement's baseline
 * (PRE_SPLIT_BASELINE in install.ts), once, with the same code: packs a built
 * checkout of the last pre-split commit, installs it with `--omit=dev` in an
 * empty folder from that checkout's lockfile, and times its cold import
 * interleaved with the library of this checkout (7 fresh processes each).
 * Prints the figures as JSON, to be copied into install.ts.
 *
 * Usage (the checkout built by its own `npm ci`):
 *   git worktree add --detach /tmp/vk-pre-split c014ddc
 *   (cd /tmp/vk-pre-split && npm ci --prefer-offline)
 *   node --import tsx scripts/bench/install-baseline.ts /tmp/vk-pre-split
 */
import { execFileSync } from 'node:child_process';
import { resolve } from 'node:path';
import {
  inspectNodeModules,
  installInEmptyFolder,
  packedInstall,
  packPackage,
  temporaryFolder,
} from '../../test/support/packed-install.js';
import { IMPORT_RUNS, importTimes, type PreSplitBaseline } from './install.js';
import { ROOT } from './support/process.js';
import { median, round } from './support/stats.js';

const checkout = process.argv[2];
if (checkout === undefined) {
  process.stderr.write('usage: install-baseline.ts <built checkout of the pre-split commit>\n');
  process.exit(2);
}
const dir = resolve(checkout);
const commit = (cwd: string): string => execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd, encoding: 'utf8' }).trim();
const old = await packPackage({ root: dir, dest: temporaryFolder('pre-split-tarball') });
const installed = await installInEmptyFolder({
  dir: temporaryFolder('pre-split'),
  lockfile: old.lockfile,
  tarballs: [{ tarball: old }],
  omitDev: true,
});
const split = await packedInstall('library');
const facts = inspectNodeModules(installed.dir);
const [oldRuns, splitRuns] = await importTimes(
  [
    { dir: installed.dir, specifier: old.name },
    { dir: split.dir, specifier: split.library.name },
  ],
  IMPORT_RUNS,
);
const baseline: PreSplitBaseline = {
  commit: commit(dir),
  date: new Date().toISOString().slice(0, 10),
  node: process.version,
  nodeModulesBytes: facts.bytes,
  packages: facts.packages.length,
  packedBytes: old.packedBytes,
  unpackedBytes: old.unpackedBytes,
  importMs: round(median(oldRuns ?? []), 2),
  importRunsMs: oldRuns ?? [],
  splitImportMs: round(median(splitRuns ?? []), 2),
  splitImportRunsMs: splitRuns ?? [],
  splitCommit: commit(ROOT),
};
process.stdout.write(`${JSON.stringify(baseline, null, 2)}\n`);
process.stderr.write(`install-baseline: ${installed.mode}, ${facts.packages.length} packages, native files: ${facts.nativeFiles.length}\n`);
