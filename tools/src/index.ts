/**
 * vision-kit-tools (Node): the local Vision emulator, in process, and the
 * bindings generator. `startEmulator` loads the emulator (and its image,
 * PDF and storage code) only when called. `generateBindings` is what
 * `vision-kit gen` runs: typed bindings and gen-time tables for googleapis
 * paths (`google/cloud/speech/v1`) or protos of your own, written into a
 * folder of yours and importing vision-kit by package name. The annotate
 * workflow that the CLI and the demo page share is
 * `vision-kit-tools/workflow`; the `vision-kit` command of the library runs
 * `emulator`, `annotate` and `gen` from `vision-kit-tools/cli`.
 *
 * @module vision-kit-tools
 */

export { EmulatorOptionError } from './emulator/option-error.js';
export { EmulatorPortInUseError } from './emulator/port-in-use.js';
export type {
  EmulatorKnobs,
  EmulatorOptions,
  EmulatorStats,
  IndexRun,
  RequestMemoryStats,
  RunningEmulator,
} from './emulator/start-emulator.js';
export { startEmulator } from './emulator/start-emulator.js';
export type { SkippedMethod } from './gen/descriptor-image.js';
export { GenStepError } from './gen/gen-error.js';
export type { GenOptions, GenResult } from './gen/write-bindings.js';
export { generateBindings } from './gen/write-bindings.js';
