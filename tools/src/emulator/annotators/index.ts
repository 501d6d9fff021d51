/**
 * The emulator's annotators: real results from real pixels.
 *
 * Contract with the emulator core (messages are ts-proto shaped, see
 * CONTRIBUTING.md "Message shape"; requests should be normalised first, but
 * missing lists are tolerated):
 *
 * - {@link annotateImage}`(req, deps, { label? })` → `AnnotateImageResponse`
 *   for one image of BatchAnnotateImages / AsyncBatchAnnotateImages.
 *   Per-image problems become `response.error` (google.rpc.Status shape,
 *   message starting with `label`, e.g. `requests[3]`), never a rejection.
 * - {@link annotateFile}`(req, deps, { label? })` → `AnnotateFileResponse`
 *   for one file (PDF, TIFF, GIF) of BatchAnnotateFiles /
 *   AsyncBatchAnnotateFiles: `inputConfig` echoed (without content),
 *   `responses` per page in the order of `pages` (default: first five),
 *   each with `context`, `totalPages`, and `error` for whole-file problems.
 * - Both reject only with VisionError CANCELLED when `deps.signal` aborts.
 * - {@link computeSignature}`(bytes, boundingPolys?)` → {@link ImageSignature},
 *   plain JSON to persist with a reference image at create/import time;
 *   throws VisionError INVALID_ARGUMENT for bytes that are not a supported
 *   image, more than 10 polygons, a polygon outside the image, or one whose
 *   rectangle breaks the proto's 300 px / 1:4 rule (`reference-rect.ts`).
 * - {@link loadFixtures}`(dir)` → {@link FixtureStore} from files
 *   `<sha256 hex of the image bytes>.json` (and `<sha256 of a file>-<page>.json`
 *   for one page of a file), each an AnnotateImageResponse in proto3 JSON.
 *   {@link createFixtureStore} builds one in memory.
 *
 * What the emulator supplies ({@link AnnotatorDeps}): `readSource` for gs://
 * URIs (the annotators refuse http(s), file:// and local paths themselves),
 * the {@link ProductCatalog}, optional fixtures, an AbortSignal, and a
 * {@link PdfRenderer} (worker threads with a time budget per page; without
 * one, a process-wide renderer with the default 10 s budget).
 *
 * Features: IMAGE_PROPERTIES (k-means dominant colors, 0–255 channels as
 * Google reports them), CROP_HINTS (largest crop of each ratio placed by
 * saliency), PRODUCT_SEARCH (perceptual hashes + color histogram against
 * indexed reference images, label filters, one grouped result per object
 * found on a plain light background: `product-regions.ts`), and the ML-only features from
 * fixtures or empty. Limits: 20 MB per image/file, 5 pages per file, 16
 * crop-hint ratios, 10 polygons per reference image (see `limits.ts`).
 */

export { annotateFile } from './annotate-file.js';
export { annotateImage } from './annotate-image.js';
export type {
  AnnotateOptions,
  AnnotatorDeps,
  FixtureStore,
  IndexedReferenceImage,
  ProductCatalog,
  SourceReader,
} from './contract.js';
export { createFixtureStore, sha256Hex } from './fixture-store.js';
export { computeSignature, type ImageSignature, type RegionSignature, SIGNATURE_VERSION } from './image-signature.js';
export { DEFAULT_RENDER_BUDGET_MS, MAX_CROP_HINT_RATIOS, MAX_FILE_PAGES, MAX_IMAGE_BYTES, MAX_REFERENCE_POLYS } from './limits.js';
export { loadFixtures } from './load-fixtures.js';
export { defaultPdfRenderer, type PdfFile, PdfRenderer, type PdfRendererOptions } from './pdf-renderer.js';
export { type FilterClause, matchesFilter, type ProductFilter, parseProductFilter } from './product-filter.js';
