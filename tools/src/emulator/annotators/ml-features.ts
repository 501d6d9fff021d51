import { type AnnotateImageResponse, Feature_Type } from 'vision-kit/gen/google/cloud/vision/v1p4beta1/image_annotator.js';

type ResponseField = keyof AnnotateImageResponse;

/** The response fields each ML-only feature fills (from fixtures). */
export const ML_FEATURE_FIELDS: ReadonlyMap<Feature_Type, readonly ResponseField[]> = new Map<Feature_Type, readonly ResponseField[]>([
  [Feature_Type.FACE_DETECTION, ['faceAnnotations']],
  [Feature_Type.LANDMARK_DETECTION, ['landmarkAnnotations']],
  [Feature_Type.LOGO_DETECTION, ['logoAnnotations']],
  [Feature_Type.LABEL_DETECTION, ['labelAnnotations']],
  [Feature_Type.TEXT_DETECTION, ['textAnnotations', 'fullTextAnnotation']],
  [Feature_Type.DOCUMENT_TEXT_DETECTION, ['textAnnotations', 'fullTextAnnotation']],
  [Feature_Type.SAFE_SEARCH_DETECTION, ['safeSearchAnnotation']],
  [Feature_Type.WEB_DETECTION, ['webDetection']],
  [Feature_Type.OBJECT_LOCALIZATION, ['localizedObjectAnnotations']],
]);

/** Features whose `maxResults` does not cap the result list (Feature.max_results comment). */
const UNCAPPED = new Set<Feature_Type>([Feature_Type.TEXT_DETECTION, Feature_Type.DOCUMENT_TEXT_DETECTION]);

/**
 * Copies the fields of an ML-only feature from a fixture into `response`
 * (deep copies, lists cut to `maxResults` when it is > 0). Without a
 * fixture the fields stay empty: results are never invented.
 */
export function applyFixture(
  response: AnnotateImageResponse,
  type: Feature_Type,
  maxResults: number,
  fixture: AnnotateImageResponse | undefined,
): void {
  const fields = ML_FEATURE_FIELDS.get(type);
  if (!fields || !fixture) return;
  const target = response as unknown as Record<string, unknown>;
  const source = fixture as unknown as Record<string, unknown>;
  for (const field of fields) {
    const value = source[field];
    if (value === undefined) continue;
    if (Array.isArray(value)) {
      const list = maxResults > 0 && !UNCAPPED.has(type) ? value.slice(0, maxResults) : value;
      target[field] = structuredClone(list);
    } else {
      target[field] = structuredClone(value);
    }
  }
}
