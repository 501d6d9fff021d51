import sharp from 'sharp';
import { invalidInput } from './annotation-error.js';
import { FILE_MIME_TYPES, sniffFormat } from './image-format.js';
import { runImageJob } from './image-jobs.js';
import { MAX_FILE_PAGES, MAX_IMAGE_PIXELS } from './limits.js';
import { defaultPdfRenderer, type PdfRenderer } from './pdf-renderer.js';
import type { RasterSource } from './raster.js';

/** A multi-page file opened for annotation. */
export interface PagedFile {
  /** Pages (PDF, TIFF) or frames (GIF) in the file. */
  readonly totalPages: number;
  /** The source of page `index` (0-based), for `decodeRaster` (a PDF page is rendered in a worker, within its budget). */
  page(index: number, label: string, signal?: AbortSignal): Promise<RasterSource>;
  /** Frees what the file holds (the PDF worker's lease). */
  close(): void;
}

/** How {@link openPagedFile} opens PDFs. */
export interface OpenFileOptions {
  /** The PDF renderer (its workers and time budget); default the process-wide one. */
  readonly pdf?: PdfRenderer;
  /** Stops the work (a PDF being opened or rendered included). */
  readonly signal?: AbortSignal;
}

/**
 * Opens a file for the files methods: `mimeType` must be one of
 * `application/pdf`, `image/tiff`, `image/gif` and agree with the bytes.
 * INVALID_ARGUMENT naming `label` otherwise, or when it will not open;
 * DEADLINE_EXCEEDED when a PDF takes longer than the renderer's budget to open.
 */
export async function openPagedFile(bytes: Uint8Array, mimeType: string, label: string, options: OpenFileOptions = {}): Promise<PagedFile> {
  const expected = FILE_MIME_TYPES[mimeType];
  if (!expected) {
    throw invalidInput(
      label,
      `inputConfig.mimeType must be one of ${Object.keys(FILE_MIME_TYPES).join(', ')} (got ${JSON.stringify(mimeType)})`,
    );
  }
  if (bytes.length === 0) throw invalidInput(label, 'the file is empty (0 bytes)');
  const actual = sniffFormat(bytes);
  if (actual !== expected) {
    throw invalidInput(
      label,
      `the file is not ${mimeType}${actual ? ` (its bytes are ${actual.toUpperCase()})` : ' (its bytes are not a supported format)'}`,
    );
  }
  if (expected === 'pdf') {
    const pdf = await (options.pdf ?? defaultPdfRenderer()).open(bytes, label, options.signal);
    return {
      totalPages: pdf.totalPages,
      page: (index, pageLabel, signal) => pdf.render(index, pageLabel, signal),
      close: () => pdf.close(),
    };
  }
  let pages: number;
  try {
    const meta = await runImageJob(() => sharp(bytes, { limitInputPixels: MAX_IMAGE_PIXELS }).metadata(), options.signal);
    pages = meta.pages ?? 1;
  } catch (err) {
    throw invalidInput(label, `the file could not be decoded (${err instanceof Error ? err.message : String(err)})`, err);
  }
  return { totalPages: pages, page: async (index) => ({ kind: 'encoded', bytes, page: index }), close: () => {} };
}

/**
 * The 1-based page numbers to annotate: `requested` in order (negative
 * numbers count from the end: -1 is the last page), or the first five when
 * it is empty. More than five, page 0, or a page outside the file is
 * INVALID_ARGUMENT naming `label`.
 */
export function resolvePages(requested: readonly number[], totalPages: number, label: string): number[] {
  if (requested.length === 0) return Array.from({ length: Math.min(MAX_FILE_PAGES, totalPages) }, (_, i) => i + 1);
  if (requested.length > MAX_FILE_PAGES) {
    throw invalidInput(label, `pages lists ${requested.length} pages; at most ${MAX_FILE_PAGES} are supported per file`);
  }
  return requested.map((p, i) => {
    if (!Number.isInteger(p) || p === 0)
      throw invalidInput(label, `pages[${i}] is ${p}; pages start at 1 (negative numbers count from the end)`);
    const page = p > 0 ? p : totalPages + 1 + p;
    if (page < 1 || page > totalPages) {
      throw invalidInput(label, `pages[${i}] is ${p}, out of range: the file has ${totalPages} page${totalPages === 1 ? '' : 's'}`);
    }
    return page;
  });
}
