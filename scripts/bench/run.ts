/**
 * `npm run bench`: vision-kit side by side with `@google-cloud/vision` 6.1.0
 * (google-gax) — browser bundle, transcoding, unary calls, operations at
 * scale, codegen, the installed package — each measurement in its own process (measure.ts), servers
 * started and stopped by the measurements themselves on 127.0.0.1. Writes
 * scripts/bench/results.json and BENCHMARKS.md.
 *
 * Usage: run.ts [--smoke] [--out DIR] [--only name,name] [--source]
 * - `--smoke`: every measurement once, tiny, in parallel (but `install`
 *   after the others; the test of the harness in `npm test`); figures
 *   meaningless, written only under `--out`.
 * - `--out DIR`: write results.json and BENCHMARKS.md into DIR instead.
 * - `--only`: run only these measurements; the others keep their figures
 *   from the previous results.json in the output folder (not from a smoke
 *   run), each labelled in BENCHMARKS.md with the commit and date it was
 *   measured at.
 * - `--source`: measure vision-kit from its TypeScript sources through tsx
 *   instead of the bundle `npm run build` would make (see support/ours.ts).
 * - `--render`: measure nothing; render BENCHMARKS.md again from results.json
 *   (after editing report.ts or notes.ts).
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { NOTES } from './notes.js';
import { renderReport } from './report.js';
import { machineInfo } from './support/machine.js';
import { buildOurs, OURS_ENV, removeOurs } from './support/ours.js';
import { ROOT, runNode } from './support/process.js';
import { type BenchResults, MEASUREMENTS, type MeasuredAt, type MeasurementName } from './support/results.js';

const { values } = parseArgs({
  options: {
    smoke: { type: 'boolean', default: false },
    out: { type: 'string' },
    only: { type: 'string' },
    source: { type: 'boolean', default: false },
    render: { type: 'boolean', default: false },
  },
});
const smoke = values.smoke ?? false;
if (smoke && values.out === undefined) {
  process.stderr.write('bench: --smoke needs --out DIR (a smoke run never replaces BENCHMARKS.md)\n');
  process.exit(2);
}
const only = values.only?.split(',').map((s) => s.trim());
for (const name of only ?? []) {
  if (!MEASUREMENTS.includes(name as MeasurementName)) {
    process.stderr.write(`bench: unknown measurement "${name}" (one of ${MEASUREMENTS.join(', ')})\n`);
    process.exit(2);
  }
}
const chosen = MEASUREMENTS.filter((m) => only === undefined || only.includes(m));
const outDir = values.out ?? ROOT;
const resultsPath = values.out === undefined ? join(ROOT, 'scripts', 'bench', 'results.json') : join(outDir, 'results.json');
const reportPath = join(outDir, 'BENCHMARKS.md');

if (values.render) {
  const saved = JSON.parse(readFileSync(resultsPath, 'utf8')) as BenchResults;
  writeFileSync(reportPath, renderReport(saved, NOTES));
  process.stderr.write(`bench: rendered ${reportPath} from ${resultsPath}\n`);
  process.exit(0);
}

const scratch = mkdtempSync(join(tmpdir(), 'vision-kit-bench-'));
const t0 = performance.now();
const seconds: Record<string, number> = {};
const results: Record<string, unknown> = {};
const fromSource = values.source ?? false;
const env: Record<string, string> = fromSource ? {} : { [OURS_ENV]: await buildOurs() };
const measure = async (name: MeasurementName): Promise<void> => {
  const started = performance.now();
  process.stderr.write(`bench: ${name}…\n`);
  const file = join(scratch, `${name}.json`);
  await runNode('scripts/bench/measure.ts', [name, file, ...(smoke ? ['--smoke'] : [])], { env });
  results[name] = JSON.parse(readFileSync(file, 'utf8'));
  seconds[name] = Math.round((performance.now() - started) / 100) / 10;
  process.stderr.write(`bench: ${name} done in ${seconds[name]} s\n`);
};
/**
 * Measurements a smoke run keeps out of its parallel group, run after it:
 * `install` runs `npm ci` and a series of node processes, and beside it the
 * official client's REST calls in the unary smoke failed with ECONNRESET
 * (2 smoke runs of 6; none of 3 without it).
 */
const ALONE_IN_SMOKE: readonly MeasurementName[] = ['install'];
try {
  if (smoke) {
    await Promise.all(chosen.filter((name) => !ALONE_IN_SMOKE.includes(name)).map(measure));
    for (const name of chosen.filter((n) => ALONE_IN_SMOKE.includes(n))) await measure(name);
  } else for (const name of chosen) await measure(name);
} finally {
  rmSync(scratch, { recursive: true, force: true });
  removeOurs();
}
seconds.total = Math.round((performance.now() - t0) / 100) / 10;
const machine = machineInfo();
const measured: Partial<Record<MeasurementName, MeasuredAt>> = {};
for (const name of chosen) measured[name] = { date: machine.date, commit: machine.commit };
// With --only, the measurements not run keep their previous figures (and say when they were taken).
if (only !== undefined && !smoke && existsSync(resultsPath)) {
  const previous = JSON.parse(readFileSync(resultsPath, 'utf8')) as BenchResults;
  if (!previous.smoke) {
    for (const name of MEASUREMENTS) {
      if (chosen.includes(name) || previous[name] === undefined) continue;
      results[name] = previous[name];
      const took = previous.seconds[name];
      if (took !== undefined) seconds[name] = took;
      measured[name] = previous.measured?.[name] ?? { date: previous.machine.date, commit: previous.machine.commit };
    }
    seconds.total = Math.round(MEASUREMENTS.reduce((sum, name) => sum + (seconds[name] ?? 0), 0) * 10) / 10;
  }
}
/** `record`'s entries in the order of MEASUREMENTS (then any other key, e.g. `total`). */
const inOrder = <T>(record: Partial<Record<string, T>>): Record<string, T> =>
  Object.fromEntries(
    [...MEASUREMENTS, ...Object.keys(record).filter((k) => !MEASUREMENTS.includes(k as MeasurementName))]
      .filter((k) => record[k] !== undefined)
      .map((k) => [k, record[k] as T]),
  );
const all = {
  machine,
  smoke,
  ours: fromSource ? 'source' : 'bundle',
  seconds: inOrder(seconds),
  measured: inOrder(measured),
  ...inOrder(results),
} as BenchResults;
mkdirSync(outDir, { recursive: true });
writeFileSync(resultsPath, `${JSON.stringify(all, null, 2)}\n`);
writeFileSync(reportPath, renderReport(all, NOTES));
process.stderr.write(`bench: wrote ${resultsPath} and ${reportPath} in ${seconds.total} s\n`);
