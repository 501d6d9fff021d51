/**
 * Measurement 3, unary calls: GetProduct and BatchAnnotateImages (one small
 * inline PNG, LABEL_DETECTION) at concurrency 1 and 64, over gRPC and REST,
 * for three contenders against one emulator (a child process, so the server
 * has its own core and the client's heap is only the client's):
 *
 * - ours: `createClient` over `createGrpcTransport` / `createRestTransport`
 *   (the bundle `npm run build` makes, or the sources: support/ours.ts);
 * - official: `@google-cloud/vision` 6.1.0 (gRPC, and fallback mode for REST);
 * - floor: the least a hand-written client does with the same library: a
 *   request built once (bytes for gRPC, URL and JSON text for REST) and the
 *   answer parsed into an object — bare `@grpc/grpc-js` `makeUnaryRequest`
 *   with an identity serializer and the method's ts-proto `decode`; bare
 *   `fetch` with `response.json()`.
 *
 * Rounds interleave every contender of every cell (the start rotates each
 * round), so a noisy neighbour slows them alike; the figures are medians over
 * rounds, and the ratios medians of the per-round ratios.
 */

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import * as grpc from '@grpc/grpc-js';
import sharp from 'sharp';
import { ImageAnnotator, ProductSearch } from 'vision-kit';
import { normalizeMessage } from 'vision-kit/codec';
import {
  BatchAnnotateImagesRequest,
  BatchAnnotateImagesResponse,
  type Feature_Type,
} from 'vision-kit/gen/google/cloud/vision/v1p4beta1/image_annotator.js';
import { GetProductRequest, Product } from 'vision-kit/gen/google/cloud/vision/v1p4beta1/product_search_service.js';
import { transcodeRequest } from 'vision-kit/transcoding';
import { officialImageAnnotator, officialProductSearch } from './support/official.js';
import { loadOurs } from './support/ours.js';
import { startLineChild } from './support/process.js';
import { median, medianRatio, percentile, round } from './support/stats.js';

/** One contender's figures in one cell (medians over rounds). */
export interface UnaryFigures {
  readonly callsPerSecond: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  /** Client CPU (user + system, this process) per call in µs: steadier than rates on a busy machine. */
  readonly cpuUsPerCall: number;
  /** Calls measured, all rounds together. */
  readonly calls: number;
}

/** One cell: a method, a transport and a concurrency. */
export interface UnaryCell {
  readonly method: 'GetProduct' | 'BatchAnnotateImages';
  readonly transport: 'grpc' | 'rest';
  readonly concurrency: number;
  readonly ours: UnaryFigures;
  readonly official: UnaryFigures;
  readonly floor: UnaryFigures;
  /** Median over rounds of ours / floor calls per second. */
  readonly oursVsFloor: number;
  /** Median over rounds of official / floor calls per second. */
  readonly officialVsFloor: number;
  /** Median over rounds of ours / official calls per second. */
  readonly oursVsOfficial: number;
  /** Goal: ours ≥ 0.9 × floor. */
  readonly met: boolean;
}

/** The result of {@link measureUnary}. */
export interface UnaryResult {
  readonly rounds: number;
  readonly windowMs: number;
  readonly goal: string;
  readonly server: string;
  readonly cells: readonly UnaryCell[];
}

type Contender = 'ours' | 'official' | 'floor';
const CONTENDERS: readonly Contender[] = ['ours', 'official', 'floor'];

/** A call of one contender, and a check of its answer (run on the warm-up answers, outside timing). */
interface Caller {
  readonly call: () => Promise<unknown>;
  readonly check: (answer: unknown) => void;
}

interface Sample {
  calls: number;
  seconds: number;
  cpuUs: number;
  latencies: Float64Array;
}

/**
 * Runs `call` from `concurrency` workers for `windowMs` (or, with `windowMs`
 * 0, `perWorker` calls each) and returns calls, seconds and every latency (ms).
 */
