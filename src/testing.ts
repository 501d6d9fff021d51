/**
 * `vision-kit/testing` (browser-safe): an in-memory transport that calls
 * handler functions instead of a server, with the same request checks,
 * deadlines, cancellation and retries as the real transports, for fast
 * unit tests of code written against the clients and the poller.
 *
 * @module vision-kit/testing
 */

import { setUpNodeEntry } from './transcoding/node-entry-setup.js';

export type { MemoryCallContext, MemoryHandler, MemoryHandlers } from './transport/memory-transport.js';
export { createMemoryTransport } from './transport/memory-transport.js';

// Every type of Vision's tables can be looked up by name through this entry, with Node's exact errors (node-entry-setup.ts).
setUpNodeEntry();
