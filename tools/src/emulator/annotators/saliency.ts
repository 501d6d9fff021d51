import { srgbToLab } from './color-space.js';
import type { Raster } from './raster.js';

/**
 * A per-pixel importance map of a raster, each value ≥ 0: the sum of
 * (a) global color contrast, the L*a*b* distance of each pixel (after a 3×3
 * box blur) from the picture's mean color (frequency-tuned saliency), and
 * (b) edge energy, the Sobel gradient magnitude of L*; each normalised to a
 * maximum of 1 before they are added (contrast counts double). The map's
 * median (the level of the plain background) is then subtracted, floored at
 * 0, so only what stands out from the picture's typical content counts.
 */
export function saliencyMap(raster: Raster): Float32Array {
  const { width: w, height: h, data } = raster;
  const n = w * h;
  // Lab planes padded by one replicated pixel on every side, so the 3×3 stencils need no bounds checks.
  const pw = w + 2;
  const ph = h + 2;
  const L = new Float32Array(pw * ph);
  const A = new Float32Array(pw * ph);
  const B = new Float32Array(pw * ph);
  let mL = 0;
  let mA = 0;
  let mB = 0;
  for (let y = 0; y < ph; y++) {
    const sy = Math.min(h - 1, Math.max(0, y - 1));
    for (let x = 0; x < pw; x++) {
      const sx = Math.min(w - 1, Math.max(0, x - 1));
      const i = (sy * w + sx) * 3;
      const lab = srgbToLab(data[i] as number, data[i + 1] as number, data[i + 2] as number);
      const p = y * pw + x;
      L[p] = lab.l;
      A[p] = lab.a;
      B[p] = lab.b;
      if (x > 0 && x <= w && y > 0 && y <= h) {
        mL += lab.l;
        mA += lab.a;
        mB += lab.b;
      }
    }
  }
  mL /= n;
  mA /= n;
  mB /= n;
  const box = (arr: Float32Array, p: number): number =>
    ((arr[p - pw - 1] as number) +
      (arr[p - pw] as number) +
      (arr[p - pw + 1] as number) +
      (arr[p - 1] as number) +
      (arr[p] as number) +
      (arr[p + 1] as number) +
      (arr[p + pw - 1] as number) +
      (arr[p + pw] as number) +
      (arr[p + pw + 1] as number)) /
    9;
  const contrast = new Float32Array(n);
  const edges = new Float32Array(n);
  let maxContrast = 0;
  let maxEdge = 0;
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const p = (y + 1) * pw + (x + 1);
      const dl = box(L, p) - mL;
      const da = box(A, p) - mA;
      const db = box(B, p) - mB;
      const c = Math.sqrt(dl * dl + da * da + db * db);
      const tl = L[p - pw - 1] as number;
      const tc = L[p - pw] as number;
      const tr = L[p - pw + 1] as number;
      const ml = L[p - 1] as number;
      const mr = L[p + 1] as number;
      const bl = L[p + pw - 1] as number;
      const bc = L[p + pw] as number;
      const br = L[p + pw + 1] as number;
      const gx = tr + 2 * mr + br - tl - 2 * ml - bl;
      const gy = bl + 2 * bc + br - tl - 2 * tc - tr;
      const e = Math.sqrt(gx * gx + gy * gy);
      const i = y * w + x;
      contrast[i] = c;
      edges[i] = e;
      if (c > maxContrast) maxContrast = c;
      if (e > maxEdge) maxEdge = e;
    }
  }
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    out[i] = (maxContrast > 0 ? (2 * (contrast[i] as number)) / maxContrast : 0) + (maxEdge > 0 ? (edges[i] as number) / maxEdge : 0);
  }
  const median = Float32Array.from(out).sort()[n >> 1] as number;
  for (let i = 0; i < n; i++) out[i] = Math.max(0, (out[i] as number) - median);
  return out;
}
