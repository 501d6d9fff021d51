import type { BoundingPoly } from 'vision-kit/gen/google/cloud/vision/v1p4beta1/geometry.js';
import { invalidInput } from './annotation-error.js';
import type { PixelRect } from './raster.js';

/**
 * The non-rotated rectangle around a polygon, in source pixels, clipped to
 * the image (`width × height`). Pixel `vertices` win over
 * `normalizedVertices` (fractions of the image size) when both are given.
 * An empty polygon, or one that misses the image, is INVALID_ARGUMENT
 * naming `label` and `field`.
 */
export function polyToRect(poly: BoundingPoly, width: number, height: number, label: string, field: string): PixelRect {
  const vertices = poly.vertices ?? [];
  const normalized = poly.normalizedVertices ?? [];
  const points =
    vertices.length > 0
      ? vertices.map((v) => [v.x ?? 0, v.y ?? 0] as const)
      : normalized.map((v) => [(v.x ?? 0) * width, (v.y ?? 0) * height] as const);
  if (points.length === 0) throw invalidInput(label, `${field} has no vertices`);
  for (const [x, y] of points) {
    if (!Number.isFinite(x) || !Number.isFinite(y)) throw invalidInput(label, `${field} has a vertex that is not a number`);
  }
  const xs = points.map((p) => p[0]);
  const ys = points.map((p) => p[1]);
  const x0 = Math.max(0, Math.floor(Math.min(...xs)));
  const y0 = Math.max(0, Math.floor(Math.min(...ys)));
  const x1 = Math.min(width, Math.ceil(Math.max(...xs)));
  const y1 = Math.min(height, Math.ceil(Math.max(...ys)));
  if (x0 >= width || y0 >= height || x1 <= 0 || y1 <= 0) {
    throw invalidInput(label, `${field} lies outside the ${width}×${height} image`);
  }
  return { x: x0, y: y0, width: Math.max(1, x1 - x0), height: Math.max(1, y1 - y0) };
}

/** A rectangle as a polygon with both pixel vertices and normalized vertices (clockwise from top-left). */
export function rectToPolyBoth(rect: PixelRect, width: number, height: number): BoundingPoly {
  const corners: Array<[number, number]> = [
    [rect.x, rect.y],
    [rect.x + rect.width, rect.y],
    [rect.x + rect.width, rect.y + rect.height],
    [rect.x, rect.y + rect.height],
  ];
  return {
    vertices: corners.map(([x, y]) => ({ x, y })),
    normalizedVertices: corners.map(([x, y]) => ({ x: x / width, y: y / height })),
  };
}
