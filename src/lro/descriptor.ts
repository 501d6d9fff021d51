import type { OperationTypes } from '../../gen/schema/operations.js';
import type { MethodRow } from '../../gen/schema/services.js';
import type { ServiceTable } from '../schema/service-descriptor.js';
import { ImageAnnotator, ProductSearch } from '../schema/service-descriptor.js';
import { operationRoutesOf } from '../schema/service-registry.js';
import type { OperationRoutes } from './operation-routes.js';
import { defaultScheduleFor, mergeSchedule, type PollSchedule, type PollScheduleOverrides } from './schedule.js';

/**
 * What the poller knows about one operation-returning method, taken from its
 * generated `google.longrunning.operation_info`: its id, the full names of
 * its response and metadata types, and its default poll schedule. `R` and
 * `M` are the TypeScript types of response and metadata (type-level only).
 */
export interface LroDescriptor<R = unknown, M = unknown> {
  /** `service full name/Method`, e.g. `google.cloud.vision.v1p4beta1.ImageAnnotator/AsyncBatchAnnotateImages`. */
  readonly method: string;
  /** Full name of the response type (`google.protobuf.Empty` for none). */
  readonly responseType: string;
  /** Full name of the metadata type. */
  readonly metadataType: string;
  /** The method's default schedule (Vision's own settings, or the general default). */
  readonly schedule: PollSchedule;
  /**
   * Where its operations are polled, cancelled and deleted over REST: its
   * service's routes from the service config it was generated with (Vision's
   * for Vision's methods); undefined for a service without, whose operations
   * go to the Operations transport's routes.
   */
  readonly routes?: OperationRoutes | undefined;
  /** Type-level only: never set at run time. */
  readonly types?: {
    /** The TypeScript type of the operation's response. */
    readonly response: R;
    /** The TypeScript type of the operation's metadata. */
    readonly metadata: M;
  };
}

/** A map of `service/Method` to response and metadata types, as gen/schema/operations.ts declares. */
export type OperationTypeMap<T> = {
  readonly [K in keyof T]: {
    /** The TypeScript type of the method's operation response. */
    readonly response: unknown;
    /** The TypeScript type of the method's operation metadata. */
    readonly metadata: unknown;
  };
};

/** The descriptors of every operation-returning method of a type map, by method id. */
export type LroDescriptors<T extends OperationTypeMap<T>> = {
  readonly [K in keyof T & string]: LroDescriptor<T[K]['response'], T[K]['metadata']>;
};

/**
 * The descriptor of one method row, or undefined when the method does not
 * return an operation. `schedule` overrides parts of the default. Its
 * `routes` are the service's registered Operations routes (Vision's, and
 * those of any service whose generated descriptor was made).
 */
export function lroDescriptor<R = unknown, M = unknown>(
  service: string,
  row: MethodRow,
  schedule?: PollScheduleOverrides,
): LroDescriptor<R, M> | undefined {
  const info = row.operationInfo;
  if (info === undefined) return undefined;
  const method = `${service}/${row.name}`;
  const routes = operationRoutesOf(service);
  return Object.freeze({
    method,
    responseType: info.responseType,
    metadataType: info.metadataType,
    schedule: mergeSchedule(defaultScheduleFor(method), schedule),
    ...(routes === undefined ? {} : { routes }),
  });
}

/**
 * Descriptors for every method of `services` that has `operation_info`,
 * keyed by method id, typed by the generated map `T`:
 * `operationDescriptors<OperationTypes>(SERVICES)['…/AsyncBatchAnnotateImages']`
 * is an `LroDescriptor<AsyncBatchAnnotateImagesResponse, OperationMetadata>`.
 * No list is written by hand: a new operation-returning method in the protos
 * gets a descriptor from `npm run gen` alone.
 */
export function operationDescriptors<T extends OperationTypeMap<T>>(services: ServiceTable): LroDescriptors<T> {
  const out: Record<string, LroDescriptor> = {};
  for (const [service, rows] of Object.entries(services)) {
    for (const row of rows) {
      const d = lroDescriptor(service, row);
      if (d !== undefined) out[d.method] = d;
    }
  }
  return Object.freeze(out) as LroDescriptors<T>;
}

/** Descriptors of Vision's operation-returning methods (asyncBatchAnnotate*, importProductSets, purgeProducts). */
export const VISION_OPERATIONS: LroDescriptors<OperationTypes> = /* @__PURE__ */ visionOperations();

/** {@link VISION_OPERATIONS}, made from the built-in descriptors (a call without arguments, so a bundle that does not use it drops it). */
function visionOperations(): LroDescriptors<OperationTypes> {
  return operationDescriptors<OperationTypes>({
    [ImageAnnotator.fullName]: ImageAnnotator.methods,
    [ProductSearch.fullName]: ProductSearch.methods,
  });
}

/** Vision's method ids that return an operation. */
export type VisionOperationMethod = keyof OperationTypes;
