/**
 * The generic long-running-operation poller: handles, the poller,
 * descriptors from `operation_info`, the operations transport and the
 * poller's errors. Browser-safe; both entries re-export this list.
 */

export type { AnyUnpacker } from './any-unpacker.js';
export type { LroClock } from './clock.js';
export type { LroDescriptor, LroDescriptors, OperationTypeMap, VisionOperationMethod } from './descriptor.js';
export { lroDescriptor, operationDescriptors, VISION_OPERATIONS } from './descriptor.js';
export type { LroErrorContext, OperationsRpc } from './errors.js';
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
export type { Lro, LroCallOptions, LroProgressOptions, LroWaitOptions } from './lro.js';
export type { OperationRoutes } from './operation-routes.js';
export { DEFAULT_OPERATION_ROUTES } from './operation-routes.js';
export type { OperationsCallOptions, OperationsTransport, OperationsTransportOptions } from './operations-transport.js';
export { createOperationsTransport } from './operations-transport.js';
export { parseSavedLro } from './parse-saved-lro.js';
export type { LroOptions, PollerOptions, PollerStats } from './poller.js';
export { createPoller, Poller } from './poller.js';
export type { SavedLro } from './saved-lro.js';
export type { PollSchedule, PollScheduleOverrides } from './schedule.js';
export { DEFAULT_SCHEDULE, VISION_SCHEDULES } from './schedule.js';
