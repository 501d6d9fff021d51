/**
 * `vision-kit/serving` (Node): a server for any protos — your own, or a
 * test double of a Google API — on gRPC and REST, with the behaviour
 * Google's front ends have. `defineService` binds handlers to a ts-proto
 * generic definition (bindings from `vision-kit gen`); `startServer` serves
 * a set of them on both transports at once, or `createGrpcHost` (grpc-js)
 * and `createRestHandler` (HTTP through the transcoding gateway: routing,
 * 404/405, proto3 JSON, Google's error body with `google.rpc` details) one
 * by one. `createOperationStore` keeps long-running operations and serves
 * `google.longrunning.Operations` over them; the REST handler answers it on
 * the Operations routes of the APIs it serves (their service configs).
 *
 * `Any` values (operation metadata and responses, error details) are packed
 * with `packAny`, which needs the type registered: importing the `index.js`
 * that `vision-kit gen` writes registers its types (or call
 * `registerSchema` with its tables). The pieces of HTTP hygiene the REST
 * side uses (bodies read under a limit, JSON and error answers, CORS) are
 * here for a server's own routes.
 *
 * @module vision-kit/serving
 */

import { setUpNodeEntry } from './transcoding/node-entry-setup.js';

export { packAny, unpackAny } from './codec/any.js';
export type { RestErrorBody, Status } from './codec/rpc-status.js';
export { errorToRestBody, errorToStatus, restStatusOf } from './codec/rpc-status.js';
export { registerSchema } from './schema/registry.js';
export type { UnexpectedErrorLogger } from './serving/dispatch.js';
export { logUnexpected, toVisionError } from './serving/dispatch.js';
export type { GrpcHost, GrpcHostOptions } from './serving/grpc-host.js';
export { createGrpcHost, MAX_REQUEST_BYTES } from './serving/grpc-host.js';
export {
  answerClientError,
  answerPreflight,
  BodyTooLargeError,
  isPreflight,
  readBody,
  sendError,
  sendJson,
  setCors,
} from './serving/http-util.js';
export type { OperationStore, OperationStoreOptions, OperationUpdate } from './serving/operation-store.js';
export { createOperationStore } from './serving/operation-store.js';
export type { BudgetReservation, RequestBudget } from './serving/request-budget.js';
export type { RestHandler, RestHandlerOptions } from './serving/rest-handler.js';
export { createRestHandler } from './serving/rest-handler.js';
export type { CallContext, CallInfo, HandlersOf, Interceptor, ServiceImpl, UnaryHandler } from './serving/service-impl.js';
export { defineService } from './serving/service-impl.js';
export type { RunningServer, ServerOptions } from './serving/start-server.js';
export { startServer } from './serving/start-server.js';
export { servedBindings, servedOperationBindings } from './transcoding/operations-bindings.js';

// Every type of Vision's tables can be looked up by name through this entry, with Node's exact errors (node-entry-setup.ts).
setUpNodeEntry();
