import type { ImageAnnotatorDefinition } from '../../gen/google/cloud/vision/v1p4beta1/image_annotator.js';
import type { ProductSearchDefinition } from '../../gen/google/cloud/vision/v1p4beta1/product_search_service.js';
import type { OperationsDefinition } from '../../gen/google/longrunning/operations.js';
import type { OperationTypes } from '../../gen/schema/operations.js';
import { type MethodRow, SERVICES } from '../../gen/schema/services.js';
import { Code } from '../core/code.js';
import { VisionError } from '../core/vision-error.js';
import type { GenericServiceDefinition } from './definition-types.js';
import { registerSchema, type SchemaTables } from './registry.js';

/** The services table shape of `gen/schema/services.ts` (and of any tables our `npm run gen` pipeline makes). */
export type ServiceTable = { readonly [fullName: string]: readonly MethodRow[] };

/**
 * The gen-time tables of protos of your own, made by our pipeline
 * (`scripts/gen`, with `VISION_KIT_GEN_*` pointing it at your protos and an
 * output folder, as `test/gen/` is made): `services` from its
 * `schema/services.ts`, and `messages` and `enums` from its
 * `schema/messages.ts`. The message tables are what proto3 JSON (REST),
 * request normalising (both transports) and the poller's `Any` decoding
 * need; they may be left out when they are registered already.
 */
export interface GeneratedTables extends Partial<SchemaTables> {
  /** Method rows by service full name (`SERVICES` of the generated `schema/services.ts`). */
  readonly services: ServiceTable;
}

/**
 * A service as the clients need it at run time, built from the gen-time
 * tables (browser-safe). The type parameter carries the ts-proto generic
 * definition, as a type only, so `createRawClient` can type every method.
 */
export interface ServiceDescriptor<D extends GenericServiceDefinition = GenericServiceDefinition, T = OperationTypes> {
  /** Full name, e.g. `google.cloud.vision.v1p4beta1.ProductSearch`. */
  readonly fullName: string;
  /** Short name, e.g. `ProductSearch`. */
  readonly name: string;
  /** Its methods' rows from `gen/schema/services.ts`, in declaration order. */
  readonly methods: readonly MethodRow[];
  /** Type-level link to the ts-proto definition; never set at run time. */
  readonly definition?: D;
  /**
   * Type-level link to the response and metadata types of the service's
   * operation-returning methods (the generated `schema/operations.ts`'s
   * `OperationTypes`), so `createClient` types their handles; never set at
   * run time.
   */
  readonly operationTypes?: T;
}

/**
 * The descriptor of a service by full name, from `gen/schema/services.ts` or,
 * for a service of your own, from `tables` (made by our gen pipeline; its
 * `messages` and `enums`, when given, are registered with the schema
 * registry first, see {@link GeneratedTables}). Throws a NOT_FOUND
 * VisionError naming it when the table has no such service (and
 * INVALID_ARGUMENT `SchemaError` when the message tables clash with ones
 * already registered). Browser-safe: tables only.
 *
 * ```ts
 * import { SERVICES } from './gen/schema/services.js';
 * import { MESSAGES, ENUMS } from './gen/schema/messages.js';
 * import type { OperationTypes } from './gen/schema/operations.js';
 * import type { ThingsDefinition } from './gen/vision_kit/testing/v1/things.js';
 * const Things = serviceDescriptor<ThingsDefinition, OperationTypes>('visionkit.testing.v1.Things', { services: SERVICES, messages: MESSAGES, enums: ENUMS });
 * ```
 */
export function serviceDescriptor<D extends GenericServiceDefinition = GenericServiceDefinition, T = OperationTypes>(
  fullName: string,
  tables?: GeneratedTables,
): ServiceDescriptor<D, T> {
  const table: ServiceTable = tables?.services ?? SERVICES;
  const methods = Object.hasOwn(table, fullName) ? table[fullName] : undefined;
  if (methods === undefined) throw new VisionError(Code.NOT_FOUND, `unknown service "${fullName}"`);
  if (tables?.messages !== undefined || tables?.enums !== undefined) {
    registerSchema({ messages: tables.messages ?? {}, enums: tables.enums ?? {} });
  }
  return Object.freeze({ fullName, name: fullName.slice(fullName.lastIndexOf('.') + 1), methods });
}

/** `google.cloud.vision.v1p4beta1.ImageAnnotator`: image and file annotation (sync and async). */
export const ImageAnnotator: ServiceDescriptor<ImageAnnotatorDefinition> = /* @__PURE__ */ serviceDescriptor<ImageAnnotatorDefinition>(
  'google.cloud.vision.v1p4beta1.ImageAnnotator',
);

/** `google.cloud.vision.v1p4beta1.ProductSearch`: products, product sets, reference images. */
export const ProductSearch: ServiceDescriptor<ProductSearchDefinition> = /* @__PURE__ */ serviceDescriptor<ProductSearchDefinition>(
  'google.cloud.vision.v1p4beta1.ProductSearch',
);

/** `google.longrunning.Operations`: get, list, cancel, delete (and wait, gRPC only). */
export const Operations: ServiceDescriptor<OperationsDefinition> =
  /* @__PURE__ */ serviceDescriptor<OperationsDefinition>('google.longrunning.Operations');

/** The three services, by full name. */
export const SERVICE_DESCRIPTORS: readonly ServiceDescriptor[] = [ImageAnnotator, ProductSearch, Operations];

/** A method's client property name: the proto name with a lower-case first letter (as ts-proto names it). */
export function methodKey(protoName: string): string {
  return protoName.charAt(0).toLowerCase() + protoName.slice(1);
}

/** A method found by proto name in one of the three services. */
export interface FoundMethod {
  /** The service's descriptor. */
  readonly service: ServiceDescriptor;
  /** The method's row. */
  readonly method: MethodRow;
}

/**
 * Finds a method by its proto name (`GetOperation`), the client's spelling
 * (`getOperation`) or a qualified name (`google.longrunning.Operations.GetOperation`,
 * `Operations/GetOperation`), case-insensitively (no two methods differ only
 * by case). Throws a NOT_FOUND VisionError naming the method when none matches.
 */
export function findMethod(name: string): FoundMethod {
  const sep = Math.max(name.lastIndexOf('.'), name.lastIndexOf('/'));
  const short = (sep >= 0 ? name.slice(sep + 1) : name).toLowerCase();
  const qualifier = sep >= 0 ? name.slice(0, sep).toLowerCase() : undefined;
  for (const service of SERVICE_DESCRIPTORS) {
    if (qualifier !== undefined && qualifier !== service.fullName.toLowerCase() && qualifier !== service.name.toLowerCase()) continue;
    const method = service.methods.find((m) => m.name.toLowerCase() === short);
    if (method !== undefined) return { service, method };
  }
  throw new VisionError(Code.NOT_FOUND, `unknown method "${name}": not a method of ${SERVICE_DESCRIPTORS.map((s) => s.name).join(', ')}`);
}
