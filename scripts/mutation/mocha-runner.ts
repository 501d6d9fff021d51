/**
 * A StrykerJS test-runner plugin (`testRunner: 'mocha12'`) that runs this
 * repository's mocha tests inside Stryker's worker processes.
 *
 * Not Stryker's own `testFiles` option: with it, Stryker 9.6 hands a static
 * mutant the test file names as its test filter and activates it only after
 * loading, so every static mutant survives.
 *
 * Why not `@stryker-mutator/mocha-runner`: its 9.x releases declare
 * `mocha < 12` as a peer (npm refuses the install) and load mocha's CLI
 * helpers by extensionless `require` paths that mocha 12 renamed to `.cjs`.
 * This runner needs none of them: it takes the test files from its own
 * option `mocha12.spec` (plain paths, the map in `modules.ts`), loads
 * `test/setup.ts` as `.mocharc.json` does, and drives one `Mocha` instance for
 * the dry run and every mutant run, as the upstream runner does:
 * - per-test coverage: a root `beforeEach` names the running test in
 *   `__stryker__.currentTestId` during the dry run and a root `afterEach`
 *   clears it, so code run by a `before` hook or at load time counts as
 *   static (run against every test) instead of being charged to whichever
 *   test ran last;
 * - a mutant run activates `__stryker__.activeMutant` and greps the covering
 *   tests by full title;
 * - files are loaded by `import`, so they cannot be reloaded: see
 *   `capabilities()` for how static mutants are handled.
 * The worker processes load tsx and the `vision-kit-source` condition through
 * Stryker's `testRunnerNodeArgs` (see `run.ts`).
 *
 * A failing test's message starts with the error's name (`AssertionError: …`)
 * or with `mocha timeout:` when the test ran out of its own mocha time, so the
 * summary (`summary.ts`) can tell a kill by an assertion from a kill by a
 * test's own timeout.
 */
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { INSTRUMENTER_CONSTANTS, type InstrumenterContext, type StrykerOptions } from '@stryker-mutator/api/core';
import { commonTokens, declareClassPlugin, PluginKind, tokens } from '@stryker-mutator/api/plugin';
import {
  type DryRunOptions,
  type DryRunResult,
  DryRunStatus,
  determineHitLimitReached,
  type MutantRunOptions,
  type MutantRunResult,
  type TestResult,
  type TestRunner,
  type TestRunnerCapabilities,
  TestStatus,
  toMutantRunResult,
} from '@stryker-mutator/api/test-runner';
import Mocha from 'mocha';

/** This runner's options (`mocha12` in Stryker's options). */
export interface Mocha12Options {
  readonly mocha12: {
    /** The test files to load, relative to the working directory (Stryker's sandbox). */
    readonly spec: readonly string[];
  };
}

/** Modules loaded before the test files (`.mocharc.json` `require`). */
const SETUP_MODULES = ['test/setup.ts'];

/** Test results of the run in progress, filled by {@link StrykerReporter}. */
let collected: TestResult[] = [];

/** The time source captured before a test can replace `Date` (fake clocks). */
const now = Date.now.bind(Date);

/** A mocha reporter that turns test events into Stryker test results. */
class StrykerReporter {
  constructor(runner: Mocha.Runner) {
    let started = now();
    runner.on('start', () => {
      collected = [];
      started = now();
    });
    runner.on('pass', (test: Mocha.Test) => {
      const title = test.fullTitle();
      collected.push({ id: title, name: title, status: TestStatus.Success, timeSpentMs: now() - started, fileName: test.file });
      started = now();
    });
    runner.on('fail', (test: Mocha.Runnable, err: Error & { code?: string }) => {
      // A failing hook reports the hook; the test it ran for is the one to blame.
      const current = (test.ctx?.currentTest as Mocha.Test | undefined) ?? test;
      const title = current.fullTitle();
      const failureMessage =
        err.code === 'ERR_MOCHA_TIMEOUT' ? `mocha timeout: ${err.message}` : `${err.name ?? 'Error'}: ${err.message || err.stack}`;
      collected.push({ id: title, name: title, status: TestStatus.Failed, failureMessage, timeSpentMs: now() - started });
      started = now();
    });
  }
}

