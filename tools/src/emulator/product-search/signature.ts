/** Signatures of reference images, computed by the annotators when an image is created or imported. */

import { Code, VisionError } from 'vision-kit';
import type { BoundingPoly } from 'vision-kit/gen/google/cloud/vision/v1p4beta1/geometry.js';
import { invalidArgument } from '../errors.js';
import type { AnnotationEngine } from '../image-annotator/engine.js';

/** How the annotators are asked to name the polygons, so that their errors can be told apart. */
const POLYS = 'bounding_polys';
const POLY_PROBLEM = /^bounding_polys\[(\d+)\]:? ?([\s\S]*)$/;

/**
 * The signature of a reference image. The annotators' INVALID_ARGUMENT
 * errors are given again naming `polyField(i)` for a problem of polygon `i`
 * (outside the image, a rectangle under 300 px or over 1:4), else `field`.
 */
export async function signatureOf(
  engine: AnnotationEngine,
  bytes: Uint8Array,
  polys: readonly BoundingPoly[],
  field: string,
  polyField: (index: number) => string,
): Promise<unknown> {
  try {
    return await engine.computeSignature(bytes, polys, POLYS);
  } catch (err) {
    const e = VisionError.from(err, Code.INTERNAL);
    if (e.code !== Code.INVALID_ARGUMENT) throw e;
    const message = e.rawMessage.replace(/^reference image: /, '');
    const poly = POLY_PROBLEM.exec(message);
    if (poly) throw invalidArgument(polyField(Number(poly[1])), poly[2] ?? '');
    throw invalidArgument(field, message);
  }
}
