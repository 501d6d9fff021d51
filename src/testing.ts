/**
 * `vision-kit/testing` (browser-safe): an in-memory transport that calls
 * handler functions instead of a server, with the same request checks,
 * deadlines, cancellation and retries as the real transports, for fast
 * unit tests of code written against the clients and the poller.
 *
 * @module vision-kit/testing
 */

export type { MemoryCallContext, MemoryHandler, MemoryHandlers } from './transport/memory-transport.js';
export { createMemoryTransport } from './transport/memory-transport.js';
