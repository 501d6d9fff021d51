/**
 * Vision's tables, all of them (`gen/schema/messages.ts`, `services.ts`),
 * registered with the schema and service registries. Every entry but
 * `vision-kit/browser` registers them when loaded, so there any of Vision's
 * types can be looked up, written and read by name; a browser bundle
 * registers only what the built-in descriptors it uses reach
 * (packed-tables.ts), and so carries only those tables.
 */
import { ENUMS, MESSAGES } from '../../gen/schema/messages.js';
import { OPERATION_ROUTES, SERVICES } from '../../gen/schema/services.js';
import { registerSchema } from './registry.js';
import { registerServices } from './service-registry.js';

let registered = false;

/** Registers every message, enum and service of Vision's tables (once; later calls do nothing). */
export function registerVisionTables(): void {
  if (registered) return;
  registered = true;
  registerSchema({ messages: MESSAGES, enums: ENUMS });
  registerServices(SERVICES, OPERATION_ROUTES);
}
