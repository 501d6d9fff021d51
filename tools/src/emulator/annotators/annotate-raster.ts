import {
  AnnotateImageResponse,
  type Feature,
  Feature_Type,
  type ImageContext,
} from 'vision-kit/gen/google/cloud/vision/v1p4beta1/image_annotator.js';
import { statusOf, throwIfAborted } from './annotation-error.js';
import type { AnnotatorDeps } from './contract.js';
import { cropHints, cropRatios } from './crop-hints.js';
import { dominantColors } from './dominant-colors.js';
import { applyFixture, ML_FEATURE_FIELDS } from './ml-features.js';
import { productSearch } from './product-search.js';
import type { Raster } from './raster.js';

/** What one image (or one page of a file) is annotated with. */
export interface RasterRequest {
  readonly features: readonly Feature[];
  readonly imageContext: ImageContext | undefined;
}

/**
 * Runs every requested feature on a decoded picture. Each feature type runs
 * once (its first `Feature` entry counts). A feature that fails (a bad
 * filter, an unknown product set, a bad aspect ratio) sets `error` (the
 * first such failure) while the other features are still filled in, as
 * `AnnotateImageResponse.error` allows.
 */
export function annotateRaster(
  raster: Raster,
  request: RasterRequest,
  deps: AnnotatorDeps,
  fixtureKey: string,
  label: string,
): AnnotateImageResponse {
  const response = AnnotateImageResponse.fromPartial({});
  const seen = new Set<Feature_Type>();
  const fixture = deps.fixtures?.get(fixtureKey);
  for (const feature of request.features ?? []) {
    const type = feature.type as Feature_Type;
    if (seen.has(type)) continue;
    seen.add(type);
    throwIfAborted(deps.signal);
    const maxResults = feature.maxResults ?? 0;
    try {
      switch (type) {
        case Feature_Type.IMAGE_PROPERTIES:
          response.imagePropertiesAnnotation = { dominantColors: { colors: dominantColors(raster, maxResults) } };
          break;
        case Feature_Type.CROP_HINTS:
          response.cropHintsAnnotation = {
            cropHints: cropHints(raster, cropRatios(request.imageContext?.cropHintsParams?.aspectRatios, label)),
          };
          break;
        case Feature_Type.PRODUCT_SEARCH:
          response.productSearchResults = productSearch(raster, request.imageContext?.productSearchParams, deps.catalog, maxResults, label);
          break;
        default:
          if (ML_FEATURE_FIELDS.has(type)) applyFixture(response, type, maxResults, fixture);
      }
    } catch (err) {
      if (deps.signal?.aborted) throw err;
      response.error ??= statusOf(err, label);
    }
  }
  return response;
}
