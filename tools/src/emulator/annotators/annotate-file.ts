import {
  type AnnotateFileRequest,
  AnnotateFileResponse,
  AnnotateImageResponse,
  type InputConfig,
} from 'vision-kit/gen/google/cloud/vision/v1p4beta1/image_annotator.js';
import { annotateRaster } from './annotate-raster.js';
import { abortError, invalidInput, statusOf, throwIfAborted } from './annotation-error.js';
import type { AnnotateOptions, AnnotatorDeps } from './contract.js';
import { openPagedFile, type PagedFile, resolvePages } from './file-pages.js';
import { sha256Hex } from './fixture-store.js';
import { checkSize } from './image-bytes.js';
import { checkGcsUri } from './image-source.js';
import { decodeRaster } from './raster.js';

/** The request's input config as the response echoes it: source and MIME type, without the content bytes. */
function echoInput(input: InputConfig | undefined): InputConfig {
  return {
    gcsSource: input?.gcsSource ? { uri: input.gcsSource.uri ?? '' } : undefined,
    content: new Uint8Array(0),
    mimeType: input?.mimeType ?? '',
  };
}

/**
 * Annotates one file (one entry of BatchAnnotateFiles or
 * AsyncBatchAnnotateFiles): a PDF, TIFF or GIF from `inputConfig.content`
 * or `inputConfig.gcsSource.uri` (gs:// only), up to five `pages`.
 * `responses` follow the order of `pages` (default: the first five pages in
 * order), each with `context` (`uri`, `pageNumber`); `totalPages` counts
 * the file's pages. A problem of the whole file (unreadable, not the MIME
 * type, will not open, over 20 MB, a page out of range) is `error`, with
 * `responses` empty; a problem of one page is that page's `error`. A PDF
 * is opened and rendered in a worker thread within `deps.pdf`'s time budget
 * (a page past it gets DEADLINE_EXCEEDED; a file that takes that long to
 * open is the file's `error`).
 * Never rejects except with VisionError CANCELLED when `deps.signal` aborts.
 * Fixtures for a page are looked up as `<sha256 of the file>-<page>`.
 */
export async function annotateFile(
  req: AnnotateFileRequest,
  deps: AnnotatorDeps,
  options: AnnotateOptions = {},
): Promise<AnnotateFileResponse> {
  const uri = req.inputConfig?.gcsSource?.uri ?? '';
  const hasContent = (req.inputConfig?.content?.length ?? 0) > 0;
  const label = options.label ?? (hasContent ? 'file content' : uri || 'file');
  const inputConfig = echoInput(req.inputConfig);
  throwIfAborted(deps.signal);
  let file: PagedFile | undefined;
  let totalPages = 0;
  try {
    let bytes: Uint8Array;
    if (hasContent) {
      bytes = req.inputConfig?.content as Uint8Array;
    } else if (uri !== '') {
      checkGcsUri(uri, label, 'inputConfig.gcsSource.uri');
      bytes = await deps.readSource(uri, deps.signal);
    } else {
      throw invalidInput(label, 'the request has no file: set inputConfig.content or inputConfig.gcsSource.uri');
    }
    checkSize(bytes, label);
    throwIfAborted(deps.signal);
    file = await openPagedFile(bytes, req.inputConfig?.mimeType ?? '', label, {
      ...(deps.pdf ? { pdf: deps.pdf } : {}),
      ...(deps.signal ? { signal: deps.signal } : {}),
    });
    totalPages = file.totalPages;
    const pages = resolvePages(req.pages ?? [], totalPages, label);
    const fileSha = sha256Hex(bytes);
    const responses: AnnotateImageResponse[] = [];
    for (const pageNumber of pages) {
      throwIfAborted(deps.signal);
      const pageLabel = `${label} page ${pageNumber}`;
      let response: AnnotateImageResponse;
      try {
        const raster = await decodeRaster(await file.page(pageNumber - 1, pageLabel, deps.signal), pageLabel, {
          ...(deps.signal ? { signal: deps.signal } : {}),
        });
        response = annotateRaster(
          raster,
          { features: req.features ?? [], imageContext: req.imageContext },
          deps,
          `${fileSha}-${pageNumber}`,
          pageLabel,
        );
      } catch (err) {
        if (deps.signal?.aborted) throw err;
        response = AnnotateImageResponse.fromPartial({ error: statusOf(err, pageLabel) });
      }
      response.context = { uri, pageNumber };
      responses.push(response);
    }
    return AnnotateFileResponse.fromPartial({ inputConfig, responses, totalPages });
  } catch (err) {
    if (deps.signal?.aborted) throw abortError(deps.signal);
    return AnnotateFileResponse.fromPartial({ inputConfig, totalPages, error: statusOf(err, label) });
  } finally {
    file?.close();
  }
}
