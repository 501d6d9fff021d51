/**
 * Finds the separate objects of a query image for product search, as
 * Google's multi-detection does when a request has no bounding poly ("Vision
 * API Product Search can ... identify and list matching products for
 * multiple products if they are present in your image", and one
 * `productGroupedResults` entry per detected product:
 * https://cloud.google.com/vision/product-search/docs/searching-response).
 *
 * Google detects products with a trained model; the emulator finds distinct
 * objects on a plain light background, the way product pictures are
 * recommended to be taken ("Show the product against a white background"):
 *
 * 1. The background is estimated from the image's border (a ring 2 % of the
 *    shorter side deep, at least one pixel): the per-channel median of the
 *    ring. It must be plain (at least 95 % of the ring within
 *    {@link BACKGROUND_TOLERANCE} of the median on every channel) and light
 *    (every channel of the median at least {@link MIN_BACKGROUND_LEVEL}),
 *    else no regions are found.
 * 2. A pixel is foreground when a channel differs from the background by
 *    more than {@link FOREGROUND_THRESHOLD}.
 * 3. Foreground pixels are grouped into 8-connected components; components
 *    of fewer than 0.2 % of the pixels are dropped (specks, noise).
 * 4. The components' boxes, each grown by 1 % of the longer side, are merged
 *    while any two overlap (so the parts of one object become one box);
 *    boxes under 1 % of the image's area are dropped.
 * 5. The boxes left are the regions, largest first, at most
 *    {@link MAX_REGIONS}; none means no separate objects were found (the
 *    caller then searches the whole image as one region).
 *
 * Works on the analysis raster (at most 256 px a side); the regions are
 * given in the source image's pixels.
 */
import type { PixelRect, Raster } from './raster.js';

/** A channel difference up to this still counts as background when checking that the border is plain. */
export const BACKGROUND_TOLERANCE = 24;
/** A channel difference over this from the background makes a pixel foreground. */
export const FOREGROUND_THRESHOLD = 40;
/** Every channel of the background's median must be at least this (a light background). */
export const MIN_BACKGROUND_LEVEL = 190;
/** Most regions reported for one image. */
export const MAX_REGIONS = 10;

const PLAIN_FRACTION = 0.95;
const MIN_COMPONENT_FRACTION = 0.002;
const MIN_BOX_FRACTION = 0.01;
const GAP_FRACTION = 0.01;

interface Box {
  x0: number;
  y0: number;
  /** Inclusive. */
  x1: number;
  /** Inclusive. */
  y1: number;
}

/** Calls `visit` with the data offset of every pixel of the border ring, `depth` pixels deep. */
function forEachRingPixel(r: Raster, depth: number, visit: (offset: number) => void): void {
  const { width: w, height: h } = r;
  for (let y = 0; y < h; y++) {
    if (y < depth || y >= h - depth) {
      for (let x = 0; x < w; x++) visit((y * w + x) * 3);
    } else {
      for (let x = 0; x < depth; x++) visit((y * w + x) * 3);
      for (let x = w - depth; x < w; x++) visit((y * w + x) * 3);
    }
  }
}

/** The median of a 256-bin histogram holding `count` values. */
function histogramMedian(hist: Uint32Array, count: number): number {
  let seen = 0;
  for (let v = 0; v < 256; v++) {
    seen += hist[v] as number;
    if (seen * 2 > count) return v;
  }
  return 255;
}

/** The background color when the border is plain and light, else undefined. */
function plainBackground(r: Raster): [number, number, number] | undefined {
  const { width: w, height: h, data } = r;
  const depth = Math.max(1, Math.round(Math.min(w, h) * 0.02));
  if (w <= 2 * depth || h <= 2 * depth) return undefined;
  const hists = [new Uint32Array(256), new Uint32Array(256), new Uint32Array(256)] as const;
  let count = 0;
  forEachRingPixel(r, depth, (i) => {
    hists[0][data[i] as number]!++;
    hists[1][data[i + 1] as number]!++;
    hists[2][data[i + 2] as number]!++;
    count++;
  });
  const bg: [number, number, number] = [
    histogramMedian(hists[0], count),
    histogramMedian(hists[1], count),
    histogramMedian(hists[2], count),
  ];
  if (Math.min(...bg) < MIN_BACKGROUND_LEVEL) return undefined;
  let plain = 0;
  forEachRingPixel(r, depth, (i) => {
    if (
      Math.abs((data[i] as number) - bg[0]) <= BACKGROUND_TOLERANCE &&
      Math.abs((data[i + 1] as number) - bg[1]) <= BACKGROUND_TOLERANCE &&
      Math.abs((data[i + 2] as number) - bg[2]) <= BACKGROUND_TOLERANCE
    ) {
      plain++;
    }
  });
  return plain >= PLAIN_FRACTION * count ? bg : undefined;
}

