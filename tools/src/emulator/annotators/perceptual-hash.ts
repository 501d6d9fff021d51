import type { PixelRect, Raster } from './raster.js';

/**
 * Area-averaged grey (Rec. 601 luma) resample of a raster rectangle to
 * `outW × outH`, each output cell the coverage-weighted mean of the pixels
 * under it. Used so that hashes see the same picture whatever the input size.
 */
export function resampleGray(raster: Raster, rect: PixelRect, outW: number, outH: number): Float64Array {
  const out = new Float64Array(outW * outH);
  const cellW = rect.width / outW;
  const cellH = rect.height / outH;
  for (let oy = 0; oy < outH; oy++) {
    const y0 = rect.y + oy * cellH;
    const y1 = y0 + cellH;
    for (let ox = 0; ox < outW; ox++) {
      const x0 = rect.x + ox * cellW;
      const x1 = x0 + cellW;
      let sum = 0;
      let area = 0;
      for (let y = Math.floor(y0); y < Math.ceil(y1); y++) {
        const wy = Math.min(y1, y + 1) - Math.max(y0, y);
        if (wy <= 0) continue;
        for (let x = Math.floor(x0); x < Math.ceil(x1); x++) {
          const wx = Math.min(x1, x + 1) - Math.max(x0, x);
          if (wx <= 0) continue;
          const i = (Math.min(raster.height - 1, y) * raster.width + Math.min(raster.width - 1, x)) * 3;
          const luma = 0.299 * (raster.data[i] as number) + 0.587 * (raster.data[i + 1] as number) + 0.114 * (raster.data[i + 2] as number);
          sum += luma * wx * wy;
          area += wx * wy;
        }
      }
      out[oy * outW + ox] = area > 0 ? sum / area : 0;
    }
  }
  return out;
}

function bitsToHex(bits: readonly boolean[]): string {
  let hex = '';
  for (let i = 0; i < bits.length; i += 4) {
    const nibble = (bits[i] ? 8 : 0) | (bits[i + 1] ? 4 : 0) | (bits[i + 2] ? 2 : 0) | (bits[i + 3] ? 1 : 0);
    hex += nibble.toString(16);
  }
  return hex;
}

/** Difference hash: 64 bits, "is this cell darker than its right neighbour" on a 9 × 8 grey thumbnail; 16 hex digits. */
export function dHash(raster: Raster, rect: PixelRect): string {
  const g = resampleGray(raster, rect, 9, 8);
  const bits: boolean[] = [];
  for (let y = 0; y < 8; y++) for (let x = 0; x < 8; x++) bits.push((g[y * 9 + x] as number) < (g[y * 9 + x + 1] as number));
  return bitsToHex(bits);
}

const DCT_N = 32;
const COS = (() => {
  const table = new Float64Array(8 * DCT_N);
  for (let u = 0; u < 8; u++) for (let x = 0; x < DCT_N; x++) table[u * DCT_N + x] = Math.cos(((2 * x + 1) * u * Math.PI) / (2 * DCT_N));
  return table;
})();

/**
 * Perceptual hash: the 8 × 8 lowest frequencies of the DCT of a 32 × 32 grey
 * thumbnail, each bit "above the median of the 63 AC terms"; 16 hex digits.
 */
export function pHash(raster: Raster, rect: PixelRect): string {
  const g = resampleGray(raster, rect, DCT_N, DCT_N);
  // Separable DCT, rows first, keeping only the 8 lowest frequencies.
  const rowsDct = new Float64Array(DCT_N * 8);
  for (let y = 0; y < DCT_N; y++) {
    for (let u = 0; u < 8; u++) {
      let s = 0;
      for (let x = 0; x < DCT_N; x++) s += (g[y * DCT_N + x] as number) * (COS[u * DCT_N + x] as number);
      rowsDct[y * 8 + u] = s;
    }
  }
  const coefficients = new Float64Array(64);
  for (let v = 0; v < 8; v++) {
    for (let u = 0; u < 8; u++) {
      let s = 0;
      for (let y = 0; y < DCT_N; y++) s += (rowsDct[y * 8 + u] as number) * (COS[v * DCT_N + y] as number);
      coefficients[v * 8 + u] = s;
    }
  }
  const ac = Array.from(coefficients.subarray(1)).sort((a, b) => a - b);
  const median = ((ac[31] as number) + (ac[32] as number)) / 2;
  return bitsToHex(Array.from(coefficients, (c) => c > median));
}

/** Number of differing bits between two equal-length hex hashes. */
export function hammingDistance(a: string, b: string): number {
  let distance = 0;
  for (let i = 0; i < a.length; i += 8) {
    let x = (parseInt(a.slice(i, i + 8), 16) ^ parseInt(b.slice(i, i + 8), 16)) >>> 0;
    while (x) {
      x &= x - 1;
      distance++;
    }
  }
  return distance;
}
