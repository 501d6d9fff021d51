/**
 * The image formats Vision takes, recognised by their magic bytes (never by
 * the file name), with the content type to upload them as.
 */

/** A recognised file type. */
export interface SniffedType {
  /** Short name for messages ("PNG"). */
  readonly name: string;
  /** The content type to upload with. */
  readonly contentType: string;
  /** False for files Vision's images methods do not take (PDF). */
  readonly image: boolean;
}

const at = (bytes: Uint8Array, offset: number, prefix: readonly number[]): boolean =>
  bytes.length >= offset + prefix.length && prefix.every((b, i) => bytes[offset + i] === b);
const ascii = (text: string): number[] => Array.from(text, (c) => c.charCodeAt(0));

/** File-name extensions taken from folders (a file named on the command line is sniffed whatever its name). */
export const IMAGE_EXTENSIONS: readonly string[] = ['.jpg', '.jpeg', '.jpe', '.png', '.gif', '.webp', '.bmp', '.tif', '.tiff', '.ico'];

/** The formats accepted, for messages. */
export const IMAGE_FORMAT_LIST = 'JPEG, PNG, GIF, WebP, BMP, TIFF or ICO';

/** The type of `bytes` by magic number, or undefined when it is none Vision reads. */
export function sniffImageType(bytes: Uint8Array): SniffedType | undefined {
  if (at(bytes, 0, [0xff, 0xd8, 0xff])) return { name: 'JPEG', contentType: 'image/jpeg', image: true };
  if (at(bytes, 0, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return { name: 'PNG', contentType: 'image/png', image: true };
  if (at(bytes, 0, ascii('GIF87a')) || at(bytes, 0, ascii('GIF89a'))) return { name: 'GIF', contentType: 'image/gif', image: true };
  if (at(bytes, 0, ascii('RIFF')) && at(bytes, 8, ascii('WEBP'))) return { name: 'WebP', contentType: 'image/webp', image: true };
  if (at(bytes, 0, [0x49, 0x49, 0x2a, 0x00]) || at(bytes, 0, [0x4d, 0x4d, 0x00, 0x2a]))
    return { name: 'TIFF', contentType: 'image/tiff', image: true };
  if (at(bytes, 0, ascii('BM')) && bytes.length >= 26) return { name: 'BMP', contentType: 'image/bmp', image: true };
  if (at(bytes, 0, [0x00, 0x00, 0x01, 0x00]) && bytes.length >= 22) return { name: 'ICO', contentType: 'image/x-icon', image: true };
  if (at(bytes, 0, ascii('%PDF-'))) return { name: 'PDF', contentType: 'application/pdf', image: false };
  return undefined;
}
