import type { ImageAnnotatorDefinition } from '../../gen/google/cloud/vision/v1p4beta1/image_annotator.js';
import type { ProductSearchDefinition } from '../../gen/google/cloud/vision/v1p4beta1/product_search_service.js';
import type { OperationsDefinition } from '../../gen/google/longrunning/operations.js';
import { SERVICES, type MethodRow } from '../../gen/schema/services.js';
import { Code } from '../core/code.js';
import { VisionError } from '../core/vision-error.js';
import type { GenericServiceDefinition } from './definition-types.js';

/**
 * A service as the clients need it at run time, built from the gen-time
 * tables (browser-safe). The type parameter carries the ts-proto generic
 * definition, as a type only, so `createRawClient` can type every method.
 */
export interface ServiceDescriptor<D extends GenericServiceDefinition = GenericServiceDefinition> {
  /** Full name, e.g. `google.cloud.vision.v1p4beta1.ProductSearch`. */
  readonly fullName: string;
  /** Short name, e.g. `ProductSearch`. */
  readonly name: string;
  /** Its methods' rows from `gen/schema/services.ts`, in declaration order. */
  readonly methods: readonly MethodRow[];
  /** Type-level link to the ts-proto definition; never set at run time. */
  readonly definition?: D;
}

/**
 * The descriptor of a service of `gen/schema/services.ts` by full name;
 * throws a NOT_FOUND VisionError naming it when there is no such service.
 */
export function serviceDescriptor<D extends GenericServiceDefinition = GenericServiceDefinition>(
  fullName: string,
): ServiceDescriptor<D> {
  const methods = Object.prototype.hasOwnProperty.call(SERVICES, fullName) ? SERVICES[fullName] : undefined;
  if (methods === undefined) throw new VisionError(Code.NOT_FOUND, `unknown service "${fullName}"`);
  return Object.freeze({ fullName, name: fullName.slice(fullName.lastIndexOf('.') + 1), methods });
}

/** `google.cloud.vision.v1p4beta1.ImageAnnotator`: image and file annotation (sync and async). */
export const ImageAnnotator: ServiceDescriptor<ImageAnnotatorDefinition> = serviceDescriptor<ImageAnnotatorDefinition>(
  'google.cloud.vision.v1p4beta1.ImageAnnotator',
);

/** `google.cloud.vision.v1p4beta1.ProductSearch`: products, product sets, reference images. */
export const ProductSearch: ServiceDescriptor<ProductSearchDefinition> = serviceDescriptor<ProductSearchDefinition>(
  'google.cloud.vision.v1p4beta1.ProductSearch',
);

/** `google.longrunning.Operations`: get, list, cancel, delete (and wait, gRPC only). */
export const Operations: ServiceDescriptor<OperationsDefinition> = serviceDescriptor<OperationsDefinition>(
  'google.longrunning.Operations',
);

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
 * Finds a method by its proto name (`GetOperation`) or a qualified name
 * (`google.longrunning.Operations.GetOperation`, `Operations/GetOperation`).
 * Throws a NOT_FOUND VisionError naming the method when none matches.
 */
export function findMethod(name: string): FoundMethod {
  const sep = Math.max(name.lastIndexOf('.'), name.lastIndexOf('/'));
  const short = sep >= 0 ? name.slice(sep + 1) : name;
  const qualifier = sep >= 0 ? name.slice(0, sep) : undefined;
  for (const service of SERVICE_DESCRIPTORS) {
    if (qualifier !== undefined && qualifier !== service.fullName && qualifier !== service.name) continue;
    const method = service.methods.find((m) => m.name === short);
    if (method !== undefined) return { service, method };
  }
  throw new VisionError(
    Code.NOT_FOUND,
    `unknown method "${name}": not a method of ${SERVICE_DESCRIPTORS.map((s) => s.name).join(', ')}`,
  );
}
