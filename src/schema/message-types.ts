/**
 * Every generated message and enum type of the API, under its ts-proto name
 * (`Product`, `AnnotateImageRequest`, `OperationMetadata`, `BadRequest`,
 * `Timestamp`, `Feature_Type`, …), re-exported by both entries.
 *
 * Types only (`export type *`): each ts-proto module also exports a value of
 * every message's name holding its binary codec (and `@bufbuild/protobuf`
 * behind it), which must not ride into a browser bundle; the enums'
 * values come from `enums.ts` instead. The list is the generated files whose
 * messages the schema tables hold: the Vision API, `google.longrunning`,
 * `google.rpc`, the well-known types and `google.type`. The compiler-option
 * files (`google/api/*`, `google/protobuf/descriptor`) describe the protos,
 * not the API, and stay behind `vision-kit/gen/…`. Hand-written rather than
 * generated: one line per generated file, and
 * `test/client/exported-types.test.ts` fails, naming the file, when a
 * regeneration adds a file with messages the list lacks.
 */
export type * from '../../gen/google/cloud/vision/v1p4beta1/face.js';
export type * from '../../gen/google/cloud/vision/v1p4beta1/geometry.js';
export type * from '../../gen/google/cloud/vision/v1p4beta1/image_annotator.js';
export type * from '../../gen/google/cloud/vision/v1p4beta1/product_search.js';
export type * from '../../gen/google/cloud/vision/v1p4beta1/product_search_service.js';
export type * from '../../gen/google/cloud/vision/v1p4beta1/text_annotation.js';
export type * from '../../gen/google/cloud/vision/v1p4beta1/web_detection.js';
export type * from '../../gen/google/longrunning/operations.js';
export type * from '../../gen/google/protobuf/any.js';
export type * from '../../gen/google/protobuf/duration.js';
export type * from '../../gen/google/protobuf/empty.js';
export type * from '../../gen/google/protobuf/field_mask.js';
export type * from '../../gen/google/protobuf/timestamp.js';
export type * from '../../gen/google/protobuf/wrappers.js';
export type * from '../../gen/google/rpc/error_details.js';
export type * from '../../gen/google/rpc/status.js';
export type * from '../../gen/google/type/color.js';
export type * from '../../gen/google/type/latlng.js';
