/**
 * Moves `names` (paths relative to both folders, e.g. `test/gen`) from
 * `stage` into `out`, replacing what is there, all or nothing; throws a
 * `GenStepError` of step "swap" after rolling back. `rename` replaces
 * `fs.renameSync` for the forward moves (tests fail it at a chosen point).
 */
export declare function swapTrees(
  stage: string,
  out: string,
  names: readonly string[],
  options?: { rename?: (from: string, to: string) => void },
): void;
