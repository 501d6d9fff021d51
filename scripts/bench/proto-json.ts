/**
 * Benchmark of the proto3 JSON writer and reader against plain JSON
 * (`npx tsx scripts/bench/proto-json.ts [--check]`). The goal: writing a
 * request body reaches at least 0.5× the speed of JSON.stringify of the same
 * object. Each figure is the best of 15 rounds (the machine is shared).
 * `--check` exits 1 when the goal is missed.
 */
import { messageFromJson, messageToJsonText, normalizeMessage } from 'vision-kit/codec';

const V = 'google.cloud.vision.v1p4beta1.';

function best(fn: () => unknown, runs = 2000): number {
  for (let i = 0; i < runs; i++) fn();
  let b = Infinity;
  for (let r = 0; r < 15; r++) {
    const t0 = performance.now();
    for (let i = 0; i < runs; i++) fn();
    b = Math.min(b, ((performance.now() - t0) / runs) * 1000);
  }
  return b;
}

const cases: { name: string; type: string; request: object }[] = [
  {
    name: 'BatchAnnotateImages, 16 image URIs',
    type: `${V}BatchAnnotateImagesRequest`,
    request: {
      requests: Array.from({ length: 16 }, (_, i) => ({
        image: { source: { imageUri: `https://example.com/images/${i}.jpg` } },
        features: [{ type: 4, maxResults: 10 }, { type: 5 }, { type: 11, model: 'builtin/latest' }],
        imageContext: { languageHints: ['en', 'de'], cropHintsParams: { aspectRatios: [1.5, 0.75] } },
      })),
    },
  },
  {
    name: 'UpdateProduct with labels and mask',
    type: `${V}UpdateProductRequest`,
    request: {
      product: {
        name: 'projects/p/locations/us-west1/products/x',
        displayName: 'Shoe',
        productLabels: Array.from({ length: 20 }, (_, i) => ({ key: `k${i}`, value: `v${i}` })),
      },
      updateMask: ['display_name', 'product_labels'],
    },
  },
  {
    name: 'AsyncBatchAnnotateFiles',
    type: `${V}AsyncBatchAnnotateFilesRequest`,
    request: {
      requests: [
        {
          inputConfig: { gcsSource: { uri: 'gs://b/f.pdf' }, mimeType: 'application/pdf' },
          features: [{ type: 11 }],
          outputConfig: { gcsDestination: { uri: 'gs://b/out/' }, batchSize: 2 },
        },
      ],
    },
  },
];

let ok = true;
for (const c of cases) {
  const plain = best(() => JSON.stringify(c.request));
  const ours = best(() => messageToJsonText(c.type, c.request));
  const full = normalizeMessage(c.type, c.request);
  const text = messageToJsonText(c.type, full);
  const parse = best(() => JSON.parse(text));
  const read = best(() => messageFromJson(c.type, JSON.parse(text)));
  const ratio = plain / ours;
  if (ratio < 0.5) ok = false;
  process.stdout.write(
    `${c.name}: JSON.stringify ${plain.toFixed(1)} µs, messageToJsonText ${ours.toFixed(1)} µs (${ratio.toFixed(2)}×); ` +
      `JSON.parse ${parse.toFixed(1)} µs, +messageFromJson ${read.toFixed(1)} µs (${(parse / read).toFixed(2)}×)\n`,
  );
}
if (process.argv.includes('--check') && !ok) {
  process.stderr.write('proto-json bench: writing is below 0.5× JSON.stringify\n');
  process.exit(1);
}
