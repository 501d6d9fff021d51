import type { Image } from 'vision-kit/gen/google/cloud/vision/v1p4beta1/image_annotator.js';
import { sourceKindOf } from '../storage/gcs-names.js';
import { invalidInput } from './annotation-error.js';
import type { SourceReader } from './contract.js';

/**
 * Refuses every URI but `gs://bucket/object`: the emulator never fetches
 * http(s) URLs and never reads local paths or `file://` URIs.
 */
export function checkGcsUri(uri: string, label: string, field: string): void {
  const kind = sourceKindOf(uri);
  if (kind === 'gs-object') return;
  if (kind === 'http') {
    throw invalidInput(
      label,
      `${field} ${JSON.stringify(uri)} is an http(s) URL; the emulator does not fetch from the web — upload the image to its storage and use gs://, or send content`,
    );
  }
  if (kind === 'gs-bucket') throw invalidInput(label, `${field} ${JSON.stringify(uri)} must name an object: gs://BUCKET/OBJECT`);
  throw invalidInput(
    label,
    `${field} ${JSON.stringify(uri)} is not a gs:// URI; only gs://BUCKET/OBJECT sources are read (never local paths or file://)`,
  );
}

/** The URI of an image's source as the service picks it: `imageUri` over `gcsImageUri`; "" when neither is set. */
export function sourceUri(image: Image | undefined): string {
  return image?.source?.imageUri || image?.source?.gcsImageUri || '';
}

/**
 * The bytes of a request's image: `content` when non-empty (it takes
 * precedence), else the object at the source URI read through `readSource`.
 * INVALID_ARGUMENT when there is neither, or the URI is not `gs://`.
 */
export async function readImageBytes(
  image: Image | undefined,
  readSource: SourceReader,
  label: string,
  signal?: AbortSignal,
): Promise<Uint8Array> {
  if (image?.content && image.content.length > 0) return image.content;
  const uri = sourceUri(image);
  if (uri === '') throw invalidInput(label, 'the request has no image: set image.content or image.source.imageUri');
  const field = image?.source?.imageUri ? 'image.source.imageUri' : 'image.source.gcsImageUri';
  checkGcsUri(uri, label, field);
  return readSource(uri, signal);
}
