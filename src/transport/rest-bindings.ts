import { SERVICES, type HttpBinding } from '../../gen/schema/services.js';
import type { MethodRef } from './transport.js';

const OPS = 'google.longrunning.Operations';

/**
 * Vision's service config binds GetOperation to these paths (design.md),
 * replacing operations.proto's `GET /v1/{name=operations/**}`.
 */
export const GET_OPERATION_BINDINGS: readonly HttpBinding[] = Object.freeze([
  { method: 'GET', path: '/v1/{name=projects/*/operations/*}' },
  { method: 'GET', path: '/v1/{name=projects/*/locations/*/operations/*}' },
  { method: 'GET', path: '/v1/{name=operations/*}' },
  { method: 'GET', path: '/v1/{name=locations/*/operations/*}' },
]);

/** The operation name shapes of the service config, past `operations/…`, as path templates. */
const OTHER_SHAPES = ['projects/*/operations/*', 'projects/*/locations/*/operations/*', 'locations/*/operations/*'] as const;

/**
 * operations.proto's rules for Cancel and Delete only carry `operations/**`
 * names; import and purge operations are named
 * `projects/P/locations/L/operations/ID`. These keep the proto rule first and
 * add the service config's other name shapes after it (the emulator's
 * gateway serves them), so such an operation can be cancelled or deleted
 * over REST instead of being refused before any I/O.
 */
export const CANCEL_OPERATION_BINDINGS: readonly HttpBinding[] = Object.freeze([
  { method: 'POST', path: '/v1/{name=operations/**}:cancel', body: '*' },
  ...OTHER_SHAPES.map((shape) => ({ method: 'POST', path: `/v1/{name=${shape}}:cancel`, body: '*' })),
]);

/** See {@link CANCEL_OPERATION_BINDINGS}. */
export const DELETE_OPERATION_BINDINGS: readonly HttpBinding[] = Object.freeze([
  { method: 'DELETE', path: '/v1/{name=operations/**}' },
  ...OTHER_SHAPES.map((shape) => ({ method: 'DELETE', path: `/v1/{name=${shape}}` })),
]);

/**
 * The HTTP bindings the REST transport uses for a method, when they differ
 * from its proto rule (the Operations methods above); undefined otherwise,
 * and for a MethodRef whose row carries bindings of its own.
 */
export function restBindings(ref: MethodRef): readonly HttpBinding[] | undefined {
  if (ref.service !== OPS) return undefined;
  // A row other than the generated one brings its caller's own bindings (the poller's routes).
  if (ref.method.http !== SERVICES[OPS]?.find((m) => m.name === ref.method.name)?.http) return undefined;
  switch (ref.method.name) {
    case 'GetOperation':
      return GET_OPERATION_BINDINGS;
    case 'CancelOperation':
      return CANCEL_OPERATION_BINDINGS;
    case 'DeleteOperation':
      return DELETE_OPERATION_BINDINGS;
    default:
      return undefined;
  }
}
