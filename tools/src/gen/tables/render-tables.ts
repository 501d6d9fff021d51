/**
 * The gen-time tables the library's handwritten layer works from, rendered
 * from buf's JSON descriptor image (the compiler output ts-proto sees):
 *   schema/messages.ts   every message and enum, compactly (proto3 JSON and
 *                        the reflection codec work from it; browser-safe)
 *   schema/services.ts   every service method: types, google.api.http
 *                        bindings, operation_info, method signatures; the
 *                        Operations routes from the service configs
 *   schema/resources.ts  google.api.resource types and their patterns
 *   schema/operations.ts the TypeScript response and metadata types of
 *                        every operation-returning method (type-only
 *                        imports of ts-proto's interfaces, for Lro<R, M>)
 *   schema/packed.ts     vision-kit's own only: messages and services again,
 *                        packed per service for browser bundles
 * The output is deterministic: keys are emitted in descriptor order.
 */
import type { DescriptorImage } from '../descriptor-image.js';
import { OPTION_ONLY_FILES } from '../runtime-modules.js';
import type { ServiceConfig } from '../service-config.js';
import { apiHttpConfig } from './api-http-config.js';
import { walkImage } from './model.js';
import { renderMessages } from './render-messages.js';
import { renderOperationTypes } from './render-operation-types.js';
import { renderPacked } from './render-packed.js';
import { renderResources } from './render-resources.js';
import { renderServices } from './render-services.js';

/** What goes into the tables and how they import what they do not hold. */
export interface TableOptions {
  /** True for the .proto files whose modules are in the output (their messages, services and resources are tabled). */
  readonly inScope: (protoFile: string) => boolean;
  /**
   * True for the in-scope files whose messages and enums are tabled; default
   * all but the option-only files (descriptor.proto, google/api/http.proto, …),
   * whose messages only the compiler reads.
   */
  readonly tabled?: ((protoFile: string) => boolean) | undefined;
  /**
   * Where the row types (`FieldRow`, `MethodRow`, `ResourceRow`) come from,
   * e.g. `vision-kit/gen/schema`; undefined to declare them (vision-kit's own
   * gen/schema).
   */
  readonly typesFrom?: string | undefined;
  /** The import specifier, from `schema/`, of the module of a .proto file outside the output. */
  readonly moduleOf: (protoFile: string) => string;
  /** Service configs whose http rules apply (Operations routes, binding overrides). */
  readonly serviceConfigs?: readonly ServiceConfig[] | undefined;
  /** Also write `schema/packed.ts` (vision-kit's own tables: the built-in descriptors' packs for browser bundles). */
  readonly packed?: boolean | undefined;
}

/** Every table file, by path relative to the output folder. */
export function renderTables(image: DescriptorImage, options: TableOptions): Map<string, string> {
  const model = walkImage(image, options.inScope, options.tabled ?? ((file) => !OPTION_ONLY_FILES.has(file)));
  const config = apiHttpConfig(options.serviceConfigs ?? [], model, image);
  const files = new Map([
    ['schema/messages.ts', renderMessages(model, options.typesFrom)],
    ['schema/services.ts', renderServices(model, options.typesFrom, config)],
    ['schema/resources.ts', renderResources(model, options.typesFrom)],
    ['schema/operations.ts', renderOperationTypes(model, options.moduleOf)],
  ]);
  if (options.packed) files.set('schema/packed.ts', renderPacked(model, config));
  return files;
}
