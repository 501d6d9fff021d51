/**
 * google.cloud.vision.v1p4beta1.ImageAnnotator: the sync batch methods
 * (at most 16 images; one file of at most 5 pages) and both
 * asyncBatchAnnotate methods as operations named `operations/<id>` (at most
 * 2,000 images per request).
 */
import {
  AsyncBatchAnnotateFilesRequest,
  AsyncBatchAnnotateImagesRequest,
  ImageAnnotatorDefinition,
  type AnnotateFileResponse,
  type InputConfig,
} from '../../../gen/google/cloud/vision/v1p4beta1/image_annotator.js';
import { invalidArgument } from '../errors.js';
import type { OperationManager } from '../operations/operation-manager.js';
import { defineService, type ServiceImpl } from '../rpc/service-impl.js';
import { destinationOf } from './annotate-runners.js';
import { errorStatus, type AnnotationEngine } from './engine.js';

/** Most images of one sync request. */
export const MAX_SYNC_IMAGES = 16;
/** Most images of one async request. */
export const MAX_ASYNC_IMAGES = 2000;
/** Most files of one BatchAnnotateFiles request (the proto: "only one"). */
export const MAX_SYNC_FILES = 1;
/** Most pages of one file in BatchAnnotateFiles. */
export const MAX_SYNC_PAGES = 5;
/** The file types file annotation takes. */
export const FILE_MIME_TYPES: readonly string[] = ['application/pdf', 'image/tiff', 'image/gif'];

function checkCount(n: number, max: number, field: string): void {
  if (n === 0) throw invalidArgument(field, 'is required (at least one request)');
  if (n > max) throw invalidArgument(field, `at most ${max} per call (got ${n})`);
}

function checkMime(input: InputConfig | undefined, field: string): void {
  if (!input) throw invalidArgument(field, 'is required');
  if (!FILE_MIME_TYPES.includes(input.mimeType)) {
    throw invalidArgument(`${field}.mime_type`, `${JSON.stringify(input.mimeType)} is not supported (one of ${FILE_MIME_TYPES.join(', ')})`);
  }
}

/** Resolves 1-based or negative page numbers against `total`; default: the first 5. */
function resolvePages(pages: readonly number[], total: number, field: string): number[] {
  if (pages.length === 0) return Array.from({ length: Math.min(MAX_SYNC_PAGES, total) }, (_, i) => i + 1);
  return pages.map((p, i) => {
    const page = p < 0 ? total + 1 + p : p;
    if (p === 0 || page < 1 || page > total) throw invalidArgument(`${field}[${i}]`, `page ${p} is not in the file (it has ${total} pages)`);
    return page;
  });
}

/** The ImageAnnotator service. */
export function createImageAnnotatorService(engine: AnnotationEngine, ops: OperationManager): ServiceImpl {
  return defineService(ImageAnnotatorDefinition, {
    async BatchAnnotateImages(req) {
      checkCount(req.requests.length, MAX_SYNC_IMAGES, 'requests');
      const responses = await Promise.all(req.requests.map((r, i) => engine.annotateImage(r, `requests[${i}]`)));
      return { responses };
    },

    async BatchAnnotateFiles(req) {
      checkCount(req.requests.length, MAX_SYNC_FILES, 'requests');
      const responses: Partial<AnnotateFileResponse>[] = [];
      for (const [i, r] of req.requests.entries()) {
        const field = `requests[${i}]`;
        checkMime(r.inputConfig, `${field}.input_config`);
        if (r.pages.length > MAX_SYNC_PAGES) throw invalidArgument(`${field}.pages`, `at most ${MAX_SYNC_PAGES} pages per file (got ${r.pages.length})`);
        const inputConfig = { ...r.inputConfig!, content: new Uint8Array(0) };
        try {
          const file = await engine.openFile(r.inputConfig!, `${field}.input_config`, true);
          const pages = resolvePages(r.pages, file.totalPages, `${field}.pages`);
          const pageResponses = await file.annotatePages(pages, r.features, r.imageContext);
          responses.push({ inputConfig, responses: pageResponses, totalPages: file.totalPages });
        } catch (err) {
          responses.push({ inputConfig, responses: [], totalPages: 0, error: errorStatus(err) });
        }
      }
      return { responses };
    },

    async AsyncBatchAnnotateImages(req) {
      checkCount(req.requests.length, MAX_ASYNC_IMAGES, 'requests');
      destinationOf(req.outputConfig, 'output_config');
      const op = await ops.start('annotateImages', undefined, AsyncBatchAnnotateImagesRequest.encode(req).finish(), {
        type: 'annotate',
        batchesDone: [],
        outputs: [],
      });
      return ops.toMessage(op);
    },

    async AsyncBatchAnnotateFiles(req) {
      checkCount(req.requests.length, MAX_ASYNC_IMAGES, 'requests');
      req.requests.forEach((r, i) => {
        const field = `requests[${i}]`;
        checkMime(r.inputConfig, `${field}.input_config`);
        if (r.inputConfig!.content.length > 0) {
          throw invalidArgument(`${field}.input_config.content`, 'is not supported by AsyncBatchAnnotateFiles; use gcs_source');
        }
        if (!r.inputConfig!.gcsSource?.uri) throw invalidArgument(`${field}.input_config.gcs_source.uri`, 'is required');
        destinationOf(r.outputConfig, `${field}.output_config`);
      });
      const op = await ops.start('annotateFiles', undefined, AsyncBatchAnnotateFilesRequest.encode(req).finish(), {
        type: 'annotate',
        batchesDone: [],
        outputs: [],
      });
      return ops.toMessage(op);
    },
  });
}
