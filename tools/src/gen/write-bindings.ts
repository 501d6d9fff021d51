/**
 * `vision-kit gen` as a function: builds the bindings (build-bindings.ts)
 * and then either puts them in place or, in check mode, compares them with
 * what is there.
 *
 * Writing is all or nothing and idempotent: the output is staged next to
 * the folder and swapped in whole (swap-trees.ts), and a run whose output
 * equals the folder's files leaves the folder untouched. The output folder
 * belongs to the generator: a run refuses to replace a folder holding a
 * file it did not write (a `.ts` file without the `// Code generated`
 * header), so pointing `--out` at a source folder by mistake loses nothing.
 */
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { type BuildOptions, buildBindings } from './build-bindings.js';
import type { SkippedMethod } from './descriptor-image.js';
import { diffTrees, listFiles, readText } from './diff-trees.js';
import { GenStepError, runStep } from './gen-error.js';
import { swapTrees } from './swap-trees.js';

/** Options of {@link generateBindings} (and of `vision-kit gen`). */
export interface GenOptions extends BuildOptions {
  /** The folder to write the bindings into (created; replaced as a whole). */
  readonly out: string;
  /** A folder to write the compiled .proto files into, too (vision-kit's own proto/). */
  readonly protosOut?: string | undefined;
  /** Compare instead of writing: the result lists the differences, nothing is written. */
  readonly check?: boolean | undefined;
}

/** What a generation did. */
export interface GenResult {
  /** The output folder (absolute). */
  readonly out: string;
  /** The output files, relative to `out` (sorted). */
  readonly files: readonly string[];
  /**
   * How the folders on disk differed from the fresh output before the run,
   * one line per file (`changed|missing|extra  <folder>/<path>`); empty when
   * they were up to date.
   */
  readonly differences: readonly string[];
  /** True when the folders were (re)written; false in check mode and when nothing changed. */
  readonly written: boolean;
  /** Methods left out of the bindings (streaming), by full name. */
  readonly skipped: readonly SkippedMethod[];
  /** Services returning long-running operations that no service config routes (see `BuiltBindings`). */
  readonly unroutedOperations: readonly string[];
  /** Milliseconds per step. */
  readonly timings: Readonly<Record<string, number>>;
}

const GENERATED_HEADER = '// Code generated';

function checkOptions(options: GenOptions): void {
  const fail = (what: string): never => {
    throw new GenStepError('options', what);
  };
  if (options === null || typeof options !== 'object') fail('options must be an object');
  const strings = (name: string, value: unknown, required: boolean): void => {
    if (value === undefined && !required) return;
    if (!Array.isArray(value) || value.some((v) => typeof v !== 'string' || v === ''))
      fail(`${name} must be an array of non-empty strings`);
    if (required && (value as unknown[]).length === 0) fail(`${name} names no proto folder, file or import path`);
  };
  strings('inputs', options.inputs, true);
  strings('includes', options.includes, false);
  strings('serviceConfigs', options.serviceConfigs, false);
  if (typeof options.out !== 'string' || options.out === '') fail('out must name the output folder');
  if (options.protosOut !== undefined && (typeof options.protosOut !== 'string' || options.protosOut === '')) {
    fail('protosOut must name a folder');
  }
  if (options.check !== undefined && typeof options.check !== 'boolean') fail('check must be true or false');
}

/** The first file of `dir` that the generator would not have written there, if any. */
function foreignFile(dir: string, isOurs: (file: string, text: string | undefined) => boolean): string | undefined {
  return listFiles(dir).find((f) => !isOurs(f, readText(join(dir, f))));
}

/** The deepest folder holding every path of `paths`. */
function commonParent(paths: readonly string[]): string {
  let base = dirname(paths[0]!);
  while (!paths.every((p) => p.startsWith(base.endsWith(sep) ? base : base + sep))) base = dirname(base);
  return base;
}

/** Writes `files` (relative path → text) below `dir`. */
export function writeFiles(dir: string, files: ReadonlyMap<string, string>): void {
  for (const [rel, text] of files) {
    const path = join(dir, rel);
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, text);
  }
}

/**
 * Generates bindings for `options.inputs` into `options.out` (see the
 * module comment), or with `check` compares. Resolves with what happened;
 * rejects only with a {@link GenStepError} (one line, naming the step).
 */
export async function generateBindings(options: GenOptions): Promise<GenResult> {
  checkOptions(options);
  const cwd = options.cwd ?? process.cwd();
  const out = resolve(cwd, options.out);
  const protosOut = options.protosOut === undefined ? undefined : resolve(cwd, options.protosOut);
  if (protosOut !== undefined && (protosOut === out || protosOut.startsWith(out + sep) || out.startsWith(protosOut + sep))) {
    throw new GenStepError('options', 'out and protosOut must be two folders, neither inside the other');
  }
  await runStep('write', () => {
    const foreign = foreignFile(out, (f, text) => f.endsWith('.ts') && text?.startsWith(GENERATED_HEADER) === true);
    if (foreign !== undefined) {
      throw new Error(`${join(out, foreign)} was not written by vision-kit gen; the output folder must hold generated files only`);
    }
    const foreignProto = protosOut === undefined ? undefined : foreignFile(protosOut, (f) => f.endsWith('.proto'));
    if (protosOut !== undefined && foreignProto !== undefined) {
      throw new Error(`${join(protosOut, foreignProto)} is not a .proto file; the protos folder must hold .proto files only`);
    }
  });
  const built = await buildBindings({ ...options, cwd });
  const trees = [{ dir: out, files: built.files }, ...(protosOut ? [{ dir: protosOut, files: built.protos }] : [])];
  const base = commonParent(trees.map((t) => t.dir));
  const t0 = performance.now();
  const outcome = await runStep(options.check ? 'check' : 'write', () => {
    mkdirSync(base, { recursive: true });
    const stage = mkdtempSync(join(base, '.gen-stage-'));
    try {
      const names = trees.map((t) => relative(base, t.dir));
      for (const [i, t] of trees.entries()) writeFiles(join(stage, names[i]!), t.files);
      const differences = trees.flatMap((t, i) => diffTrees(join(stage, names[i]!), t.dir, relative(cwd, t.dir) || '.'));
      const write = !options.check && (differences.length > 0 || !existsSync(out));
      if (write) swapTrees(stage, base, names);
      return { differences, written: write };
    } finally {
      rmSync(stage, { recursive: true, force: true });
    }
  });
  const timings = { ...built.timings, [options.check ? 'check' : 'write']: Math.round(performance.now() - t0) };
  return {
    out,
    files: [...built.files.keys()].sort(),
    ...outcome,
    skipped: built.skipped,
    unroutedOperations: built.unroutedOperations,
    timings,
  };
}
