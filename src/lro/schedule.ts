import * as codes from '../core/codes.js';
import { VisionError } from '../core/vision-error.js';

/**
 * How often to poll one operation and for how long: sleep k (k = 0, 1, …) is
 * `min(maxDelay, initialDelay × multiplier^k)`, shortened by up to `jitter`
 * of itself at random; `totalTimeout` is the default deadline of a handle
 * counted from its start.
 */
export interface PollSchedule {
  /** The first sleep, in ms (before the first GetOperation of a new operation). */
  readonly initialDelay: number;
  /** Growth factor of each following sleep (≥ 1). */
  readonly multiplier: number;
  /** The longest sleep, in ms. */
  readonly maxDelay: number;
  /** Default deadline of a handle: ms from its start (`Infinity` for none). */
  readonly totalTimeout: number;
  /** Fraction 0–1: each sleep lies in [(1 − jitter)·s, s]. */
  readonly jitter: number;
  /** The longest single GetOperation, in ms (always also cut to the time left). */
  readonly pollTimeout: number;
  /** Transient poll errors in a row that end a wait with a poll error. */
  readonly maxConsecutiveFailures: number;
}

/** Parts of a {@link PollSchedule}, given per poller, per handle or per wait. */
export type PollScheduleOverrides = Partial<PollSchedule>;

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;

/** Settings every schedule starts from (docs/poller.md, "Default schedules": any other method). */
export const DEFAULT_SCHEDULE: PollSchedule = {
  initialDelay: 1 * SECOND,
  multiplier: 1.5,
  maxDelay: 45 * SECOND,
  totalTimeout: 15 * MINUTE,
  jitter: 0.2,
  pollTimeout: 30 * SECOND,
  maxConsecutiveFailures: 5,
};

const LONG_BATCH: PollScheduleOverrides = {
  initialDelay: 20 * SECOND,
  multiplier: 1.5,
  maxDelay: 45 * SECOND,
  totalTimeout: 24 * HOUR,
};

/**
 * Vision's own polling settings (googleapis' vision_gapic.yaml), keyed by
 * `Service/Method` without the package, so every Vision version shares them.
 * PurgeProducts lists none; it takes ImportProductSets'.
 */
export const VISION_SCHEDULES: { readonly [serviceAndMethod: string]: PollScheduleOverrides } = {
  'ImageAnnotator/AsyncBatchAnnotateImages': {
    initialDelay: 500,
    multiplier: 1.5,
    maxDelay: 5 * SECOND,
    totalTimeout: 300 * SECOND,
  },
  'ImageAnnotator/AsyncBatchAnnotateFiles': LONG_BATCH,
  'ProductSearch/ImportProductSets': LONG_BATCH,
  'ProductSearch/PurgeProducts': LONG_BATCH,
};

/**
 * The default schedule of a method id (`google.cloud.vision.v1p4beta1.ImageAnnotator/AsyncBatchAnnotateImages`):
 * Vision's row when the service is a `google.cloud.vision.*` one, else {@link DEFAULT_SCHEDULE}.
 */
export function defaultScheduleFor(methodId: string): PollSchedule {
  const slash = methodId.indexOf('/');
  const service = methodId.slice(0, slash);
  const dot = service.lastIndexOf('.');
  const short = `${service.slice(dot + 1)}/${methodId.slice(slash + 1)}`;
  const vision = service.startsWith('google.cloud.vision.') ? VISION_SCHEDULES[short] : undefined;
  return vision === undefined ? DEFAULT_SCHEDULE : { ...DEFAULT_SCHEDULE, ...vision };
}

/**
 * Merges overrides into a schedule, refusing nonsense (negative delays, a
 * multiplier below 1, a jitter outside 0–1) with an INVALID_ARGUMENT VisionError naming the field.
 */
export function mergeSchedule(base: PollSchedule, ...overrides: (PollScheduleOverrides | undefined)[]): PollSchedule {
  let out = base;
  for (const o of overrides) {
    if (o === undefined) continue;
    const defined = Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as PollScheduleOverrides;
    out = { ...out, ...defined };
  }
  const check = (field: keyof PollSchedule, ok: boolean): void => {
    if (!ok) throw new VisionError(codes.INVALID_ARGUMENT, `poll schedule: ${field} = ${String(out[field])} is out of range`);
  };
  check('initialDelay', out.initialDelay >= 0 && Number.isFinite(out.initialDelay));
  check('multiplier', out.multiplier >= 1 && Number.isFinite(out.multiplier));
  check('maxDelay', out.maxDelay >= 0 && Number.isFinite(out.maxDelay));
  check('totalTimeout', out.totalTimeout > 0);
  check('jitter', out.jitter >= 0 && out.jitter <= 1);
  check('pollTimeout', out.pollTimeout > 0);
  check('maxConsecutiveFailures', Number.isInteger(out.maxConsecutiveFailures) && out.maxConsecutiveFailures >= 1);
  return out;
}

/**
 * Sleep number `k` of a schedule, in ms: `min(maxDelay, initialDelay × multiplier^k)`
 * scaled by a factor in [1 − jitter, 1] drawn from `random` (a function like
 * `Math.random`, returning [0, 1)). Never above the cap.
 */
export function sleepFor(schedule: PollSchedule, k: number, random: () => number): number {
  const base = Math.min(schedule.maxDelay, schedule.initialDelay * schedule.multiplier ** k);
  if (schedule.jitter === 0) return base;
  return base * (1 - schedule.jitter * random());
}
