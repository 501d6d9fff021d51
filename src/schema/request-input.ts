/**
 * What a client method takes as its request: a deep partial of the
 * ts-proto message in which every enum field takes the value's name as
 * well as its number — `{ type: 'IMAGE_PROPERTIES' }` and
 * `{ type: Feature_Type.IMAGE_PROPERTIES }` both compile (and both work on
 * both transports: requests are normalised by name or number). Answers keep
 * ts-proto's enum types (numbers).
 *
 * TypeScript cannot get an enum's names from its type alone, so the enums
 * are listed by full name in {@link EnumTypes}; a program with enums of its
 * own (a service made with `serviceDescriptor` from its own tables) adds
 * them there by declaration merging.
 */

import type {
  BatchOperationMetadata_State,
  Block_BlockType,
  EnumKey,
  FaceAnnotation_Landmark_Type,
  Feature_Type,
  Likelihood,
  OperationMetadata_State,
  TextAnnotation_DetectedBreak_BreakType,
} from './enums.js';

/**
 * The enums whose names requests accept, by full name, as `typeof` their
 * enum object. Add your own with
 * `declare module 'vision-kit' { interface EnumTypes { 'my.pkg.Kind': typeof Kind } }`.
 */
export interface EnumTypes {
  /** {@link Likelihood}: requests take its names, e.g. `'VERY_LIKELY'`. */
  'google.cloud.vision.v1p4beta1.Likelihood': typeof Likelihood;
  /** {@link Feature_Type}: requests take its names, e.g. `'IMAGE_PROPERTIES'`. */
  'google.cloud.vision.v1p4beta1.Feature.Type': typeof Feature_Type;
  /** {@link FaceAnnotation_Landmark_Type}: requests take its names, e.g. `'NOSE_TIP'`. */
  'google.cloud.vision.v1p4beta1.FaceAnnotation.Landmark.Type': typeof FaceAnnotation_Landmark_Type;
  /** {@link OperationMetadata_State}: requests take its names, e.g. `'DONE'`. */
  'google.cloud.vision.v1p4beta1.OperationMetadata.State': typeof OperationMetadata_State;
  /** {@link BatchOperationMetadata_State}: requests take its names, e.g. `'SUCCESSFUL'`. */
  'google.cloud.vision.v1p4beta1.BatchOperationMetadata.State': typeof BatchOperationMetadata_State;
  /** {@link TextAnnotation_DetectedBreak_BreakType}: requests take its names, e.g. `'LINE_BREAK'`. */
  'google.cloud.vision.v1p4beta1.TextAnnotation.DetectedBreak.BreakType': typeof TextAnnotation_DetectedBreak_BreakType;
  /** {@link Block_BlockType}: requests take its names, e.g. `'TABLE'`. */
  'google.cloud.vision.v1p4beta1.Block.BlockType': typeof Block_BlockType;
}

/** The names of the enum of {@link EnumTypes} whose members `T` is (never for a plain number). */
export type EnumNameOf<T> = {
  [K in keyof EnumTypes]: [T] extends [EnumTypes[K][EnumKey<EnumTypes[K]>]] ? EnumKey<EnumTypes[K]> : never;
}[keyof EnumTypes];

/** Values a deep partial keeps whole. */
// biome-ignore lint/complexity/noBannedTypes: any function is kept whole, whatever its signature.
type Builtin = Date | Function | Uint8Array | string | boolean | bigint | undefined | null;

/**
 * A request as client methods accept it: every field optional, recursively,
 * and every enum field open to its value names
 * (`RequestInput<AnnotateImageRequest>` takes `{ features: [{ type: 'CROP_HINTS' }] }`).
 */
export type RequestInput<T> = T extends number
  ? // A plain `number` field stays a number; a numeric enum (a union of members) also takes the names.
    `${number}` extends `${T}`
    ? T
    : T | EnumNameOf<T>
  : T extends Builtin
    ? T
    : T extends ReadonlyArray<infer U>
      ? ReadonlyArray<RequestInput<U>>
      : T extends object
        ? { [K in keyof T]?: RequestInput<T[K]> }
        : Partial<T>;
