/**
 * The emulator's view of the annotators: what the services call to
 * annotate an image or a file and to compute the signature of a reference
 * image. {@link createAnnotatorEngine} wires the annotators to the object
 * store (the only source they read), the Product Search catalog and the
 * `--fixtures`; tests may supply another engine.
 */

import type { BoundingPoly } from 'vision-kit/gen/google/cloud/vision/v1p4beta1/geometry.js';
import type {
  AnnotateFileRequest,
  AnnotateFileResponse,
  AnnotateImageRequest,
  AnnotateImageResponse,
} from 'vision-kit/gen/google/cloud/vision/v1p4beta1/image_annotator.js';
import {
  type AnnotatorDeps,
  annotateFile,
  annotateImage,
  computeSignature,
  type FixtureStore,
  type PdfRenderer,
  type ProductCatalog,
} from '../annotators/index.js';
import { MAX_IMAGE_BYTES } from '../annotators/limits.js';
import type { ObjectStore } from '../storage/object-store.js';
import { readGsUri } from '../storage/read-gs-uri.js';

/** What the services need from the annotators. */
export interface AnnotationEngine {
  /** One image; its problems go into `error` (rejects only when `signal` aborts). `label` starts error messages. */
  annotateImage(request: AnnotateImageRequest, label: string, signal?: AbortSignal): Promise<AnnotateImageResponse>;
  /** One file (at most 5 `pages`); whole-file problems go into `error`. */
  annotateFile(request: AnnotateFileRequest, label: string, signal?: AbortSignal): Promise<AnnotateFileResponse>;
  /**
   * Signature of a reference image (JSON-safe); VisionError INVALID_ARGUMENT
   * when it cannot be indexed (a polygon's problem names it `polysField[i]`).
   */
  computeSignature(bytes: Uint8Array, boundingPolys: readonly BoundingPoly[], polysField?: string): Promise<unknown>;
  /** True when a stored signature is current (others are recomputed at start). */
  isCurrentSignature(signature: unknown): boolean;
}

/** What {@link createAnnotatorEngine} works with. */
export interface AnnotatorEngineDeps {
  readonly objects: ObjectStore;
  readonly catalog: ProductCatalog;
  readonly fixtures?: FixtureStore;
  /** The signature version of the annotators (SIGNATURE_VERSION). */
  readonly signatureVersion: number;
  /** Renders PDFs off the main thread with the emulator's `--render-budget-ms`. */
  readonly pdf?: PdfRenderer;
}

/** The engine over the annotators of emulator/annotators/. */
export function createAnnotatorEngine(deps: AnnotatorEngineDeps): AnnotationEngine {
  const annotatorDeps = (signal?: AbortSignal): AnnotatorDeps => ({
    readSource: (uri) => readGsUri(deps.objects, uri, '', MAX_IMAGE_BYTES),
    catalog: deps.catalog,
    ...(deps.fixtures ? { fixtures: deps.fixtures } : {}),
    ...(deps.pdf ? { pdf: deps.pdf } : {}),
    ...(signal ? { signal } : {}),
  });
  return {
    annotateImage: (request, label, signal) => annotateImage(request, annotatorDeps(signal), { label }),
    annotateFile: (request, label, signal) => annotateFile(request, annotatorDeps(signal), { label }),
    computeSignature: (bytes, polys, polysField) => computeSignature(bytes, polys, polysField),
    isCurrentSignature: (s) => typeof s === 'object' && s !== null && (s as { version?: unknown }).version === deps.signatureVersion,
  };
}
