/**
 * The fault scenario of RELIABILITY.md, run over one transport against an
 * emulator whose fault knobs are on (shared by `npm test`, in-process, and
 * the soak, against `vision-kit emulator --fault-rate … --fault-latency-ms …`):
 *
 * 1. `calls` idempotent calls (GetProduct, ListProducts, GetProductSet,
 *    ListProductSets, DeleteProduct, GetOperation, ListOperations) all
 *    succeed through retries; the server saw exactly one extra attempt per
 *    fault it injected (each fault retried once, nothing repeated beyond).
 * 2. Operation starts (AsyncBatchAnnotateImages, ImportProductSets) until
 *    `operations` have succeeded: every failed start is reported as
 *    UNAVAILABLE, never retried and never duplicated (the server's count of
 *    started operations equals the successful starts, and it saw one call per
 *    start attempt); the poller then waits every started operation to its
 *    result.
 * 3. No abort listener is left on the signal every call and wait shared.
 */
import assert from 'node:assert/strict';
import sharp from 'sharp';
import {
  Code,
  createClient,
  createRawClient,
  ImageAnnotator,
  type Lro,
  Operations,
  ProductSearch,
  type Transport,
  VisionError,
} from 'vision-kit';
import { Feature_Type } from 'vision-kit/gen/google/cloud/vision/v1p4beta1/image_annotator.js';
import { abortListenerCount } from './leak-watch.js';

/** The emulator counters the scenario reads (the `/emulator/stats` JSON). */
export interface StatsView {
  readonly operationStarts: number;
  readonly calls: Readonly<Record<string, number>>;
  readonly faultsInjected: number;
}

/** What the scenario needs from its emulator. */
export interface FaultTarget {
  /** A short name for resource ids and messages (`grpc`, `rest`). */
  readonly label: string;
  /** The transport under test. */
  readonly transport: Transport;
  /** The emulator's HTTP base URL (uploads go through the storage API, which is never faulted). */
  readonly httpUrl: string;
  /** Reads the emulator's counters now. */
  stats(): Promise<StatsView>;
  /** Sets the fault knobs (in-process emulators); a child emulator has them from its flags. */
  setFaults?(rate: number, latencyMs: number): Promise<void>;
}

/** Sizes of one run. */
export interface FaultScenarioOptions {
  /** Idempotent calls (RELIABILITY.md: 1,000). */
  readonly calls: number;
  /** Operations whose start succeeded, to wait for (RELIABILITY.md: 200). */
  readonly operations: number;
  /** Fault rate while measuring (RELIABILITY.md: 0.3). */
  readonly faultRate: number;
  /** Added latency, ms. */
  readonly faultLatencyMs: number;
  /** Calls in flight at once. */
  readonly concurrency: number;
}

/** Figures of one run, for the report. */
export interface FaultScenarioResult {
  readonly label: string;
  readonly calls: number;
  readonly callAttempts: number;
  readonly callFaults: number;
  readonly callMs: number;
  readonly startsOk: number;
  readonly startsFailed: number;
  readonly operationFaultsWhilePolling: number;
  readonly waitMs: number;
}

const PARENT = 'projects/faults/locations/us-west1';
const PS = 'google.cloud.vision.v1p4beta1.ProductSearch';
const IA = 'google.cloud.vision.v1p4beta1.ImageAnnotator';
const OPS = 'google.longrunning.Operations';
const IDEMPOTENT = [
  `${PS}/GetProduct`,
  `${PS}/ListProducts`,
  `${PS}/GetProductSet`,
  `${PS}/ListProductSets`,
  `${PS}/DeleteProduct`,
  `${OPS}/GetOperation`,
  `${OPS}/ListOperations`,
];
const STARTS = [`${IA}/AsyncBatchAnnotateImages`, `${PS}/ImportProductSets`];

function sum(stats: StatsView, keys: readonly string[]): number {
  return keys.reduce((n, k) => n + (stats.calls[k] ?? 0), 0);
}

/** Runs `tasks` with at most `width` in flight; resolves when all are done (rejects with the first failure). */
async function pool<T>(count: number, width: number, task: (i: number) => Promise<T>): Promise<T[]> {
  const out: T[] = new Array<T>(count);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(width, count) }, async () => {
      while (next < count) {
        const i = next++;
        out[i] = await task(i);
      }
    }),
  );
  return out;
}

/** What {@link prepareFaultScenario} made (before the faults are turned on). */
export interface PreparedFaults {
  readonly label: string;
  readonly setId: string;
  readonly productIds: readonly string[];
  readonly deletes: number;
  readonly seedOperation: string;
}

/**
 * Makes what the scenario reads and deletes: a product set, products, an
 * image in storage and one finished operation. Run it while the emulator
 * has no faults (creates are not retried).
 */
