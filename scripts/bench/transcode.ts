/**
 * Benchmark of the client direction of gRPC transcoding: building
 * the full HTTP request (method, path, query, JSON body) for
 * AsyncBatchAnnotateImages and UpdateProduct, against plain `JSON.stringify`
 * of the same request object and against google-gax's REST path
 * (`fallbackRest.encodeRequest`: protobufjs `fromObject` → proto3-json-serializer
 * → `transcode` → `JSON.stringify`), as `@google-cloud/vision` runs it.
 *
 * Run: `npx tsx scripts/bench/transcode.ts` (goal: ours ≥ 0.5× JSON.stringify,
 * and faster than google-gax). Prints one JSON line per case, then a summary.
 * `npm run bench` calls {@link measureTranscoding} (measurement 2).
 */
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { normalizeMessage } from 'vision-kit/codec';
import { SERVICES } from 'vision-kit/gen/schema/services.js';
import { loadOurs } from './support/ours.js';
import { median, medianRatio, round } from './support/stats.js';

// The build `npm run bench` measures (support/ours.ts), else the sources.
const { transcodeRequest } = await loadOurs();

const require = createRequire(import.meta.url);
const protobuf = require('protobufjs') as {
  Root: { fromJSON(json: unknown): { lookupService(name: string): { methods: Record<string, { resolve(): unknown }> } } };
};
// google-gax does not export fallbackRest; load it next to its entry point.
const gaxDir = dirname(require.resolve('google-gax'));
const { encodeRequest } = require(join(gaxDir, 'fallbackRest.js')) as {
  encodeRequest(
    rpc: unknown,
    protocol: string,
    servicePath: string,
    port: number,
    request: object,
    numericEnums: boolean,
    minify?: boolean,
  ): { body: string; url: string };
};
const root = protobuf.Root.fromJSON(require('@google-cloud/vision/build/protos/protos.json'));

function row(service: string, name: string) {
  const r = SERVICES[service]!.find((m) => m.name === name);
  if (r === undefined) throw new Error(name);
  return r;
}

function rpc(service: string, name: string): unknown {
  return root.lookupService(service).methods[name]!.resolve();
}

const IA = 'google.cloud.vision.v1p4beta1.ImageAnnotator';
const PS = 'google.cloud.vision.v1p4beta1.ProductSearch';

const asyncPartial = {
  requests: Array.from({ length: 100 }, (_, i) => ({
    image: { source: { imageUri: `gs://vision-kit-in/images/photo-${i}.jpg` } },
    features: [{ type: 4, maxResults: 10 }, { type: 5, model: 'builtin/stable' }, { type: 9 }],
    imageContext: { languageHints: ['en', 'de'], cropHintsParams: { aspectRatios: [1, 1.5] } },
  })),
  outputConfig: { gcsDestination: { uri: 'gs://vision-kit-out/run-1/' }, batchSize: 20 },
};

const productLabels = Array.from({ length: 10 }, (_, i) => ({ key: `key-${i}`, value: `value ${i}` }));
const updatePartial = {
  product: {
    name: 'projects/p1/locations/us-west1/products/shoe-42',
    displayName: 'Running shoe 42',
    description: 'A light running shoe with a breathable mesh upper.',
    productLabels,
  },
  updateMask: ['display_name', 'description', 'product_labels'],
};
// The same data as google-gax takes it (a FieldMask is an object there).
const updateGax = { ...updatePartial, updateMask: { paths: updatePartial.updateMask } };

/**
 * Reads one character of the body: our body text is built by appending (a
 * rope), which the engine flattens on first access; JSON.stringify's result is
 * flat already. Reading it here charges the flattening to us, as sending would.
 */
function flat(body: string | undefined): number {
  return body === undefined ? 0 : body.charCodeAt(body.length >> 1);
}

interface Case {
  name: string;
  stringify: () => unknown;
  ours: () => unknown;
  gax: () => unknown;
}

