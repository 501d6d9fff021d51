/**
 * The benchmark harness (`npm run bench`), run once tiny: every measurement
 * runs against its own servers and its results have the right shape. No
 * timing is asserted (performance goals live in BENCHMARKS.md, not here).
 * The install measurement reuses the test run's packed install of the
 * library (test/support/packed-install.ts) instead of packing its own.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { BenchResults } from '../../scripts/bench/support/results.js';
import { PACKED_INSTALLS_ENV, type PackedInstall, packedInstall } from '../support/packed-install.js';
import { SOURCE_FLAGS } from '../support/source-flags.js';

const root = fileURLToPath(new URL('../..', import.meta.url));

function positive(x: unknown, what: string): void {
  assert.ok(typeof x === 'number' && Number.isFinite(x) && x > 0, `${what} is a positive number (got ${String(x)})`);
}

describe('bench: a smoke run of npm run bench', function () {
  this.timeout(180_000);
  let dir: string;
  let results: BenchResults;
  let report: string;
  let install: PackedInstall;

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'vision-kit-bench-smoke-'));
    install = await packedInstall('library');
    const child = spawn(
      process.execPath,
      [...SOURCE_FLAGS, '--import', './test/setup.ts', 'scripts/bench/run.ts', '--smoke', '--out', dir],
      {
        cwd: root,
        env: { ...process.env, [PACKED_INSTALLS_ENV]: process.env[PACKED_INSTALLS_ENV] },
        stdio: ['ignore', 'ignore', 'pipe'],
      },
    );
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
    for (const heading of [
      '## 1. Browser bundle',
      '## 2. Transcoding',
      '## 3. Unary calls',
      '## 4. Operations at scale',
      '## 5. Codegen',
      '## 6. Installed package',
    ]) {
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
    assert.equal(b.met, b.ours.gzippedBytes <= b.goalRatio * b.official.gzippedBytes);
    assert.deepEqual(
      b.apps.map((a) => a.app),
      ['imageAnnotator', 'productSearch'],
    );
    for (const a of b.apps) {
      positive(a.gzippedBytes, `${a.app} gzipped`);
      assert.ok(a.fromSource.top.length > 0, `${a.app} names its largest inputs`);
      // Each input's gzip price is part of the whole; the prices by folder add up to at most the whole.
      assert.ok(a.fromSource.prices.length > 0, `${a.app} prices its inputs`);
      for (const p of a.fromSource.prices) assert.ok(p.bytes < a.fromSource.gzippedBytes, `${p.input} costs less than the app`);
      const byArea = a.fromSource.areas.reduce((sum, x) => sum + x.bytes, 0);
      assert.ok(byArea > 0.8 * a.fromSource.gzippedBytes && byArea <= a.fromSource.gzippedBytes, `${a.app}: ${byArea} B by folder`);
      assert.ok(a.gzippedBytes < b.ours.gzippedBytes, `${a.app} is smaller than the whole entry`);
    }
    assert.equal(b.appMet, b.apps[0]!.gzippedBytes <= b.appGoalBytes);
    // Sizes are deterministic (unlike rates), so the bundle is held here too, at the ratio reached
    // so far plus a little slack (0.081x when last measured). The open targets (b.goalRatio for the entry, b.appGoalBytes for
    // the minimal app) are reported by the bench with `met`/`appMet`, and belong here once met.
    const HELD_RATIO = 0.082;
    assert.ok(
      b.ours.gzippedBytes <= HELD_RATIO * b.official.gzippedBytes,
      `the browser entry is at most ${HELD_RATIO}× the official one (${b.ours.gzippedBytes} B vs ${b.official.gzippedBytes} B gzipped)`,
    );
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
        assert.ok(
          Math.abs(c.heapRatio - c.ours.heapPerOperationBytes / c.official.heapPerOperationBytes) < 0.001,
          `heap ratio is ours / official (got ${String(c.heapRatio)})`,
        );
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

  it('install: ours (the packed install of the test run) and the official package measured, ours clean and within the size goal', () => {
    const i = results.install!;
    assert.equal(i.ours.installMs, install.installMs, 'the smoke run reused the packed install of the test run');
    for (const side of [i.ours, i.official]) {
      positive(side.nodeModulesBytes, 'node_modules bytes');
      positive(side.packages, 'packages');
      assert.ok(side.mode === 'offline' || side.mode === 'prefer-offline');
      assert.equal(side.importRunsMs.length, i.importRuns);
      for (const run of side.importRunsMs) positive(run, 'a cold import');
      positive(side.importMs, 'median cold import');
    }
    assert.equal(i.importRuns, 1, 'a smoke run imports once per side');
    assert.equal(i.official.package, '@google-cloud/vision@6.1.0');
    assert.ok(i.official.packages > 10, 'the official install has its dependency tree');
    positive(i.ours.packedBytes, 'packed tarball');
    assert.ok(i.ours.unpackedBytes > i.ours.packedBytes);
    assert.equal(i.ours.files, install.library.files.length);
    assert.deepEqual(i.ours.nativeFiles, []);
    assert.deepEqual(i.ours.forbiddenPackages, []);
    assert.deepEqual(i.ours.unshippableFiles, []);
    assert.equal(i.clean, true);
    assert.ok(Math.abs(i.ratio - i.ours.nodeModulesBytes / i.official.nodeModulesBytes) < 0.001);
    assert.equal(i.met, i.ours.nodeModulesBytes <= 0.75 * i.official.nodeModulesBytes);
    // Sizes are deterministic (unlike import times), so the size goal is held here too.
    assert.ok(
      i.met,
      `node_modules of the library is at most 0.75 of the official one (${i.ours.nodeModulesBytes} B vs ${i.official.nodeModulesBytes} B)`,
    );
    assert.equal(i.baseline.commit, 'c014ddc');
    positive(i.baseline.importMs, 'the recorded pre-split import time');
    assert.ok(Math.abs(i.importVsBaseline - i.ours.importMs / i.baseline.importMs) < 0.001);
    assert.equal(i.importMet, i.importVsBaseline <= 1.1);
  });
});
