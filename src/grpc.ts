/**
 * `vision-kit/grpc` (Node): plain `@grpc/grpc-js` client classes made from
 * the generated service definitions, the definitions themselves as grpc-js
 * service definitions (for `Server.addService`), and the method lookup the
 * gRPC transport uses. Apps that only call methods want `createClient` with
 * `createGrpcTransport` from `vision-kit` instead.
 *
 * @module vision-kit/grpc
 */

import { provideReasonHints } from './schema/reason-hints.js';
import { registerVisionTables } from './schema/vision-tables.js';
import { provideStrictTemplateParser } from './transcoding/parse-path-template.js';

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

// Every type of Vision's tables can be looked up by name through this entry (vision-tables.ts).
registerVisionTables();
// A bad template is refused with where it goes wrong (path-template.ts, readPathTemplate).
provideStrictTemplateParser();
provideReasonHints();
