/**
 * vision-kit, Node entry: everything in the browser entry plus the gRPC
 * transport, plain grpc-js client classes, credentials and the emulator.
 */
export * from './browser.js';
export { createGateway } from './http/gateway.js';
export type { DecodedRequest, Gateway, GatewayMatch, GatewayMiss, GatewayRoute, SystemParameters } from './http/gateway.js';
