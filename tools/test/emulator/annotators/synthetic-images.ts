// Images for the annotator tests, generated with sharp at test time.
import sharp from 'sharp';

/** A seeded PRNG (mulberry32), so generated pictures are the same on every run. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A solid color as a PNG. */
export function solid(width: number, height: number, color: string): Promise<Buffer> {
  return sharp({ create: { width, height, channels: 3, background: color } })
    .png()
    .toBuffer();
}

/** An image whose left part (`leftFraction` of the columns) is one color and the rest another. */
export async function split(width: number, height: number, left: string, right: string, leftFraction: number): Promise<Buffer> {
  const leftWidth = Math.round(width * leftFraction);
  return sharp({ create: { width, height, channels: 3, background: right } })
    .composite([{ input: await solid(leftWidth, height, left), left: 0, top: 0 }])
    .png()
    .toBuffer();
}

/** A dark picture with one bright disc of radius `r` centred at (cx, cy). */
export function brightObject(width: number, height: number, cx: number, cy: number, r: number): Promise<Buffer> {
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}">
    <rect width="100%" height="100%" fill="#141414"/><circle cx="${cx}" cy="${cy}" r="${r}" fill="#fafafa"/></svg>`;
  return sharp(Buffer.from(svg)).jpeg({ quality: 90 }).toBuffer();
}

const hex = (rand: () => number): string =>
  '#' +
  Array.from({ length: 3 }, () =>
    Math.floor(rand() * 256)
      .toString(16)
      .padStart(2, '0'),
  ).join('');

/**
 * A "product photo": a seeded composition of colored rectangles, discs and
 * bands on a colored background, 480 × 360 PNG unless sized otherwise.
 */
export function productPhoto(seed: number, width = 480, height = 360): Promise<Buffer> {
  const rand = seededRandom(seed);
  const shapes: string[] = [];
  for (let i = 0; i < 9; i++) {
    const kind = rand();
    const x = Math.floor(rand() * width * 0.8);
    const y = Math.floor(rand() * height * 0.8);
    const w = Math.floor(width * (0.15 + rand() * 0.35));
    const h = Math.floor(height * (0.15 + rand() * 0.35));
    if (kind < 0.4) shapes.push(`<rect x="${x}" y="${y}" width="${w}" height="${h}" fill="${hex(rand)}"/>`);
    else if (kind < 0.8) shapes.push(`<circle cx="${x + w / 2}" cy="${y + h / 2}" r="${Math.min(w, h) / 2}" fill="${hex(rand)}"/>`);
    else shapes.push(`<rect x="0" y="${y}" width="${width}" height="${Math.floor(h / 4)}" fill="${hex(rand)}"/>`);
  }
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}">
    <rect width="100%" height="100%" fill="${hex(rand)}"/>${shapes.join('')}</svg>`;
  return sharp(Buffer.from(svg)).png().toBuffer();
}

/** A query photo of a product: resized to `scale`, `crop` of each side cut off, re-encoded as JPEG. */
export async function retake(image: Buffer, scale = 0.8, crop = 0.05, quality = 80): Promise<Buffer> {
  const meta = await sharp(image).metadata();
  const w = Math.round(meta.width * scale);
  const h = Math.round(meta.height * scale);
  const resized = await sharp(image).resize(w, h).toBuffer();
  const dx = Math.round(w * crop);
  const dy = Math.round(h * crop);
  return sharp(resized)
    .extract({ left: dx, top: dy, width: w - 2 * dx, height: h - 2 * dy })
    .jpeg({ quality })
    .toBuffer();
}

/** A multi-frame GIF whose frames are the given solid colors, in order. */
export async function animatedGif(colors: readonly string[], width = 60, height = 40): Promise<Buffer> {
  const frames = await Promise.all(colors.map((c) => solid(width, height, c)));
  return sharp(frames, { join: { animated: true } })
    .gif()
    .toBuffer();
}

/** A multi-page TIFF whose pages are the given solid colors, in order. */
export async function multiPageTiff(colors: readonly string[], width = 60, height = 40): Promise<Buffer> {
  const frames = await Promise.all(colors.map((c) => solid(width, height, c)));
  return sharp(frames, { join: { animated: true } })
    .tiff()
    .toBuffer();
}
