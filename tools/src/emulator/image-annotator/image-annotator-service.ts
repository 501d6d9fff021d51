/**
 * google.cloud.vision.v1p4beta1.ImageAnnotator: the sync batch methods
 * (at most 16 images; one file of at most 5 pages) and both
 * asyncBatchAnnotate methods as operations named `operations/<id>` (at most
 * 2,000 images per request).
 */
import {
  type AnnotateFileResponse,
  AsyncBatchAnnotateFilesRequest,
  AsyncBatchAnnotateImagesRequest,
  type Image,
  ImageAnnotatorDefinition,
  type InputConfig,
} from 'vision-kit/gen/google/cloud/vision/v1p4beta1/image_annotator.js';
import { defineService, type ServiceImpl } from 'vision-kit/serving';
import { MAX_ASYNC_IMAGES, MAX_IMAGE_BYTES } from '../annotators/limits.js';
import { invalidArgument } from '../errors.js';
import type { OperationManager } from '../operations/operation-manager.js';
import { parseGsUri } from '../storage/gcs-names.js';
import { destinationOf } from './annotate-runners.js';
import type { AnnotationEngine } from './engine.js';

/** Most images of one sync request. */
export const MAX_SYNC_IMAGES = 16;
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
    throw invalidArgument(
      `${field}.mime_type`,
      `${JSON.stringify(input.mimeType)} is not supported (one of ${FILE_MIME_TYPES.join(', ')})`,
    );
  }
}

/** Refuses, before any work, a source URI that is not a readable gs:// name (the object may still be missing). */
function checkSourceUri(uri: string, field: string): void {
  if (/^https?:\/\//i.test(uri)) {
    throw invalidArgument(field, `${JSON.stringify(uri)}: the emulator does not fetch http(s) URLs; upload the image and use gs://`);
  }
  parseGsUri(uri, field);
}

/** Checks an async image: content, or a gs:// source. */
function checkImageSource(image: Image | undefined, field: string): void {
  if (image && image.content.length > 0) {
    if (image.content.length > MAX_IMAGE_BYTES)
      throw invalidArgument(`${field}.content`, `is ${image.content.length} bytes, more than ${MAX_IMAGE_BYTES}`);
    return;
  }
  if (image?.source?.imageUri) {
    checkSourceUri(image.source.imageUri, `${field}.source.image_uri`);
    return;
  }
  if (image?.source?.gcsImageUri) {
    checkSourceUri(image.source.gcsImageUri, `${field}.source.gcs_image_uri`);
    return;
  }
  throw invalidArgument(field, 'is required (content or source.image_uri)');
}

/** The ImageAnnotator service. */
export function createImageAnnotatorService(engine: AnnotationEngine, ops: OperationManager): ServiceImpl {
  return defineService(ImageAnnotatorDefinition, {
    async BatchAnnotateImages(req, ctx) {
      checkCount(req.requests.length, MAX_SYNC_IMAGES, 'requests');
      const responses = await Promise.all(req.requests.map((r, i) => engine.annotateImage(r, `requests[${i}]`, ctx.signal)));
      return { responses };
    },

    async BatchAnnotateFiles(req, ctx) {
      checkCount(req.requests.length, MAX_SYNC_FILES, 'requests');
      const responses: AnnotateFileResponse[] = [];
      for (const [i, r] of req.requests.entries()) {
        const field = `requests[${i}]`;
        checkMime(r.inputConfig, `${field}.input_config`);
        if (r.pages.length > MAX_SYNC_PAGES)
          throw invalidArgument(`${field}.pages`, `at most ${MAX_SYNC_PAGES} pages per file (got ${r.pages.length})`);
        responses.push(await engine.annotateFile(r, field, ctx.signal));
      }
      return { responses };
    },

    async AsyncBatchAnnotateImages(req) {
      checkCount(req.requests.length, MAX_ASYNC_IMAGES, 'requests');
      for (const [i, r] of req.requests.entries()) checkImageSource(r.image, `requests[${i}].image`);
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
        checkSourceUri(r.inputConfig!.gcsSource.uri, `${field}.input_config.gcs_source.uri`);
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
