/**
 * vision-kit, Node entry: everything in the browser entry plus the gRPC
 * transport, plain grpc-js client classes, credentials and the emulator.
 */
export * from './browser.js';

// gRPC transport, plain grpc-js clients, credentials (#4).
export { createGrpcTransport, GRPC_MESSAGE_LIMIT } from './transport/grpc-transport.js';
export type { GrpcTransportOptions } from './transport/grpc-transport.js';
export { createTransport, resolveTransport } from './transport/create-transport.js';
export type { CreateTransportOptions, TransportChoice, TransportChoiceOptions, TransportKind } from './transport/create-transport.js';
export { googleAuthTokenProvider } from './transport/google-auth.js';
export type { GoogleAuthOptions } from './transport/google-auth.js';
export {
  GENERIC_DEFINITIONS,
  ImageAnnotatorGrpcClient,
  OperationsGrpcClient,
  ProductSearchGrpcClient,
  grpcMethodLookup,
  grpcServiceDefinition,
  makeGrpcClientClass,
} from './transport/grpc-definitions.js';
export type { GrpcClient, GrpcClientConstructor, GrpcClientMethod, GrpcMethod, GrpcMethodLookup } from './transport/grpc-definitions.js';

// The emulator (#6), loaded on first use.
export { startEmulator } from './emulator/start-emulator.js';
export type { EmulatorOptions, RunningEmulator, EmulatorKnobs, EmulatorStats } from './emulator/start-emulator.js';

// Transcoding (#3).
export { createGateway } from './http/gateway.js';
export type { DecodedRequest, Gateway, GatewayMatch, GatewayMiss, GatewayRoute, SystemParameters } from './http/gateway.js';

// The annotate workflow shared by `vision-kit annotate` and the demo page (#8);
// browsers import it as `vision-kit/workflow`, so the browser entry stays small.
export * from './workflow/index.js';
