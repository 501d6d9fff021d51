import { normalizeMessage, packAny } from 'vision-kit/codec';
import type { Any } from 'vision-kit/gen/google/protobuf/any.js';

/** Vision's type names used across the poller tests. */
export const T = {
  imagesResponse: 'google.cloud.vision.v1p4beta1.AsyncBatchAnnotateImagesResponse',
  filesResponse: 'google.cloud.vision.v1p4beta1.AsyncBatchAnnotateFilesResponse',
  opMetadata: 'google.cloud.vision.v1p4beta1.OperationMetadata',
  batchMetadata: 'google.cloud.vision.v1p4beta1.BatchOperationMetadata',
  importResponse: 'google.cloud.vision.v1p4beta1.ImportProductSetsResponse',
  empty: 'google.protobuf.Empty',
} as const;

/** Method ids of Vision's operation-returning methods. */
export const M = {
  images: 'google.cloud.vision.v1p4beta1.ImageAnnotator/AsyncBatchAnnotateImages',
  files: 'google.cloud.vision.v1p4beta1.ImageAnnotator/AsyncBatchAnnotateFiles',
  importSets: 'google.cloud.vision.v1p4beta1.ProductSearch/ImportProductSets',
  purge: 'google.cloud.vision.v1p4beta1.ProductSearch/PurgeProducts',
} as const;

/** An Any of `type` holding a deep partial of it (normalised first). */
export function any(type: string, partial: object = {}): Any {
  return packAny(type, normalizeMessage(type, partial));
}

/** OperationMetadata (annotate) of a state number: 1 CREATED, 2 RUNNING, 3 DONE, 4 CANCELLED. */
export function opMetadata(state: number, updateSeconds = 0): Any {
  return any(T.opMetadata, {
    state,
    createTime: { seconds: '1700000000', nanos: 0 },
    updateTime: { seconds: String(1700000000 + updateSeconds), nanos: 0 },
  });
}

/** An AsyncBatchAnnotateImagesResponse naming its output folder. */
export function imagesResponse(uri: string): Any {
  return any(T.imagesResponse, { outputConfig: { gcsDestination: { uri }, batchSize: 20 } });
}
