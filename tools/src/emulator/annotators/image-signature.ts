import type { BoundingPoly } from 'vision-kit/gen/google/cloud/vision/v1p4beta1/geometry.js';
import { invalidInput } from './annotation-error.js';
import { polyToRect } from './geometry.js';
import { decodeImageBytes } from './image-bytes.js';
import { MAX_REFERENCE_POLYS } from './limits.js';
import { dHash, hammingDistance, pHash } from './perceptual-hash.js';
import { type PixelRect, type Raster, rasterRect } from './raster.js';
import { referenceRectProblem } from './reference-rect.js';

/** The version written into every {@link ImageSignature}; the emulator re-indexes images whose stored signature has another. */
export const SIGNATURE_VERSION = 1;

/** The visual signature of one region of an image (a reference image's bounding poly, or the whole image). */
export interface RegionSignature {
  /** The region in the image's pixels. */
  readonly rect: PixelRect;
  /** Difference hash, 16 hex digits. */
  readonly dHash: string;
  /** DCT perceptual hash, 16 hex digits. */
  readonly pHash: string;
  /** 4 × 4 × 4 RGB histogram, soft-binned, summing to 1. */
  readonly histogram: readonly number[];
}

/**
 * The visual signature of a reference image for product search: plain JSON
 * (numbers, strings, arrays), so the emulator can persist it next to the
 * reference image and reload it after a restart. Treat it as opaque apart
 * from `version`.
 */
export interface ImageSignature {
  /** {@link SIGNATURE_VERSION} when computed. */
  readonly version: number;
  /** Width of the image in pixels. */
  readonly width: number;
  /** Height of the image in pixels. */
  readonly height: number;
  /** One entry per bounding poly (at most 10), or one for the whole image. */
  readonly regions: readonly RegionSignature[];
}

const BINS = 4;

/** Soft (linear) binning of a 0–255 channel value into BINS bins: lower bin, its weight, upper bin gets the rest. */
const SOFT_BIN = (() => {
  const lower = new Uint8Array(256);
  const weight = new Float64Array(256);
  for (let v = 0; v < 256; v++) {
    const p = Math.min(BINS - 1, Math.max(0, (v / 256) * BINS - 0.5));
    const i = Math.min(BINS - 2, Math.floor(p));
    lower[v] = i;
    weight[v] = 1 - (p - i);
  }
  return { lower, weight };
})();

function histogram(raster: Raster, rect: PixelRect): number[] {
  const hist = new Float64Array(BINS * BINS * BINS);
  const r = rasterRect(raster, rect);
  const { lower, weight } = SOFT_BIN;
  const data = raster.data;
  for (let y = r.y; y < r.y + r.height; y++) {
    for (let x = r.x; x < r.x + r.width; x++) {
      const i = (y * raster.width + x) * 3;
      const rv = data[i] as number;
      const gv = data[i + 1] as number;
      const bv = data[i + 2] as number;
      const r0 = lower[rv] as number;
      const g0 = lower[gv] as number;
      const b0 = lower[bv] as number;
      const rw = weight[rv] as number;
      const gw = weight[gv] as number;
      const bw = weight[bv] as number;
      for (let dr = 0; dr < 2; dr++) {
        const wr = dr === 0 ? rw : 1 - rw;
        if (wr === 0) continue;
        for (let dg = 0; dg < 2; dg++) {
          const wg = dg === 0 ? gw : 1 - gw;
          if (wg === 0) continue;
          const base = ((r0 + dr) * BINS + g0 + dg) * BINS + b0;
          hist[base] = (hist[base] as number) + wr * wg * bw;
          hist[base + 1] = (hist[base + 1] as number) + wr * wg * (1 - bw);
        }
      }
    }
  }
  const total = r.width * r.height;
  return Array.from(hist, (v) => Math.round((v / total) * 1e5) / 1e5);
}

/** The signature of one source-pixel region of a decoded raster. */
export function regionSignature(raster: Raster, rect: PixelRect): RegionSignature {
  const inRaster = rasterRect(raster, rect);
  return { rect, dHash: dHash(raster, inRaster), pHash: pHash(raster, inRaster), histogram: histogram(raster, rect) };
}

/**
 * Similarity of two region signatures in [0, 1]: 0.35 × each hash's
 * agreement (1 − Hamming distance / 32, floored at 0, so unrelated pictures
 * with about 32 differing bits count 0) plus 0.3 × histogram intersection.
 */
export function regionSimilarity(a: RegionSignature, b: RegionSignature): number {
  const agree = (x: string, y: string): number => Math.max(0, 1 - hammingDistance(x, y) / 32);
  let intersection = 0;
  for (let i = 0; i < a.histogram.length; i++)
    intersection += Math.min(a.histogram[i] as number, (b.histogram[i] as number | undefined) ?? 0);
  return Math.min(1, Math.max(0, 0.35 * agree(a.dHash, b.dHash) + 0.35 * agree(a.pHash, b.pHash) + 0.3 * intersection));
}

/**
 * Signature of a raster: one region per polygon (`field[i]` names them in
 * errors), or the whole image. Each polygon's rectangle (clipped to the
 * image) must keep the reference-image size rule (`reference-rect.ts`).
 */
export function signatureOfRaster(raster: Raster, polys: readonly BoundingPoly[], label: string, field: string): ImageSignature {
  if (polys.length > MAX_REFERENCE_POLYS) {
    throw invalidInput(label, `${field} has ${polys.length} polygons; at most ${MAX_REFERENCE_POLYS} are allowed`);
  }
  const { sourceWidth: width, sourceHeight: height } = raster;
  const rects =
    polys.length > 0
      ? polys.map((p, i) => {
          const rect = polyToRect(p, width, height, label, `${field}[${i}]`);
          const problem = referenceRectProblem(rect.width, rect.height);
          if (problem) throw invalidInput(label, `${field}[${i}] ${problem} (in the ${width}×${height} image)`);
          return rect;
        })
      : [{ x: 0, y: 0, width, height }];
  return { version: SIGNATURE_VERSION, width, height, regions: rects.map((rect) => regionSignature(raster, rect)) };
}

/**
 * The signature of a reference image, computed when it is created or
 * imported. Throws VisionError INVALID_ARGUMENT (message `reference image:
 * <field>[i] …` for a polygon's problem) for bytes that are not a supported
 * image, over 20 MB, more than 10 polygons, a polygon outside the image, or
 * one whose rectangle has a short edge under 300 px or an aspect ratio over
 * 1:4.
 */
export async function computeSignature(
  bytes: Uint8Array,
  boundingPolys: readonly BoundingPoly[] = [],
  field = 'boundingPolys',
): Promise<ImageSignature> {
  const label = 'reference image';
  const raster = await decodeImageBytes(bytes, label);
  return signatureOfRaster(raster, boundingPolys, label, field);
}
