/**
 * `vision-kit/grpc` (Node): plain `@grpc/grpc-js` client classes made from
 * the generated service definitions, the definitions themselves as grpc-js
 * service definitions (for `Server.addService`), and the method lookup the
 * gRPC transport uses. Apps that only call methods want `createClient` with
 * `createGrpcTransport` from `vision-kit` instead.
 *
 * @module vision-kit/grpc
 */

import { setUpNodeEntry } from './transcoding/node-entry-setup.js';

export type { GrpcClient, GrpcClientConstructor, GrpcClientMethod, GrpcMethod, GrpcMethodLookup } from './transport/grpc-definitions.js';
export {
  GENERIC_DEFINITIONS,
  grpcMethodLookup,
  grpcServiceDefinition,
  ImageAnnotatorGrpcClient,
  makeGrpcClientClass,
  OperationsGrpcClient,
  ProductSearchGrpcClient,
} from './transport/grpc-definitions.js';
export { GRPC_MESSAGE_LIMIT } from './transport/grpc-transport.js';

// Every type of Vision's tables can be looked up by name through this entry, with Node's exact errors (node-entry-setup.ts).
setUpNodeEntry();
