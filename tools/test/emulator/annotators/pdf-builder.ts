// A tiny PDF made with mupdf at test time: one page per color, each page filled with it.
import * as mupdf from 'mupdf';

/** RGB in 0–1, as PDF content streams take it. */
export type PdfColor = readonly [number, number, number];

/** A PDF of `colors.length` pages of 200 × 150 pt, page i filled with colors[i]. */
export function colorPagesPdf(colors: readonly PdfColor[]): Uint8Array {
  const doc = new mupdf.PDFDocument();
  try {
    for (const [r, g, b] of colors) {
      const page = doc.addPage([0, 0, 200, 150], 0, {}, `${r} ${g} ${b} rg 0 0 200 150 re f`);
      doc.insertPage(-1, page);
    }
    return doc.saveToBuffer('').asUint8Array().slice();
  } finally {
    doc.destroy();
  }
}
