/**
 * What a person wants to see of one AnnotateImageResponse: dominant colors
 * with names and shares, crop hints as rectangles, product matches, counts
 * of other annotations, or the error. Pure and browser-safe; the CLI prints
 * it and the demo page draws it.
 */
import type { AnnotateImageResponse } from 'vision-kit/gen/google/cloud/vision/v1p4beta1/image_annotator.js';
import { colorName, hexColor } from './color-name.js';

/** One dominant color. */
export interface ColorShare {
  /** `#rrggbb`. */
  readonly hex: string;
  /** A plain name ("red", "dark blue", …). */
  readonly name: string;
  /** Red channel, 0–255 as Vision sent it (may be fractional). */
  readonly red: number;
  /** Green channel, 0–255 as Vision sent it (may be fractional). */
  readonly green: number;
  /** Blue channel, 0–255 as Vision sent it (may be fractional). */
  readonly blue: number;
  /** Vision's score, 0–1. */
  readonly score: number;
  /** Share of the image's pixels, 0–1. */
  readonly pixelFraction: number;
}

/** One crop hint as an axis-aligned rectangle in pixels (inclusive corners). */
export interface CropRect {
  /** Smallest x of the vertices, in pixels. */
  readonly left: number;
  /** Smallest y of the vertices, in pixels. */
  readonly top: number;
  /** Largest x of the vertices, in pixels. */
  readonly right: number;
  /** Largest y of the vertices, in pixels. */
  readonly bottom: number;
  /** The polygon's vertices as given, in pixels. */
  readonly vertices: readonly {
    /** Pixels from the left edge. */
    readonly x: number;
    /** Pixels from the top edge. */
    readonly y: number;
  }[];
  /** Vision's confidence that this is a salient region, 0–1. */
  readonly confidence: number;
  /** The region's importance relative to the whole image, 0–1. */
  readonly importanceFraction: number;
}

/** One product match. */
export interface ProductMatch {
  /** The product's resource name. */
  readonly product: string;
  /** The product's display name (empty when the response left it out). */
  readonly displayName: string;
  /** The product category, e.g. `apparel-v2` (empty when the response left it out). */
  readonly category: string;
  /** Vision's similarity score, 0 (no confidence) to 1 (full confidence). */
  readonly score: number;
  /** The matching reference image's resource name. */
  readonly image: string;
}

/** The summary of one response. */
export interface ImageSummary {
  /** Dominant colors, largest share of pixels first. */
  readonly colors: readonly ColorShare[];
  /** Crop hints, in the order Vision gave them (hints without vertices left out). */
  readonly cropHints: readonly CropRect[];
  /** Product Search matches, best score first. */
  readonly products: readonly ProductMatch[];
  /** Counts of the other annotations present, by response field (e.g. `labelAnnotations: 3`). */
  readonly others: Readonly<Record<string, number>>;
  /** The image's error, when Vision could not annotate it. */
  readonly error?:
    | {
        /** The canonical code number (`google.rpc.Code`). */
        readonly code: number;
        /** Vision's message. */
        readonly message: string;
      }
    | undefined;
}

const LISTS = [
  'faceAnnotations',
  'landmarkAnnotations',
  'logoAnnotations',
  'labelAnnotations',
  'localizedObjectAnnotations',
  'textAnnotations',
] as const;

/** Summarizes one AnnotateImageResponse (ts-proto shape; missing parts read as empty). */
export function summarizeImage(response: Partial<AnnotateImageResponse>): ImageSummary {
  const colors = (response.imagePropertiesAnnotation?.dominantColors?.colors ?? [])
    .map((c): ColorShare => {
      const rgb = { red: c.color?.red ?? 0, green: c.color?.green ?? 0, blue: c.color?.blue ?? 0 };
      return { hex: hexColor(rgb), name: colorName(rgb), ...rgb, score: c.score, pixelFraction: c.pixelFraction };
    })
    .sort((a, b) => b.pixelFraction - a.pixelFraction || b.score - a.score);
  const cropHints = (response.cropHintsAnnotation?.cropHints ?? []).flatMap((hint): CropRect[] => {
    const vertices = (hint.boundingPoly?.vertices ?? []).map((v) => ({ x: v.x, y: v.y }));
    if (vertices.length === 0) return [];
    const xs = vertices.map((v) => v.x);
    const ys = vertices.map((v) => v.y);
    return [
      {
        left: Math.min(...xs),
        top: Math.min(...ys),
        right: Math.max(...xs),
        bottom: Math.max(...ys),
        vertices,
        confidence: hint.confidence,
        importanceFraction: hint.importanceFraction,
      },
    ];
  });
  const products = (response.productSearchResults?.results ?? [])
    .map(
      (r): ProductMatch => ({
        product: r.product?.name ?? '',
        displayName: r.product?.displayName ?? '',
        category: r.product?.productCategory ?? '',
        score: r.score,
        image: r.image,
      }),
    )
    .sort((a, b) => b.score - a.score);
  const others: Record<string, number> = {};
  for (const key of LISTS) {
    const n = response[key]?.length ?? 0;
    if (n > 0) others[key] = n;
  }
  if (response.fullTextAnnotation !== undefined) others['fullTextAnnotation'] = 1;
  if (response.safeSearchAnnotation !== undefined) others['safeSearchAnnotation'] = 1;
  if (response.webDetection !== undefined) others['webDetection'] = 1;
  const error =
    response.error !== undefined && response.error.code !== 0 ? { code: response.error.code, message: response.error.message } : undefined;
  return { colors, cropHints, products, others, ...(error ? { error } : {}) };
}
