import type { ImageAnnotatorDefinition } from '../../gen/google/cloud/vision/v1p4beta1/image_annotator.js';
import type { ProductSearchDefinition } from '../../gen/google/cloud/vision/v1p4beta1/product_search_service.js';
import type { OperationsDefinition } from '../../gen/google/longrunning/operations.js';
import type { OperationTypes } from '../../gen/schema/operations.js';
import { PACKED_BASE, PACKED_IMAGE_ANNOTATOR, PACKED_PRODUCT_SEARCH, type PackedTables } from '../../gen/schema/packed.js';
import type { MethodRow, OperationRouteRow } from '../../gen/schema/services.js';
import * as codes from '../core/codes.js';
import { VisionError } from '../core/vision-error.js';
import type { GenericServiceDefinition } from './definition-types.js';
import { basePack, unpackTables } from './packed-tables.js';
import { registerSchema, type SchemaTables } from './registry.js';
import { type OperationRouteTable, registerServices, type ServiceTable } from './service-registry.js';

export type { OperationRouteTable, ServiceTable } from './service-registry.js';

/**
 * The gen-time tables of protos of your own, made by `vision-kit gen` (the
 * generated `index.ts` passes them as `TABLES`): `services` and
 * `operationRoutes` from its `schema/services.ts`, and `messages` and
 * `enums` from its `schema/messages.ts`. The message tables are what proto3
 * JSON (REST), request normalising (both transports), `Any` packing and the
 * poller's `Any` decoding need; they may be left out when they are
 * registered already.
 */
export interface GeneratedTables extends Partial<SchemaTables> {
  /** Method rows by service full name (`SERVICES` of the generated `schema/services.ts`). */
  readonly services: ServiceTable;
  /** Operations routes by service full name (`OPERATION_ROUTES`: generated from the API's service config). */
  readonly operationRoutes?: OperationRouteTable | undefined;
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
  /** Its methods' rows from the generated `schema/services.ts`, in declaration order (streaming methods left out). */
  readonly methods: readonly MethodRow[];
  /**
   * Where the service's operations are polled, cancelled and deleted over
   * REST (its service config's http rules for `google.longrunning.Operations`),
   * when its bindings were generated with one. Clients and pollers route the
   * service's operations through these unless given `routes` of their own.
   */
  readonly operationRoutes?: OperationRouteRow | undefined;
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
 * for a service of your own, from `tables` (made by `vision-kit gen`; its
 * `messages` and `enums`, when given, are registered with the schema
 * registry first, and its services and Operations routes with the service
 * registry, see {@link GeneratedTables}). Throws a NOT_FOUND VisionError
 * naming it when the table has no such service (and INVALID_ARGUMENT
 * `SchemaError` when the tables clash with ones already registered).
 * Browser-safe: tables only. The `index.ts` that `vision-kit gen` writes
 * makes one per service:
 *
 * ```ts
 * import type { SpeechDefinition } from './google/cloud/speech/v1/cloud_speech.js';
 * import type { OperationTypes } from './schema/operations.js';
 * const Speech = serviceDescriptor<SpeechDefinition, OperationTypes>('google.cloud.speech.v1.Speech', TABLES);
 * ```
 */
export function serviceDescriptor<D extends GenericServiceDefinition = GenericServiceDefinition, T = OperationTypes>(
  fullName: string,
  tables?: GeneratedTables,
): ServiceDescriptor<D, T> {
  if (tables === undefined) {
    // One of Vision's: the built-in descriptor.
    const builtInDescriptor = SERVICE_DESCRIPTORS.find((d) => d.fullName === fullName);
    if (builtInDescriptor === undefined) throw new VisionError(codes.NOT_FOUND, `unknown service "${fullName}"`);
    return builtInDescriptor as ServiceDescriptor<D, T>;
  }
  const table: ServiceTable = tables.services;
  const methods = Object.hasOwn(table, fullName) ? table[fullName] : undefined;
  if (methods === undefined) throw new VisionError(codes.NOT_FOUND, `unknown service "${fullName}"`);
  if (tables.messages !== undefined || tables.enums !== undefined) {
    registerSchema({ messages: tables.messages ?? {}, enums: tables.enums ?? {} });
  }
  const routeTable: OperationRouteTable = tables.operationRoutes ?? {};
  registerServices(tables.services, routeTable);
  return describe(fullName, methods, Object.hasOwn(routeTable, fullName) ? routeTable[fullName] : undefined);
}

function describe<D extends GenericServiceDefinition, T>(
  fullName: string,
  methods: readonly MethodRow[],
  operationRoutes: OperationRouteRow | undefined,
): ServiceDescriptor<D, T> {
  return Object.freeze({
    fullName,
    name: fullName.slice(fullName.lastIndexOf('.') + 1),
    methods,
    ...(operationRoutes === undefined ? {} : { operationRoutes }),
  });
}

/**
 * A built-in service's descriptor, from its pack of `gen/schema/packed.ts`
 * (decoded on top of the base pack, which is decoded once): making it
 * registers the messages, enums and services the service reaches, and a
 * bundle that does not use it carries none of them. Made once per pack
 * (the exports below).
 */
function builtIn<D extends GenericServiceDefinition>(pack: PackedTables): ServiceDescriptor<D> {
  const base = basePack();
  const unpacked = pack === PACKED_BASE ? base : unpackTables(pack, base);
  const fullName = pack.services[0]![0];
  return describe(fullName, unpacked.services[fullName]!, unpacked.routes[fullName]);
}

// The definitions by name: ts-proto's are `typeof` an object literal, which editors and compiler errors spell out in
// full (`Client<{ readonly name: "ImageAnnotator"; … }>`); an interface is shown by its name (`Client<ImageAnnotatorService>`).

/** ImageAnnotator's ts-proto definition as a named type: what `createClient(ImageAnnotator, …)` is typed from. */
export interface ImageAnnotatorService extends ImageAnnotatorDefinition {}

/** ProductSearch's ts-proto definition as a named type: what `createClient(ProductSearch, …)` is typed from. */
export interface ProductSearchService extends ProductSearchDefinition {}

/** Operations' ts-proto definition as a named type: what `createClient(Operations, …)` is typed from. */
export interface OperationsService extends OperationsDefinition {}

/** `google.cloud.vision.v1p4beta1.ImageAnnotator`: image and file annotation (sync and async). */
export const ImageAnnotator: ServiceDescriptor<ImageAnnotatorService> =
  /* @__PURE__ */ builtIn<ImageAnnotatorService>(PACKED_IMAGE_ANNOTATOR);

/** `google.cloud.vision.v1p4beta1.ProductSearch`: products, product sets, reference images. */
export const ProductSearch: ServiceDescriptor<ProductSearchService> = /* @__PURE__ */ builtIn<ProductSearchService>(PACKED_PRODUCT_SEARCH);

/** `google.longrunning.Operations`: get, list, cancel, delete (and wait, gRPC only). */
export const Operations: ServiceDescriptor<OperationsService> = /* @__PURE__ */ builtIn<OperationsService>(PACKED_BASE);

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
  throw new VisionError(codes.NOT_FOUND, `unknown method "${name}": not a method of ${SERVICE_DESCRIPTORS.map((s) => s.name).join(', ')}`);
}
