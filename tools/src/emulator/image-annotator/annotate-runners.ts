/**
 * The work of AsyncBatchAnnotateImages and AsyncBatchAnnotateFiles: one
 * image (or page) per step, and after every `batch_size` responses one output
 * file `<prefix>output-<first>-to-<last>.json` (1-based), written atomically
 * before the batch is recorded, so a restart resumes at the next batch.
 */

import { Code, VisionError } from 'vision-kit';
import { messageToJson } from 'vision-kit/codec';
import {
  type AnnotateFileResponse,
  type AnnotateImageResponse,
  AsyncBatchAnnotateFilesRequest,
  AsyncBatchAnnotateFilesResponse,
  AsyncBatchAnnotateImagesRequest,
  AsyncBatchAnnotateImagesResponse,
  type OutputConfig,
} from 'vision-kit/gen/google/cloud/vision/v1p4beta1/image_annotator.js';
import { invalidArgument } from '../errors.js';
import type { Runner, RunnerContext } from '../operations/operation-manager.js';
import { gsUri, parseGsPrefix } from '../storage/gcs-names.js';
import type { ObjectStore } from '../storage/object-store.js';
import type { AnnotationEngine } from './engine.js';

/** Default and bounds of `output_config.batch_size`. */
export const DEFAULT_BATCH_SIZE = 20;
export const MAX_BATCH_SIZE = 100;
/** Most pages of one file an async request annotates. */
export const MAX_ASYNC_PAGES = 2000;

/** The effective batch size; INVALID_ARGUMENT outside 1–100 (0 means 20). */
export function batchSizeOf(config: OutputConfig, field: string): number {
  const n = config.batchSize;
  if (n === 0) return DEFAULT_BATCH_SIZE;
  if (n < 1 || n > MAX_BATCH_SIZE) throw invalidArgument(`${field}.batch_size`, `must be between 1 and ${MAX_BATCH_SIZE} (got ${n})`);
  return n;
}

/** Checks an output config and resolves its destination. */
export function destinationOf(config: OutputConfig | undefined, field: string) {
  if (!config) throw invalidArgument(field, 'is required');
  if (!config.gcsDestination?.uri) throw invalidArgument(`${field}.gcs_destination.uri`, 'is required (a gs:// folder or file prefix)');
  const dest = parseGsPrefix(config.gcsDestination.uri, `${field}.gcs_destination.uri`);
  return { ...dest, batchSize: batchSizeOf(config, field) };
}

/** The object name of the output file holding responses `first`–`last` (1-based). */
export function outputObjectName(dest: { folder: string; filePrefix: string }, first: number, last: number): string {
  return `${dest.folder}${dest.filePrefix}output-${first}-to-${last}.json`;
}

async function writeBatch(
  ctx: RunnerContext,
  objects: ObjectStore,
  dest: { bucket: string; folder: string; filePrefix: string },
  file: number,
  first: number,
  last: number,
  json: string,
): Promise<void> {
  if (ctx.signal.aborted) throw ctx.signal.reason;
  const loc = { bucket: dest.bucket, object: outputObjectName(dest, first, last) };
  await objects.write(loc, Buffer.from(json, 'utf8'), { contentType: 'application/json' }, 'output_config.gcs_destination.uri');
  await ctx.commit({ t: 'op.batch', name: ctx.op.name, file, output: gsUri(loc), time: Date.now() });
}

function progressOf(ctx: RunnerContext) {
  if (ctx.op.progress.type !== 'annotate') throw new VisionError(Code.INTERNAL, `operation ${ctx.op.name} has no annotate progress`);
  return ctx.op.progress;
}

/** Builds the AsyncBatchAnnotateImages runner. */
export function createAnnotateImagesRunner(objects: ObjectStore, engine: AnnotationEngine): Runner {
  return async (ctx) => {
    const progress = progressOf(ctx);
    const request = AsyncBatchAnnotateImagesRequest.decode(Buffer.from(ctx.op.request ?? '', 'base64'));
    const dest = destinationOf(request.outputConfig, 'output_config');
    const n = request.requests.length;
    const batches = Math.ceil(n / dest.batchSize);
    for (let b = progress.batchesDone[0] ?? 0; b < batches; b++) {
      const first = b * dest.batchSize;
      const last = Math.min(n, first + dest.batchSize) - 1;
      const responses: AnnotateImageResponse[] = [];
      for (let i = first; i <= last; i++) {
        await ctx.step();
        responses.push(await engine.annotateImage(request.requests[i]!, `requests[${i}]`, ctx.signal));
      }
      const json = JSON.stringify(messageToJson('google.cloud.vision.v1p4beta1.BatchAnnotateImagesResponse', { responses }));
      await writeBatch(ctx, objects, dest, 0, first + 1, last + 1, json);
    }
    return { state: 'DONE', response: AsyncBatchAnnotateImagesResponse.encode({ outputConfig: request.outputConfig }).finish() };
  };
}

/** Builds the AsyncBatchAnnotateFiles runner. */
export function createAnnotateFilesRunner(objects: ObjectStore, engine: AnnotationEngine): Runner {
  return async (ctx) => {
    const progress = progressOf(ctx);
    const request = AsyncBatchAnnotateFilesRequest.decode(Buffer.from(ctx.op.request ?? '', 'base64'));
    for (let f = 0; f < request.requests.length; f++) {
      const req = request.requests[f]!;
      const field = `requests[${f}]`;
      const dest = destinationOf(req.outputConfig, `${field}.output_config`);
      const done = progress.batchesDone[f] ?? 0;
      const annotatePage = async (page: number): Promise<AnnotateFileResponse> => {
        const r = await engine.annotateFile({ ...req, pages: [page] }, field, ctx.signal);
        if (r.error) throw new VisionError(r.error.code as Code, r.error.message);
        return r;
      };
      const firstPage = await annotatePage(1);
      const total = firstPage.totalPages;
      if (total > MAX_ASYNC_PAGES)
        throw invalidArgument(`${field}.input_config`, `the file has ${total} pages; at most ${MAX_ASYNC_PAGES} are supported`);
      const batches = Math.ceil(total / dest.batchSize);
      for (let b = done; b < batches; b++) {
        const first = b * dest.batchSize + 1;
        const last = Math.min(total, first + dest.batchSize - 1);
        const responses: AnnotateImageResponse[] = [];
        for (let p = first; p <= last; p++) {
          await ctx.step();
          responses.push(...(p === 1 ? firstPage : await annotatePage(p)).responses);
        }
        const json = JSON.stringify(
          messageToJson('google.cloud.vision.v1p4beta1.AnnotateFileResponse', {
            inputConfig: firstPage.inputConfig,
            responses,
            totalPages: total,
          }),
        );
        await writeBatch(ctx, objects, dest, f, first, last, json);
      }
    }
    return {
      state: 'DONE',
      response: AsyncBatchAnnotateFilesResponse.encode({
        responses: request.requests.map((r) => ({ outputConfig: r.outputConfig })),
      }).finish(),
    };
  };
}
