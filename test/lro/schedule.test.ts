import assert from 'node:assert/strict';
import fc from 'fast-check';
import { DEFAULT_SCHEDULE, type PollSchedule, VISION_OPERATIONS } from 'vision-kit';
import { defaultScheduleFor, mergeSchedule, sleepFor } from '../../src/lro/schedule.js';
import { A } from './support/fake-operations.js';
import { opMetadata } from './support/messages.js';
import { D, rig, started } from './support/setup.js';

describe('lro schedule (rule 3, Vision defaults)', () => {
  it('gives Vision methods the schedules of vision_gapic.yaml, and everything else the general default', () => {
    const table = Object.fromEntries(
      Object.entries(VISION_OPERATIONS).map(([id, d]) => [
        id.slice(id.lastIndexOf('.') + 1),
        [d.schedule.initialDelay, d.schedule.multiplier, d.schedule.maxDelay, d.schedule.totalTimeout],
      ]),
    );
    assert.deepEqual(table, {
      'ImageAnnotator/AsyncBatchAnnotateImages': [500, 1.5, 5000, 300_000],
      'ImageAnnotator/AsyncBatchAnnotateFiles': [20_000, 1.5, 45_000, 86_400_000],
      'ProductSearch/ImportProductSets': [20_000, 1.5, 45_000, 86_400_000],
      'ProductSearch/PurgeProducts': [20_000, 1.5, 45_000, 86_400_000],
    });
    const other = defaultScheduleFor('visionkit.testing.v1.Things/RunThing');
    assert.deepEqual([other.initialDelay, other.multiplier, other.maxDelay, other.totalTimeout], [1000, 1.5, 45_000, 900_000]);
  });

  it('without jitter, sleep k is min(cap, first × mult^k)', () => {
    const s = mergeSchedule(DEFAULT_SCHEDULE, { initialDelay: 500, multiplier: 1.5, maxDelay: 5000, jitter: 0 });
    const sleeps = Array.from({ length: 9 }, (_, k) => sleepFor(s, k, () => 0.99));
    assert.deepEqual(sleeps, [500, 750, 1125, 1687.5, 2531.25, 3796.875, 5000, 5000, 5000]);
  });

  it('with jitter j, every sleep lies in [(1 − j)·s, s] and never above the cap (property)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 60_000 }),
        fc.double({ min: 1, max: 4, noNaN: true }),
        fc.integer({ min: 0, max: 120_000 }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        fc.integer({ min: 0, max: 60 }),
        fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }),
        (initialDelay, multiplier, maxDelay, jitter, k, r) => {
          const s: PollSchedule = mergeSchedule(DEFAULT_SCHEDULE, { initialDelay, multiplier, maxDelay, jitter });
          const plain = Math.min(maxDelay, initialDelay * multiplier ** k);
          const got = sleepFor(s, k, () => r);
          assert.ok(got <= plain + 1e-9, `${got} > ${plain}`);
          assert.ok(got >= (1 - jitter) * plain - 1e-9, `${got} < ${(1 - jitter) * plain}`);
          assert.ok(got <= maxDelay + 1e-9);
        },
      ),
      { seed: 42, numRuns: 500 },
    );
  });

  it('refuses a schedule that makes no sense, naming the field', () => {
    assert.throws(() => mergeSchedule(DEFAULT_SCHEDULE, { multiplier: 0.5 }), /multiplier = 0.5/);
    assert.throws(() => mergeSchedule(DEFAULT_SCHEDULE, { jitter: 2 }), /jitter = 2/);
    assert.throws(() => mergeSchedule(DEFAULT_SCHEDULE, { initialDelay: -1 }), /initialDelay/);
  });

  it('polls a pending images operation at 500, 1250, 2375 … ms (the schedule, no jitter)', async () => {
    const { clock, ops, poller } = rig();
    ops.script('operations/s1', A.pending(opMetadata(2)));
    const lro = poller.fromOperation(D.images, started('operations/s1'));
    const wait = lro.wait({ timeout: 40_000 });
    await clock.run(wait.catch(() => undefined));
    const times = ops.of('GetOperation').map((c) => c.at);
    const expected: number[] = [];
    let t = 0;
    for (let k = 0; t + Math.min(5000, 500 * 1.5 ** k) < 40_000; k++) {
      t += Math.min(5000, 500 * 1.5 ** k);
      expected.push(t);
    }
    assert.deepEqual(times, expected);
  });

  it('with jitter, each gap between polls lies in [(1 − j)·s_k, s_k]', async () => {
    let seed = 7;
    const random = (): number => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed / 2 ** 31;
    };
    const { clock, ops, poller } = rig({ random, schedule: { jitter: 0.4 } });
    ops.script('operations/j', A.pending());
    const lro = poller.fromOperation(D.images, started('operations/j'));
    await clock.run(lro.wait({ timeout: 60_000 }).catch(() => undefined));
    const times = [0, ...ops.of('GetOperation').map((c) => c.at)];
    assert.ok(times.length > 10);
    for (let k = 1; k < times.length; k++) {
      const s = Math.min(5000, 500 * 1.5 ** (k - 1));
      const gap = (times[k] as number) - (times[k - 1] as number);
      assert.ok(gap <= s + 1e-6 && gap >= 0.6 * s - 1e-6, `gap ${k}: ${gap} not in [${0.6 * s}, ${s}]`);
    }
    const distinct = new Set(times.slice(1).map((t, k) => t - (times[k] as number)));
    assert.ok(distinct.size > 5, 'the jitter varies the gaps');
  });
});