/** Boxes of the 8-connected foreground components of at least `minPixels` pixels. */
function componentBoxes(mask: Uint8Array, w: number, h: number, minPixels: number): Box[] {
  const seen = new Uint8Array(w * h);
  const stack = new Int32Array(w * h);
  const boxes: Box[] = [];
  for (let start = 0; start < w * h; start++) {
    if (!mask[start] || seen[start]) continue;
    seen[start] = 1;
    let top = 0;
    stack[top++] = start;
    let count = 0;
    const box: Box = { x0: w, y0: h, x1: -1, y1: -1 };
    while (top > 0) {
      const p = stack[--top] as number;
      count++;
      const x = p % w;
      const y = (p - x) / w;
      if (x < box.x0) box.x0 = x;
      if (x > box.x1) box.x1 = x;
      if (y < box.y0) box.y0 = y;
      if (y > box.y1) box.y1 = y;
      for (let dy = -1; dy <= 1; dy++) {
        const ny = y + dy;
        if (ny < 0 || ny >= h) continue;
        for (let dx = -1; dx <= 1; dx++) {
          const nx = x + dx;
          if (nx < 0 || nx >= w) continue;
          const q = ny * w + nx;
          if (mask[q] && !seen[q]) {
            seen[q] = 1;
            stack[top++] = q;
          }
        }
      }
    }
    if (count >= minPixels) boxes.push(box);
  }
  return boxes;
}

/** Merges boxes that overlap once each is grown by `gap`, until none do. */
function mergeBoxes(boxes: Box[], gap: number): Box[] {
  const out = boxes.map((b) => ({ ...b }));
  let merged = true;
  while (merged) {
    merged = false;
    for (let i = 0; i < out.length && !merged; i++) {
      for (let j = i + 1; j < out.length; j++) {
        const a = out[i] as Box;
        const b = out[j] as Box;
        if (a.x0 - gap <= b.x1 + gap && b.x0 - gap <= a.x1 + gap && a.y0 - gap <= b.y1 + gap && b.y0 - gap <= a.y1 + gap) {
          out[i] = { x0: Math.min(a.x0, b.x0), y0: Math.min(a.y0, b.y0), x1: Math.max(a.x1, b.x1), y1: Math.max(a.y1, b.y1) };
          out.splice(j, 1);
          merged = true;
          break;
        }
      }
    }
  }
  return out;
}

const area = (b: Box): number => (b.x1 - b.x0 + 1) * (b.y1 - b.y0 + 1);

/** A raster box (inclusive pixel indices) as a rectangle of the source image. */
function toSource(r: Raster, b: Box): PixelRect {
  const sx = r.sourceWidth / r.width;
  const sy = r.sourceHeight / r.height;
  const x0 = Math.max(0, Math.floor(b.x0 * sx));
  const y0 = Math.max(0, Math.floor(b.y0 * sy));
  const x1 = Math.min(r.sourceWidth, Math.ceil((b.x1 + 1) * sx));
  const y1 = Math.min(r.sourceHeight, Math.ceil((b.y1 + 1) * sy));
  return { x: x0, y: y0, width: Math.max(1, x1 - x0), height: Math.max(1, y1 - y0) };
}

/**
 * The separate objects of an image on a plain light background, as source
 * pixel rectangles, largest first; empty when the background is not plain
 * and light or nothing stands out from it. Pure and deterministic.
 */
export function findProductRegions(raster: Raster): PixelRect[] {
  const { width: w, height: h, data } = raster;
  const bg = plainBackground(raster);
  if (!bg) return [];
  const mask = new Uint8Array(w * h);
  for (let p = 0, i = 0; p < w * h; p++, i += 3) {
    if (
      Math.abs((data[i] as number) - bg[0]) > FOREGROUND_THRESHOLD ||
      Math.abs((data[i + 1] as number) - bg[1]) > FOREGROUND_THRESHOLD ||
      Math.abs((data[i + 2] as number) - bg[2]) > FOREGROUND_THRESHOLD
    ) {
      mask[p] = 1;
    }
  }
  const total = w * h;
  const components = componentBoxes(mask, w, h, Math.max(4, Math.ceil(total * MIN_COMPONENT_FRACTION)));
  const gap = Math.max(1, Math.round(Math.max(w, h) * GAP_FRACTION));
  const boxes = mergeBoxes(components, gap).filter((b) => area(b) >= total * MIN_BOX_FRACTION);
  boxes.sort((a, b) => area(b) - area(a) || a.y0 - b.y0 || a.x0 - b.x0);
  return boxes.slice(0, MAX_REGIONS).map((b) => toSource(raster, b));
}
