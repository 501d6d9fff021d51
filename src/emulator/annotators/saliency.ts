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
  const L = new Float32Array(n);
  const A = new Float32Array(n);
  const B = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    const lab = srgbToLab(data[i * 3] as number, data[i * 3 + 1] as number, data[i * 3 + 2] as number);
    L[i] = lab.l;
    A[i] = lab.a;
    B[i] = lab.b;
  }
  let mL = 0;
  let mA = 0;
  let mB = 0;
  for (let i = 0; i < n; i++) {
    mL += L[i] as number;
    mA += A[i] as number;
    mB += B[i] as number;
  }
  mL /= n;
  mA /= n;
  mB /= n;
  const at = (arr: Float32Array, x: number, y: number): number =>
    arr[Math.min(h - 1, Math.max(0, y)) * w + Math.min(w - 1, Math.max(0, x))] as number;
  const contrast = new Float32Array(n);
  const edges = new Float32Array(n);
  let maxContrast = 0;
  let maxEdge = 0;
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      let sl = 0;
      let sa = 0;
      let sb = 0;
      for (let dy = -1; dy <= 1; dy++) {
        for (let dx = -1; dx <= 1; dx++) {
          sl += at(L, x + dx, y + dy);
          sa += at(A, x + dx, y + dy);
          sb += at(B, x + dx, y + dy);
        }
      }
      const c = Math.hypot(sl / 9 - mL, sa / 9 - mA, sb / 9 - mB);
      const gx = at(L, x + 1, y - 1) + 2 * at(L, x + 1, y) + at(L, x + 1, y + 1) - at(L, x - 1, y - 1) - 2 * at(L, x - 1, y) - at(L, x - 1, y + 1);
      const gy = at(L, x - 1, y + 1) + 2 * at(L, x, y + 1) + at(L, x + 1, y + 1) - at(L, x - 1, y - 1) - 2 * at(L, x, y - 1) - at(L, x + 1, y - 1);
      const e = Math.hypot(gx, gy);
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