function bailAll(suite: Mocha.Suite, bail: boolean): void {
  suite.bail(bail);
  for (const child of suite.suites) bailAll(child, bail);
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** The runner Stryker creates in each worker process. */
export class Mocha12TestRunner implements TestRunner {
  static inject = tokens(commonTokens.options);
  private readonly context: InstrumenterContext;
  private mocha: Mocha | undefined;
  private loaded = false;
  private perTest = false;
  /**
   * Set when a mutant ran into Stryker's hit limit (an endless loop): what
   * its tests left behind (timers, promise chains) may still run the mutated
   * code and count hits against the next mutant, so the next run asks for a
   * fresh worker instead.
   */
  private dirty = false;

  constructor(private readonly options: StrykerOptions) {
    const g = globalThis as unknown as Record<string, InstrumenterContext | undefined>;
    this.context = g[INSTRUMENTER_CONSTANTS.NAMESPACE] ??= {};
  }

  /**
   * With `ignoreStatic` (the first pass of `run.ts`), a mutant reached both at
   * load time and by tests is activated only while its covering tests run:
   * the worker need not reload, so it says it can "reload" and keeps its
   * loaded files. Otherwise (the second pass) it cannot reload (files come in
   * by `import`), and Stryker starts a fresh worker for each mutant that must
   * be active while the files load.
   */
  capabilities(): TestRunnerCapabilities {
    return { reloadEnvironment: this.options.ignoreStatic };
  }

  async init(): Promise<void> {
    const files = (this.options as StrykerOptions & Partial<Mocha12Options>).mocha12?.spec ?? [];
    if (files.length === 0)
      throw new Error('mocha12 runner: no mocha12.spec given (scripts/mutation/modules.ts maps each module to its tests)');
    for (const setup of SETUP_MODULES) await import(pathToFileURL(path.resolve(setup)).href);
    // timeout 0: a hanging mutant is Stryker's to time out; tests that set
    // their own `this.timeout(…)` keep it.
    const mocha = new Mocha({ reporter: StrykerReporter as unknown as Mocha.ReporterConstructor, timeout: 0 });
    mocha.cleanReferencesAfterRun(false);
    for (const file of files) mocha.addFile(path.resolve(file));
    const context = this.context;
    const runner = this;
    mocha.suite.beforeEach(function nameTheTest(this: Mocha.Context) {
      if (runner.perTest) context.currentTestId = this.currentTest?.fullTitle();
    });
    mocha.suite.afterEach(function forgetTheTest() {
      context.currentTestId = undefined;
    });
    this.mocha = mocha;
  }

  async dryRun(options: DryRunOptions): Promise<DryRunResult> {
    this.perTest = options.coverageAnalysis === 'perTest';
    try {
      const result = await this.run(options.disableBail, undefined);
      if (result.status === DryRunStatus.Complete && options.coverageAnalysis !== 'off') {
        result.mutantCoverage = this.context.mutantCoverage;
      }
      return result;
    } finally {
      this.perTest = false;
    }
  }

  async mutantRun(options: MutantRunOptions): Promise<MutantRunResult> {
    const mocha = this.mocha!;
    this.context.hitLimit = options.hitLimit;
    this.context.hitCount = options.hitLimit === undefined ? undefined : 0;
    if (options.testFilter) {
      mocha.grep(new RegExp(options.testFilter.map((id) => `(^${escapeRegExp(id)}$)`).join('|')));
    } else {
      mocha.grep(/.*/);
    }
    if (this.dirty) {
      // Stryker answers a rejected run with a fresh worker and runs the mutant again there.
      throw new Error('mocha12 runner: the last mutant looped without end; this worker may still be running its code');
    }
    const staticActivation = options.mutantActivation === 'static';
    if (staticActivation && this.loaded) {
      throw new Error('mocha12 runner: a static mutant needs a fresh worker (run without ignoreStatic)');
    }
    return toMutantRunResult(await this.run(options.disableBail, options.activeMutant.id, staticActivation));
  }

  async dispose(): Promise<void> {
    try {
      this.mocha?.dispose();
    } catch (err) {
      if ((err as { code?: string }).code !== 'ERR_MOCHA_INSTANCE_ALREADY_RUNNING') throw err;
    }
  }

  private async run(disableBail: boolean, activeMutant: string | undefined, staticActivation = false): Promise<DryRunResult> {
    const mocha = this.mocha!;
    bailAll(mocha.suite, !disableBail);
    try {
      if (!this.loaded) {
        this.context.activeMutant = staticActivation ? activeMutant : undefined;
        try {
          await mocha.loadFilesAsync();
        } catch (err) {
          // A mutant that breaks what a test file does while loading (a
          // template parsed at the top of the file, say) fails that file's
          // tests: a kill, not an error of the run. Stryker starts a fresh
          // worker after a static mutant, so nothing half-loaded is reused.
          if (activeMutant === undefined) throw err;
          const failureMessage = err instanceof Error ? `${err.name}: ${err.message}` : String(err);
          const id = '(loading the test files)';
          return { status: DryRunStatus.Complete, tests: [{ id, name: id, status: TestStatus.Failed, failureMessage, timeSpentMs: 0 }] };
        }
        this.loaded = true;
        bailAll(mocha.suite, !disableBail);
      }
      this.context.activeMutant = activeMutant;
      await new Promise<void>((resolve) => mocha.run(() => resolve()));
      const timeout = determineHitLimitReached(this.context.hitCount, this.context.hitLimit);
      if (timeout) {
        this.dirty = true;
        return timeout;
      }
      return { status: DryRunStatus.Complete, tests: collected };
    } catch (err) {
      return { status: DryRunStatus.Error, errorMessage: err instanceof Error ? (err.stack ?? err.message) : String(err) };
    }
  }
}

/** The JSON schema of {@link Mocha12Options}, merged into Stryker's option validation. */
export const strykerValidationSchema = {
  $schema: 'http://json-schema.org/draft-07/schema',
  type: 'object',
  properties: {
    mocha12: {
      type: 'object',
      additionalProperties: false,
      properties: { spec: { type: 'array', items: { type: 'string' } } },
      default: { spec: [] },
    },
  },
};

/** The plugin list Stryker reads from this module. */
export const strykerPlugins = [declareClassPlugin(PluginKind.TestRunner, 'mocha12', Mocha12TestRunner)];
