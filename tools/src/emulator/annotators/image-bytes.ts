import { invalidInput } from './annotation-error.js';
import { IMAGE_FORMATS, sniffFormat } from './image-format.js';
import { MAX_IMAGE_BYTES } from './limits.js';
import { decodeRaster, type Raster } from './raster.js';

/** Refuses bytes over the 20 MB limit (before anything decodes them). */
export function checkSize(bytes: Uint8Array, label: string): void {
  if (bytes.length > MAX_IMAGE_BYTES) {
    throw invalidInput(label, `the image is ${bytes.length} bytes, over the limit of ${MAX_IMAGE_BYTES} bytes (20 MB)`);
  }
}

/**
 * Checks and decodes the bytes of one image (`images:annotate`, reference
 * images): at most 20 MB, JPEG, PNG, GIF (first frame), WebP or TIFF (first
 * page), fully decodable. Every failure is INVALID_ARGUMENT naming `label`;
 * `signal` takes the decode out of the image jobs' line (`image-jobs.ts`).
 */
export async function decodeImageBytes(bytes: Uint8Array, label: string, signal?: AbortSignal): Promise<Raster> {
  checkSize(bytes, label);
  if (bytes.length === 0) throw invalidInput(label, 'the image is empty (0 bytes)');
  const format = sniffFormat(bytes);
  if (format === 'pdf') throw invalidInput(label, 'a PDF is not an image; annotate it with files:annotate (BatchAnnotateFiles)');
  if (!format || !IMAGE_FORMATS.includes(format)) {
    throw invalidInput(label, 'the bytes are not an image in a supported format (JPEG, PNG, GIF, WebP, TIFF)');
  }
  return decodeRaster({ kind: 'encoded', bytes }, label, signal ? { signal } : {});
}
