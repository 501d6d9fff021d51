/**
 * vision-kit, Node entry: everything in the browser entry plus the gRPC
 * transport, plain grpc-js client classes, credentials and the emulator.
 */
export * from './browser.js';
