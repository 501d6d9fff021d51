/**
 * The PDF renderer's worker thread (see `pdf-renderer.ts`): mupdf's WASM
 * build runs here, never on the emulator's main thread, so a page that takes
 * minutes to draw costs this thread only — and the main thread can stop it
 * with `worker.terminate()`, which interrupts WASM too.
 *
 * One document at a time (a worker is leased to one file). Messages, each
 * answered with the same `id`:
 * - `{ id, op: 'open', bytes }` → `{ id, ok: true, totalPages }`; a
 *   document already open is closed first.
 * - `{ id, op: 'render', index }` → `{ id, ok: true, width, height, data }`:
 *   page `index` (0-based) as packed RGB at 150 dpi, the longer side at most
 *   2,000 px (`data` is transferred).
 * - `{ id, op: 'close' }` → `{ id, ok: true }`.
 * Failures answer `{ id, ok: false, message }`. Once mupdf is loaded the
 * worker posts `{ ready: true }`. Besides mupdf it imports only the render
 * limits, so it starts fast and runs the same from the sources and the bundle.
 */
import { parentPort } from 'node:worker_threads';
import * as mupdf from 'mupdf';
import { PDF_RENDER_DPI, PDF_RENDER_MAX_SIDE } from './limits.js';

/** A request to the worker. */
export type PdfWorkerRequest =
  | { readonly id: number; readonly op: 'open'; readonly bytes: Uint8Array }
  | { readonly id: number; readonly op: 'render'; readonly index: number }
  | { readonly id: number; readonly op: 'close' };

/** A reply of the worker. */
export type PdfWorkerReply =
  | { readonly ready: true }
  | {
      readonly id: number;
      readonly ok: true;
      readonly totalPages?: number;
      readonly width?: number;
      readonly height?: number;
      readonly data?: Uint8Array;
    }
  | { readonly id: number; readonly ok: false; readonly message: string };

const port = parentPort;
if (!port) throw new Error('pdf-worker.ts runs as a worker thread (see pdf-renderer.ts)');
mupdf.setLog({ error: () => {}, warning: () => {} });

let doc: mupdf.Document | undefined;

function closeDoc(): void {
  doc?.destroy();
  doc = undefined;
}

function open(bytes: Uint8Array): number {
  closeDoc();
  const opened = mupdf.Document.openDocument(bytes, 'application/pdf');
  try {
    if (opened.needsPassword()) throw new Error('it is encrypted with a password');
    const pages = opened.countPages();
    if (pages < 1) throw new Error('it has no pages');
    doc = opened;
    return pages;
  } catch (err) {
    opened.destroy();
    throw err;
  }
}

function render(index: number): { width: number; height: number; data: Uint8Array } {
  if (!doc) throw new Error('no document is open');
  let page: mupdf.Page | undefined;
  let pixmap: mupdf.Pixmap | undefined;
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
    return { width, height, data };
  } finally {
    pixmap?.destroy();
    page?.destroy();
  }
}

port.on('message', (req: PdfWorkerRequest) => {
  try {
    if (req.op === 'open') {
      port.postMessage({ id: req.id, ok: true, totalPages: open(req.bytes) } satisfies PdfWorkerReply);
    } else if (req.op === 'render') {
      const { width, height, data } = render(req.index);
      port.postMessage({ id: req.id, ok: true, width, height, data } satisfies PdfWorkerReply, [data.buffer as ArrayBuffer]);
    } else {
      closeDoc();
      port.postMessage({ id: req.id, ok: true } satisfies PdfWorkerReply);
    }
  } catch (err) {
    port.postMessage({ id: req.id, ok: false, message: err instanceof Error ? err.message : String(err) } satisfies PdfWorkerReply);
  }
});
port.postMessage({ ready: true } satisfies PdfWorkerReply);
