/**
 * Faults (RELIABILITY.md): the in-process emulator's knobs at a 30 % transient
 * failure rate with added latency; over gRPC and REST, idempotent calls
 * succeed through retries, started operations are waited to completion by
 * the poller, failed starts are reported and never retried or duplicated
 * (400 calls and 80 operations per transport here; the 1,000 and
 * 200 run in test/soak/faults.soak.ts against `vision-kit emulator
 * --fault-rate 0.3 --fault-latency-ms 10`).
 * Afterwards nothing is left behind: no timers, sockets or servers over the
 * baseline, no abort listeners, no unhandled rejection, no warning.
 */
import assert from 'node:assert/strict';
import { rm } from 'node:fs/promises';
import { createGrpcTransport, createRestTransport, type Transport } from 'vision-kit';
import { type RunningEmulator, startEmulator } from '../../tools/src/emulator/emulator.js';
import { tempDir } from '../../tools/test/emulator/support/harness.js';
import { describeResult, type FaultTarget, prepareFaultScenario, runFaultScenario } from './support/fault-scenario.js';
import { type LeakWatch, watchLeaks } from './support/leak-watch.js';

const SIZES = { calls: 400, operations: 80, faultRate: 0.3, faultLatencyMs: 10, concurrency: 32 };

describe('reliability: faults (30 % transient failures with latency, in-process knobs)', function () {
  this.timeout(120_000);
  let watch: LeakWatch;
  let emu: RunningEmulator;
  let dir: string;
  const transports: Transport[] = [];
  const logs: string[] = [];

  before(async () => {
    watch = watchLeaks();
    dir = await tempDir('vk-faults-');
    emu = await startEmulator({ grpcPort: 0, httpPort: 0, dataDir: dir, opStepMs: 1, faultSeed: 10, log: (l) => logs.push(l) });
  });
  after(async () => {
    for (const t of transports) t.close();
    await emu?.stop();
    await rm(dir, { recursive: true, force: true });
  });

  const target = (label: string, transport: Transport): FaultTarget => ({
    label,
    transport,
    httpUrl: emu.httpUrl,
    stats: async () => structuredClone(emu.stats),
    setFaults: async (rate, latencyMs) => {
      emu.knobs.faultRate = rate;
      emu.knobs.faultLatencyMs = latencyMs;
    },
  });

  for (const kind of ['grpc', 'rest'] as const) {
    it(`${kind}: ${SIZES.calls} idempotent calls succeed, ${SIZES.operations} started operations are waited, failed starts are reported once`, async () => {
      const transport =
        kind === 'grpc' ? createGrpcTransport({ endpoint: emu.grpcAddress }) : createRestTransport({ baseUrl: emu.httpUrl });
      transports.push(transport);
      emu.knobs.faultRate = 0;
      emu.knobs.faultLatencyMs = 0;
      const prepared = await prepareFaultScenario(target(kind, transport), SIZES);
      const result = await runFaultScenario(target(kind, transport), prepared, SIZES);
      process.stderr.write(`      ${describeResult(result)}\n`);
    });
  }

  it('leaves no timers, sockets, servers, listeners, unhandled rejections or warnings behind', async () => {
    for (const t of transports.splice(0)) t.close();
    await emu.stop();
    const report = await watch.stop();
    assert.deepEqual(
      report.extraResources,
      {},
      `left over: ${JSON.stringify(report.extraResources)} (before ${JSON.stringify(report.before)})`,
    );
    assert.deepEqual(report.pendingTimers, [], 'timers still pending');
    assert.deepEqual(report.unhandledRejections, []);
    assert.deepEqual(
      report.warnings.map((w) => `${w.name}: ${w.message}`),
      [],
    );
    assert.deepEqual(
      logs.filter((l) => /unexpected/.test(l)),
      [],
      'no handler bug was logged',
    );
  });
});
