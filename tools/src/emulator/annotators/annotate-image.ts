import { type AnnotateImageRequest, AnnotateImageResponse } from 'vision-kit/gen/google/cloud/vision/v1p4beta1/image_annotator.js';
import { annotateRaster } from './annotate-raster.js';
import { abortError, statusOf, throwIfAborted } from './annotation-error.js';
import type { AnnotateOptions, AnnotatorDeps } from './contract.js';
import { sha256Hex } from './fixture-store.js';
import { decodeImageBytes } from './image-bytes.js';
import { readImageBytes, sourceUri } from './image-source.js';

/**
 * Annotates one image (one entry of BatchAnnotateImages or
 * AsyncBatchAnnotateImages). Never rejects for a problem of this image:
 * unreadable sources, bytes that are not a supported image, truncated
 * files, images over 20 MB, bad parameters — all come back as
 * `response.error` (google.rpc.Status, message starting with the label).
 * Rejects only with VisionError CANCELLED when `deps.signal` aborts.
 */
export async function annotateImage(
  req: AnnotateImageRequest,
  deps: AnnotatorDeps,
  options: AnnotateOptions = {},
): Promise<AnnotateImageResponse> {
  const label = options.label ?? (req.image?.content?.length ? 'image content' : sourceUri(req.image) || 'image');
  throwIfAborted(deps.signal);
  try {
    const bytes = await readImageBytes(req.image, deps.readSource, label, deps.signal);
    throwIfAborted(deps.signal);
    const raster = await decodeImageBytes(bytes, label, deps.signal);
    throwIfAborted(deps.signal);
    return annotateRaster(raster, { features: req.features ?? [], imageContext: req.imageContext }, deps, sha256Hex(bytes), label);
  } catch (err) {
    if (deps.signal?.aborted) throw abortError(deps.signal);
    return AnnotateImageResponse.fromPartial({ error: statusOf(err, label) });
  }
}
