/**
 * The annotate workflow after the images are in Cloud Storage, shared by the
 * CLI's main job and the browser demo: start asyncBatchAnnotateImages, wait
 * for it through the poller while counting the output files that appear
 * (OperationMetadata holds only a state), then read every output file back
 * and pair each response with its image. Browser-safe.
 */

import {
  Code,
  createClient,
  ImageAnnotator,
  type Poller,
  type PollScheduleOverrides,
  type Transport,
  VisionError,
} from 'vision-kit/browser';
import { enumInfo, messageFromJsonText } from 'vision-kit/codec';
import type {
  AnnotateImageResponse,
  AsyncBatchAnnotateImagesRequest,
  AsyncBatchAnnotateImagesResponse,
  BatchAnnotateImagesResponse,
  OperationMetadata,
} from 'vision-kit/gen/google/cloud/vision/v1p4beta1/image_annotator.js';
import { type ImageSummary, summarizeImage } from './image-summary.js';
import { gsUriOf, type ObjectStorage } from './object-storage.js';
import {
  destinationOfUri,
  expectedOutputFiles,
  type OutputDestination,
  type OutputRange,
  outputPrefix,
  outputRangeOf,
} from './output-files.js';

/** What the job reports while it waits. */
export interface JobProgress {
  /** The operation's name (`operations/…`), once started. */
  readonly operation: string;
  /** The operation's state name (`CREATED`, `RUNNING`, `DONE`, …; `STARTING` before the first answer). */
  readonly state: string;
  /** Milliseconds since the job started. */
  readonly elapsedMs: number;
  /** Output files seen under the destination so far. */
  readonly outputFiles: number;
  /** Output files the operation will write (images ÷ batch size, rounded up). */
  readonly expectedOutputFiles: number;
}

/** One output file read back. */
export interface OutputFile {
  /** `gs://BUCKET/OBJECT`. */
  readonly uri: string;
  /** The bucket name. */
  readonly bucket: string;
  /** The object name within the bucket. */
  readonly object: string;
  /** The requests it answers (1-based, inclusive). */
  readonly range: OutputRange;
  /** Its size in bytes. */
  readonly size: number;
  /** Its bytes, as read. */
  readonly bytes: Uint8Array;
}

/** One image's outcome. */
export interface ImageResult {
  /** Position in the request (0-based). */
  readonly index: number;
  /** The image's `gs://` URI. */
  readonly uri: string;
  /** The response (its `error` set when Vision could not annotate the image). */
  readonly response: AnnotateImageResponse;
  /** What the CLI and the demo page show of the response (labels, colours, crop hints, products, or the error). */
  readonly summary: ImageSummary;
  /** The output file the response came from, or undefined when no file held it. */
  readonly outputFile: string | undefined;
}

/** The outcome of a job. */
export interface JobResult {
  /** The operation's name. */
  readonly operation: string;
  /** The destination, as the operation's response reports it. */
  readonly outputUri: string;
  /** Milliseconds from start to the last file read. */
  readonly elapsedMs: number;
  /** The output files read, in request order. */
  readonly outputFiles: readonly OutputFile[];
  /** One per image, in request order. */
  readonly images: readonly ImageResult[];
}

/** Options of {@link runAnnotateJob}. */
export interface AnnotateJobOptions {
  /** The Vision transport (gRPC or REST). */
  readonly transport: Transport;
  /** The storage holding the images and receiving the output. */
  readonly storage: ObjectStorage;
  /** The request (see `buildAnnotateRequest`). */
  readonly request: AsyncBatchAnnotateImagesRequest;
  /** Poll schedule overrides (e.g. faster for the local emulator). */
  readonly schedule?: PollScheduleOverrides | undefined;
  /** A poller to share; default one over `transport`. */
  readonly poller?: Poller | undefined;
  /** How often to count output files while waiting, ms (default 500). */
  readonly listEveryMs?: number | undefined;
  /** The longest wait for the operation, ms (default: the poll schedule's). */
  readonly timeoutMs?: number | undefined;
  /** Called when the state or the output-file count changes. */
  readonly onProgress?: ((progress: JobProgress) => void) | undefined;
  /** Ends the job (the operation itself goes on). */
  readonly signal?: AbortSignal | undefined;
  /** The clock, for elapsed times; default `Date.now`. */
  readonly now?: (() => number) | undefined;
}

const STATE = 'google.cloud.vision.v1p4beta1.OperationMetadata.State';

/** The name of an OperationMetadata state number. */
export function operationStateName(state: number): string {
  return enumInfo(STATE).byNumber.get(state) ?? String(state);
}

/**
 * Runs the job and resolves once every output file is read. Rejects with a
 * VisionError when the call fails, the operation ends in error (the poller's
 * LroOperationError), the wait times out or is aborted, or an output file
 * cannot be read or parsed.
 */
