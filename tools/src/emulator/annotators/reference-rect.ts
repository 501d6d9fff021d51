/**
 * The size rule of a reference image's regions of interest
 * (ReferenceImage.bounding_polys in product_search_service.proto): "The
 * provided shape is converted into a non-rotated rectangle. Once converted,
 * the small edge of the rectangle must be greater than or equal to 300
 * pixels. The aspect ratio must be 1:4 or less (i.e. 1:3 is ok; 1:5 is
 * not)." Pixel polygons are checked as given; normalized ones against the
 * size of the image they are in.
 */

/** Shortest edge of a reference image's rectangle, in pixels. */
export const MIN_REFERENCE_RECT_EDGE = 300;
/** Largest long-edge to short-edge ratio of a reference image's rectangle. */
export const MAX_REFERENCE_RECT_ASPECT = 4;

/** Why a `width × height` rectangle breaks the rule, or undefined when it keeps it. */
export function referenceRectProblem(width: number, height: number): string | undefined {
  const short = Math.min(width, height);
  const long = Math.max(width, height);
  if (short < MIN_REFERENCE_RECT_EDGE) {
    return `encloses a ${width}×${height} px rectangle; its short edge must be at least ${MIN_REFERENCE_RECT_EDGE} px`;
  }
  if (long > MAX_REFERENCE_RECT_ASPECT * short) {
    const ratio = Math.round((long / short) * 100) / 100;
    return `encloses a ${width}×${height} px rectangle, an aspect ratio of 1:${ratio}; it must be 1:${MAX_REFERENCE_RECT_ASPECT} or less`;
  }
  return undefined;
}
