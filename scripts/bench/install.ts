/**
 * Measurement 6, the installed package: what a user's `npm install` brings
 * and what the first `import` costs. The library is packed (`npm pack` of
 * the built package) and installed with `--omit=dev` in an empty folder, and
 * so is `@google-cloud/vision` 6.1.0 — both by test/support/packed-install.ts
 * (`npm ci --offline` from a lockfile cut out of the repository's, so both
 * sides get the versions this repository installs, from the npm cache).
 *
 * For each: the apparent size of node_modules (`du -sb`: lstat sizes, folders
 * included, links not followed), the packages in it, native or WebAssembly
 * files, the tools package's libraries (sharp, mupdf, …) if any; for ours the
 * tarball's packed and unpacked size and any file in it users do not run or
 * type-check against. Cold import: fresh `node` processes in the install
 * folder, each timing `await import(…)` with performance.now() inside the
 * process; ours and theirs interleaved, the median of 7 each.
 *
 * A smoke run reuses the packed install of the test run when there is one
 * (VISION_KIT_PACKED_INSTALLS) and imports once each.
 */
import { execFileSync, spawn } from 'node:child_process';
import { join } from 'node:path';
import {
  type InstallMode,
  inspectNodeModules,
  installedEnv,
  installInEmptyFolder,
  packedInstall,
  temporaryFolder,
  unshippableFiles,
} from '../../test/support/packed-install.js';
import { ROOT } from './support/process.js';
import { median, round } from './support/stats.js';

/** The official package measured against. */
export const OFFICIAL_PACKAGE = { name: '@google-cloud/vision', version: '6.1.0' } as const;

/** Fresh processes per side for the cold-import median (one in a smoke run). */
export const IMPORT_RUNS = 7;

/** One side's install, as measured. */
export interface InstalledSide {
  /** Wall time of `npm ci` in the empty folder, ms. */
  readonly installMs: number;
  /** Whether npm found everything in its cache (`offline`) or had to go online for some (`prefer-offline`). */
  readonly mode: InstallMode;
  /** Apparent size of node_modules, bytes. */
  readonly nodeModulesBytes: number;
  /** Installed packages (nested copies each counted). */
  readonly packages: number;
  /** Native addons, shared libraries and WebAssembly files in node_modules. */
  readonly nativeFiles: readonly string[];
  /** The tools package's libraries found in node_modules (sharp, @img/*, mupdf, @google-cloud/storage, csv-parse, cli-progress). */
  readonly forbiddenPackages: readonly string[];
  /** Median cold import, ms. */
  readonly importMs: number;
  /** Every cold import, ms, in run order. */
  readonly importRunsMs: readonly number[];
}

/**
 * The pre-split library (commit c014ddc, the last before the repository was
 * split into vision-kit and vision-kit-tools), packed and installed with
 * `--omit=dev` once and measured by this module's code
 * (scripts/bench/install-baseline.ts), with the library of the day in the
 * same interleaved runs.
 */
export interface PreSplitBaseline {
  readonly commit: string;
  readonly date: string;
  readonly node: string;
  readonly nodeModulesBytes: number;
  readonly packages: number;
  readonly packedBytes: number;
  readonly unpackedBytes: number;
  readonly importMs: number;
  readonly importRunsMs: readonly number[];
  /** The split library (commit `splitCommit`), measured in the same runs. */
  readonly splitImportMs: number;
  readonly splitImportRunsMs: readonly number[];
  readonly splitCommit: string;
}

/** The recorded baseline (see {@link PreSplitBaseline}). */
export const PRE_SPLIT_BASELINE: PreSplitBaseline = {
  commit: 'c014ddc',
  date: '2026-12-07',
  node: 'v20.20.2',
  nodeModulesBytes: 75174506,
  packages: 146,
  packedBytes: 1281555,
  unpackedBytes: 6057997,
  importMs: 130.32,
  importRunsMs: [130.41, 130.32, 129.75, 129.22, 129.5, 130.66, 130.51],
  splitImportMs: 131.52,
  splitImportRunsMs: [131.72, 130.57, 131.36, 135.3, 132.88, 131.51, 131.52],
  splitCommit: 'b2adc2c',
};

/** The result of {@link measureInstall}. */
export interface InstallMeasurement {
  readonly npm: string;
  readonly importRuns: number;
  readonly ours: InstalledSide & {
    readonly packedBytes: number;
    readonly unpackedBytes: number;
    readonly files: number;
    /** Files in the tarball users neither run nor type-check against (should be none). */
    readonly unshippableFiles: readonly string[];
  };
  readonly official: InstalledSide & { readonly package: string };
  /** ours / official, node_modules bytes. */
  readonly ratio: number;
  readonly goal: string;
  readonly met: boolean;
  /** No native file, no tools library in our install and nothing unshippable in the tarball. */
  readonly clean: boolean;
  readonly baseline: PreSplitBaseline;
  /** ours / pre-split, median cold import (0 without a baseline). */
  readonly importVsBaseline: number;
  readonly importGoal: string;
  readonly importMet: boolean;
}

