/**
 * The AsyncBatchAnnotateImagesRequest of the annotate workflow, and the
 * feature names it accepts (Vision's `Feature.Type` values). Browser-safe.
 */

import { Code, VisionError } from 'vision-kit/browser';
import { enumInfo, messageFromJson } from 'vision-kit/codec';
import type { AsyncBatchAnnotateImagesRequest } from 'vision-kit/gen/google/cloud/vision/v1p4beta1/image_annotator.js';

/** The features the workflow asks for when none are given. */
export const DEFAULT_FEATURES: readonly string[] = ['IMAGE_PROPERTIES', 'CROP_HINTS'];

/** Every feature name Vision v1p4beta1 knows (`Feature.Type` without TYPE_UNSPECIFIED), in declaration order. */
export function featureNames(): string[] {
  return enumInfo('google.cloud.vision.v1p4beta1.Feature.Type')
    .values.map(([name]) => name)
    .filter((name) => name !== 'TYPE_UNSPECIFIED');
}

/**
 * Parses a comma-separated feature list ("image_properties, crop-hints" is
 * fine: case, spaces and "-" are forgiven), without repeats, in the order
 * given. Throws an INVALID_ARGUMENT VisionError naming an unknown feature
 * and listing the known ones.
 */
export function parseFeatures(text: string): string[] {
  const known = featureNames();
  const out: string[] = [];
  const items = text
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
  if (items.length === 0) throw new VisionError(Code.INVALID_ARGUMENT, `no feature given; pick from ${known.join(', ')}`);
  for (const item of items) {
    const name = item.toUpperCase().replace(/[-\s]+/g, '_');
    if (!known.includes(name)) throw new VisionError(Code.INVALID_ARGUMENT, `unknown feature "${item}"; pick from ${known.join(', ')}`);
    if (!out.includes(name)) out.push(name);
  }
  return out;
}

/** Product search settings of a request. */
export interface ProductSearchSettings {
  /** `projects/P/locations/L/productSets/S`. */
  readonly productSet: string;
  /** Product categories (e.g. `apparel-v2`); empty for all. */
  readonly productCategories?: readonly string[] | undefined;
}

/** Options of {@link buildAnnotateRequest}. */
export interface AnnotateRequestOptions {
  /** The images' `gs://` URIs, in order. */
  readonly imageUris: readonly string[];
  /** Feature names (see {@link featureNames}). */
  readonly features: readonly string[];
  /** The `gs://` destination (a folder when it ends in "/"). */
  readonly outputUri: string;
  /** Responses per output file, 1–100 (0 = the service's default, 20). */
  readonly batchSize: number;
  /** Product search parameters for PRODUCT_SEARCH. */
  readonly productSearch?: ProductSearchSettings | undefined;
}

/** Builds the request (through proto3 JSON, so feature names are checked by the schema). */
export function buildAnnotateRequest(options: AnnotateRequestOptions): AsyncBatchAnnotateImagesRequest {
  const imageContext =
    options.productSearch === undefined
      ? undefined
      : {
          productSearchParams: {
            productSet: options.productSearch.productSet,
            productCategories: [...(options.productSearch.productCategories ?? [])],
          },
        };
  return messageFromJson<AsyncBatchAnnotateImagesRequest>('google.cloud.vision.v1p4beta1.AsyncBatchAnnotateImagesRequest', {
    requests: options.imageUris.map((uri) => ({
      image: { source: { imageUri: uri } },
      features: options.features.map((type) => ({ type })),
      ...(imageContext ? { imageContext } : {}),
    })),
    outputConfig: { gcsDestination: { uri: options.outputUri }, batchSize: options.batchSize },
  });
}
