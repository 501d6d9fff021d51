/**
 * The demo page's DOM: status line with a progress bar, one card per image
 * (the picture with its crop hints drawn over it, dominant colors as
 * swatches, or the image's error) and the list of output files read.
 */
import type { ImageResult, JobProgress, OutputFile } from '../workflow/index.js';

const SVG = 'http://www.w3.org/2000/svg';

/** Creates an element with attributes and children. */
function el<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attrs: Record<string, string> = {},
  ...children: (Node | string)[]
): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, v);
  node.append(...children);
  return node;
}

function svg(tag: string, attrs: Record<string, string | number>): SVGElement {
  const node = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, String(v));
  return node;
}

/** States of the status line (its `data-state`). */
export type PageState = 'loading' | 'ready' | 'uploading' | 'running' | 'reading' | 'done' | 'error';

/** Sets the status line: a state, a text and optionally a progress value. */
export function showStatus(state: PageState, text: string, progress?: { value: number; max: number }): void {
  const status = document.getElementById('status')!;
  status.dataset['state'] = state;
  status.replaceChildren();
  if (progress !== undefined) {
    status.append(el('progress', { value: String(progress.value), max: String(Math.max(1, progress.max)) }));
  }
  status.append(el('span', { class: 'status-text' }, text));
}

/** The status text of a job report. */
export function progressText(p: JobProgress): string {
  const op = p.operation || 'asyncBatchAnnotateImages';
  return `${op}: ${p.state} · ${p.outputFiles}/${p.expectedOutputFiles} output files · ${(p.elapsedMs / 1000).toFixed(1)} s`;
}

/** The natural size of an image at a blob: URL. */
async function imageSize(url: string): Promise<{ width: number; height: number }> {
  const img = new Image();
  img.src = url;
  try {
    await img.decode();
  } catch {
    return { width: 0, height: 0 };
  }
  return { width: img.naturalWidth, height: img.naturalHeight };
}

/** One image's card: picture with crop hints, swatches, errors. */
export async function renderCard(result: ImageResult, name: string, pictureUrl: string): Promise<HTMLElement> {
  const card = el('article', { class: 'card', 'data-uri': result.uri, 'data-name': name });
  card.append(el('h3', {}, name));
  const { summary } = result;
  const size = await imageSize(pictureUrl);
  if (size.width > 0) {
    const picture = svg('svg', { viewBox: `0 0 ${size.width} ${size.height}`, role: 'img', 'aria-label': `${name} with its crop hints` });
    picture.append(svg('image', { href: pictureUrl, width: size.width, height: size.height }));
    for (const h of summary.cropHints) {
      // Shade what the crop leaves out (even-odd: the picture minus the crop), then outline the crop.
      const box = { x: h.left, y: h.top, width: h.right - h.left + 1, height: h.bottom - h.top + 1 };
      const outside = `M0 0H${size.width}V${size.height}H0Z M${box.x} ${box.y}h${box.width}v${box.height}h${-box.width}Z`;
      picture.append(svg('path', { d: outside, class: 'crop-shade', 'fill-rule': 'evenodd' }));
      picture.append(svg('rect', { ...box, class: 'crop', 'data-crop': `${h.left},${h.top},${h.right},${h.bottom}` }));
    }
    card.append(picture);
  }
  if (summary.error) {
    card.append(el('p', { class: 'error' }, `Vision could not annotate this image: ${summary.error.message}`));
    return card;
  }
  const swatches = el('ul', { class: 'swatches', 'aria-label': 'Dominant colors' });
  for (const c of summary.colors.slice(0, 5)) {
    swatches.append(
      el(
        'li',
        { class: 'swatch', 'data-hex': c.hex, 'data-fraction': String(c.pixelFraction), title: `score ${c.score.toFixed(2)}` },
        el('span', { class: 'chip', style: `background:${c.hex}` }),
        el('code', {}, c.hex),
        el('span', {}, c.name),
        el('span', { class: 'share' }, `${(c.pixelFraction * 100).toFixed(1)} %`),
      ),
    );
  }
  card.append(swatches);
  for (const h of summary.cropHints) {
    card.append(
      el(
        'p',
        { class: 'hint' },
        `Crop hint ${h.right - h.left + 1}×${h.bottom - h.top + 1} at (${h.left}, ${h.top}), confidence ${h.confidence.toFixed(2)}`,
      ),
    );
  }
  for (const p of summary.products)
    card.append(el('p', { class: 'hint' }, `Product ${p.displayName || p.product}: score ${p.score.toFixed(2)}`));
  return card;
}

/** Lists the output files the page read. */
export function renderOutputs(files: readonly OutputFile[]): void {
  const list = document.getElementById('outputs')!;
  list.replaceChildren(
    ...files.map((f) =>
      el(
        'li',
        { class: 'output-file', 'data-uri': f.uri, 'data-object': f.object, 'data-bytes': String(f.size) },
        el('code', {}, f.uri),
        ` — requests ${f.range.first}–${f.range.last}, ${f.size.toLocaleString('en')} bytes`,
      ),
    ),
  );
  document.getElementById('outputs-section')!.hidden = files.length === 0;
}
