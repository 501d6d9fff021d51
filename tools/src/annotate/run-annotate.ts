/**
 * `vision-kit annotate`, the main job (docs/cli.md): check the
 * inputs and options, open the target (by default an emulator started
 * in-process over `--data-dir`), upload local images through the storage
 * API, run asyncBatchAnnotateImages with a progress bar while the poller
 * waits, read the output files back and print a summary per image and every
 * output file's gs:// URI and local path. Loaded only when the command runs.
 */
import { codeName, LroAbortedError, LroOperationError, LroTimeoutError, VisionError } from 'vision-kit';
import { CliError } from 'vision-kit/cli';
import { MAX_ASYNC_IMAGES } from '../emulator/annotators/limits.js';
import { type JobResult, runAnnotateJob } from '../workflow/annotate-job.js';
import { buildAnnotateRequest } from '../workflow/annotate-request.js';
import type { ImageSummary } from '../workflow/image-summary.js';
import { gsUriOf, type ObjectStorage } from '../workflow/object-storage.js';
import type { AnnotateCommandOptions } from './annotate-options.js';
import { type AnnotatePlan, planAnnotate } from './annotate-options.js';
import { IMAGE_EXTENSIONS } from './image-type.js';
import { type AnnotateInput, collectInputs, type LocalImage, uploadNames } from './inputs.js';
import { createProgressBar } from './progress-bar.js';
import { type AnnotateReport, displayPath, formatTextReport, jsonReport, oneLine, type ReportFile } from './report.js';
import { type AnnotateTarget, openTarget } from './target.js';

/** One image of the request: its gs:// URI and how the user named it. */
interface PlannedImage {
  readonly uri: string;
  readonly input: string;
}

const say = (line: string): void => {
  process.stderr.write(`${line}\n`);
};

/**
 * Runs the command and resolves to the exit code: 0 when every image was
 * annotated; 1 when the call, the operation or any image failed (each said
 * in one line); bad input throws a CliError (exit 2) before anything starts.
 */
export async function runAnnotate(args: readonly string[], options: AnnotateCommandOptions): Promise<number> {
  const plan = planAnnotate(options);
  const inputs = await collectInputs(args);
  const log = options.verbose === true ? (line: string) => say(`vision-kit emulator: ${line}`) : () => undefined;

  const abort = new AbortController();
  const onSignal = (): void => abort.abort(new Error('interrupted'));
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  let target: AnnotateTarget | undefined;
  try {
    target = await openTarget({
      transport: plan.transport,
      endpoint: options.endpoint,
      plaintext: options.plaintext,
      apiKey: options.apiKey,
      dataDir: options.dataDir,
      log,
    });
    if (target.kind === 'google' && !plan.outputGiven) {
      throw new CliError('--output gs://YOUR-BUCKET/PATH/ is needed with Google (the default bucket belongs to the emulator)');
    }
    return await annotateOn(target, plan, inputs, options, abort.signal);
  } catch (err) {
    const failure = err instanceof CliError ? err : explain(err, target);
    if (options.verbose === true) say(stackOf(failure.cause ?? failure));
    throw failure;
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    await target?.close().catch(() => undefined);
  }
}

async function annotateOn(
  target: AnnotateTarget,
  plan: AnnotatePlan,
  inputs: readonly AnnotateInput[],
  options: AnnotateCommandOptions,
  signal: AbortSignal,
): Promise<number> {
  const { storage } = target;
  const dest = plan.destination;
  const inputsPrefix = `${dest.folder}${dest.filePrefix}inputs/`;
  const locals = inputs.filter((i): i is LocalImage => i.kind === 'local');
  const names = uploadNames(locals, inputsPrefix);
  const uploadUri = new Map<LocalImage, string>();
  for (const [k, image] of locals.entries()) uploadUri.set(image, gsUriOf({ bucket: dest.bucket, object: names[k]! }));

  // The images of the request, in command-line order; gs:// folders listed, gs:// objects checked.
  const images: PlannedImage[] = [];
  for (const input of inputs) {
    if (input.kind === 'local') images.push({ uri: uploadUri.get(input)!, input: input.label });
    else images.push(...(await resolveRemote(storage, input.uri, input.folder, signal)));
  }
  if (images.length > MAX_ASYNC_IMAGES)
    throw new CliError(`${images.length} images; one run annotates at most ${MAX_ASYNC_IMAGES} (Vision's limit per request)`);

  say(`Annotating ${images.length} image${images.length === 1 ? '' : 's'} (${plan.features.join(', ')}) on ${target.description}`);
  if (locals.length > 0) {
    await uploadAll(storage, locals, uploadUri, signal);
    say(`Uploaded ${locals.length} local image${locals.length === 1 ? '' : 's'} to gs://${dest.bucket}/${inputsPrefix}`);
  }

  const request = buildAnnotateRequest({
    imageUris: images.map((i) => i.uri),
    features: plan.features,
    outputUri: plan.outputUri,
    batchSize: plan.batchSize,
    productSearch: plan.productSearch,
  });
  const bar = createProgressBar(process.stderr);
  let job: JobResult;
  try {
    job = await runAnnotateJob({
      transport: target.transport,
      storage,
      request,
      schedule: target.schedule,
      listEveryMs: target.listEveryMs,
      signal,
      onProgress: (p) => bar.update(p),
    });
  } finally {
    bar.stop();
  }
  say(
    `${job.operation}: done in ${(job.elapsedMs / 1000).toFixed(1)} s; ${job.outputFiles.length} output file${job.outputFiles.length === 1 ? '' : 's'} read back`,
  );

  const files: ReportFile[] = [];
  for (const f of job.outputFiles) {
    files.push({ uri: f.uri, path: await target.localPath(f, f.bytes), first: f.range.first, last: f.range.last, size: f.size });
  }
  const report: AnnotateReport = {
    job,
    images: job.images.map((result, k) => ({ input: images[k]!.input, result })),
    files,
    features: plan.features,
    target: target.kind,
    transport: target.transportKind,
  };
  if (options.json === true) {
    process.stdout.write(`${JSON.stringify(jsonReport(report), null, 2)}\n`);
  } else {
    const ansi = process.stdout.isTTY === true && process.env['NO_COLOR'] === undefined;
    process.stdout.write(formatTextReport(report, { ansi }));
  }
  const hint = fixturesHint(report);
  if (hint !== undefined) say(hint);
  const failed = report.images.filter((i) => i.result.summary.error !== undefined);
  for (const f of failed)
    say(`vision-kit: ${f.input}: ${codeName(f.result.summary.error!.code)}: ${oneLine(f.result.summary.error!.message)}`);
  if (failed.length > 0) {
    say(`vision-kit: ${failed.length} of ${report.images.length} images could not be annotated`);
    return 1;
  }
  if (target.kind !== 'embedded') say(`Copies of the output files are under ${displayPath(target.dataDir)}/gcs/`);
  return 0;
}

