/**
 * `vision-kit/serving` (Node): puts service implementations on gRPC and
 * REST. `defineService` binds handlers to a ts-proto generic definition;
 * `createGrpcHost` serves them over `@grpc/grpc-js`, `createRestHandler`
 * over HTTP through the transcoding gateway, with Google-style errors and
 * `google.rpc` details on both. The pieces of HTTP hygiene the REST side
 * uses (bodies read under a limit, JSON and error answers, CORS) are here
 * for a server's own routes.
 */

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
export type { BudgetReservation, RequestBudget } from './serving/request-budget.js';
export type { RestHandler, RestHandlerOptions } from './serving/rest-handler.js';
export { createRestHandler } from './serving/rest-handler.js';
export type { CallContext, CallInfo, HandlersOf, Interceptor, ServiceImpl, UnaryHandler } from './serving/service-impl.js';
export { defineService } from './serving/service-impl.js';
export { servedBindings } from './transcoding/operations-bindings.js';
