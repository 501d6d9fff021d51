// The image jobs' line: never more than IMAGE_JOBS at once, first come first served, a job whose signal aborted while
// it waited is skipped (with the signal's error), and a job that fails passes its slot on.
import assert from 'node:assert/strict';
import { getEventListeners } from 'node:events';
import { Code, VisionError } from 'vision-kit';
import { IMAGE_JOBS, imageJobCounts, runImageJob } from '../../../src/emulator/annotators/image-jobs.js';

describe('annotators: image jobs run with bounded concurrency', () => {
  it('runs at most IMAGE_JOBS at once, in order, skipping a job aborted while it waited; a failing job frees its slot', async () => {
    assert.ok(IMAGE_JOBS >= 1 && IMAGE_JOBS <= 2, `IMAGE_JOBS ${IMAGE_JOBS} (half of a pool of 4)`);
    const started: number[] = [];
    let peak = 0;
    const gates: (() => void)[] = [];
    const job = (i: number) => () =>
      new Promise<number>((resolve, reject) => {
        started.push(i);
        peak = Math.max(peak, imageJobCounts().running);
        gates[i] = () => (i === failing ? reject(new Error('decoder failed')) : resolve(i));
      });
    const controller = new AbortController();
    const n = IMAGE_JOBS + 4;
    const failing = IMAGE_JOBS + 1;
    const runs = Array.from({ length: n }, (_, i) => runImageJob(job(i), i === IMAGE_JOBS ? controller.signal : undefined));
    const settled = Promise.allSettled(runs);
    await new Promise((r) => setImmediate(r));
    assert.deepEqual(
      started,
      Array.from({ length: IMAGE_JOBS }, (_, i) => i),
    );
    assert.deepEqual(imageJobCounts(), { running: IMAGE_JOBS, waiting: n - IMAGE_JOBS });
    controller.abort(new VisionError(Code.CANCELLED, 'gone'));
    for (let i = 0; i < n; i++) {
      while (gates[i] === undefined && i !== IMAGE_JOBS) await new Promise((r) => setImmediate(r));
      gates[i]?.();
    }
    const results = await settled;
    assert.equal(peak, IMAGE_JOBS);
    assert.deepEqual(
      started,
      Array.from({ length: n }, (_, i) => i).filter((i) => i !== IMAGE_JOBS),
    );
    assert.equal(results[failing]?.status, 'rejected');
    assert.ok(results.filter((r) => r.status === 'fulfilled').length === n - 2);
    const aborted = results[IMAGE_JOBS];
    assert.ok(aborted?.status === 'rejected' && (aborted.reason as VisionError).rawMessage === 'gone');
    assert.deepEqual(imageJobCounts(), { running: 0, waiting: 0 });
  });

  it('adds no listener to a signal its waiting jobs share (a call of 16 images)', async () => {
    const controller = new AbortController();
    let release: () => void = () => {};
    const gate = new Promise<void>((r) => {
      release = r;
    });
    const runs = Array.from({ length: 20 }, () => runImageJob(() => gate, controller.signal));
    await new Promise((r) => setImmediate(r));
    assert.equal(getEventListeners(controller.signal, 'abort').length, 0);
    release();
    await Promise.all(runs);
  });
});
