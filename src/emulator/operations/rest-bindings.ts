/**
 * The REST routes of google.longrunning.Operations on the emulator: the proto
 * rules (`/v1/{name=operations/**}` for Get, Cancel, Delete; List at
 * `/v1/operations`) plus, for Get, Cancel and Delete, every other operation
 * name shape of Vision's service config (`projects/*​/operations/*`,
 * `projects/*​/locations/*​/operations/*`, `locations/*​/operations/*`), so
 * import and purge operations are reachable over REST too. WaitOperation has
 * no binding.
 */
import type { HttpBinding, MethodRow } from '../../../gen/schema/services.js';

const SHAPES = ['projects/*/operations/*', 'projects/*/locations/*/operations/*', 'locations/*/operations/*'] as const;

/** Bindings per Operations method name (absent: the proto rule). */
export const OPERATIONS_BINDINGS: { readonly [method: string]: readonly HttpBinding[] } = {
  GetOperation: [{ method: 'GET', path: '/v1/{name=operations/**}' }, ...SHAPES.map((s) => ({ method: 'GET', path: `/v1/{name=${s}}` }))],
  CancelOperation: [
    { method: 'POST', path: '/v1/{name=operations/**}:cancel', body: '*' },
    ...SHAPES.map((s) => ({ method: 'POST', path: `/v1/{name=${s}}:cancel`, body: '*' })),
  ],
  DeleteOperation: [{ method: 'DELETE', path: '/v1/{name=operations/**}' }, ...SHAPES.map((s) => ({ method: 'DELETE', path: `/v1/{name=${s}}` }))],
};

/** The emulator's bindings for a method (for `createHttpApiHandler`'s `bindings`). */
export function emulatorBindings(service: string, method: MethodRow): readonly HttpBinding[] | undefined {
  return service === 'google.longrunning.Operations' ? OPERATIONS_BINDINGS[method.name] : undefined;
}
