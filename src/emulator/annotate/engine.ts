/**
 * The emulator's view of the annotators (#7): what the services call to
 * annotate an image, a page of a file, and to compute the signature of a
 * reference image. {@link createBasicEngine} is the stand-in used until the
 * annotators are wired in: it reads every source (so source errors are real)
 * and returns empty annotations.
 */
import {
  AnnotateImageResponse,
  type AnnotateFileResponse,
  type AnnotateImageRequest,
  type Feature,
  type ImageContext,
  type InputConfig,
} from '../../../gen/google/cloud/vision/v1p4beta1/image_annotator.js';
import type { BoundingPoly } from '../../../gen/google/cloud/vision/v1p4beta1/geometry.js';
import { VisionError } from '../../core/vision-error.js';
import type { ObjectStore } from '../storage/object-store.js';
import { readImage, readInput } from './image-source.js';

/** A file opened for annotation. */
export interface OpenedFile {
  readonly totalPages: number;
  /** Annotates 1-based pages; one response per page, in order, each with its `context`. */
  annotatePages(pages: readonly number[], features: readonly Feature[], imageContext: ImageContext | undefined): Promise<AnnotateImageResponse[]>;
}

/** What the services need from the annotators. */
export interface AnnotationEngine {
  /** Annotates one image; problems with this image go into `error` (never thrown). `field` names it in messages. */
  annotateImage(request: AnnotateImageRequest, field: string): Promise<AnnotateImageResponse>;
  /** Reads and opens a PDF, TIFF or GIF; throws a VisionError naming `field` when it cannot. */
  openFile(input: InputConfig, field: string, allowContent: boolean): Promise<OpenedFile>;
  /** Signature of a reference image for product search; INVALID_ARGUMENT when nothing can be indexed. */
  computeSignature(bytes: Uint8Array, boundingPolys: readonly BoundingPoly[], field: string): Promise<unknown>;
}

/** The error of an AnnotateImageResponse for a thrown error. */
export function errorStatus(err: unknown): { code: number; message: string; details: [] } {
  const e = VisionError.from(err);
  return { code: e.code, message: e.rawMessage, details: [] };
}

/** Builds a sync file response (used by BatchAnnotateFiles). */
export function fileResponse(input: InputConfig, totalPages: number, responses: AnnotateImageResponse[]): Partial<AnnotateFileResponse> {
  return { inputConfig: { ...input, content: new Uint8Array(0) }, responses, totalPages };
}

/** The stand-in engine: real source reading, empty annotations. */
export function createBasicEngine(objects: ObjectStore): AnnotationEngine {
  return {
    async annotateImage(request, field) {
      try {
        await readImage(objects, request.image, `${field}.image`);
        return AnnotateImageResponse.fromPartial({});
      } catch (err) {
        return AnnotateImageResponse.fromPartial({ error: errorStatus(err) });
      }
    },
    async openFile(input, field, allowContent) {
      await readInput(objects, input, field, allowContent);
      const uri = input.gcsSource?.uri ?? '';
      return {
        totalPages: 1,
        annotatePages: async (pages) => pages.map((p) => AnnotateImageResponse.fromPartial({ context: { uri, pageNumber: p } })),
      };
    },
    async computeSignature() {
      return undefined;
    },
  };
}
