/**
 * The API's enums as values, under their ts-proto names
 * (`Feature_Type.IMAGE_PROPERTIES === 7`, `OperationMetadata_State[3] ===
 * 'DONE'`), and {@link enumName}, a value's name in one call.
 *
 * Each object is built from the gen-time enum table (`gen/schema/messages.ts`,
 * which the browser bundle carries anyway for proto3 JSON), not imported from
 * the ts-proto modules: those also hold the messages' binary codecs, which
 * must not ride into a browser bundle. The objects have the shape of
 * ts-proto's TypeScript enums (name → number and number → name) and their
 * type (`typeof` the generated enum), so they are interchangeable with them.
 * Every one is a `@__PURE__` call: a bundle that imports none of them carries
 * none of them. `test/client/enums.test.ts` holds them deep-equal to
 * ts-proto's enums and checks that every enum of the table is here.
 */

import type {
  FaceAnnotation_Landmark_Type as GenFaceLandmarkType,
  Feature_Type as GenFeatureType,
  Likelihood as GenLikelihood,
  OperationMetadata_State as GenOperationMetadataState,
} from '../../gen/google/cloud/vision/v1p4beta1/image_annotator.js';
import type { BatchOperationMetadata_State as GenBatchOperationMetadataState } from '../../gen/google/cloud/vision/v1p4beta1/product_search_service.js';
import type {
  Block_BlockType as GenBlockBlockType,
  TextAnnotation_DetectedBreak_BreakType as GenBreakType,
} from '../../gen/google/cloud/vision/v1p4beta1/text_annotation.js';
import { ENUMS } from '../../gen/schema/messages.js';

/** An enum object as TypeScript makes one: names to numbers, and numbers back to names. */
export type EnumObject = { readonly [name: string]: number | string };

/** The value names of an enum object, e.g. `'CREATED' | 'RUNNING' | 'DONE' | …` for `OperationMetadata_State`. */
export type EnumKey<E> = Exclude<keyof E, number | symbol>;

/** The enum object of a gen-time table row (`google.cloud.vision.v1p4beta1.Feature.Type`), frozen. */
function enumObject<E>(fullName: string): E {
  const rows = Object.hasOwn(ENUMS, fullName) ? ENUMS[fullName] : undefined;
  if (rows === undefined) throw new Error(`vision-kit: the enum table has no ${fullName} (run npm run gen)`);
  const out: Record<string, string | number> = {};
  for (const [name, number] of rows) {
    out[name] = number;
    out[number] = name;
  }
  return Object.freeze(out) as E;
}

/**
 * The name of an enum value, e.g. `enumName(OperationMetadata_State, m.state)`
 * → `'DONE'`; undefined for a number the enum does not define (a server newer
 * than these types may send one). Works with these objects and with
 * ts-proto's own enums.
 */
export function enumName<E extends EnumObject>(enumObject: E, value: number): EnumKey<E> | undefined {
  const name = typeof value === 'number' ? enumObject[value] : undefined;
  return typeof name === 'string' && enumObject[name] === value ? (name as EnumKey<E>) : undefined;
}

/**
 * `google.cloud.vision.v1p4beta1.Likelihood`: how likely a face attribute or a SafeSearch category is.
 *
 * @enum
 */
export const Likelihood: typeof GenLikelihood = /* @__PURE__ */ enumObject<typeof GenLikelihood>(
  'google.cloud.vision.v1p4beta1.Likelihood',
);
/** `google.cloud.vision.v1p4beta1.Likelihood`. */
export type Likelihood = GenLikelihood;

/**
 * `google.cloud.vision.v1p4beta1.Feature.Type`: what to detect in an image (`IMAGE_PROPERTIES`, `CROP_HINTS`, …).
 *
 * @enum
 */
export const Feature_Type: typeof GenFeatureType = /* @__PURE__ */ enumObject<typeof GenFeatureType>(
  'google.cloud.vision.v1p4beta1.Feature.Type',
);
/** `google.cloud.vision.v1p4beta1.Feature.Type`. */
export type Feature_Type = GenFeatureType;

/**
 * `google.cloud.vision.v1p4beta1.FaceAnnotation.Landmark.Type`: which face landmark.
 *
 * @enum
 */
export const FaceAnnotation_Landmark_Type: typeof GenFaceLandmarkType = /* @__PURE__ */ enumObject<typeof GenFaceLandmarkType>(
  'google.cloud.vision.v1p4beta1.FaceAnnotation.Landmark.Type',
);
/** `google.cloud.vision.v1p4beta1.FaceAnnotation.Landmark.Type`. */
export type FaceAnnotation_Landmark_Type = GenFaceLandmarkType;

/**
 * `google.cloud.vision.v1p4beta1.OperationMetadata.State`: an async annotation's state (CREATED, RUNNING, DONE, CANCELLED).
 *
 * @enum
 */
export const OperationMetadata_State: typeof GenOperationMetadataState = /* @__PURE__ */ enumObject<typeof GenOperationMetadataState>(
  'google.cloud.vision.v1p4beta1.OperationMetadata.State',
);
/** `google.cloud.vision.v1p4beta1.OperationMetadata.State`. */
export type OperationMetadata_State = GenOperationMetadataState;

/**
 * `google.cloud.vision.v1p4beta1.BatchOperationMetadata.State`: an import's or purge's state (PROCESSING, SUCCESSFUL, …).
 *
 * @enum
 */
export const BatchOperationMetadata_State: typeof GenBatchOperationMetadataState = /* @__PURE__ */ enumObject<
  typeof GenBatchOperationMetadataState
>('google.cloud.vision.v1p4beta1.BatchOperationMetadata.State');
/** `google.cloud.vision.v1p4beta1.BatchOperationMetadata.State`. */
export type BatchOperationMetadata_State = GenBatchOperationMetadataState;

/**
 * `google.cloud.vision.v1p4beta1.TextAnnotation.DetectedBreak.BreakType`: the kind of break after a symbol.
 *
 * @enum
 */
export const TextAnnotation_DetectedBreak_BreakType: typeof GenBreakType = /* @__PURE__ */ enumObject<typeof GenBreakType>(
  'google.cloud.vision.v1p4beta1.TextAnnotation.DetectedBreak.BreakType',
);
/** `google.cloud.vision.v1p4beta1.TextAnnotation.DetectedBreak.BreakType`. */
export type TextAnnotation_DetectedBreak_BreakType = GenBreakType;

/**
 * `google.cloud.vision.v1p4beta1.Block.BlockType`: what a block of detected text is (TEXT, TABLE, …).
 *
 * @enum
 */
export const Block_BlockType: typeof GenBlockBlockType = /* @__PURE__ */ enumObject<typeof GenBlockBlockType>(
  'google.cloud.vision.v1p4beta1.Block.BlockType',
);
/** `google.cloud.vision.v1p4beta1.Block.BlockType`. */
export type Block_BlockType = GenBlockBlockType;
