/**
 * vision-kit, Node entry: everything in the browser entry plus the gRPC
 * transport, plain grpc-js client classes, credentials and the emulator.
 */
export * from './browser.js';
export { startEmulator } from './emulator/start-emulator.js';
export type { EmulatorOptions, RunningEmulator, EmulatorKnobs, EmulatorStats } from './emulator/start-emulator.js';
