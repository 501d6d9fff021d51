/**
 * `startEmulator(options)`: the local Vision service on 127.0.0.1 — gRPC
 * (ImageAnnotator, ProductSearch, Operations), and on the HTTP port the same
 * services over REST, the Cloud Storage subset and the demo — with its state
 * under a data dir. Resolves once both ports listen and the data dir is
 * recovered (unfinished operations resume).
 */
import { stat } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join, resolve } from 'node:path';
import { Code, VisionError } from 'vision-kit';
import { answerClientError, createGrpcHost, createRestHandler, type Interceptor, type ServiceImpl } from 'vision-kit/serving';
import { servedBindings } from 'vision-kit/transcoding';
import { errnoOf, errnoWords } from '../fs-errors.js';
import { type FixtureStore, loadFixtures, SIGNATURE_VERSION } from './annotators/index.js';
import { DEFAULT_RENDER_BUDGET_MS, MAX_IMAGE_BYTES } from './annotators/limits.js';
import { PdfRenderer } from './annotators/pdf-renderer.js';
import { lockDataDir, makeDataDir } from './data-dir-lock.js';
import { authInterceptor, faultInterceptor, randomSource } from './guards.js';
import { createEmulatorHttpHandler, type DemoHandler, type HttpRoutes } from './http/emulator-http.js';
import { createIndexRoute } from './http/index-route.js';
import { createStorageApi } from './http/storage-api.js';
import { createAnnotateFilesRunner, createAnnotateImagesRunner } from './image-annotator/annotate-runners.js';
import { type AnnotationEngine, createAnnotatorEngine } from './image-annotator/engine.js';
import { createImageAnnotatorService } from './image-annotator/image-annotator-service.js';
import type { EmulatorKnobs, EmulatorStats } from './knobs.js';
import { OperationManager } from './operations/operation-manager.js';
import { createOperationsService } from './operations/operations-service.js';
import { EmulatorOptionError } from './option-error.js';
import { checkPortFree, EmulatorPortInUseError, isAddressInUse } from './port-in-use.js';
import { createCatalog } from './product-search/catalog.js';
import { createImportRunner, importCancelDetail } from './product-search/import-runner.js';
import { type IndexRun, ProductIndex } from './product-search/product-index.js';
import { createProductSearchService } from './product-search/product-search-service.js';
import { createPurgeRunner } from './product-search/purge-runner.js';
import { DEFAULT_MAX_INFLIGHT_MIB, RequestMemoryBudget, requestMemoryStats } from './request-memory.js';
import { StateStore } from './state/state-store.js';
import { ObjectStore } from './storage/object-store.js';
import { readGsUri } from './storage/read-gs-uri.js';

export { EmulatorOptionError, type EmulatorOptionName } from './option-error.js';
export { EmulatorPortInUseError } from './port-in-use.js';

/** Options of {@link startEmulator} (the CLI flags of `vision-kit emulator`). */
export interface EmulatorOptions {
  /** gRPC port on 127.0.0.1; default 8089; 0 picks a free one. It must differ from `httpPort` unless both are 0. */
  readonly grpcPort?: number;
  /** HTTP port on 127.0.0.1; default 8090; 0 picks a free one. */
  readonly httpPort?: number;
  /** State folder; default `./.vision-emulator`. */
  readonly dataDir?: string;
  /** Require this bearer token / API key on every request. */
  readonly authToken?: string;
  /** Folder of `<sha256 of image bytes>.json` AnnotateImageResponse fixtures (used by the annotators). */
  readonly fixturesDir?: string;
  /** Time per image/page/CSV line of an operation, ms; default 20. */
  readonly opStepMs?: number;
  /** Rate (0–1) of injected transient UNAVAILABLE / 503 answers; default 0. */
  readonly faultRate?: number;
  /** Latency added to every API call, ms; default 0. */
  readonly faultLatencyMs?: number;
  /**
   * Time, in ms, that opening a PDF or rendering one page may take (in a
   * worker thread) before it is stopped and that page or file answers
   * DEADLINE_EXCEEDED; default 10,000.
   */
  readonly renderBudgetMs?: number;
  /**
   * MiB that requests in flight may hold together while they are read (gRPC
   * messages, REST bodies, storage uploads); past it new ones wait up to 2 s
   * and are then refused (RESOURCE_EXHAUSTED / HTTP 429). Default 256, at least 16.
   */
  readonly maxInflightMib?: number;
  /** Product Search index interval, ms; default 0 (every change is searchable at once). See `product-search/product-index.ts`. */
  readonly indexIntervalMs?: number;
  /** Seed of the fault injector's random source (reproducible faults in tests). */
  readonly faultSeed?: number;
  /** Where log lines go; default stderr. */
  readonly log?: (line: string) => void;
  /** Replaces the annotation engine (tests; the annotators of emulator/annotators/ by default). */
  readonly engine?: AnnotationEngine;
  /** Replaces the demo served at `/`. */
  readonly demo?: DemoHandler;
}

