/**
 * The work of PurgeProducts: deletes the products chosen when the operation
 * started (members of a product set, or orphans), one per step, each with its
 * reference images and memberships; a restart resumes at the next product.
 */
import { Code, VisionError } from 'vision-kit';
import type { Runner } from '../operations/operation-manager.js';
import type { StateStore } from '../state/state-store.js';

/** Builds the purge runner. */
export function createPurgeRunner(store: StateStore): Runner {
  return async (ctx) => {
    const { op } = ctx;
    if (op.progress.type !== 'purge') throw new VisionError(Code.INTERNAL, `operation ${op.name} has no purge progress`);
    const progress = op.progress;
    while (progress.next < progress.targets.length) {
      await ctx.step();
      const product = progress.targets[progress.next]!;
      const time = Date.now();
      const step = { t: 'op.purgeStep' as const, name: op.name, time };
      await ctx.commit(store.products.has(product) ? { t: 'batch', records: [{ t: 'p.delete', name: product, time }, step] } : step);
    }
    return { state: 'SUCCESSFUL', response: new Uint8Array(0) };
  };
}