export async function prepareFaultScenario(
  target: Pick<FaultTarget, 'label' | 'transport' | 'httpUrl'>,
  options: Pick<FaultScenarioOptions, 'calls'>,
): Promise<PreparedFaults> {
  const { label, transport } = target;
  const ps = createRawClient(ProductSearch, transport);
  const setId = `set-${label}`;
  await ps.createProductSet({ parent: PARENT, productSetId: setId, productSet: { displayName: `faults ${label}` } });
  const deletes = Array.from({ length: options.calls }, (_, i) => i % IDEMPOTENT.length).filter((k) => k === 4).length;
  const productIds = Array.from({ length: deletes + 10 }, (_, i) => `p-${label}-${i}`);
  await pool(productIds.length, 16, (i) =>
    ps.createProduct({ parent: PARENT, productId: productIds[i], product: { displayName: `product ${i}`, productCategory: 'toys-v2' } }),
  );
  const png = await sharp({ create: { width: 8, height: 8, channels: 3, background: { r: 200, g: 30, b: 30 } } })
    .png()
    .toBuffer();
  await upload(target.httpUrl, `${label}/red.png`, new Uint8Array(png), 'image/png');
  const seed = await createRawClient(ImageAnnotator, transport).asyncBatchAnnotateImages({
    requests: [{ image: { content: png }, features: [{ type: Feature_Type.IMAGE_PROPERTIES }] }],
    outputConfig: { gcsDestination: { uri: `gs://faults-out/${label}/seed/` } },
  });
  return { label, setId, productIds, deletes, seedOperation: seed.name };
}

async function upload(httpUrl: string, name: string, body: Uint8Array<ArrayBuffer> | string, type: string): Promise<void> {
  const res = await fetch(`${httpUrl}/upload/storage/v1/b/faults-in/o?uploadType=media&name=${encodeURIComponent(name)}`, {
    method: 'POST',
    headers: { 'content-type': type },
    body,
  });
  assert.equal(res.status, 200, await res.text());
}

/**
 * Runs the scenario with the faults on (`setFaults` is called with the
 * options' rate and latency first, when the target can change them); throws
 * an AssertionError on any broken promise of RELIABILITY.md.
 */
export async function runFaultScenario(
  target: FaultTarget,
  prepared: PreparedFaults,
  options: FaultScenarioOptions,
): Promise<FaultScenarioResult> {
  const controller = new AbortController();
  try {
    return await scenario(target, prepared, options, controller.signal);
  } finally {
    // On success nothing is pending; after a failed assertion this cancels whatever the scenario left running.
    controller.abort(new Error('the fault scenario ended'));
  }
}

