/**
 * vision-kit for Node (`vision-kit`): everything in `vision-kit/browser`
 * (REST transport, typed clients, the poller, errors, resource names) plus
 * the gRPC transport, transport selection from the environment and Google's
 * application default credentials. Lower-level pieces live behind subpaths:
 * `vision-kit/grpc` (plain grpc-js client classes, definitions),
 * `vision-kit/codec` (proto3 JSON, binary, Any, Status, the schema),
 * `vision-kit/transcoding` (google.api.http both ways), `vision-kit/serving`
 * (a service implementation on gRPC and REST), `vision-kit/testing` (an
 * in-memory transport) and `vision-kit/gen/…` (the generated modules).
 *
 * @module vision-kit
 */

import { setUpNodeEntry } from './transcoding/node-entry-setup.js';

export * from './browser.js';
export type { CreateTransportOptions, TransportChoice, TransportChoiceOptions, TransportKind } from './transport/create-transport.js';
export { createTransport, resolveTransport } from './transport/create-transport.js';
export type { TransportFallback } from './transport/fallback-transport.js';
export type { GoogleAuthOptions } from './transport/google-auth.js';
export { googleAuthTokenProvider } from './transport/google-auth.js';
export type { GrpcTransportOptions } from './transport/grpc-transport.js';
export { createGrpcTransport } from './transport/grpc-transport.js';
export type { NodeRestTransportOptions } from './transport/node-rest-transport.js';
// On Node, `createRestTransport` also takes proxies and a private CA (this one shadows the browser entry's).
export { createRestTransport } from './transport/node-rest-transport.js';
export type { CaOption } from './transport/node-trust.js';

// Every type of Vision's tables can be looked up by name through this entry, with Node's exact errors (node-entry-setup.ts).
setUpNodeEntry();
