/**
 * The benchmark harness (`npm run bench`), run once tiny: every measurement
 * runs against its own servers and its results have the right shape. No
 * timing is asserted (performance goals live in BENCHMARKS.md, not here).
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { BenchResults } from '../../scripts/bench/support/results.js';

const root = fileURLToPath(new URL('../..', import.meta.url));

function positive(x: unknown, what: string): void {
  assert.ok(typeof x === 'number' && Number.isFinite(x) && x > 0, `${what} is a positive number (got ${String(x)})`);
}

describe('bench: a smoke run of npm run bench', function () {
  this.timeout(180_000);
  let dir: string;
  let results: BenchResults;
  let report: string;

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'vision-kit-bench-smoke-'));
    const child = spawn(process.execPath, ['--import', 'tsx', '--conditions=vision-kit-source', '--import', './test/setup.ts', 'scripts/bench/run.ts', '--smoke', '--out', dir], {
      cwd: root,
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString('utf8')));
    const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
    assert.equal(code, 0, `the smoke run failed:\n${stderr.slice(-3000)}`);
    results = JSON.parse(readFileSync(join(dir, 'results.json'), 'utf8')) as BenchResults;
    report = readFileSync(join(dir, 'BENCHMARKS.md'), 'utf8');
  });
  after(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('names the machine and marks the run as a smoke run', () => {
    assert.equal(results.smoke, true);
    assert.ok(results.machine.cores >= 1);
    assert.match(results.machine.node, /^v\d+\./);
    assert.ok(!Number.isNaN(Date.parse(results.machine.date)));
    assert.match(report, /SMOKE RUN/);
    for (const heading of ['## 1. Browser bundle', '## 2. Transcoding', '## 3. Unary calls', '## 4. Operations at scale', '## 5. Codegen']) {
      assert.ok(report.includes(heading), `BENCHMARKS.md has "${heading}"`);
    }
  });

  it('bundle: both bundles built, ours without message code, ratio consistent', () => {
    const b = results.bundle!;
    positive(b.ours.gzippedBytes, 'ours gzipped');
    assert.ok(b.ours.minifiedBytes > b.ours.gzippedBytes);
    assert.ok(b.official.gzippedBytes > b.officialBrowserField.gzippedBytes, 'the browser-field variant leaves grpc-js out');
    assert.equal(b.ours.noMessageCode, true);
    assert.ok(Math.abs(b.ratio - b.ours.gzippedBytes / b.official.gzippedBytes) < 0.001);
    assert.equal(b.met, b.ours.gzippedBytes * 10 <= b.official.gzippedBytes);
    // Sizes are deterministic (unlike rates), so the bundle goal is held here too.
    assert.ok(b.met, `the browser bundle is at most a tenth of the official one (${b.ours.gzippedBytes} B vs ${b.official.gzippedBytes} B gzipped)`);
  });

  it('transcoding: four cases, three contenders each', () => {
    const t = results.transcoding!;
    assert.equal(t.cases.length, 4);
    for (const c of t.cases) {
      positive(c.jsonStringifyOps, `${c.case} floor`);
      positive(c.transcodeOps, `${c.case} ours`);
      positive(c.gaxOps, `${c.case} gax`);
      assert.equal(c.met, c.vsStringify >= 0.5 && c.vsGax > 1);
    }
  });

  it('unary: eight cells (2 methods × 2 transports × concurrency 1 and 64), every contender answered', () => {
    const u = results.unary!;
    assert.equal(u.cells.length, 8);
    const seen = new Set(u.cells.map((c) => `${c.method}/${c.transport}/${c.concurrency}`));
    assert.equal(seen.size, 8);
    for (const c of u.cells) {
      for (const who of ['ours', 'official', 'floor'] as const) {
        assert.equal(c[who].calls, 2 * c.concurrency, `${who} made two calls per worker`);
        positive(c[who].callsPerSecond, `${who} calls/s`);
        assert.ok(c[who].p99Ms >= c[who].p50Ms);
      }
      assert.equal(c.met, c.oursVsFloor >= 0.9);
    }
  });

  it('operations: ours and gax on both transports, every operation resolved, no early poll', () => {
    const o = results.operations!;
    assert.equal(o.comparisons.length, 2);
    for (const c of o.comparisons) {
      for (const run of [c.ours, c.official]) {
        assert.equal(run.operations, o.operations);
        assert.ok(run.polls >= run.operations, 'every operation was polled at least once');
        assert.ok(run.polls <= run.policyMaxPolls);
        assert.equal(run.earlyPolls, 0);
        assert.ok(run.doneToResolvedMs.max >= run.doneToResolvedMs.p50);
        assert.ok(run.doneToResolvedMs.p50 >= 0, 'nothing resolved before the release');
      }
      // A smoke run's four runs share one process and start at once, so heap
      // per operation is noise there (it can come out negative): only its
      // consistency is checked, not its sign.
      for (const run of [c.ours, c.official]) assert.ok(Number.isFinite(run.heapPerOperationBytes), 'heap per operation is a number');
      if (c.official.heapPerOperationBytes !== 0) {
        assert.ok(Math.abs(c.heapRatio - c.ours.heapPerOperationBytes / c.official.heapPerOperationBytes) < 0.001, `heap ratio is ours / official (got ${String(c.heapRatio)})`);
      }
    }
  });

  it('codegen: a cold and a no-op generation, both equal to the committed tree', () => {
    const g = results.codegen!;
    positive(g.coldMs, 'cold');
    positive(g.noopMs, 'no-op');
    assert.equal(g.matchesCommitted, true);
    assert.ok(g.files > 10);
  });
});