/** A running emulator. */
export interface RunningEmulator {
  /** `127.0.0.1:PORT` (for VISION_EMULATOR_HOST). */
  readonly grpcAddress: string;
  /** `http://127.0.0.1:PORT` (for VISION_EMULATOR_REST and STORAGE_EMULATOR_HOST). */
  readonly httpUrl: string;
  /** The gRPC port it listens on (the free one picked when 0 was asked for). */
  readonly grpcPort: number;
  /** The HTTP port it listens on (the free one picked when 0 was asked for). */
  readonly httpPort: number;
  /** Absolute path of the data dir. */
  readonly dataDir: string;
  /** Live knobs: change them while it runs. */
  readonly knobs: EmulatorKnobs;
  /** Live counters (operation starts, calls, faults). */
  readonly stats: EmulatorStats;
  /** Operations resumed from the data dir at start. */
  readonly resumedOperations: number;
  /** Indexes Product Search now (what `POST /emulator/index` does); matters with an index interval. */
  indexNow(): IndexRun;
  /** The ready line the CLI prints: `{"grpc":…,"http":…,"dataDir":…}`. */
  readyLine(): string;
  /**
   * Stops serving, pauses unfinished operations (they resume on the next
   * start), compacts the state journal into its snapshot (the next start
   * replays no records) and releases the data dir.
   */
  stop(): Promise<void>;
}

/** The host the emulator listens on. */
export const EMULATOR_HOST = '127.0.0.1';
/** Default gRPC port. */
export const DEFAULT_GRPC_PORT = 8089;
/** Default HTTP port (REST, Cloud Storage subset, demo). */
export const DEFAULT_HTTP_PORT = 8090;
/** Default data dir (relative to the working directory). */
export const DEFAULT_DATA_DIR = '.vision-emulator';

function checkRange(name: string, v: number, min: number, max: number): number {
  if (!Number.isFinite(v) || v < min || v > max) throw new RangeError(`${name} must be between ${min} and ${max} (got ${v})`);
  return v;
}

function listen(server: Server, port: number): Promise<number> {
  return new Promise<number>((resolveListen, rejectListen) => {
    const reject = (err: Error): void =>
      rejectListen(isAddressInUse(err) ? new EmulatorPortInUseError('HTTP', EMULATOR_HOST, port, { cause: err }) : err);
    server.once('error', reject);
    server.listen(port, EMULATOR_HOST, () => {
      server.off('error', reject);
      resolveListen((server.address() as AddressInfo).port);
    });
  });
}