export async function runAnnotateJob(options: AnnotateJobOptions): Promise<JobResult> {
  const now = options.now ?? Date.now;
  const started = now();
  const { request, storage, signal } = options;
  const outputUri = request.outputConfig?.gcsDestination?.uri ?? '';
  const dest = destinationOfUri(outputUri);
  const expected = expectedOutputFiles(request.requests.length, request.outputConfig?.batchSize ?? 0);
  let last = { operation: '', state: 'STARTING', outputFiles: 0 };
  const report = (patch: Partial<typeof last>, force = false): void => {
    const next = { ...last, ...patch };
    const changed = next.state !== last.state || next.outputFiles !== last.outputFiles || next.operation !== last.operation;
    last = next;
    if (changed || force) options.onProgress?.({ ...next, elapsedMs: now() - started, expectedOutputFiles: expected });
  };
  report({}, true);

  const images = createClient(ImageAnnotator, options.transport, {
    ...(options.poller ? { poller: options.poller } : {}),
    lro: { schedule: options.schedule },
  });
  const lro = await images.asyncBatchAnnotateImages(request, signal ? { signal } : {});
  report({ operation: lro.name, state: lro.metadata ? operationStateName((lro.metadata as OperationMetadata).state) : 'CREATED' });

  // Count output files while the operation runs (its metadata has no counts).
  const counting = new AbortController();
  const stopCounting = (): void => counting.abort();
  signal?.addEventListener('abort', stopCounting, { once: true });
  const counter = countOutputs(storage, dest, options.listEveryMs ?? 500, counting.signal, signal, (n) => report({ outputFiles: n }));
  let response: AsyncBatchAnnotateImagesResponse | undefined;
  try {
    response = await lro.wait({
      ...(signal ? { signal } : {}),
      ...(options.timeoutMs !== undefined ? { timeout: options.timeoutMs } : {}),
      onProgress: (metadata) => report({ state: operationStateName((metadata as OperationMetadata).state) }),
    });
  } finally {
    counting.abort();
    signal?.removeEventListener('abort', stopCounting);
    await counter;
  }
  const doneUri = response?.outputConfig?.gcsDestination?.uri || outputUri;
  const doneDest = doneUri === outputUri ? dest : destinationOfUri(doneUri);

  const listed = await storage.list(doneDest.bucket, outputPrefix(doneDest), signal);
  const outputs = listed
    .map((o) => ({ o, range: outputRangeOf(doneDest, o.name) }))
    .filter((x): x is { o: (typeof listed)[number]; range: OutputRange } => x.range !== undefined)
    .sort((a, b) => a.range.first - b.range.first);
  report({ state: 'DONE', outputFiles: outputs.length });

  const files: OutputFile[] = [];
  const responses: (AnnotateImageResponse | undefined)[] = new Array<AnnotateImageResponse | undefined>(request.requests.length);
  const sources: (string | undefined)[] = new Array<string | undefined>(request.requests.length);
  await Promise.all(
    outputs.map(async ({ o, range }, i) => {
      const loc = { bucket: doneDest.bucket, object: o.name };
      const uri = gsUriOf(loc);
      const bytes = await storage.download(loc, signal);
      let parsed: BatchAnnotateImagesResponse;
      try {
        parsed = messageFromJsonText<BatchAnnotateImagesResponse>(
          'google.cloud.vision.v1p4beta1.BatchAnnotateImagesResponse',
          new TextDecoder().decode(bytes),
          { ignoreUnknownFields: true },
        );
      } catch (err) {
        throw new VisionError(
          Code.INTERNAL,
          `output file ${uri} is not a BatchAnnotateImagesResponse: ${err instanceof VisionError ? err.rawMessage : String(err)}`,
          { cause: err },
        );
      }
      const span = range.last - range.first + 1;
      if (parsed.responses.length !== span) {
        throw new VisionError(Code.INTERNAL, `output file ${uri} holds ${parsed.responses.length} responses, its name says ${span}`);
      }
      parsed.responses.forEach((r, k) => {
        const at = range.first - 1 + k;
        if (at < responses.length) {
          responses[at] = r;
          sources[at] = uri;
        }
      });
      files[i] = { uri, bucket: loc.bucket, object: loc.object, range, size: bytes.length, bytes };
    }),
  );

  const results: ImageResult[] = request.requests.map((req, index) => {
    const response =
      responses[index] ??
      messageFromJsonText<AnnotateImageResponse>(
        'google.cloud.vision.v1p4beta1.AnnotateImageResponse',
        JSON.stringify({
          error: { code: Code.INTERNAL, message: `no output file under ${doneUri} holds the response of request ${index + 1}` },
        }),
      );
    return {
      index,
      uri: req.image?.source?.imageUri ?? '',
      response,
      summary: summarizeImage(response),
      outputFile: sources[index],
    };
  });
  return { operation: lro.name, outputUri: doneUri, elapsedMs: now() - started, outputFiles: files, images: results };
}

/**
 * Lists the destination every `everyMs` until `signal` aborts, reporting the
 * count of output files; never rejects. A listing in flight when the
 * operation ends is let finish (only the caller's `callerSignal` cancels it),
 * so a page never shows an aborted request of its own making.
 */
async function countOutputs(
  storage: ObjectStorage,
  dest: OutputDestination,
  everyMs: number,
  signal: AbortSignal,
  callerSignal: AbortSignal | undefined,
  onCount: (n: number) => void,
): Promise<void> {
  const prefix = outputPrefix(dest);
  while (!signal.aborted) {
    await new Promise<void>((resolve) => {
      const timer = setTimeout(done, everyMs);
      function done(): void {
        clearTimeout(timer);
        signal.removeEventListener('abort', done);
        resolve();
      }
      signal.addEventListener('abort', done, { once: true });
    });
    if (signal.aborted) return;
    try {
      const listed = await storage.list(dest.bucket, prefix, callerSignal);
      if (!signal.aborted) onCount(listed.filter((o) => outputRangeOf(dest, o.name) !== undefined).length);
    } catch {
      // A failed count is only a missed progress update; the wait decides the outcome.
    }
  }
}