const cases: Case[] = [];
for (const [label, request] of [
  ['partial', asyncPartial],
  ['full shape', normalizeMessage(row(IA, 'AsyncBatchAnnotateImages').input, asyncPartial)],
] as const) {
  const r = row(IA, 'AsyncBatchAnnotateImages');
  const g = rpc(IA, 'AsyncBatchAnnotateImages');
  cases.push({
    name: `AsyncBatchAnnotateImages, 100 images (${label})`,
    stringify: () => JSON.stringify(request),
    ours: () => flat(transcodeRequest(r, request).body),
    gax: () => encodeRequest(g, 'https', 'vision.googleapis.com', 443, asyncPartial, false),
  });
}
for (const [label, request] of [
  ['partial', updatePartial],
  ['full shape', normalizeMessage(row(PS, 'UpdateProduct').input, updatePartial)],
] as const) {
  const r = row(PS, 'UpdateProduct');
  const g = rpc(PS, 'UpdateProduct');
  cases.push({
    name: `UpdateProduct, 10 labels (${label})`,
    stringify: () => JSON.stringify(request),
    ours: () => flat(transcodeRequest(r, request).body),
    gax: () => encodeRequest(g, 'https', 'vision.googleapis.com', 443, updateGax, false),
  });
}

/** Operations per second of `fn` over about `ms` milliseconds (at least 8 calls). */
function rate(fn: () => unknown, ms: number): number {
  let n = 0;
  const start = performance.now();
  let now = start;
  do {
    for (let i = 0; i < 8; i++) fn();
    n += 8;
    now = performance.now();
  } while (now - start < ms);
  return (n * 1000) / (now - start);
}

/** One case's figures (ops/s are medians over rounds; ratios medians of per-round ratios). */
export interface TranscodeCase {
  readonly case: string;
  readonly jsonStringifyOps: number;
  readonly transcodeOps: number;
  readonly gaxOps: number;
  readonly vsStringify: number;
  readonly vsGax: number;
  /** ≥ 0.5× JSON.stringify and faster than google-gax. */
  readonly met: boolean;
}

/** The result of {@link measureTranscoding}. */
export interface TranscodeResult {
  readonly rounds: number;
  readonly roundMs: number;
  readonly goal: string;
  readonly cases: readonly TranscodeCase[];
}

/**
 * The three contenders measured in interleaved rounds (so that a busy
 * machine slows all of them alike); ratios are the medians of the per-round
 * ratios. A smoke run calls each contender a few times only.
 */
function measure(c: Case, smoke: boolean): Omit<TranscodeCase, 'case' | 'met'> {
  const check = [c.stringify(), c.ours(), c.gax()];
  if (check.some((x) => x === undefined)) throw new Error(`transcode bench: ${c.name} gave nothing`);
  const [warmMs, roundMs, rounds] = smoke ? [0, 0, 1] : [150, 40, 25];
  for (const fn of [c.stringify, c.ours, c.gax]) rate(fn, warmMs);
  const s: number[] = [];
  const o: number[] = [];
  const g: number[] = [];
  for (let r = 0; r < rounds; r++) {
    s.push(rate(c.stringify, roundMs));
    o.push(rate(c.ours, roundMs));
    g.push(rate(c.gax, roundMs));
  }
  return {
    jsonStringifyOps: Math.round(median(s)),
    transcodeOps: Math.round(median(o)),
    gaxOps: Math.round(median(g)),
    vsStringify: round(medianRatio(o, s), 2),
    vsGax: round(medianRatio(o, g), 2),
  };
}

/** Runs measurement 2 over the four cases. */
export function measureTranscoding(options: { smoke?: boolean } = {}): TranscodeResult {
  const smoke = options.smoke ?? false;
  const out = cases.map((c) => {
    const m = measure(c, smoke);
    return { case: c.name, ...m, met: m.vsStringify >= 0.5 && m.vsGax > 1 };
  });
  return {
    rounds: smoke ? 1 : 25,
    roundMs: smoke ? 0 : 40,
    goal: 'ours ≥ 0.5 × JSON.stringify, and faster than google-gax',
    cases: out,
  };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const result = measureTranscoding();
  for (const c of result.cases) console.log(JSON.stringify({ ...c, goal: c.met ? 'met' : 'MISSED' }));
  const ok = result.cases.every((c) => c.met);
  console.log(ok ? 'all goals met (≥ 0.5× JSON.stringify, faster than google-gax)' : 'GOAL MISSED');
  process.exitCode = ok ? 0 : 1;
}
