/**
 * The emulator's demo page (served at `/` of its HTTP port, bundled into
 * `dist/web/vision-kit.demo.js` from the browser entry): upload the picked
 * images through the Cloud Storage JSON API, run asyncBatchAnnotateImages
 * over REST with the typed REST client, follow it with the poller, read the
 * output files back and show them. An emulator started with `--auth-token T`
 * is used through the page URL's `?key=T`, passed on as `x-goog-api-key`.
 */
import { createRestTransport, VisionError } from 'vision-kit/browser';
import { buildAnnotateRequest, createGcsJsonClient, type JobResult, runAnnotateJob } from '../workflow/index.js';
import { progressText, renderCard, renderOutputs, showStatus } from './view.js';

const BUCKET = 'vision-kit-demo';
const FEATURES = ['IMAGE_PROPERTIES', 'CROP_HINTS'];
/** Polling tuned for a local emulator. */
const SCHEDULE = { initialDelay: 100, multiplier: 1.5, maxDelay: 1000 };

const key = new URLSearchParams(location.search).get('key') ?? undefined;
const transport = createRestTransport({ baseUrl: location.origin, apiKey: key });
const storage = createGcsJsonClient({ baseUrl: location.origin, apiKey: key });

const form = document.getElementById('form') as HTMLFormElement;
const filesInput = document.getElementById('files') as HTMLInputElement;
const batchInput = document.getElementById('batch') as HTMLInputElement;
const runButton = document.getElementById('run') as HTMLButtonElement;

/** A run id that sorts by time: `2025-01-02T03-04-05.678Z-ab12`. */
function runId(): string {
  return `${new Date().toISOString().replace(/:/g, '-')}-${Math.random().toString(36).slice(2, 6)}`;
}

/** An object-name-safe version of a file name. */
function safeName(name: string): string {
  return name.replace(/[^A-Za-z0-9._-]+/g, '_').replace(/^\.+/, '_') || 'image';
}

async function annotate(files: readonly File[], batchSize: number): Promise<void> {
  const run = runId();
  const folder = `${run}/`;
  const names = files.map((f, i) => `${folder}inputs/${i + 1}-${safeName(f.name)}`);
  showStatus('uploading', `Uploading ${files.length} image${files.length === 1 ? '' : 's'} to gs://${BUCKET}/${folder}inputs/…`);
  await Promise.all(
    files.map(async (f, i) =>
      storage.upload({ bucket: BUCKET, object: names[i]! }, new Uint8Array(await f.arrayBuffer()), f.type || 'application/octet-stream'),
    ),
  );
  const request = buildAnnotateRequest({
    imageUris: names.map((n) => `gs://${BUCKET}/${n}`),
    features: FEATURES,
    outputUri: `gs://${BUCKET}/${folder}`,
    batchSize,
  });
  let latest = '';
  let latestProgress = { value: 0, max: 1 };
  const started = performance.now();
  const ticker = setInterval(() => {
    if (latest)
      showStatus('running', latest.replace(/[\d.]+ s$/, `${((performance.now() - started) / 1000).toFixed(1)} s`), latestProgress);
  }, 100);
  let result: JobResult;
  try {
    result = await runAnnotateJob({
      transport,
      storage,
      request,
      schedule: SCHEDULE,
      listEveryMs: 200,
      onProgress: (p) => {
        latest = progressText(p);
        latestProgress = { value: p.outputFiles, max: p.expectedOutputFiles };
        showStatus('running', latest, latestProgress);
      },
    });
  } finally {
    clearInterval(ticker);
  }
  showStatus('reading', `Read ${result.outputFiles.length} output file${result.outputFiles.length === 1 ? '' : 's'}; drawing…`);
  const results = document.getElementById('results')!;
  const cards = await Promise.all(result.images.map((image, i) => renderCard(image, files[i]!.name, URL.createObjectURL(files[i]!))));
  results.replaceChildren(...cards);
  renderOutputs(result.outputFiles);
  const failed = result.images.filter((i) => i.summary.error !== undefined).length;
  showStatus(
    'done',
    `${result.operation} done in ${(result.elapsedMs / 1000).toFixed(1)} s: ${result.images.length - failed} of ${result.images.length} image${
      result.images.length === 1 ? '' : 's'
    } annotated, ${result.outputFiles.length} output file${result.outputFiles.length === 1 ? '' : 's'} read.`,
    { value: result.outputFiles.length, max: result.outputFiles.length },
  );
}

filesInput.addEventListener('change', () => {
  runButton.disabled = (filesInput.files?.length ?? 0) === 0;
});

form.addEventListener('submit', (event) => {
  event.preventDefault();
  const files = [...(filesInput.files ?? [])];
  if (files.length === 0) return;
  const batchSize = Math.min(100, Math.max(1, Math.round(Number(batchInput.value) || 20)));
  runButton.disabled = true;
  annotate(files, batchSize)
    .catch((err: unknown) => {
      const e = VisionError.from(err);
      showStatus('error', `${e.codeName}: ${e.rawMessage}`);
    })
    .finally(() => {
      runButton.disabled = (filesInput.files?.length ?? 0) === 0;
    });
});

runButton.disabled = (filesInput.files?.length ?? 0) === 0;
showStatus('ready', key ? 'Ready (using the key from the page URL).' : 'Ready: pick one or more images.');
