/**
 * Shared helpers of the transcoding tests: the method rows of every service
 * with HTTP rules (Vision, Operations and the test-only Things service, whose
 * schema is registered here).
 */

import { registerSchema } from 'vision-kit/codec';
import { type MethodRow, SERVICES } from 'vision-kit/gen/schema/services.js';
import { ENUMS as TEST_ENUMS, MESSAGES as TEST_MESSAGES } from '../gen/schema/messages.js';
import { SERVICES as TEST_SERVICES } from '../gen/schema/services.js';

registerSchema({ messages: TEST_MESSAGES, enums: TEST_ENUMS });

/** Full names of the services. */
export const IA = 'google.cloud.vision.v1p4beta1.ImageAnnotator';
export const PS = 'google.cloud.vision.v1p4beta1.ProductSearch';
export const OPS = 'google.longrunning.Operations';
export const THINGS = 'visionkit.testing.v1.Things';

/** The test-only service bound to the root path `/` (root-template.test.ts); not in ALL_SERVICES, where `/` stays unrouted. */
export const ROOT = 'visionkit.testing.v1.Root';

/** Every service: the generated ones and the test-only Things. */
export const ALL_SERVICES: { readonly [name: string]: readonly MethodRow[] } = {
  ...SERVICES,
  ...Object.fromEntries(Object.entries(TEST_SERVICES).filter(([name]) => name !== ROOT)),
};

/** The schema row of a method. */
export function methodRow(service: string, name: string): MethodRow {
  const row = ALL_SERVICES[service]?.find((m) => m.name === name);
  if (row === undefined) throw new Error(`no method ${service}.${name}`);
  return row;
}

/** Vision's service config's GetOperation bindings (docs/transcoding.md, "Operation routes"). */
export const GET_OPERATION_SERVICE_CONFIG = [
  { method: 'GET', path: '/v1/{name=projects/*/operations/*}' },
  { method: 'GET', path: '/v1/{name=projects/*/locations/*/operations/*}' },
  { method: 'GET', path: '/v1/{name=operations/*}' },
  { method: 'GET', path: '/v1/{name=locations/*/operations/*}' },
] as const;

/** The two GetOperation bindings newer Node Vision clients hard-code (NV). */
export const GET_OPERATION_NV = [
  { method: 'GET', path: '/v1/{name=operations/*}' },
  { method: 'GET', path: '/v1/{name=locations/*/operations/*}' },
] as const;
