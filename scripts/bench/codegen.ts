/**
 * Measurement 5, codegen: wall time of `npm run gen` (its script,
 * `node --import tsx --conditions=vision-kit-source scripts/gen/run.ts`;
 * npm's own start-up is left out) writing into a
 * temporary folder through VISION_KIT_GEN_OUT, so the working tree is never
 * touched:
 *
 * - cold: an empty output folder and an empty buf cache (BUF_CACHE_DIR);
 * - no-op: again into the same folder and cache, nothing having changed.
 *
 * Every run's output must equal the committed proto/, gen/ and test/gen/
 * (the pipeline's check); a difference fails the measurement.
 */
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { listFiles } from '../../tools/src/gen/diff-trees.js';
import { OUTPUTS } from '../gen/vision.js';
import { ChildError, childEnv, ROOT } from './support/process.js';
import { median, round } from './support/stats.js';

/** The result of {@link measureCodegen}. */
export interface CodegenResult {
  readonly runs: number;
  /** Median wall time, ms, of a generation into an empty folder with an empty buf cache. */
  readonly coldMs: number;
  /** Median wall time, ms, of a generation with nothing changed. */
  readonly noopMs: number;
  readonly coldRunsMs: readonly number[];
  readonly noopRunsMs: readonly number[];
  /** Median ms of each pipeline step (as scripts/gen/run.ts reports them), cold and no-op. */
  readonly coldSteps: Readonly<Record<string, number>>;
  readonly noopSteps: Readonly<Record<string, number>>;
  /** Files generated (proto/, gen/, test/gen/). */
  readonly files: number;
  /** Every run wrote exactly the committed tree. */
  readonly matchesCommitted: boolean;
}

/** A digest of every file under the output folders of `root` (paths and bytes). */
function treeDigest(root: string): { digest: string; files: number } {
  const hash = createHash('sha256');
  let files = 0;
  for (const o of OUTPUTS) {
    for (const f of listFiles(join(root, o))) {
      hash
        .update(`${o}/${f}`)
        .update('\0')
        .update(readFileSync(join(root, o, f)))
        .update('\0');
      files++;
    }
  }
  return { digest: hash.digest('hex'), files };
}

/** A run's wall time and the step timings run.ts prints (`… (locate 0 ms, export 515 ms, …)`). */
interface GenRun {
  readonly ms: number;
  readonly steps: Record<string, number>;
}

function generate(out: string, cache: string): Promise<GenRun> {
  const t0 = performance.now();
  const child = spawn(process.execPath, ['--import', 'tsx', '--conditions=vision-kit-source', 'scripts/gen/run.ts'], {
    cwd: ROOT,
    env: childEnv({ VISION_KIT_GEN_OUT: out, BUF_CACHE_DIR: cache }),
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (code) => {
      const steps: Record<string, number> = {};
      const list = /\(([^)]*)\)\s*$/m.exec(stderr)?.[1] ?? '';
      for (const m of list.matchAll(/([a-z]+) (\d+) ms/g)) steps[m[1]!] = Number(m[2]);
      if (code === 0) resolve({ ms: performance.now() - t0, steps });
      else reject(new ChildError('node scripts/gen/run.ts', `exited with ${code}`, stderr.trim()));
    });
  });
}

/** Runs measurement 5: `runs` cold and `runs` no-op generations, interleaved (a smoke run: one of each). */
export async function measureCodegen(
  options: { smoke?: boolean; runs?: number; log?: (line: string) => void } = {},
): Promise<CodegenResult> {
  const runs = options.runs ?? (options.smoke ? 1 : 3);
  const committed = treeDigest(ROOT);
  const cold: GenRun[] = [];
  const noop: GenRun[] = [];
  let matches = true;
  for (let r = 0; r < runs; r++) {
    const dir = mkdtempSync(join(tmpdir(), 'vision-kit-bench-gen-'));
    try {
      const out = join(dir, 'out');
      const cache = join(dir, 'buf-cache');
      mkdirSync(out);
      cold.push(await generate(out, cache));
      matches &&= treeDigest(out).digest === committed.digest;
      noop.push(await generate(out, cache));
      matches &&= treeDigest(out).digest === committed.digest;
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    options.log?.(`codegen: run ${r + 1}/${runs} done`);
  }
  const steps = (list: GenRun[]): Record<string, number> => {
    const names = [...new Set(list.flatMap((r) => Object.keys(r.steps)))];
    return Object.fromEntries(names.map((n) => [n, round(median(list.map((r) => r.steps[n] ?? 0)))]));
  };
  return {
    runs,
    coldMs: round(median(cold.map((r) => r.ms))),
    noopMs: round(median(noop.map((r) => r.ms))),
    coldRunsMs: cold.map((r) => round(r.ms)),
    noopRunsMs: noop.map((r) => round(r.ms)),
    coldSteps: steps(cold),
    noopSteps: steps(noop),
    files: committed.files,
    matchesCommitted: matches,
  };
}
