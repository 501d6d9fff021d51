import type * as Mupdf from 'mupdf';
import { invalidInput } from './annotation-error.js';
import { PDF_RENDER_DPI, PDF_RENDER_MAX_SIDE } from './limits.js';
import type { RasterSource } from './raster.js';

let mupdfModule: Promise<typeof Mupdf> | undefined;

/** Loads mupdf's WASM build on first use (keeps emulator start-up fast) and silences its console logging. */
function loadMupdf(): Promise<typeof Mupdf> {
  mupdfModule ??= import('mupdf').then((m) => {
    m.setLog({ error: () => {}, warning: () => {} });
    return m;
  });
  return mupdfModule;
}

/** An open PDF: its page count and a renderer per page. Call `close` when done. */
export interface PdfFile {
  readonly totalPages: number;
  /** Renders page `index` (0-based) to RGB pixels at 150 dpi, the longer side at most 2,000 px. */
  render(index: number, label: string): RasterSource;
  close(): void;
}

/** Opens a PDF with mupdf; INVALID_ARGUMENT naming `label` when it will not open, is encrypted or has no pages. */
export async function openPdf(bytes: Uint8Array, label: string): Promise<PdfFile> {
  const mupdf = await loadMupdf();
  let doc: Mupdf.Document;
  try {
    doc = mupdf.Document.openDocument(bytes, 'application/pdf');
  } catch (err) {
    throw invalidInput(label, `the PDF could not be opened (${err instanceof Error ? err.message : String(err)})`, err);
  }
  let totalPages: number;
  try {
    if (doc.needsPassword()) throw new Error('it is encrypted with a password');
    totalPages = doc.countPages();
    if (totalPages < 1) throw new Error('it has no pages');
  } catch (err) {
    doc.destroy();
    throw invalidInput(label, `the PDF could not be opened (${err instanceof Error ? err.message : String(err)})`, err);
  }
  return {
    totalPages,
    render(index, pageLabel) {
      let page: Mupdf.Page | undefined;
      let pixmap: Mupdf.Pixmap | undefined;
      try {
        page = doc.loadPage(index);
        const [x0, y0, x1, y1] = page.getBounds();
        const longest = Math.max(1, x1 - x0, y1 - y0);
        const scale = Math.min(PDF_RENDER_DPI / 72, PDF_RENDER_MAX_SIDE / longest);
        pixmap = page.toPixmap(mupdf.Matrix.scale(scale, scale), mupdf.ColorSpace.DeviceRGB, false, true);
        const width = pixmap.getWidth();
        const height = pixmap.getHeight();
        const stride = pixmap.getStride();
        const samples = pixmap.getPixels();
        const data = new Uint8Array(width * height * 3);
        for (let y = 0; y < height; y++) data.set(samples.subarray(y * stride, y * stride + width * 3), y * width * 3);
        return { kind: 'pixels', data, width, height };
      } catch (err) {
        throw invalidInput(pageLabel, `the PDF page could not be rendered (${err instanceof Error ? err.message : String(err)})`, err);
      } finally {
        pixmap?.destroy();
        page?.destroy();
      }
    },
    close() {
      doc.destroy();
    },
  };
}
