/**
 * The generic long-running-operation poller (#5): handles, the poller,
 * descriptors from `operation_info`, the operations transport, typed
 * clients with handles, and the poller's errors. Browser-safe.
 */
export type { Lro, LroCallOptions, LroProgressOptions, LroWaitOptions } from './lro.js';
export { Poller, createPoller } from './poller.js';
export type { LroOptions, PollerOptions, PollerStats } from './poller.js';
export { createClient, descriptorOf } from './lro-client.js';
export type { Client, ClientCallOptions, ClientMethod, ClientOptions, LroResult } from './lro-client.js';
export { VISION_OPERATIONS, lroDescriptor, operationDescriptors } from './descriptor.js';
export type { LroDescriptor, LroDescriptors, OperationTypeMap, VisionOperationMethod } from './descriptor.js';
export { DEFAULT_SCHEDULE, VISION_SCHEDULES, defaultScheduleFor, mergeSchedule, sleepFor } from './schedule.js';
export type { PollSchedule, PollScheduleOverrides } from './schedule.js';
export { createOperationsTransport } from './transport-operations.js';
export type { OperationsTransportOptions } from './transport-operations.js';
export type { OperationsCallOptions, OperationsTransport } from './operations-transport.js';
export { DEFAULT_OPERATION_ROUTES, routeOperation } from './operation-routes.js';
export type { OperationRoutes, RoutedOperation } from './operation-routes.js';
export { parseSavedLro } from './saved-lro.js';
export type { SavedLro } from './saved-lro.js';
export { registryUnpacker } from './any-unpacker.js';
export type { AnyUnpacker } from './any-unpacker.js';
export { systemClock } from './clock.js';
export type { LroClock } from './clock.js';
export {
  LroAbortedError,
  LroDecodeError,
  LroError,
  LroHandleError,
  LroOperationError,
  LroPollError,
  LroProtocolError,
  LroRequestError,
  LroRoutingError,
  LroTimeoutError,
} from './errors.js';
export type { LroErrorContext, OperationsRpc } from './errors.js';
