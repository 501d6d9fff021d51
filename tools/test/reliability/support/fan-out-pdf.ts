/**
 * A hostile PDF written by hand, byte by byte: one page that draws form
 * XObject F<levels>, which draws F<levels-1> `fanOut` times, and so on down
 * to F0, one filled rectangle the size of the page. With 8 levels and a
 * fan-out of 4 the page paints 4^8 = 65,536 full-page fills from a file of
 * about 2 KB — a renderer that takes it on the main thread is busy for
 * minutes. The cross-reference table is exact, so no reader has to repair
 * the file.
 */

/** Options of {@link fanOutPdf}. */
export interface FanOutOptions {
  /** Levels of forms above the single fill (the page draws the top one). */
  readonly levels: number;
  /** How many times each form draws the one below it; default 4. */
  readonly fanOut?: number;
}

/** How many fills a page of {@link fanOutPdf} paints. */
export function fanOutFills(options: FanOutOptions): number {
  return (options.fanOut ?? 4) ** options.levels;
}

/** The PDF bytes (US Letter page, 612 × 792 pt). */
export function fanOutPdf(options: FanOutOptions): Uint8Array {
  const { levels } = options;
  const fanOut = options.fanOut ?? 4;
  if (!Number.isInteger(levels) || levels < 0 || !Number.isInteger(fanOut) || fanOut < 1) {
    throw new RangeError('levels must be a whole number ≥ 0 and fanOut ≥ 1');
  }
  const formObject = (level: number): number => 5 + level;
  const stream = (dict: string, body: string): string => `<< ${dict} /Length ${body.length} >>\nstream\n${body}\nendstream`;
  const objects: string[] = [
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    `<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /XObject << /F${levels} ${formObject(levels)} 0 R >> >> /Contents 4 0 R >>`,
    stream('', `/F${levels} Do`),
  ];
  for (let level = 0; level <= levels; level++) {
    const form = '/Type /XObject /Subtype /Form /BBox [0 0 612 792]';
    if (level === 0) {
      objects.push(stream(form, '0.2 0.4 0.6 rg 0 0 612 792 re f'));
    } else {
      const resources = `/Resources << /XObject << /F${level - 1} ${formObject(level - 1)} 0 R >> >>`;
      objects.push(stream(`${form} ${resources}`, Array.from({ length: fanOut }, () => `/F${level - 1} Do`).join('\n')));
    }
  }
  let text = '%PDF-1.4\n';
  const offsets: number[] = [];
  objects.forEach((body, i) => {
    offsets.push(text.length);
    text += `${i + 1} 0 obj\n${body}\nendobj\n`;
  });
  const xref = text.length;
  text += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n`;
  for (const offset of offsets) text += `${String(offset).padStart(10, '0')} 00000 n \n`;
  text += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return new TextEncoder().encode(text);
}