/** The features the emulator computes from the pixels; the others (ML-only) come from its fixtures or are empty. */
const EMULATOR_COMPUTES: ReadonlySet<string> = new Set(['IMAGE_PROPERTIES', 'CROP_HINTS', 'PRODUCT_SEARCH']);

/**
 * One line for stderr when an emulator was asked for ML-only features and no
 * image got any of them (no fixtures for these images): where they come from.
 */
export function fixturesHint(report: {
  readonly features: readonly string[];
  readonly target: string;
  readonly images: readonly { readonly result: { readonly summary: ImageSummary } }[];
}): string | undefined {
  if (report.target === 'google') return undefined;
  const mlOnly = report.features.filter((f) => !EMULATOR_COMPUTES.has(f));
  if (mlOnly.length === 0) return undefined;
  const answered = report.images.filter((i) => i.result.summary.error === undefined);
  if (answered.length === 0 || answered.some((i) => Object.keys(i.result.summary.others).length > 0)) return undefined;
  const how =
    report.target === 'embedded'
      ? 'run "vision-kit emulator --fixtures DIR" and point --endpoint at it'
      : 'start that emulator with --fixtures DIR';
  return `hint: the emulator does not compute ${mlOnly.join(', ')}; it answers ${mlOnly.length === 1 ? 'it' : 'them'} only from fixtures: ${how} (node_modules/vision-kit/docs/emulator.md, "Fixtures")`;
}

/** The images of a gs:// input: a folder's image objects, or one object that must exist. */
async function resolveRemote(storage: ObjectStorage, uri: string, folder: boolean, signal: AbortSignal): Promise<PlannedImage[]> {
  const m = /^gs:\/\/([^/]+)\/?(.*)$/.exec(uri);
  const bucket = m?.[1] ?? '';
  const object = m?.[2] ?? '';
  if (folder) {
    const listed = await storage.list(bucket, object, signal);
    const found = listed.filter((o) => IMAGE_EXTENSIONS.some((ext) => o.name.toLowerCase().endsWith(ext)));
    if (found.length === 0) throw new CliError(`${uri}: no images in this folder (objects ending in ${IMAGE_EXTENSIONS.join(' ')})`);
    return found.map((o) => ({ uri: gsUriOf({ bucket, object: o.name }), input: gsUriOf({ bucket, object: o.name }) }));
  }
  if (!(await storage.exists({ bucket, object }, signal))) throw new CliError(`${uri}: no such object in ${storage.description}`);
  return [{ uri, input: uri }];
}

/** Uploads the local images, four at a time. */
async function uploadAll(
  storage: ObjectStorage,
  locals: readonly LocalImage[],
  uris: Map<LocalImage, string>,
  signal: AbortSignal,
): Promise<void> {
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < locals.length) {
      const image = locals[next++]!;
      const m = /^gs:\/\/([^/]+)\/(.*)$/.exec(uris.get(image)!)!;
      await storage.upload({ bucket: m[1]!, object: m[2]! }, image.bytes, image.contentType, signal);
    }
  };
  await Promise.all(Array.from({ length: Math.min(4, locals.length) }, worker));
}

/** Turns a failure into one line with exit code 1 (the message names what failed and where). */
function explain(err: unknown, target: AnnotateTarget | undefined): CliError {
  if (err instanceof LroAbortedError) {
    return new CliError(
      `interrupted; operation ${err.operationName} goes on${target?.kind === 'embedded' ? ' when the emulator next starts on this data dir' : ''}`,
      130,
      { cause: err },
    );
  }
  if (err instanceof LroTimeoutError) return new CliError(oneLine(err.rawMessage), 1, { cause: err });
  if (err instanceof LroOperationError) {
    return new CliError(`operation ${err.operationName} failed: ${codeName(err.code)}: ${oneLine(err.rawMessage)}`, 1, { cause: err });
  }
  const e = VisionError.from(err);
  if (e.code === 14 /* UNAVAILABLE */ && target !== undefined && !/could not reach/.test(e.rawMessage)) {
    return new CliError(`cannot reach ${target.description}: ${oneLine(e.rawMessage)}`, 1, { cause: err });
  }
  return new CliError(`${codeName(e.code)}: ${oneLine(e.rawMessage)}`, 1, { cause: err });
}

function stackOf(err: unknown): string {
  return err instanceof Error ? (err.stack ?? err.message) : String(err);
}
