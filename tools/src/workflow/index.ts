/**
 * The annotate workflow, browser-safe: what `vision-kit annotate` and
 * the emulator's demo page share — a Cloud Storage JSON API client over
 * fetch, the AsyncBatchAnnotateImages request, the job (start, wait with the
 * poller while counting output files, read the files back) and summaries.
 *
 * @module vision-kit-tools/workflow
 */

export type { AnnotateJobOptions, ImageResult, JobProgress, JobResult, OutputFile } from './annotate-job.js';
export { operationStateName, runAnnotateJob } from './annotate-job.js';
export type { AnnotateRequestOptions, ProductSearchSettings } from './annotate-request.js';
export { buildAnnotateRequest, DEFAULT_FEATURES, featureNames, parseFeatures } from './annotate-request.js';
export type { Rgb } from './color-name.js';
export { colorName, hexColor } from './color-name.js';
export type { GcsJsonClientOptions } from './gcs-json-client.js';
export { createGcsJsonClient } from './gcs-json-client.js';
export type { ColorShare, CropRect, ImageSummary, ProductMatch } from './image-summary.js';
export { summarizeImage } from './image-summary.js';
export type { ObjectLocation, ObjectStorage, StoredObject } from './object-storage.js';
export { gsUriOf } from './object-storage.js';
export type { OutputDestination, OutputRange } from './output-files.js';
export { destinationOfUri, expectedOutputFiles, outputPrefix, outputRangeOf } from './output-files.js';
