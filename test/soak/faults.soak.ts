/**
 * Soak: the fault scenario of RELIABILITY.md at its full size against the CLI
 * emulator's flags (`vision-kit emulator --fault-rate 0.3
 * --fault-latency-ms 10`), over gRPC and REST: 1,000 idempotent calls all
 * succeed through retries, 200 started operations are waited by the poller,
 * failed starts are reported, never retried or duplicated (the emulator's
 * own counters, read from /emulator/stats). The set-up runs first on the
 * same data dir in an emulator without faults. Afterwards this process has
 * no timer, socket, listener, unhandled rejection or warning left over.
 */
import assert from 'node:assert/strict';
import { rm } from 'node:fs/promises';
import { createGrpcTransport, createRestTransport, type Transport } from 'vision-kit';
import { type ChildEmulator, spawnEmulator } from '../../tools/test/emulator/support/child-emulator.js';
import { tempDir } from '../../tools/test/emulator/support/harness.js';
import { describeResult, prepareFaultScenario, runFaultScenario, type StatsView } from '../reliability/support/fault-scenario.js';
import { watchLeaks } from '../reliability/support/leak-watch.js';

const SIZES = { calls: 1000, operations: 200, faultRate: 0.3, faultLatencyMs: 10, concurrency: 32 };

function transportFor(kind: 'grpc' | 'rest', emu: ChildEmulator): Transport {
  return kind === 'grpc' ? createGrpcTransport({ endpoint: emu.ready.grpc }) : createRestTransport({ baseUrl: emu.ready.http });
}

async function stop(emu: ChildEmulator): Promise<void> {
  emu.child.kill('SIGTERM');
  const { code } = await emu.exited;
  assert.equal(code, 0, emu.stderr());
}

describe('soak: faults through `vision-kit emulator --fault-rate 0.3 --fault-latency-ms 10`', () => {
  for (const kind of ['grpc', 'rest'] as const) {
    it(`${kind}: 1,000 idempotent calls, 200 operations, failed starts reported once, nothing left behind`, async () => {
      const dir = await tempDir('vk-faults-soak-');
      const watch = watchLeaks();
      try {
        const plain = await spawnEmulator(['--grpc-port', '0', '--http-port', '0', '--data-dir', dir, '--op-step-ms', '1']);
        const setup = transportFor(kind, plain);
        const prepared = await prepareFaultScenario({ label: kind, transport: setup, httpUrl: plain.ready.http }, SIZES);
        setup.close();
        await stop(plain);

        const faulty = await spawnEmulator([
          '--grpc-port',
          '0',
          '--http-port',
          '0',
          '--data-dir',
          dir,
          '--op-step-ms',
          '1',
          '--fault-rate',
          String(SIZES.faultRate),
          '--fault-latency-ms',
          String(SIZES.faultLatencyMs),
        ]);
        const transport = transportFor(kind, faulty);
        try {
          const result = await runFaultScenario(
            {
              label: kind,
              transport,
              httpUrl: faulty.ready.http,
              stats: async () => (await (await fetch(`${faulty.ready.http}/emulator/stats`)).json()) as StatsView,
            },
            prepared,
            SIZES,
          );
          process.stderr.write(`      ${describeResult(result)}\n`);
        } finally {
          transport.close();
          await stop(faulty);
        }
        assert.doesNotMatch(faulty.stderr(), /unexpected error/);
      } finally {
        await rm(dir, { recursive: true, force: true });
      }
      const report = await watch.stop();
      assert.deepEqual(report.extraResources, {}, `left over: ${JSON.stringify(report.extraResources)}`);
      assert.deepEqual(report.pendingTimers, []);
      assert.deepEqual(report.unhandledRejections, []);
      assert.deepEqual(
        report.warnings.map((w) => `${w.name}: ${w.message}`),
        [],
      );
    });
  }
});
