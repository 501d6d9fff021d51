/** The container formats the annotators read, sniffed from magic bytes. */
export type ImageFormat = 'jpeg' | 'png' | 'gif' | 'webp' | 'tiff' | 'pdf';

/** The formats `images:annotate` accepts (everything but PDF). */
export const IMAGE_FORMATS: readonly ImageFormat[] = ['jpeg', 'png', 'gif', 'webp', 'tiff'];

/** MIME types the files methods accept, with the format each must contain. */
export const FILE_MIME_TYPES: Readonly<Record<string, ImageFormat>> = {
  'application/pdf': 'pdf',
  'image/tiff': 'tiff',
  'image/gif': 'gif',
};

function startsWith(bytes: Uint8Array, prefix: readonly number[], at = 0): boolean {
  if (bytes.length < at + prefix.length) return false;
  for (let i = 0; i < prefix.length; i++) if (bytes[at + i] !== prefix[i]) return false;
  return true;
}

const ascii = (text: string): number[] => Array.from(text, (c) => c.charCodeAt(0));

/**
 * The format of `bytes` by its magic number, or undefined for anything else.
 * Sniffing comes before any decoder sees the bytes, so formats a decoder
 * could also read (SVG, which may reference local files; HEIF; …) are refused.
 */
export function sniffFormat(bytes: Uint8Array): ImageFormat | undefined {
  if (startsWith(bytes, [0xff, 0xd8, 0xff])) return 'jpeg';
  if (startsWith(bytes, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return 'png';
  if (startsWith(bytes, ascii('GIF87a')) || startsWith(bytes, ascii('GIF89a'))) return 'gif';
  if (startsWith(bytes, ascii('RIFF')) && startsWith(bytes, ascii('WEBP'), 8)) return 'webp';
  if (startsWith(bytes, [0x49, 0x49, 0x2a, 0x00]) || startsWith(bytes, [0x4d, 0x4d, 0x00, 0x2a])) return 'tiff';
  // PDF: the header may follow up to 1 KB of junk, as readers allow.
  const head = new TextDecoder('latin1').decode(bytes.subarray(0, 1024));
  if (head.includes('%PDF-')) return 'pdf';
  return undefined;
}