/** Starts an emulator. */
export async function startEmulator(options: EmulatorOptions = {}): Promise<RunningEmulator> {
  const log = options.log ?? ((line: string) => process.stderr.write(`vision-kit emulator: ${line}\n`));
  const knobs: EmulatorKnobs = {
    opStepMs: checkRange('opStepMs', options.opStepMs ?? 20, 0, 3_600_000),
    faultRate: checkRange('faultRate', options.faultRate ?? 0, 0, 1),
    faultLatencyMs: checkRange('faultLatencyMs', options.faultLatencyMs ?? 0, 0, 600_000),
    authToken: options.authToken || undefined,
    indexIntervalMs: checkRange('indexIntervalMs', options.indexIntervalMs ?? 0, 0, 86_400_000),
  };
  const wantedGrpcPort = checkRange('grpcPort', options.grpcPort ?? DEFAULT_GRPC_PORT, 0, 65_535);
  const wantedHttpPort = checkRange('httpPort', options.httpPort ?? DEFAULT_HTTP_PORT, 0, 65_535);
  if (wantedGrpcPort === wantedHttpPort && wantedGrpcPort !== 0) {
    throw new RangeError(`grpcPort and httpPort are both ${wantedGrpcPort}; the two ports must differ (0 picks any free port)`);
  }
  const renderBudgetMs = checkRange('renderBudgetMs', options.renderBudgetMs ?? DEFAULT_RENDER_BUDGET_MS, 1, 3_600_000);
  const maxInflightMib = checkRange('maxInflightMib', options.maxInflightMib ?? DEFAULT_MAX_INFLIGHT_MIB, 16, 1_048_576);
  if (!Number.isInteger(maxInflightMib)) throw new RangeError(`maxInflightMib must be a whole number (got ${maxInflightMib})`);
  const stats: EmulatorStats = {
    operationStarts: 0,
    operationStartsByMethod: {},
    calls: {},
    faultsInjected: 0,
    requestMemory: requestMemoryStats(maxInflightMib * 1024 * 1024),
  };
  const budget = new RequestMemoryBudget(stats.requestMemory);
  // Fixtures first: a mistake in them is refused before the data dir is made or taken.
  const fixturesDir = options.fixturesDir ? resolve(options.fixturesDir) : undefined;
  const fixtures = fixturesDir ? await loadFixturesDir(fixturesDir) : undefined;
  const dataDir = resolve(options.dataDir ?? DEFAULT_DATA_DIR);
  await makeDataDir(dataDir);
  const unlock = await lockDataDir(dataDir);
  const cleanups: (() => Promise<void>)[] = [unlock];
  const undo = async (): Promise<void> => {
    for (const c of cleanups.reverse()) await c().catch(() => undefined);
  };
  try {
    const objects = new ObjectStore(dataDir);
    await objects.init();
    const { store, replayed, droppedBytes } = await StateStore.open(join(dataDir, 'state'), objects.tmpDir);
    cleanups.push(() => store.close());
    if (droppedBytes > 0) log(`recovered the journal: dropped ${droppedBytes} bytes of an unfinished write`);
    if (replayed > 0) log(`recovered ${replayed} journal records`);
    if (fixtures) log(`loaded ${fixtures.size} fixture(s) from ${fixturesDir}`);
    const index = new ProductIndex(
      store,
      createCatalog(store, (s) => typeof s === 'object' && s !== null && (s as { version?: unknown }).version === SIGNATURE_VERSION),
    );
    const pdf = new PdfRenderer({ budgetMs: renderBudgetMs });
    cleanups.push(() => pdf.close());
    const catalog = index.catalog;
    const engine =
      options.engine ??
      createAnnotatorEngine({ objects, catalog, signatureVersion: SIGNATURE_VERSION, pdf, ...(fixtures ? { fixtures } : {}) });
    const reindexed = await reindexImages(store, objects, engine, log);
    if (reindexed > 0) log(`re-indexed ${reindexed} reference image(s)`);
    // The knob is the index's interval: setting it takes effect at once (from 0, it indexes now).
    index.intervalMs = knobs.indexIntervalMs;
    Object.defineProperty(knobs, 'indexIntervalMs', {
      enumerable: true,
      get: () => index.intervalMs,
      set: (ms: number) => {
        index.intervalMs = checkRange('indexIntervalMs', ms, 0, 86_400_000);
      },
    });
    const ops = new OperationManager(
      store,
      knobs,
      stats,
      {
        annotateImages: createAnnotateImagesRunner(objects, engine),
        annotateFiles: createAnnotateFilesRunner(objects, engine),
        importProductSets: createImportRunner(store, objects, engine),
        purgeProducts: createPurgeRunner(store),
      },
      { importProductSets: importCancelDetail(store) },
    );
    cleanups.push(() => ops.stop());
    const services: ServiceImpl[] = [
      createImageAnnotatorService(engine, ops),
      createProductSearchService({ store, objects, engine, ops, index }),
      createOperationsService(store, ops),
    ];
    const interceptors: Interceptor[] = [authInterceptor(knobs), faultInterceptor(knobs, stats, randomSource(options.faultSeed))];
    const logBug = (err: unknown, where: string): void =>
      log(`unexpected error in ${where}: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
    const grpcHost = createGrpcHost(services, { interceptors, logUnexpected: logBug, requestBudget: budget });
    // Checked with a plain listener first: grpc-js logs a line of its own on a busy port.
    await checkPortFree('gRPC', EMULATOR_HOST, wantedGrpcPort);
    const grpcPort = await grpcHost.listen(EMULATOR_HOST, wantedGrpcPort).catch((err: unknown) => {
      throw isAddressInUse(err) ? new EmulatorPortInUseError('gRPC', EMULATOR_HOST, wantedGrpcPort, { cause: err }) : err;
    });
    cleanups.push(() => grpcHost.close(1000));
    const storage = createStorageApi({ objects, logUnexpected: logBug });
    cleanups.push(() => storage.close());
    const rest = createRestHandler(services, { interceptors, bindings: servedBindings, logUnexpected: logBug });
    const api: HttpRoutes = { handles: () => true, handle: (req, res) => rest.handle(req, res) };
    const http = createServer(
      createEmulatorHttpHandler({
        knobs,
        stats,
        storage,
        api,
        budget,
        logUnexpected: logBug,
        routes: [createIndexRoute(index)],
        ...(options.demo ? { demo: options.demo } : {}),
      }),
    );
    // Idle keep-alive connections are kept longer than clients keep theirs (Node's
    // agent, node-fetch and undici drop an idle socket after 4-5 s): when the server
    // closes first, a client can send a request on the socket as it closes and get
    // "socket hang up" for a POST it will not retry. Shutdown closes them at once.
    http.keepAliveTimeout = 65_000;
    http.on('clientError', answerClientError);
    const httpPort = await listen(http, wantedHttpPort);
    cleanups.push(
      () =>
        new Promise<void>((done) => {
          // Keep-alive connections are closed as soon as their request is answered
          // (close() alone would wait for the client to hang up), the rest after 1 s.
          const idle = setInterval(() => http.closeIdleConnections(), 50);
          const cut = setTimeout(() => http.closeAllConnections(), 1000);
          http.close(() => {
            clearInterval(idle);
            clearTimeout(cut);
            done();
          });
          http.closeIdleConnections();
        }),
    );
    // Stopping begins with the work: operations are paused (aborted before the renderer
    // closes, so they resume at the next start rather than fail) and renders in progress
    // are ended, so that closing the ports does not wait for them.
    cleanups.push(async () => {
      const paused = ops.stop();
      budget.close();
      await pdf.close();
      await paused;
    });
    const resumedOperations = ops.resumeAll();
    if (resumedOperations > 0) log(`resumed ${resumedOperations} unfinished operation(s)`);
    const grpcAddress = `${EMULATOR_HOST}:${grpcPort}`;
    const httpUrl = `http://${EMULATOR_HOST}:${httpPort}`;
    let stopping: Promise<void> | undefined;
    return {
      grpcAddress,
      httpUrl,
      grpcPort,
      httpPort,
      dataDir,
      knobs,
      stats,
      resumedOperations,
      indexNow: () => index.indexNow(),
      readyLine: () => JSON.stringify({ grpc: grpcAddress, http: httpUrl, dataDir }),
      stop: () => (stopping ??= undo()),
    };
  } catch (err) {
    await undo();
    throw err;
  }
}

/**
 * Loads the fixtures of `dir` (absolute); rejects with
 * {@link EmulatorOptionError} (option `fixturesDir`) when the folder does not
 * exist, is a file or cannot be read, or a fixture in it is misnamed or bad.
 */
async function loadFixturesDir(dir: string): Promise<FixtureStore> {
  try {
    if (!(await stat(dir)).isDirectory())
      throw new EmulatorOptionError('fixturesDir', `the fixtures folder ${dir} is a file, not a folder`);
  } catch (err) {
    if (err instanceof EmulatorOptionError) throw err;
    const code = errnoOf(err);
    const why = code === 'ENOENT' || code === 'ENOTDIR' ? 'does not exist' : `cannot be read (${errnoWords(err)})`;
    throw new EmulatorOptionError('fixturesDir', `the fixtures folder ${dir} ${why}`, { cause: err });
  }
  try {
    return await loadFixtures(dir);
  } catch (err) {
    if (!(err instanceof VisionError)) throw err;
    const message = err.code === Code.NOT_FOUND ? `the fixtures folder ${dir} cannot be read (${errnoWords(err.cause)})` : err.rawMessage;
    throw new EmulatorOptionError('fixturesDir', message, { cause: err });
  }
}

/**
 * Recomputes the signatures of reference images indexed by another version
 * of the annotators (or not at all), when their gs:// files are still there.
 */
async function reindexImages(
  store: StateStore,
  objects: ObjectStore,
  engine: AnnotationEngine,
  log: (line: string) => void,
): Promise<number> {
  let n = 0;
  for (const image of [...store.images.values()]) {
    if (engine.isCurrentSignature(image.signature)) continue;
    try {
      const bytes = await readGsUri(objects, image.uri, 'uri', MAX_IMAGE_BYTES);
      const signature = await engine.computeSignature(bytes, image.boundingPolys);
      await store.commit({ t: 'ri.signature', name: image.name, signature, time: Date.now() });
      n++;
    } catch (err) {
      log(`cannot index ${image.name} (${image.uri}): ${err instanceof Error ? err.message : String(err)}`);
    }
  }
  return n;
}
