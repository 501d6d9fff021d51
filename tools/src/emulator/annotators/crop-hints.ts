import type { BoundingPoly } from 'vision-kit/gen/google/cloud/vision/v1p4beta1/geometry.js';
import type { CropHint } from 'vision-kit/gen/google/cloud/vision/v1p4beta1/image_annotator.js';
import { invalidInput } from './annotation-error.js';
import { MAX_CROP_HINT_RATIOS } from './limits.js';
import type { PixelRect, Raster } from './raster.js';
import { saliencyMap } from './saliency.js';

/** The aspect ratio used when `cropHintsParams.aspectRatios` is empty. */
export const DEFAULT_CROP_RATIO = 1;

/** A rectangle as a four-vertex pixel polygon, clockwise from top-left, corners inclusive (as Google gives crop hints). */
export function rectToPoly(rect: PixelRect): BoundingPoly {
  const x1 = rect.x + rect.width - 1;
  const y1 = rect.y + rect.height - 1;
  return {
    vertices: [
      { x: rect.x, y: rect.y },
      { x: x1, y: rect.y },
      { x: x1, y: y1 },
      { x: rect.x, y: y1 },
    ],
    normalizedVertices: [],
  };
}

/** The checked ratios of a request: the first 16, each finite and > 0; default 1:1. */
export function cropRatios(requested: readonly number[] | undefined, label: string): number[] {
  const ratios = (requested ?? []).slice(0, MAX_CROP_HINT_RATIOS);
  ratios.forEach((r, i) => {
    if (!Number.isFinite(r) || r <= 0) {
      throw invalidInput(label, `imageContext.cropHintsParams.aspectRatios[${i}] must be a positive number (width / height), got ${r}`);
    }
  });
  return ratios.length > 0 ? ratios : [DEFAULT_CROP_RATIO];
}

/** Windows holding within this share of the image's saliency of the best one count as ties. */
const TIE_SHARE = 0.01;

/**
 * Start of the best window of `windowLength` along one axis (fractional
 * raster units), by prefix sums: the most saliency inside; among near-ties
 * the window whose centre is nearest the saliency centroid.
 */
function bestOffset(profile: Float64Array, windowLength: number): number {
  const n = profile.length;
  const prefix = new Float64Array(n + 1);
  let centroid = 0;
  for (let i = 0; i < n; i++) {
    prefix[i + 1] = (prefix[i] as number) + (profile[i] as number);
    centroid += (i + 0.5) * (profile[i] as number);
  }
  const total = prefix[n] as number;
  centroid = total > 0 ? centroid / total : n / 2;
  // Fractional prefix sum: the mass in [0, t).
  const massBefore = (t: number): number => {
    const i = Math.min(n, Math.max(0, Math.floor(t)));
    return (prefix[i] as number) + (i < n ? (t - i) * (profile[i] as number) : 0);
  };
  const last = Math.max(0, n - windowLength);
  const starts: number[] = [];
  for (let s = 0; s < last; s++) starts.push(s);
  starts.push(last);
  const masses = starts.map((start) => massBefore(start + windowLength) - massBefore(start));
  const most = Math.max(...masses);
  let best = 0;
  let bestDistance = Infinity;
  starts.forEach((start, i) => {
    if ((masses[i] as number) < most - TIE_SHARE * total) return;
    const distance = Math.abs(start + windowLength / 2 - centroid);
    if (distance < bestDistance) {
      bestDistance = distance;
      best = start;
    }
  });
  return best;
}

/**
 * One crop hint per aspect ratio: the largest crop of that ratio (width /
 * height) that fits in the image, slid along the free axis to hold the most
 * saliency (see `saliencyMap`). `importanceFraction` is the share of the
 * image's saliency inside the crop; `confidence` is 0.5 when the crop holds
 * just its area's share of saliency, rising to 1 when it holds all of it
 * (1 for a crop that is the whole image). Vertices are pixel coordinates
 * in the source image, corners inclusive.
 */
export function cropHints(raster: Raster, ratios: readonly number[]): CropHint[] {
  const sal = saliencyMap(raster);
  const { width: rw, height: rh } = raster;
  const W = raster.sourceWidth;
  const H = raster.sourceHeight;
  const columns = new Float64Array(rw);
  const rows = new Float64Array(rh);
  let total = 0;
  for (let y = 0; y < rh; y++) {
    for (let x = 0; x < rw; x++) {
      const v = sal[y * rw + x] as number;
      columns[x] = (columns[x] as number) + v;
      rows[y] = (rows[y] as number) + v;
      total += v;
    }
  }
  const scaleX = rw / W;
  const scaleY = rh / H;
  return ratios.map((ratio) => {
    let cw: number;
    let ch: number;
    if (W / H >= ratio) {
      ch = H;
      cw = Math.max(1, Math.min(W, Math.round(H * ratio)));
    } else {
      cw = W;
      ch = Math.max(1, Math.min(H, Math.round(W / ratio)));
    }
    let x = 0;
    let y = 0;
    let mass: number;
    if (cw < W) {
      const start = bestOffset(columns, cw * scaleX);
      x = Math.min(W - cw, Math.max(0, Math.round(start / scaleX)));
      mass = windowMass(columns, x * scaleX, cw * scaleX);
    } else if (ch < H) {
      const start = bestOffset(rows, ch * scaleY);
      y = Math.min(H - ch, Math.max(0, Math.round(start / scaleY)));
      mass = windowMass(rows, y * scaleY, ch * scaleY);
    } else {
      mass = total;
    }
    const area = (cw * ch) / (W * H);
    const importance = total > 0 ? Math.min(1, mass / total) : area;
    const confidence = area >= 0.999 ? 1 : Math.min(1, Math.max(0, 0.5 + (importance - area) / (2 * (1 - area))));
    return { boundingPoly: rectToPoly({ x, y, width: cw, height: ch }), confidence, importanceFraction: importance };
  });
}

function windowMass(profile: Float64Array, start: number, length: number): number {
  let mass = 0;
  const end = start + length;
  for (let i = Math.floor(start); i < Math.min(profile.length, Math.ceil(end)); i++) {
    const overlap = Math.min(end, i + 1) - Math.max(start, i);
    if (overlap > 0) mass += overlap * (profile[i] as number);
  }
  return mass;
}
