/**
 * The poll schedule's edges, pinned by value: every refusal names its field
 * and value with INVALID_ARGUMENT, each limit's edge value is accepted, the
 * Vision rows apply only to Vision services, and one jittered sleep has the
 * exact length the formula gives.
 */
import assert from 'node:assert/strict';
import { Code, DEFAULT_SCHEDULE, type PollScheduleOverrides, VisionError } from 'vision-kit';
import { defaultScheduleFor, mergeSchedule, sleepFor } from '../../src/lro/schedule.js';

function refused(overrides: PollScheduleOverrides, message: string): void {
  assert.throws(
    () => mergeSchedule(DEFAULT_SCHEDULE, overrides),
    (e: unknown) => e instanceof VisionError && e.code === Code.INVALID_ARGUMENT && e.message.endsWith(message),
    message,
  );
}

describe('lro schedule: limits and defaults, by value', () => {
  it('refuses each field out of range, naming the field and the value', () => {
    refused({ initialDelay: -1 }, 'poll schedule: initialDelay = -1 is out of range');
    refused({ initialDelay: Number.POSITIVE_INFINITY }, 'poll schedule: initialDelay = Infinity is out of range');
    refused({ initialDelay: Number.NaN }, 'poll schedule: initialDelay = NaN is out of range');
    refused({ multiplier: 0.999 }, 'poll schedule: multiplier = 0.999 is out of range');
    refused({ multiplier: Number.POSITIVE_INFINITY }, 'poll schedule: multiplier = Infinity is out of range');
    refused({ maxDelay: -0.5 }, 'poll schedule: maxDelay = -0.5 is out of range');
    refused({ maxDelay: Number.POSITIVE_INFINITY }, 'poll schedule: maxDelay = Infinity is out of range');
    refused({ totalTimeout: 0 }, 'poll schedule: totalTimeout = 0 is out of range');
    refused({ totalTimeout: -5 }, 'poll schedule: totalTimeout = -5 is out of range');
    refused({ jitter: -0.1 }, 'poll schedule: jitter = -0.1 is out of range');
    refused({ jitter: 1.01 }, 'poll schedule: jitter = 1.01 is out of range');
    refused({ pollTimeout: 0 }, 'poll schedule: pollTimeout = 0 is out of range');
    refused({ maxConsecutiveFailures: 0 }, 'poll schedule: maxConsecutiveFailures = 0 is out of range');
    refused({ maxConsecutiveFailures: 2.5 }, 'poll schedule: maxConsecutiveFailures = 2.5 is out of range');
  });

  it('accepts every limit at its edge (0 delays, multiplier 1, jitter 0 and 1, one failure, no total timeout)', () => {
    const edge = mergeSchedule(DEFAULT_SCHEDULE, {
      initialDelay: 0,
      multiplier: 1,
      maxDelay: 0,
      totalTimeout: Number.POSITIVE_INFINITY,
      jitter: 1,
      pollTimeout: 1,
      maxConsecutiveFailures: 1,
    });
    assert.deepEqual(edge, {
      initialDelay: 0,
      multiplier: 1,
      maxDelay: 0,
      totalTimeout: Number.POSITIVE_INFINITY,
      jitter: 1,
      pollTimeout: 1,
      maxConsecutiveFailures: 1,
    });
    assert.equal(mergeSchedule(DEFAULT_SCHEDULE, { jitter: 0 }).jitter, 0);
  });

  it('starts from the documented defaults: 1 s first sleep, ×1.5, 45 s cap, 15 min, 20 % jitter, 30 s per poll, 5 failures', () => {
    assert.deepEqual(DEFAULT_SCHEDULE, {
      initialDelay: 1000,
      multiplier: 1.5,
      maxDelay: 45_000,
      totalTimeout: 900_000,
      jitter: 0.2,
      pollTimeout: 30_000,
      maxConsecutiveFailures: 5,
    });
  });

  it('merges overrides in order, an undefined field keeping what was there', () => {
    const merged = mergeSchedule(DEFAULT_SCHEDULE, { initialDelay: 10, jitter: 0.5 }, undefined, { initialDelay: undefined, maxDelay: 99 });
    assert.deepEqual(merged, { ...DEFAULT_SCHEDULE, initialDelay: 10, jitter: 0.5, maxDelay: 99 });
    assert.deepEqual(mergeSchedule(DEFAULT_SCHEDULE), DEFAULT_SCHEDULE);
  });

  it("gives Vision's rows only to Vision services (any version), never to a look-alike short name", () => {
    const vision = defaultScheduleFor('google.cloud.vision.v1.ImageAnnotator/AsyncBatchAnnotateImages');
    assert.deepEqual(vision, { ...DEFAULT_SCHEDULE, initialDelay: 500, multiplier: 1.5, maxDelay: 5000, totalTimeout: 300_000 });
    assert.deepEqual(defaultScheduleFor('acme.shop.v1.ImageAnnotator/AsyncBatchAnnotateImages'), DEFAULT_SCHEDULE);
    assert.deepEqual(defaultScheduleFor('ImageAnnotator/AsyncBatchAnnotateImages'), DEFAULT_SCHEDULE);
    assert.deepEqual(defaultScheduleFor('google.cloud.visionx.v1.ProductSearch/PurgeProducts'), DEFAULT_SCHEDULE);
    assert.equal(defaultScheduleFor('google.cloud.vision.v1p3beta1.ProductSearch/PurgeProducts').initialDelay, 20_000);
    assert.deepEqual(defaultScheduleFor('google.cloud.vision.v1.ProductSearch/CreateProduct'), DEFAULT_SCHEDULE);
  });

  it('shortens a sleep by jitter × random of itself, exactly', () => {
    const s = mergeSchedule(DEFAULT_SCHEDULE, { initialDelay: 1000, multiplier: 2, maxDelay: 6000, jitter: 0.5 });
    assert.equal(
      sleepFor(s, 0, () => 0.5),
      750,
    );
    assert.equal(
      sleepFor(s, 1, () => 0),
      2000,
    );
    assert.equal(
      sleepFor(s, 2, () => 0.25),
      3500,
    );
    assert.equal(
      sleepFor(s, 5, () => 0.5),
      4500,
    );
  });
});
