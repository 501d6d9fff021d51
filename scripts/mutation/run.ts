/**
 * `npm run test:mutation -- <module> [<module> …] [--force]`: mutation
 * testing with StrykerJS, one core module at a time, each against the fast
 * tests that cover it (`modules.ts`). `--all` runs every module in turn,
 * `--list` prints the names; `--render` rewrites MUTATION.md from
 * results.json without running anything (after editing `equivalent.ts`). `--lines 140-210` mutates only those lines (a
 * quick check while writing tests; its figures are not recorded).
 *
 * - One worker (`concurrency: 1`): the machines this runs on have two cores.
 * - Two passes per module (see `runModule`): mutants reached by tests, then
 *   the few reached only while the test files load.
 * - Incremental: each module keeps Stryker's incremental files in
 *   `.mutation/<module>.*incremental.json` (git-ignored, a cache): a rerun
 *   tests only the mutants whose code or covering tests changed. `--force`
 *   reruns them all.
 * - Each run records its figures in `scripts/mutation/results.json` and
 *   rewrites the generated part of MUTATION.md (see `summary.ts` for what is
 *   counted how).
 * Not part of `npm test` or CI: a module takes minutes.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { MutantResult, PartialStrykerOptions } from '@stryker-mutator/api/core';
import { Stryker } from '@stryker-mutator/core';
import { MUTATION_MODULES, moduleNames } from './modules.js';
import { type MutationResults, renderResults, spliceResults, summarise } from './summary.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const RESULTS = path.join(ROOT, 'scripts/mutation/results.json');
const MARKDOWN = path.join(ROOT, 'MUTATION.md');
const CACHE = path.join(ROOT, '.mutation');

function usage(): string {
  return `usage: npm run test:mutation -- <module>... [--force] [--lines FROM-TO] | --all [--force] | --list | --render\nmodules: ${moduleNames().join(', ')}`;
}

function git(...args: string[]): string {
  return execFileSync('git', args, { cwd: ROOT, encoding: 'utf8' }).trim();
}

function commitLabel(): string {
  const head = git('rev-parse', '--short', 'HEAD');
  const dirty = git('status', '--porcelain', '--', 'src', 'test') !== '';
  return dirty ? `${head}+` : head;
}

interface PassOptions {
  readonly force: boolean;
  /** Stryker `mutate` entries (the module, or ranges of it). */
  readonly mutate: readonly string[];
  /** True for the first pass; false for the pass over the static mutants. */
  readonly ignoreStatic: boolean;
  /** Names the incremental file of the pass. */
  readonly pass: 'runtime' | 'static';
  /** A part of the module (`--lines`): no incremental file, so the module's own stays whole. */
  readonly partial: boolean;
}