async function scenario(
  target: FaultTarget,
  prepared: PreparedFaults,
  options: FaultScenarioOptions,
  signal: AbortSignal,
): Promise<FaultScenarioResult> {
  const { label, transport } = target;
  const { setId, productIds, deletes, seedOperation } = prepared;
  const ps = createRawClient(ProductSearch, transport);
  const ops = createRawClient(Operations, transport);
  const schedule = { initialDelay: 10, multiplier: 1.5, maxDelay: 150, jitter: 0.2, maxConsecutiveFailures: 15 };
  const images = createClient(ImageAnnotator, transport, { lro: { schedule } });
  const search = createClient(ProductSearch, transport, { lro: { schedule } });

  // 1. Idempotent calls through 30 % faults: all succeed.
  await target.setFaults?.(options.faultRate, options.faultLatencyMs);
  const s0 = await target.stats();
  let deleted = 0;
  const t0 = performance.now();
  await pool(options.calls, options.concurrency, async (i) => {
    const o = { signal };
    switch (i % IDEMPOTENT.length) {
      case 0:
        return assert.equal(
          (await ps.getProduct({ name: `${PARENT}/products/${productIds[deletes + (i % 10)]}` }, o)).displayName.startsWith('product'),
          true,
        );
      case 1:
        return assert.equal((await ps.listProducts({ parent: PARENT, pageSize: 5 }, o)).products.length, 5);
      case 2:
        return assert.equal((await ps.getProductSet({ name: `${PARENT}/productSets/${setId}` }, o)).displayName, `faults ${label}`);
      case 3:
        return assert.ok((await ps.listProductSets({ parent: PARENT }, o)).productSets.length >= 1);
      case 4:
        await ps.deleteProduct({ name: `${PARENT}/products/${productIds[deleted++]}` }, o);
        return;
      case 5:
        return assert.equal((await ops.getOperation({ name: seedOperation }, o)).name, seedOperation);
      default:
        return assert.ok((await ops.listOperations({ name: 'operations', pageSize: 3 }, o)).operations.length >= 1);
    }
  });
  const callMs = performance.now() - t0;
  const s1 = await target.stats();
  const callFaults = s1.faultsInjected - s0.faultsInjected;
  const callAttempts = sum(s1, IDEMPOTENT) - sum(s0, IDEMPOTENT);
  assert.equal(callAttempts, options.calls + callFaults, `${label}: one retry per injected fault, no other repeats`);
  assert.ok(callFaults > options.calls * options.faultRate * 0.6, `${label}: faults were injected (${callFaults})`);

  // 2. Operation starts: failures reported, never retried, never duplicated.
  type AnyLro = Lro<unknown, unknown>;
  const started: { lro: AnyLro; kind: 'images' | 'import'; i: number }[] = [];
  let failed = 0;
  let attempt = 0;
  await pool(options.concurrency, options.concurrency, async () => {
    while (started.length < options.operations) {
      const a = attempt++;
      const isImport = a % 5 === 0;
      try {
        let lro: AnyLro;
        if (isImport) {
          await upload(
            target.httpUrl,
            `${label}/import-${a}.csv`,
            `gs://faults-in/${label}/red.png,ri-${label}-${a},set-imp-${label},imp-${label}-${a},toys-v2,Imported ${a},,\n`,
            'text/csv',
          );
          lro = (await search.importProductSets(
            { parent: PARENT, inputConfig: { gcsSource: { csvFileUri: `gs://faults-in/${label}/import-${a}.csv` } } },
            { signal },
          )) as AnyLro;
        } else {
          lro = (await images.asyncBatchAnnotateImages(
            {
              requests: [
                { image: { source: { imageUri: `gs://faults-in/${label}/red.png` } }, features: [{ type: Feature_Type.IMAGE_PROPERTIES }] },
              ],
              outputConfig: { gcsDestination: { uri: `gs://faults-out/${label}/${a}/` } },
            },
            { signal },
          )) as AnyLro;
        }
        started.push({ lro, kind: isImport ? 'import' : 'images', i: a });
      } catch (err) {
        assert.ok(err instanceof VisionError, `${label}: a failed start is a VisionError (${String(err)})`);
        assert.equal(err.code, Code.UNAVAILABLE, `${label}: ${err.message}`);
        failed++;
      }
    }
  });
  const s2 = await target.stats();
  assert.equal(
    s2.operationStarts - s1.operationStarts,
    started.length,
    `${label}: the server started exactly the operations the client saw start`,
  );
  assert.equal(sum(s2, STARTS) - sum(s1, STARTS), started.length + failed, `${label}: one call per start attempt (no retry of a start)`);
  assert.equal(s2.faultsInjected - s1.faultsInjected, failed, `${label}: every fault of a start was reported`);
  assert.ok(failed > 0, `${label}: some starts failed`);
  assert.equal(new Set(started.map((s) => s.lro.name)).size, started.length, `${label}: no duplicate operations`);

  // … and the poller waits every started operation through the same faults.
  const t1 = performance.now();
  const results = await Promise.all(started.map((s) => s.lro.wait({ signal })));
  const waitMs = performance.now() - t1;
  const s3 = await target.stats();
  results.forEach((r, k) => {
    const s = started[k]!;
    assert.equal(s.lro.done, true);
    if (s.kind === 'images') {
      assert.equal(
        (r as { outputConfig?: { gcsDestination?: { uri: string } } }).outputConfig?.gcsDestination?.uri,
        `gs://faults-out/${label}/${s.i}/`,
      );
    } else {
      const statuses = (r as { statuses: { code: number }[] }).statuses;
      assert.deepEqual(
        statuses.map((x) => x.code),
        [0],
        `${label}: import ${s.i}`,
      );
    }
  });

  // 3. Nothing left listening on the shared signal; deletes took effect once.
  assert.equal(abortListenerCount(signal), 0, `${label}: abort listeners left on the shared signal`);
  // Reads through the same faults (Get retries; NOT_FOUND is final).
  for (const id of productIds.slice(0, deleted)) {
    await assert.rejects(
      ps.getProduct({ name: `${PARENT}/products/${id}` }),
      (e: unknown) => e instanceof VisionError && e.code === Code.NOT_FOUND,
    );
  }
  assert.equal(deleted, deletes);
  return {
    label,
    calls: options.calls,
    callAttempts,
    callFaults,
    callMs,
    startsOk: started.length,
    startsFailed: failed,
    operationFaultsWhilePolling: s3.faultsInjected - s2.faultsInjected,
    waitMs,
  };
}

/** One line of figures for the test log. */
export function describeResult(r: FaultScenarioResult): string {
  return (
    `faults ${r.label}: ${r.calls} idempotent calls ok in ${Math.round(r.callMs)} ms (${r.callAttempts} attempts, ${r.callFaults} faults retried); ` +
    `${r.startsOk} operations started, ${r.startsFailed} starts failed and reported (not retried); ` +
    `all ${r.startsOk} waited in ${Math.round(r.waitMs)} ms through ${r.operationFaultsWhilePolling} faulted polls`
  );
}
