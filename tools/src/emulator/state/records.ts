/**
 * The rows the emulator keeps and the records that change them. Every
 * change is one record (or one `batch` of records applied together), applied
 * in memory and appended to the journal; replaying the journal rebuilds the
 * same state. Rows are JSON-safe and shaped like the ts-proto messages.
 */
import type { BoundingPoly } from 'vision-kit/gen/google/cloud/vision/v1p4beta1/geometry.js';
import type { Product_KeyValue } from 'vision-kit/gen/google/cloud/vision/v1p4beta1/product_search_service.js';

/** A ProductSet. `order` is the creation sequence (list order and page cursor). */
export interface ProductSetRow {
  readonly name: string;
  displayName: string;
  /** Milliseconds since the epoch of the last change to its contents (the emulator indexes at once). */
  indexTime: number;
  readonly order: number;
}

/** A Product. */
export interface ProductRow {
  readonly name: string;
  displayName: string;
  description: string;
  readonly productCategory: string;
  productLabels: Product_KeyValue[];
  readonly order: number;
}

/** A ReferenceImage, with the signature the annotators computed for product search. */
export interface ReferenceImageRow {
  readonly name: string;
  readonly uri: string;
  boundingPolys: BoundingPoly[];
  /** Opaque value from the annotators' `computeSignature` (JSON-safe), absent when none. */
  signature?: unknown;
  /** When it was indexed (ms since the epoch). */
  indexTime?: number;
  readonly order: number;
}

/** A google.rpc.Status of an operation; `details` are Any messages with base64 values (a cancelled import's statuses so far). */
export interface OperationError {
  readonly code: number;
  readonly message: string;
  readonly details?: readonly { readonly typeUrl: string; readonly value: string }[];
}

/** The kinds of long-running work the emulator runs. */
export type OperationKind = 'annotateImages' | 'annotateFiles' | 'importProductSets' | 'purgeProducts';

/**
 * States of both metadata types: OperationMetadata (CREATED, RUNNING, DONE,
 * CANCELLED) for annotate, BatchOperationMetadata (PROCESSING, SUCCESSFUL,
 * FAILED, CANCELLED) for import and purge.
 */
export type OperationStateName = 'CREATED' | 'RUNNING' | 'DONE' | 'CANCELLED' | 'PROCESSING' | 'SUCCESSFUL' | 'FAILED';

/** A long-running operation. */
export interface OperationRow {
  readonly name: string;
  readonly kind: OperationKind;
  readonly order: number;
  readonly createTime: number;
  updateTime: number;
  endTime?: number;
  state: OperationStateName;
  done: boolean;
  /** The error of a failed or cancelled operation (google.rpc.Status). */
  error?: OperationError;
  /** The encoded response message, base64 (type per kind). */
  response?: string;
  /** The encoded request (base64), kept until the work is done so that a restart can resume it. */
  request?: string;
  /** Kind-specific progress (see the runners), JSON-safe. */
  progress: OperationProgress;
  /** Deleted while its work goes on (DeleteOperation does not cancel): hidden, removed once done. */
  deleted?: boolean;
}

/** Progress of an import: one status per CSV line done so far, and the images created. */
export interface ImportProgress {
  readonly type: 'import';
  /** The CSV text read when the operation started. */
  readonly csv: string;
  statuses: { code: number; message: string }[];
  /** Names of reference images created by this import, in order. */
  images: string[];
}

/** Progress of a purge: the products chosen when it started and how many are done. */
export interface PurgeProgress {
  readonly type: 'purge';
  readonly targets: string[];
  next: number;
}

/** Progress of an async annotation: output files written so far (per file request for files). */
export interface AnnotateProgress {
  readonly type: 'annotate';
  /** For images: one entry; for files: one per request. Count of finished output batches. */
  batchesDone: number[];
  /** Output object names written so far, as gs:// URIs. */
  outputs: string[];
}

/** Progress of any operation. */
export type OperationProgress = ImportProgress | PurgeProgress | AnnotateProgress;

/** One change of state. */
export type StateRecord =
  | { readonly t: 'ps.create'; readonly row: ProductSetRow }
  | { readonly t: 'ps.update'; readonly name: string; readonly displayName: string; readonly time: number }
  | { readonly t: 'ps.delete'; readonly name: string }
  | { readonly t: 'p.create'; readonly row: ProductRow }
  | {
      readonly t: 'p.update';
      readonly name: string;
      readonly displayName?: string;
      readonly description?: string;
      readonly productLabels?: Product_KeyValue[];
      readonly time: number;
    }
  | { readonly t: 'p.delete'; readonly name: string; readonly time: number }
  | { readonly t: 'ri.create'; readonly row: ReferenceImageRow; readonly time: number }
  | { readonly t: 'ri.addPolys'; readonly name: string; readonly polys: BoundingPoly[]; readonly time: number }
  | { readonly t: 'ri.delete'; readonly name: string; readonly time: number }
  | { readonly t: 'ri.signature'; readonly name: string; readonly signature: unknown; readonly time: number }
  | { readonly t: 'm.add'; readonly set: string; readonly product: string; readonly time: number }
  | { readonly t: 'm.remove'; readonly set: string; readonly product: string; readonly time: number }
  | { readonly t: 'op.create'; readonly row: OperationRow }
  | { readonly t: 'op.state'; readonly name: string; readonly state: OperationStateName; readonly time: number }
  | {
      readonly t: 'op.importLine';
      readonly name: string;
      readonly status: { code: number; message: string };
      readonly image?: string;
      readonly time: number;
    }
  | { readonly t: 'op.purgeStep'; readonly name: string; readonly time: number }
  | { readonly t: 'op.batch'; readonly name: string; readonly file: number; readonly output: string; readonly time: number }
  | {
      readonly t: 'op.done';
      readonly name: string;
      readonly state: OperationStateName;
      readonly time: number;
      readonly error?: OperationError;
      readonly response?: string;
    }
  | { readonly t: 'op.delete'; readonly name: string }
  | { readonly t: 'batch'; readonly records: StateRecord[] };
