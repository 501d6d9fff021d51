import type { AnnotateImageResponse } from 'vision-kit/gen/google/cloud/vision/v1p4beta1/image_annotator.js';
import type { Product, ProductSet, ReferenceImage } from 'vision-kit/gen/google/cloud/vision/v1p4beta1/product_search_service.js';
import type { Timestamp } from 'vision-kit/gen/google/protobuf/timestamp.js';
import type { ImageSignature } from './image-signature.js';
import type { PdfRenderer } from './pdf-renderer.js';

/**
 * Reads a `gs://` object for an image or file source. Supplied by the
 * emulator, which enforces the storage-safety rules (bucket names, no `..`,
 * no symlinks out of a bucket). Throws a VisionError: INVALID_ARGUMENT for a
 * URI it refuses, NOT_FOUND for a missing object. The annotators only ever
 * pass it `gs://` URIs.
 */
export type SourceReader = (uri: string, signal?: AbortSignal) => Promise<Uint8Array>;

/** A reference image that product search can match, with its product and signature. */
export interface IndexedReferenceImage {
  /** The product the image belongs to (labels and category are read from it). */
  readonly product: Product;
  /** The reference image (its `name` is reported as `Result.image`). */
  readonly referenceImage: ReferenceImage;
  /** What {@link computeSignature} returned when the image was indexed. */
  readonly signature: ImageSignature;
  /** When the image was indexed; results report the latest of these as `indexTime`. */
  readonly indexTime: Timestamp;
}

/** What product search sees of the catalog; supplied by the emulator's store. */
export interface ProductCatalog {
  /** The product set, or undefined when it does not exist (the search answers NOT_FOUND). */
  productSet(name: string): ProductSet | undefined;
  /** Indexed reference images of the products in a set (any order). */
  indexedImages(productSetName: string): Iterable<IndexedReferenceImage>;
}

/** Results of ML-only features, keyed by the SHA-256 of an image's bytes (see `loadFixtures`). */
export interface FixtureStore {
  /**
   * The fixture for a key: the lower-case hex SHA-256 of an image's bytes,
   * or `<sha256 of a file>-<page>` for one page of a PDF/TIFF/GIF file
   * (page 1-based).
   */
  get(key: string): AnnotateImageResponse | undefined;
  /** How many fixtures the store holds. */
  readonly size: number;
}

/** Everything the annotators need from the emulator. */
export interface AnnotatorDeps {
  /** Reads `gs://` sources. */
  readonly readSource: SourceReader;
  /** The product catalog for PRODUCT_SEARCH. */
  readonly catalog: ProductCatalog;
  /** Results of ML-only features; without it they are always empty. */
  readonly fixtures?: FixtureStore;
  /** Cancels the work; the annotate functions then reject with VisionError CANCELLED. */
  readonly signal?: AbortSignal;
  /** Renders PDFs (worker threads, a time budget per page); default the process-wide renderer with a 10 s budget. */
  readonly pdf?: PdfRenderer;
}

/** Per-call options of `annotateImage` / `annotateFile`. */
export interface AnnotateOptions {
  /**
   * How error messages name this image or file, e.g. `requests[3]`.
   * Default: its `gs://` URI, or `image content` / `file content`.
   */
  readonly label?: string;
}
