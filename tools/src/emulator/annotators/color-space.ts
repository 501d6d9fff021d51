/** CIE L*a*b* (D65) coordinates. */
export interface Lab {
  l: number;
  a: number;
  b: number;
}

const LINEAR = new Float64Array(256);
for (let i = 0; i < 256; i++) {
  const c = i / 255;
  LINEAR[i] = c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
}

function linearOf(value: number): number {
  const i = Math.max(0, Math.min(255, Math.round(value)));
  return LINEAR[i] as number;
}

const f = (t: number): number => (t > 216 / 24389 ? Math.cbrt(t) : ((24389 / 27) * t + 16) / 116);

/** sRGB (0–255 per channel, fractions allowed) to CIE L*a*b* under D65. */
export function srgbToLab(r: number, g: number, b: number): Lab {
  const lr = linearOf(r);
  const lg = linearOf(g);
  const lb = linearOf(b);
  const x = (0.4124564 * lr + 0.3575761 * lg + 0.1804375 * lb) / 0.95047;
  const y = 0.2126729 * lr + 0.7151522 * lg + 0.072175 * lb;
  const z = (0.0193339 * lr + 0.119192 * lg + 0.9503041 * lb) / 1.08883;
  const fx = f(x);
  const fy = f(y);
  const fz = f(z);
  return { l: 116 * fy - 16, a: 500 * (fx - fy), b: 200 * (fy - fz) };
}

/** Squared Euclidean distance in L*a*b* (ΔE76²). */
export function labDistance2(p: Lab, q: Lab): number {
  const dl = p.l - q.l;
  const da = p.a - q.a;
  const db = p.b - q.b;
  return dl * dl + da * da + db * db;
}