async function runWindow(call: () => Promise<unknown>, concurrency: number, windowMs: number, perWorker: number): Promise<Sample> {
  const latencies: number[] = [];
  const cpu0 = process.cpuUsage();
  const start = performance.now();
  const end = start + windowMs;
  const worker = async (): Promise<void> => {
    for (let i = 0; windowMs > 0 ? performance.now() < end : i < perWorker; i++) {
      const t0 = performance.now();
      await call();
      latencies.push(performance.now() - t0);
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  const seconds = (performance.now() - start) / 1000;
  const cpu = process.cpuUsage(cpu0);
  return { calls: latencies.length, seconds, cpuUs: cpu.user + cpu.system, latencies: Float64Array.from(latencies) };
}

function check(ok: boolean, what: string): void {
  if (!ok) throw new Error(`unary bench: unexpected answer: ${what}`);
}

/** Options of {@link measureUnary}. */
export interface UnaryOptions {
  /** A tiny run: one round, a few calls per worker, no timing worth reading. */
  readonly smoke?: boolean;
  readonly rounds?: number;
  readonly windowMs?: number;
  readonly log?: (line: string) => void;
  /** Measures only the cells this accepts (profiling one cell). */
  readonly only?: (cell: { method: UnaryCell['method']; transport: 'grpc' | 'rest'; concurrency: number }) => boolean;
}

/** Runs measurement 3 against an emulator child process it starts and stops. */
export async function measureUnary(options: UnaryOptions = {}): Promise<UnaryResult> {
  const smoke = options.smoke ?? false;
  const rounds = options.rounds ?? (smoke ? 1 : 5);
  const windowMs = options.windowMs ?? (smoke ? 0 : 1000);
  const log = options.log ?? (() => undefined);
  const concurrencies = [1, 64];
  const dataDir = mkdtempSync(join(tmpdir(), 'vision-kit-bench-unary-'));
  const emulator = await startLineChild<{ grpc: string; http: string }>('src/cli/run.ts', [
    'emulator',
    '--grpc-port',
    '0',
    '--http-port',
    '0',
    '--data-dir',
    dataDir,
  ]);
  const closers: (() => unknown)[] = [];
  const {
    createClient,
    createGrpcTransport,
    createRestTransport,
    ImageAnnotator: OurImageAnnotator,
    ProductSearch: OurProductSearch,
  } = await loadOurs();
  try {
    const grpcPort = Number(emulator.ready.grpc.split(':').pop());
    const httpPort = Number(new URL(emulator.ready.http).port);

    // Setup through our gRPC client: one product to get.
    const setupTransport = createGrpcTransport({ endpoint: emulator.ready.grpc });
    const parent = 'projects/bench/locations/us-west1';
    const product = await createClient(OurProductSearch, setupTransport).createProduct({
      parent,
      productId: 'bench-shoe',
      product: { displayName: 'Bench shoe', productCategory: 'apparel-v2', productLabels: [{ key: 'color', value: 'red' }] },
    });
    setupTransport.close();
    const png = await sharp({ create: { width: 16, height: 16, channels: 3, background: { r: 200, g: 30, b: 30 } } })
      .png()
      .toBuffer();
    const image = new Uint8Array(png.buffer, png.byteOffset, png.byteLength);
    const LABEL_DETECTION = 4 as Feature_Type;
    const annotateRequest = { requests: [{ image: { content: image }, features: [{ type: LABEL_DETECTION, maxResults: 5 }] }] };
    const officialAnnotateRequest = { requests: [{ image: { content: png }, features: [{ type: 'LABEL_DETECTION', maxResults: 5 }] }] };
    const getRequest = { name: product.name };

    // ours
    const oursGrpc = createGrpcTransport({ endpoint: emulator.ready.grpc });
    const oursRest = createRestTransport({ baseUrl: emulator.ready.http });
    closers.push(
      () => oursGrpc.close(),
      () => oursRest.close(),
    );
    const ours = {
      grpc: { ps: createClient(OurProductSearch, oursGrpc), ia: createClient(OurImageAnnotator, oursGrpc) },
      rest: { ps: createClient(OurProductSearch, oursRest), ia: createClient(OurImageAnnotator, oursRest) },
    };

    // official
    const official = {
      grpc: {
        ps: officialProductSearch({ transport: 'grpc', port: grpcPort }),
        ia: officialImageAnnotator({ transport: 'grpc', port: grpcPort }),
      },
      rest: {
        ps: officialProductSearch({ transport: 'rest', port: httpPort }),
        ia: officialImageAnnotator({ transport: 'rest', port: httpPort }),
      },
    };
    for (const t of [official.grpc, official.rest])
      closers.push(
        () => t.ps.close(),
        () => t.ia.close(),
      );

    // floor: gRPC
    const channel = new grpc.Client(emulator.ready.grpc, grpc.credentials.createInsecure(), {
      'grpc.max_send_message_length': 10 * 1024 * 1024,
      'grpc.max_receive_message_length': 10 * 1024 * 1024,
    });
    closers.push(() => channel.close());
    const identity = (b: Buffer): Buffer => b;
    const grpcFloor = <T>(path: string, bytes: Uint8Array, decode: (b: Uint8Array) => T) => {
      const buffer = Buffer.from(bytes);
      return (): Promise<T> =>
        new Promise<T>((resolve, reject) => {
          channel.makeUnaryRequest<Buffer, Buffer>(path, identity, identity, buffer, new grpc.Metadata(), {}, (err, value) => {
            if (err || value === undefined) reject(err ?? new Error('no answer'));
            else resolve(decode(value));
          });
        });
    };
    const IA = 'google.cloud.vision.v1p4beta1.ImageAnnotator';
    const PS = 'google.cloud.vision.v1p4beta1.ProductSearch';
    const floorGrpcGet = grpcFloor(`/${PS}/GetProduct`, GetProductRequest.encode(GetProductRequest.fromPartial(getRequest)).finish(), (b) =>
      Product.decode(b),
    );
    const floorGrpcAnnotate = grpcFloor(
      `/${IA}/BatchAnnotateImages`,
      BatchAnnotateImagesRequest.encode(BatchAnnotateImagesRequest.fromPartial(annotateRequest)).finish(),
      (b) => BatchAnnotateImagesResponse.decode(b),
    );
    // floor: REST (the same request our transcoder builds, built once)
    const restFloor = (service: typeof ProductSearch | typeof ImageAnnotator, method: string, request: object) => {
      const row = service.methods.find((m) => m.name === method)!;
      const http = transcodeRequest(row, normalizeMessage(row.input, request));
      const url = `${emulator.ready.http}${http.path}${http.query ? `?${http.query}` : ''}`;
      const init: RequestInit =
        http.body === undefined
          ? { method: http.method }
          : { method: http.method, headers: { 'content-type': 'application/json; charset=utf-8' }, body: http.body };
      return async (): Promise<unknown> => {
        const res = await fetch(url, init);
        if (!res.ok) throw new Error(`HTTP ${res.status}: ${await res.text()}`);
        return res.json();
      };
    };
    const floorRestGet = restFloor(ProductSearch, 'GetProduct', getRequest);
    const floorRestAnnotate = restFloor(ImageAnnotator, 'BatchAnnotateImages', annotateRequest);

    const isProduct = (p: unknown): boolean =>
      (p as { name?: unknown }).name === product.name && (p as { displayName?: unknown }).displayName === 'Bench shoe';
    const isAnnotation = (r: unknown): boolean => {
      const responses = (r as { responses?: { error?: unknown }[] }).responses;
      return Array.isArray(responses) && responses.length === 1 && (responses[0]!.error === undefined || responses[0]!.error === null);
    };
    const callers: Record<UnaryCell['method'], Record<'grpc' | 'rest', Record<Contender, Caller>>> = {
      GetProduct: {
        grpc: {
          ours: { call: () => ours.grpc.ps.getProduct(getRequest), check: (a) => check(isProduct(a), 'ours grpc GetProduct') },
          official: {
            call: () => official.grpc.ps.getProduct(getRequest),
            check: (a) => check(isProduct((a as unknown[])[0]), 'official grpc GetProduct'),
          },
          floor: { call: floorGrpcGet, check: (a) => check(isProduct(a), 'floor grpc GetProduct') },
        },
        rest: {
          ours: { call: () => ours.rest.ps.getProduct(getRequest), check: (a) => check(isProduct(a), 'ours rest GetProduct') },
          official: {
            call: () => official.rest.ps.getProduct(getRequest),
            check: (a) => check(isProduct((a as unknown[])[0]), 'official rest GetProduct'),
          },
          floor: { call: floorRestGet, check: (a) => check(isProduct(a), 'floor rest GetProduct') },
        },
      },
      BatchAnnotateImages: {
        grpc: {
          ours: {
            call: () => ours.grpc.ia.batchAnnotateImages(annotateRequest),
            check: (a) => check(isAnnotation(a), 'ours grpc BatchAnnotateImages'),
          },
          official: {
            call: () => official.grpc.ia.batchAnnotateImages(officialAnnotateRequest),
            check: (a) => check(isAnnotation((a as unknown[])[0]), 'official grpc BatchAnnotateImages'),
          },
          floor: { call: floorGrpcAnnotate, check: (a) => check(isAnnotation(a), 'floor grpc BatchAnnotateImages') },
        },
        rest: {
          ours: {
            call: () => ours.rest.ia.batchAnnotateImages(annotateRequest),
            check: (a) => check(isAnnotation(a), 'ours rest BatchAnnotateImages'),
          },
          official: {
            call: () => official.rest.ia.batchAnnotateImages(officialAnnotateRequest),
            check: (a) => check(isAnnotation((a as unknown[])[0]), 'official rest BatchAnnotateImages'),
          },
          floor: { call: floorRestAnnotate, check: (a) => check(isAnnotation(a), 'floor rest BatchAnnotateImages') },
        },
      },
    };

    const cells: { method: UnaryCell['method']; transport: 'grpc' | 'rest'; concurrency: number }[] = [];
    for (const method of ['GetProduct', 'BatchAnnotateImages'] as const) {
      for (const transport of ['grpc', 'rest'] as const)
        for (const concurrency of concurrencies) {
          if (options.only?.({ method, transport, concurrency }) ?? true) cells.push({ method, transport, concurrency });
        }
    }

    // Check every answer once, then warm every path up (JIT, connections).
    for (const cell of cells) {
      for (const c of CONTENDERS) {
        const caller = callers[cell.method][cell.transport][c];
        caller.check(await caller.call());
        if (!smoke) await runWindow(caller.call, cell.concurrency, 300, 0);
      }
    }

    const samples = new Map<string, Sample[]>();
    const key = (cell: (typeof cells)[number], c: Contender): string => `${cell.method}/${cell.transport}/${cell.concurrency}/${c}`;
    for (let r = 0; r < rounds; r++) {
      for (const cell of cells) {
        for (let i = 0; i < CONTENDERS.length; i++) {
          const c = CONTENDERS[(i + r) % CONTENDERS.length]!;
          const caller = callers[cell.method][cell.transport][c];
          await runWindow(caller.call, cell.concurrency, 100, 0); // keep the connection warm after the other contenders' turns
          const s = await runWindow(caller.call, cell.concurrency, windowMs, smoke ? 2 : 0);
          const list = samples.get(key(cell, c)) ?? [];
          list.push(s);
          samples.set(key(cell, c), list);
        }
      }
      log(`unary: round ${r + 1}/${rounds} done`);
    }

    const figures = (list: Sample[]): UnaryFigures => ({
      callsPerSecond: round(median(list.map((s) => s.calls / s.seconds)), 1),
      p50Ms: round(median(list.map((s) => percentile(s.latencies, 50))), 3),
      p99Ms: round(median(list.map((s) => percentile(s.latencies, 99))), 3),
      cpuUsPerCall: round(median(list.map((s) => s.cpuUs / s.calls)), 1),
      calls: list.reduce((n, s) => n + s.calls, 0),
    });
    const rate = (list: Sample[]): number[] => list.map((s) => s.calls / s.seconds);
    const out: UnaryCell[] = cells.map((cell) => {
      const o = samples.get(key(cell, 'ours'))!;
      const g = samples.get(key(cell, 'official'))!;
      const f = samples.get(key(cell, 'floor'))!;
      const oursVsFloor = round(medianRatio(rate(o), rate(f)), 3);
      return {
        ...cell,
        ours: figures(o),
        official: figures(g),
        floor: figures(f),
        oursVsFloor,
        officialVsFloor: round(medianRatio(rate(g), rate(f)), 3),
        oursVsOfficial: round(medianRatio(rate(o), rate(g)), 3),
        met: oursVsFloor >= 0.9,
      };
    });
    return {
      rounds,
      windowMs,
      goal: 'ours ≥ 0.9 × floor calls/s in every cell',
      server: 'the emulator (vision-kit emulator, a child process), 16×16 PNG inline, LABEL_DETECTION',
      cells: out,
    };
  } finally {
    for (const close of closers) await Promise.resolve(close()).catch(() => undefined);
    await emulator.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}
