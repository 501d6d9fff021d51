/**
 * Where the bytes of an image or file come from: inline `content` (at most
 * 20 MB), or a `gs://` object of the emulator's storage. Local paths,
 * `file://` URLs and http(s) URLs are never read (the ports are reachable by
 * any local process and, with CORS, by any web page).
 */
import type { Image, InputConfig } from '../../../gen/google/cloud/vision/v1p4beta1/image_annotator.js';
import { invalidArgument } from '../errors.js';
import { parseGsUri } from '../storage/gcs-names.js';
import type { ObjectStore } from '../storage/object-store.js';

/** Largest image, in bytes (inline or in storage). */
export const MAX_IMAGE_BYTES = 20 * 1024 * 1024;
/** Largest file for file annotation, in bytes. */
export const MAX_FILE_BYTES = 64 * 1024 * 1024;

/** Reads the bytes behind a `gs://` URI (the emulator's storage), or refuses the URI. */
export async function readGsUri(objects: ObjectStore, uri: string, field: string, maxBytes: number): Promise<Buffer> {
  if (/^https?:\/\//i.test(uri)) {
    throw invalidArgument(field, `${JSON.stringify(uri)}: the emulator does not fetch http(s) URLs (nothing leaves 127.0.0.1); upload the image and use gs://`);
  }
  const loc = parseGsUri(uri, field);
  return objects.read(loc, { field, maxBytes });
}

/**
 * The bytes of an `Image` for request field `field` (e.g. `requests[2].image`):
 * content first, then `source.image_uri`, then `source.gcs_image_uri`.
 */
export async function readImage(objects: ObjectStore, image: Image | undefined, field: string): Promise<Uint8Array> {
  if (!image) throw invalidArgument(field, 'is required (content or source)');
  if (image.content.length > 0) {
    if (image.content.length > MAX_IMAGE_BYTES) {
      throw invalidArgument(`${field}.content`, `is ${image.content.length} bytes, more than the limit of ${MAX_IMAGE_BYTES} bytes`);
    }
    return image.content;
  }
  const src = image.source;
  if (src?.imageUri) return readGsUri(objects, src.imageUri, `${field}.source.image_uri`, MAX_IMAGE_BYTES);
  if (src?.gcsImageUri) return readGsUri(objects, src.gcsImageUri, `${field}.source.gcs_image_uri`, MAX_IMAGE_BYTES);
  throw invalidArgument(field, 'has neither content nor a source URI');
}

/** The bytes of an `InputConfig` (`content` or `gcs_source.uri`). */
export async function readInput(objects: ObjectStore, input: InputConfig | undefined, field: string, allowContent: boolean): Promise<Uint8Array> {
  if (!input) throw invalidArgument(field, 'is required');
  if (input.content.length > 0) {
    if (!allowContent) throw invalidArgument(`${field}.content`, 'is not supported here; use gcs_source');
    return input.content;
  }
  if (!input.gcsSource?.uri) throw invalidArgument(`${field}.gcs_source.uri`, 'is required');
  return readGsUri(objects, input.gcsSource.uri, `${field}.gcs_source.uri`, MAX_FILE_BYTES);
}
