import { createPoller, type Poller, type PollerOptions, VISION_OPERATIONS } from 'vision-kit';
import { FakeClock } from './fake-clock.js';
import { FakeOperations } from './fake-operations.js';

/** A poller on fake time over a scripted transport. */
export interface Rig {
  readonly clock: FakeClock;
  readonly ops: FakeOperations;
  readonly poller: Poller;
}

/** Builds a {@link Rig}; jitter is off unless the options turn it on. */
export function rig(options: Partial<PollerOptions> = {}): Rig {
  const clock = new FakeClock();
  const ops = new FakeOperations(clock);
  const poller = createPoller({
    transport: ops,
    clock,
    random: () => 0.5,
    ...options,
    schedule: { jitter: 0, ...options.schedule },
  });
  return { clock, ops, poller };
}

/** Vision's descriptors, shorter. */
export const D = {
  images: VISION_OPERATIONS['google.cloud.vision.v1p4beta1.ImageAnnotator/AsyncBatchAnnotateImages'],
  files: VISION_OPERATIONS['google.cloud.vision.v1p4beta1.ImageAnnotator/AsyncBatchAnnotateFiles'],
  importSets: VISION_OPERATIONS['google.cloud.vision.v1p4beta1.ProductSearch/ImportProductSets'],
  purge: VISION_OPERATIONS['google.cloud.vision.v1p4beta1.ProductSearch/PurgeProducts'],
};

/** A start response that is not done yet. */
export function started(name: string): { name: string; done: boolean; metadata: undefined; error: undefined; response: undefined } {
  return { name, done: false, metadata: undefined, error: undefined, response: undefined };
}
