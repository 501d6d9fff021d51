/**
 * Field checks of Product Search requests, each naming the field it refuses:
 * display names and descriptions (at most 4,096 characters), categories
 * (see `product-search-vocabulary.ts`),
 * labels (keys and values non-empty, at most 128 bytes; at most 500 per
 * product), bounding polygons (at most 10; converted to non-rotated
 * rectangles as the service does).
 */
import type { BoundingPoly } from 'vision-kit/gen/google/cloud/vision/v1p4beta1/geometry.js';
import type { Product_KeyValue } from 'vision-kit/gen/google/cloud/vision/v1p4beta1/product_search_service.js';
import { categoryProblem, PRODUCT_CATEGORIES } from '../annotators/product-search-vocabulary.js';
import { referenceRectProblem } from '../annotators/reference-rect.js';
import { invalidArgument } from '../errors.js';

/** Longest display name or description, in characters. */
export const MAX_TEXT_CHARS = 4096;
/** Longest label key or value, in UTF-8 bytes. */
export const MAX_LABEL_BYTES = 128;
/** Most labels on one product. */
export const MAX_LABELS = 500;
/** Most product sets one product can be in. */
export const MAX_SETS_PER_PRODUCT = 100;
/** Most bounding polygons of one reference image. */
export const MAX_BOUNDING_POLYS = 10;
/** Longest reference image URI, in characters. */
export const MAX_URI_CHARS = 4096;

function chars(s: string): number {
  let n = 0;
  for (const _ of s) n++;
  return n;
}

/** A required display name. */
export function checkDisplayName(value: string, field: string): void {
  if (value === '') throw invalidArgument(field, 'is required and must not be empty');
  if (chars(value) > MAX_TEXT_CHARS)
    throw invalidArgument(field, `must be at most ${MAX_TEXT_CHARS} characters long (got ${chars(value)})`);
}

/** An optional description. */
export function checkDescription(value: string, field: string): void {
  if (chars(value) > MAX_TEXT_CHARS)
    throw invalidArgument(field, `must be at most ${MAX_TEXT_CHARS} characters long (got ${chars(value)})`);
}

/** A product category. */
export function checkCategory(value: string, field: string): void {
  if (!value) throw invalidArgument(field, `is required (one of ${PRODUCT_CATEGORIES.join(', ')})`);
  const problem = categoryProblem(value);
  if (problem) throw invalidArgument(field, problem);
}

/** Product labels. */
export function checkLabels(labels: readonly Product_KeyValue[], field: string): void {
  if (labels.length > MAX_LABELS) throw invalidArgument(field, `at most ${MAX_LABELS} labels per product (got ${labels.length})`);
  labels.forEach((l, i) => {
    for (const part of ['key', 'value'] as const) {
      const v = l[part];
      if (!v) throw invalidArgument(`${field}[${i}].${part}`, 'must not be empty');
      const bytes = Buffer.byteLength(v, 'utf8');
      if (bytes > MAX_LABEL_BYTES)
        throw invalidArgument(`${field}[${i}].${part}`, `must be at most ${MAX_LABEL_BYTES} bytes (got ${bytes})`);
    }
  });
}

/**
 * Checks bounding polygons and converts each into the non-rotated rectangle
 * that encloses it (absolute vertices: non-negative integers; normalized
 * vertices: in [0, 1]; one kind per polygon). A pixel rectangle must have a
 * short edge of at least 300 px and an aspect ratio of 1:4 or less
 * (ReferenceImage.bounding_polys; `reference-rect.ts`).
 */
export function normalizeBoundingPolys(polys: readonly BoundingPoly[], field: string): BoundingPoly[] {
  if (polys.length > MAX_BOUNDING_POLYS)
    throw invalidArgument(field, `at most ${MAX_BOUNDING_POLYS} bounding polygons (got ${polys.length})`);
  return polys.map((p, i) => {
    const f = `${field}[${i}]`;
    const abs = p.vertices.length > 0;
    const norm = p.normalizedVertices.length > 0;
    if (abs && norm) throw invalidArgument(f, 'give either vertices or normalized_vertices, not both');
    if (!abs && !norm) throw invalidArgument(f, 'has no vertices');
    const pts = abs ? p.vertices : p.normalizedVertices;
    pts.forEach((v, j) => {
      const bad = abs
        ? !(Number.isInteger(v.x) && Number.isInteger(v.y) && v.x >= 0 && v.y >= 0)
        : !(v.x >= 0 && v.x <= 1 && v.y >= 0 && v.y <= 1);
      if (bad) {
        throw invalidArgument(
          `${f}.${abs ? 'vertices' : 'normalized_vertices'}[${j}]`,
          abs ? 'x and y must be non-negative integers' : 'x and y must be within [0, 1]',
        );
      }
    });
    const xs = pts.map((v) => v.x);
    const ys = pts.map((v) => v.y);
    const [x0, x1, y0, y1] = [Math.min(...xs), Math.max(...xs), Math.min(...ys), Math.max(...ys)];
    if (x1 <= x0 || y1 <= y0) throw invalidArgument(f, 'encloses no area');
    // Pixel rectangles are checked here, before the image is read; normalized ones once its size is known (the annotators).
    const problem = abs ? referenceRectProblem(x1 - x0, y1 - y0) : undefined;
    if (problem) throw invalidArgument(f, problem);
    const rect = [
      { x: x0, y: y0 },
      { x: x1, y: y0 },
      { x: x1, y: y1 },
      { x: x0, y: y1 },
    ];
    return abs ? { vertices: rect, normalizedVertices: [] } : { vertices: [], normalizedVertices: rect };
  });
}

/** FieldMask paths as snake_case (accepts lowerCamel too). */
export function maskPaths(mask: readonly string[] | undefined): string[] {
  return (mask ?? [])
    .flatMap((p) => p.split(','))
    .map((p) => p.trim().replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`))
    .filter(Boolean);
}
