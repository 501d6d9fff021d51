import type { HttpBinding } from '../../gen/schema/services.js';
import type { MethodRef } from './transport.js';

/**
 * Vision's service config binds GetOperation to these paths (design.md); the
 * other Operations methods keep operations.proto's own rules.
 */
export const GET_OPERATION_BINDINGS: readonly HttpBinding[] = Object.freeze([
  { method: 'GET', path: '/v1/{name=projects/*/operations/*}' },
  { method: 'GET', path: '/v1/{name=projects/*/locations/*/operations/*}' },
  { method: 'GET', path: '/v1/{name=operations/*}' },
  { method: 'GET', path: '/v1/{name=locations/*/operations/*}' },
]);

/** The HTTP bindings the REST transport uses for a method, when they differ from its proto rule. */
export function restBindings(ref: MethodRef): readonly HttpBinding[] | undefined {
  if (ref.service === 'google.longrunning.Operations' && ref.method.name === 'GetOperation') return GET_OPERATION_BINDINGS;
  return undefined;
}
