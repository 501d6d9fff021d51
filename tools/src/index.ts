/**
 * vision-kit-tools (Node): the local Vision emulator, in process.
 * `startEmulator` loads the emulator (and its image, PDF and storage code)
 * only when called. The annotate workflow that the CLI and the demo page
 * share is `vision-kit-tools/workflow`; the `vision-kit` command of the
 * library runs `emulator` and `annotate` from `vision-kit-tools/cli`.
 */

export type {
  EmulatorKnobs,
  EmulatorOptions,
  EmulatorStats,
  IndexRun,
  RequestMemoryStats,
  RunningEmulator,
} from './emulator/start-emulator.js';
export { startEmulator } from './emulator/start-emulator.js';
