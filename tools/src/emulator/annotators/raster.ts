import sharp, { type Sharp, type SharpOptions } from 'sharp';
import { invalidInput } from './annotation-error.js';
import { runImageJob } from './image-jobs.js';
import { ANALYSIS_SIDE, MAX_IMAGE_PIXELS } from './limits.js';

/**
 * A downscaled 8-bit sRGB picture (3 bytes a pixel, rows top to bottom) that
 * every measure works on, with the size of the image it came from: results
 * are given in the source's pixel coordinates.
 */
export interface Raster {
  /** Width of `data` in pixels. */
  readonly width: number;
  /** Height of `data` in pixels. */
  readonly height: number;
  /** RGB bytes, `width * height * 3` of them. */
  readonly data: Uint8Array;
  /** Width of the decoded source image (after EXIF orientation). */
  readonly sourceWidth: number;
  /** Height of the decoded source image (after EXIF orientation). */
  readonly sourceHeight: number;
}

/** What a raster is made from: encoded image bytes (one page of them) or raw RGB pixels. */
export type RasterSource =
  | { readonly kind: 'encoded'; readonly bytes: Uint8Array; readonly page?: number }
  | { readonly kind: 'pixels'; readonly data: Uint8Array; readonly width: number; readonly height: number };

/**
 * Decodes a source fully (so truncated files fail) and downscales it to fit
 * `maxSide` (default {@link ANALYSIS_SIDE}), flattening transparency onto
 * white. Decoder failures become INVALID_ARGUMENT naming `label`. The work
 * waits its turn among the process's image jobs (`image-jobs.ts`, so that
 * file I/O keeps threads of its own); `signal` takes it out of the line.
 */
export function decodeRaster(
  source: RasterSource,
  label: string,
  options: { maxSide?: number; signal?: AbortSignal } = {},
): Promise<Raster> {
  return runImageJob(() => decode(source, label, options.maxSide ?? ANALYSIS_SIDE), options.signal);
}

async function decode(source: RasterSource, label: string, maxSide: number): Promise<Raster> {
  let sourceWidth: number;
  let sourceHeight: number;
  let pipeline: Sharp;
  try {
    if (source.kind === 'pixels') {
      sourceWidth = source.width;
      sourceHeight = source.height;
      pipeline = sharp(source.data, { raw: { width: source.width, height: source.height, channels: 3 } });
    } else {
      const options: SharpOptions = { limitInputPixels: MAX_IMAGE_PIXELS, failOn: 'warning', page: source.page ?? 0, pages: 1 };
      const meta = await sharp(source.bytes, options).metadata();
      const w = meta.width;
      const h = meta.pageHeight ?? meta.height;
      if (!w || !h) throw new Error('the image has no size');
      const swapped = meta.orientation !== undefined && meta.orientation >= 5;
      sourceWidth = swapped ? h : w;
      sourceHeight = swapped ? w : h;
      pipeline = sharp(source.bytes, options).autoOrient();
    }
    const { data, info } = await pipeline
      .resize({ width: maxSide, height: maxSide, fit: 'inside', withoutEnlargement: true })
      .flatten({ background: '#ffffff' })
      .toColourspace('srgb')
      .removeAlpha()
      .raw({ depth: 'uchar' })
      .toBuffer({ resolveWithObject: true });
    if (info.channels !== 3) throw new Error(`unexpected ${info.channels} channels after conversion`);
    return {
      width: info.width,
      height: info.height,
      data: new Uint8Array(data.buffer, data.byteOffset, data.byteLength),
      sourceWidth,
      sourceHeight,
    };
  } catch (err) {
    const reason = err instanceof Error ? err.message : String(err);
    throw invalidInput(label, `the image could not be decoded (${reason})`, err);
  }
}

/** The pixel rectangle `[x, y, width, height]` of a raster that corresponds to a source rectangle. */
export function rasterRect(raster: Raster, rect: PixelRect): PixelRect {
  const sx = raster.width / raster.sourceWidth;
  const sy = raster.height / raster.sourceHeight;
  const x0 = Math.min(raster.width - 1, Math.max(0, Math.floor(rect.x * sx)));
  const y0 = Math.min(raster.height - 1, Math.max(0, Math.floor(rect.y * sy)));
  const x1 = Math.max(x0 + 1, Math.min(raster.width, Math.ceil((rect.x + rect.width) * sx)));
  const y1 = Math.max(y0 + 1, Math.min(raster.height, Math.ceil((rect.y + rect.height) * sy)));
  return { x: x0, y: y0, width: x1 - x0, height: y1 - y0 };
}

/** An axis-aligned rectangle in pixels (`x`, `y` of the top-left pixel). */
export interface PixelRect {
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
}
