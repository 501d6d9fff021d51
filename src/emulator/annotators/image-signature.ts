import type { BoundingPoly } from '../../../gen/google/cloud/vision/v1p4beta1/geometry.js';
import { invalidInput } from './annotation-error.js';
import { polyToRect } from './geometry.js';
import { decodeImageBytes } from './image-bytes.js';
import { MAX_REFERENCE_POLYS } from './limits.js';
import { dHash, hammingDistance, pHash } from './perceptual-hash.js';
import { rasterRect, type PixelRect, type Raster } from './raster.js';

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

function histogram(raster: Raster, rect: PixelRect): number[] {
  const hist = new Float64Array(BINS * BINS * BINS);
  const r = rasterRect(raster, rect);
  const coords = (v: number): [number, number, number] => {
    const p = Math.min(BINS - 1, Math.max(0, (v / 256) * BINS - 0.5));
    const i = Math.min(BINS - 2, Math.floor(p));
    return [i, i + 1, p - i];
  };
  let total = 0;
  for (let y = r.y; y < r.y + r.height; y++) {
    for (let x = r.x; x < r.x + r.width; x++) {
      const i = (y * raster.width + x) * 3;
      const [r0, r1, rf] = coords(raster.data[i] as number);
      const [g0, g1, gf] = coords(raster.data[i + 1] as number);
      const [b0, b1, bf] = coords(raster.data[i + 2] as number);
      for (const [ri, rw] of [[r0, 1 - rf], [r1, rf]] as const) {
        for (const [gi, gw] of [[g0, 1 - gf], [g1, gf]] as const) {
          for (const [bi, bw] of [[b0, 1 - bf], [b1, bf]] as const) {
            const w = rw * gw * bw;
            if (w > 0) hist[(ri * BINS + gi) * BINS + bi] = (hist[(ri * BINS + gi) * BINS + bi] as number) + w;
          }
        }
      }
      total++;
    }
  }
  return Array.from(hist, (v) => Math.round((v / Math.max(1, total)) * 1e5) / 1e5);
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
  for (let i = 0; i < a.histogram.length; i++) intersection += Math.min(a.histogram[i] as number, (b.histogram[i] as number | undefined) ?? 0);
  return Math.min(1, Math.max(0, 0.35 * agree(a.dHash, b.dHash) + 0.35 * agree(a.pHash, b.pHash) + 0.3 * intersection));
}

/** Signature of a raster: one region per polygon (`field[i]` names them in errors), or the whole image. */
export function signatureOfRaster(raster: Raster, polys: readonly BoundingPoly[], label: string, field: string): ImageSignature {
  if (polys.length > MAX_REFERENCE_POLYS) {
    throw invalidInput(label, `${field} has ${polys.length} polygons; at most ${MAX_REFERENCE_POLYS} are allowed`);
  }
  const { sourceWidth: width, sourceHeight: height } = raster;
  const rects = polys.length > 0 ? polys.map((p, i) => polyToRect(p, width, height, label, `${field}[${i}]`)) : [{ x: 0, y: 0, width, height }];
  return { version: SIGNATURE_VERSION, width, height, regions: rects.map((rect) => regionSignature(raster, rect)) };
}

/**
 * The signature of a reference image, computed when it is created or
 * imported. Throws VisionError INVALID_ARGUMENT for bytes that are not a
 * supported image, over 20 MB, more than 10 polygons, or a polygon outside
 * the image.
 */
export async function computeSignature(bytes: Uint8Array, boundingPolys: readonly BoundingPoly[] = []): Promise<ImageSignature> {
  const label = 'reference image';
  const raster = await decodeImageBytes(bytes, label);
  return signatureOfRaster(raster, boundingPolys, label, 'boundingPolys');
}
