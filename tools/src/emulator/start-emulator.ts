/**
 * The emulator's public entry for the Node package: {@link startEmulator}
 * loads the emulator (and its image libraries) only when called, so that
 * importing vision-kit stays light.
 */
import type { EmulatorOptions, RunningEmulator } from './emulator.js';

export type { EmulatorOptions, RunningEmulator } from './emulator.js';
export type { EmulatorKnobs, EmulatorStats } from './knobs.js';
export type { IndexRun } from './product-search/product-index.js';
export type { RequestMemoryStats } from './request-memory.js';

/**
 * Starts the local Vision emulator in this process: gRPC and HTTP (REST,
 * Cloud Storage subset, demo) on 127.0.0.1, state under `dataDir`. Resolves
 * once both ports listen and the data dir is recovered; `stop()` ends it.
 *
 * ```ts
 * const emu = await startEmulator({ grpcPort: 0, httpPort: 0, dataDir: '/tmp/vk' });
 * process.env.VISION_EMULATOR_HOST = emu.grpcAddress;
 * // … emu.knobs.faultRate = 0.3; emu.stats.operationStarts …
 * await emu.stop();
 * ```
 */
export async function startEmulator(options: EmulatorOptions = {}): Promise<RunningEmulator> {
  const { startEmulator: start } = await import('./emulator.js');
  return start(options);
}