function strykerOptions(name: string, o: PassOptions): PartialStrykerOptions {
  const mod = MUTATION_MODULES[name]!;
  const slug = name.replace(/\//g, '.');
  return {
    mutate: [...o.mutate],
    mocha12: { spec: [...mod.tests] },
    testRunner: 'mocha12',
    plugins: [path.join(ROOT, 'scripts/mutation/mocha-runner.ts')],
    testRunnerNodeArgs: ['--import', 'tsx', '--conditions=vision-kit-source'],
    coverageAnalysis: 'perTest',
    ignoreStatic: o.ignoreStatic,
    concurrency: 1,
    // The static pass runs in full each time: Stryker's incremental mode keeps
    // a static mutant's last result even when new tests would kill it (it
    // has no per-test coverage to notice them), and there are few of them.
    incremental: o.pass === 'runtime' && !o.partial,
    incrementalFile: path.join(CACHE, o.pass === 'runtime' ? `${slug}.incremental.json` : `${slug}.static.incremental.json`),
    force: o.force,
    reporters: ['clear-text', 'progress-append-only'],
    clearTextReporter: { allowColor: false, logTests: false, reportMutants: true, reportScoreTable: true },
    tempDirName: '.stryker-tmp',
    // Only what the tests load goes into Stryker's sandbox. No tsconfig: Stryker
    // would rewrite it with TypeScript's JS API, which TypeScript 7 no longer has
    // (tsx needs none of its settings).
    ignorePatterns: [
      '/dist',
      '/tools',
      '/samples',
      '/scripts',
      '/.mutation',
      '/proto',
      '*.md',
      '/test/soak',
      '/test/packaging',
      '/tsconfig*.json',
    ],
    timeoutMS: 3000,
    timeoutFactor: 1.5,
    warnings: { slow: false, unknownOptions: true, preprocessorErrors: true, unserializableOptions: true },
  };
}

/** A Stryker `mutate` range covering exactly one mutant (Stryker's columns there count from 0). */
function rangeOf(source: string, m: MutantResult): string {
  const { start, end } = m.location;
  return `${source}:${start.line}:${start.column - 1}-${end.line}:${end.column - 1}`;
}

function sameMutant(a: MutantResult, b: MutantResult): boolean {
  return (
    a.mutatorName === b.mutatorName &&
    a.replacement === b.replacement &&
    a.location.start.line === b.location.start.line &&
    a.location.start.column === b.location.start.column &&
    a.location.end.line === b.location.end.line &&
    a.location.end.column === b.location.end.column
  );
}

/**
 * Runs one module in two passes. The first activates each mutant only while
 * the tests that reach it run, in one worker that loads the test files once;
 * Stryker sets aside ("Ignored") the mutants reached only while the files
 * load (module-level constants). The second pass runs just those, each in a
 * fresh worker with the mutant active from the start, against every test of
 * the module. A mutant reached both at load time and by a test is judged by
 * the first pass alone: what it changes at load time is not looked at.
 */
async function runModule(name: string, force: boolean, lines: string | undefined, results: MutationResults): Promise<void> {
  const mod = MUTATION_MODULES[name]!;
  for (const file of [mod.source, ...mod.tests]) {
    if (!existsSync(path.join(ROOT, file))) throw new Error(`${name}: ${file} does not exist (scripts/mutation/modules.ts)`);
  }
  const commit = commitLabel();
  const mutate = [lines === undefined ? mod.source : `${mod.source}:${lines}`];
  const all = await new Stryker(
    strykerOptions(name, { force, mutate, ignoreStatic: true, pass: 'runtime', partial: lines !== undefined }),
  ).runMutationTest();
  const ignored = all.filter((m) => m.status === 'Ignored');
  if (ignored.length > 0) {
    console.log(`${name}: ${ignored.length} mutant(s) reached only while the test files load; running each in a fresh worker`);
    const staticMutate = ignored.map((m) => rangeOf(mod.source, m));
    const again = await new Stryker(
      strykerOptions(name, { force, mutate: staticMutate, ignoreStatic: false, pass: 'static', partial: lines !== undefined }),
    ).runMutationTest();
    for (let i = 0; i < all.length; i++) {
      if (all[i]!.status !== 'Ignored') continue;
      const found = again.find((m) => sameMutant(m, all[i]!));
      if (found) all[i] = found;
    }
  }
  if (lines !== undefined) return; // a part of the module: nothing to record
  const own = all.filter((m) => path.resolve(ROOT, m.fileName) === path.join(ROOT, mod.source));
  const sourceText = readFileSync(path.join(ROOT, mod.source), 'utf8');
  const date = new Date().toISOString().slice(0, 10);
  results[name] = summarise(mod.source, sourceText, mod.tests, own, date, commit);
  const r = results[name]!;
  console.log(
    `${name}: score ${r.score} % (killed ${r.killed}, static not run ${r.staticSkipped}, test timeouts ${r.testTimeouts}, hangs ${r.hangs}, survived ${r.survived}, no coverage ${r.noCoverage}, errors ${r.errors})`,
  );
}

async function main(argv: string[]): Promise<number> {
  const force = argv.includes('--force');
  const linesAt = argv.indexOf('--lines');
  const lines = linesAt >= 0 ? argv[linesAt + 1] : undefined;
  if (linesAt >= 0 && !/^\d+-\d+$/.test(lines ?? '')) {
    console.error('--lines takes a line range, e.g. --lines 140-210');
    return 2;
  }
  const rest = argv.filter((a, i) => a !== '--force' && (linesAt < 0 || (i !== linesAt && i !== linesAt + 1)));
  if (rest.includes('--render')) {
    // After a change to equivalent.ts: MUTATION.md again from results.json, nothing run.
    const saved: MutationResults = JSON.parse(readFileSync(RESULTS, 'utf8'));
    writeFileSync(MARKDOWN, spliceResults(readFileSync(MARKDOWN, 'utf8'), renderResults(saved, moduleNames())));
    return 0;
  }
  if (rest.includes('--list')) {
    console.log(moduleNames().join('\n'));
    return 0;
  }
  const names = rest.includes('--all') ? moduleNames() : rest;
  const unknown = names.filter((n) => !Object.hasOwn(MUTATION_MODULES, n));
  if (names.length === 0 || unknown.length > 0) {
    if (unknown.length > 0) console.error(`unknown module: ${unknown.join(', ')}`);
    console.error(usage());
    return 2;
  }
  mkdirSync(CACHE, { recursive: true });
  const results: MutationResults = existsSync(RESULTS) ? JSON.parse(readFileSync(RESULTS, 'utf8')) : {};
  for (const name of names) {
    await runModule(name, force, lines, results);
    if (lines !== undefined) continue;
    writeFileSync(RESULTS, `${JSON.stringify(results, null, 2)}\n`);
    writeFileSync(MARKDOWN, spliceResults(readFileSync(MARKDOWN, 'utf8'), renderResults(results, moduleNames())));
  }
  return 0;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(err instanceof Error ? err.message : err);
    process.exit(1);
  },
);