/** One cold import: a fresh `node` in `dir` timing `await import(specifier)` inside itself; ms. */
export function importOnce(dir: string, specifier: string): Promise<number> {
  const code = `const t0 = performance.now(); await import(${JSON.stringify(specifier)}); process.stdout.write(String(performance.now() - t0));`;
  const child = spawn(process.execPath, ['--input-type=module', '-e', code], {
    cwd: dir,
    env: installedEnv(),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (c: Buffer) => (stdout += c.toString('utf8')));
  child.stderr.on('data', (c: Buffer) => (stderr += c.toString('utf8')));
  const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (code) => {
      clearTimeout(timer);
      const ms = Number.parseFloat(stdout);
      if (code === 0 && Number.isFinite(ms)) resolve(ms);
      else reject(new Error(`import('${specifier}') in ${dir} exited with ${String(code)}: ${stderr.slice(-2000)}`));
    });
  });
}

/** `runs` cold imports of each side, interleaved (a round imports every side once); ms per side, in run order. */
export async function importTimes(
  sides: readonly { readonly dir: string; readonly specifier: string }[],
  runs: number,
): Promise<number[][]> {
  const times: number[][] = sides.map(() => []);
  for (let round = 0; round < runs; round++) {
    for (const [i, side] of sides.entries()) times[i]!.push(round2(await importOnce(side.dir, side.specifier)));
  }
  return times;
}

const round2 = (x: number): number => round(x, 2);

/** Runs measurement 6. */
export async function measureInstall(options: {
  readonly smoke: boolean;
  readonly log: (line: string) => void;
}): Promise<InstallMeasurement> {
  const runs = options.smoke ? 1 : IMPORT_RUNS;
  const ours = await packedInstall('library');
  options.log(`install: ours in ${ours.dir} (${ours.mode}, ${ours.installMs} ms)`);
  const official = await installInEmptyFolder({
    dir: temporaryFolder('official'),
    lockfile: join(ROOT, 'package-lock.json'),
    packages: { [OFFICIAL_PACKAGE.name]: OFFICIAL_PACKAGE.version },
    omitDev: true,
  });
  options.log(`install: ${OFFICIAL_PACKAGE.name} in ${official.dir} (${official.mode}, ${official.ms} ms)`);
  const [oursImports, officialImports] = await importTimes(
    [
      { dir: ours.dir, specifier: ours.library.name },
      { dir: official.dir, specifier: OFFICIAL_PACKAGE.name },
    ],
    runs,
  );
  const side = (dir: string, mode: InstallMode, installMs: number, imports: readonly number[]): InstalledSide => {
    const facts = inspectNodeModules(dir);
    return {
      installMs,
      mode,
      nodeModulesBytes: facts.bytes,
      packages: facts.packages.length,
      nativeFiles: facts.nativeFiles,
      forbiddenPackages: facts.forbiddenPackages,
      importMs: round2(median(imports)),
      importRunsMs: imports,
    };
  };
  const oursSide = side(ours.dir, ours.mode, ours.installMs, oursImports ?? []);
  const officialSide = side(official.dir, official.mode, official.ms, officialImports ?? []);
  const unshippable = unshippableFiles(ours.library.files);
  const baseline = PRE_SPLIT_BASELINE;
  const importVsBaseline = baseline.importMs > 0 ? round(oursSide.importMs / baseline.importMs, 3) : 0;
  return {
    npm: execFileSync('npm', ['--version'], { encoding: 'utf8' }).trim(),
    importRuns: runs,
    ours: {
      ...oursSide,
      packedBytes: ours.library.packedBytes,
      unpackedBytes: ours.library.unpackedBytes,
      files: ours.library.files.length,
      unshippableFiles: unshippable,
    },
    official: { ...officialSide, package: `${OFFICIAL_PACKAGE.name}@${OFFICIAL_PACKAGE.version}` },
    ratio: round(oursSide.nodeModulesBytes / officialSide.nodeModulesBytes, 3),
    goal: 'ours ≤ 0.75 × official, node_modules apparent bytes',
    met: oursSide.nodeModulesBytes <= 0.75 * officialSide.nodeModulesBytes,
    clean: oursSide.nativeFiles.length === 0 && oursSide.forbiddenPackages.length === 0 && unshippable.length === 0,
    baseline,
    importVsBaseline,
    importGoal: `ours ≤ 1.10 × the pre-split library (${baseline.commit}), median cold import`,
    importMet: importVsBaseline > 0 && importVsBaseline <= 1.1,
  };
}
