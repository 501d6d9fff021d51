/** Signatures of reference images, computed by the annotators when an image is created or imported. */

import { Code, VisionError } from 'vision-kit';
import type { BoundingPoly } from 'vision-kit/gen/google/cloud/vision/v1p4beta1/geometry.js';
import { invalidArgument } from '../errors.js';
import type { AnnotationEngine } from '../image-annotator/engine.js';

/** The signature of a reference image; the annotators' errors become INVALID_ARGUMENT naming `field`. */
export async function signatureOf(
  engine: AnnotationEngine,
  bytes: Uint8Array,
  polys: readonly BoundingPoly[],
  field: string,
): Promise<unknown> {
  try {
    return await engine.computeSignature(bytes, polys);
  } catch (err) {
    const e = VisionError.from(err, Code.INTERNAL);
    if (e.code !== Code.INVALID_ARGUMENT) throw e;
    throw invalidArgument(field, e.rawMessage);
  }
}
