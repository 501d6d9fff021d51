/**
 * One run of measurement 4, as its own process (so its heap holds one
 * client only; started with --expose-gc): starts the pending server, starts
 * N AsyncBatchAnnotateImages operations with one client (64 start calls
 * in flight), then waits on all of them at once (ours: `createClient`
 * handles and `wait()`; official: gax Operations and `promise()`), keeps them
 * pending for a while, measures heap and CPU, releases them on the server and
 * times how long each takes to resolve on the client.
 *
 * Usage: ops-client.ts <ours|official> <grpc|rest> <operations> <pendingMs> <result.json>
 */
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { defaultScheduleFor } from '../../../src/lro/schedule.js';
import { officialImageAnnotator } from './official.js';
import { loadOurs } from './ours.js';
import { epochMs } from './pending-server.js';
import { startLineChild } from './process.js';
import { median, percentile, round } from './stats.js';

/** What one run reports. */
export interface OpsRun {
  readonly contender: 'ours' | 'official';
  readonly transport: 'grpc' | 'rest';
  readonly operations: number;
  /** ms to start all operations (64 start calls in flight). */
  readonly startMs: number;
  /** ms every operation was waited on (all at once, after the last start) before the release. */
  readonly pendingMs: number;
  /** (heap with all operations pending − heap before) / operations, after GC. */
  readonly heapPerOperationBytes: number;
  /** GetOperation calls the server saw until every operation resolved. */
  readonly polls: number;
  /** Polls while pending (before the release). */
  readonly pollsWhilePending: number;
  /** Most polls the contender's own policy allows for the time each operation was waited on. */
  readonly policyMaxPolls: number;
  /** Polls earlier than the policy allows (should be 0). */
  readonly earlyPolls: number;
  /** The contender's policy, in words. */
  readonly policy: string;
  /** Client CPU (user + system) while pending, ms. */
  readonly cpuWhilePendingMs: number;
  /** Client CPU per poll sent while pending, µs. */
  readonly cpuPerPollUs: number;
  /** ms from the release on the server to each operation resolving on the client. */
  readonly doneToResolvedMs: { readonly p50: number; readonly p99: number; readonly max: number };
}

const V = 'google.cloud.vision.v1p4beta1';
const METHOD = `${V}.ImageAnnotator/AsyncBatchAnnotateImages`;

/** Earliest offset (ms from the start) of poll k (0-based) under a policy. */
type Earliest = (k: number) => number;

/** Our policy: sleep k before poll k, each at least (1 − jitter) × min(max, initial × multiplier^k). */
function oursPolicy(): { earliest: Earliest; text: string } {
  const s = defaultScheduleFor(METHOD);
  const cum: number[] = [];
  let t = 0;
  return {
    earliest: (k) => {
      while (cum.length <= k) {
        t += (1 - s.jitter) * Math.min(s.maxDelay, s.initialDelay * s.multiplier ** cum.length);
        cum.push(t);
      }
      return cum[k]!;
    },
    text: `vision-kit: first poll after ${s.initialDelay} ms, × ${s.multiplier} up to ${s.maxDelay} ms, jitter −${s.jitter * 100}%, at most 32 polls in flight`,
  };
}

/** gax's Operation: polls at once, then sleeps 100 ms × 1.3 up to 60 s (createDefaultBackoffSettings; no jitter). */
function gaxPolicy(): { earliest: Earliest; text: string } {
  const cum: number[] = [0];
  let delay = 100;
  return {
    earliest: (k) => {
      while (cum.length <= k) {
        cum.push(cum[cum.length - 1]! + delay);
        delay = Math.min(delay * 1.3, 60_000);
      }
      return cum[k]!;
    },
    text: 'google-gax: first poll at once, then 100 ms × 1.3 up to 60 s, no jitter, no cap on polls in flight',
  };
}

async function heapUsed(): Promise<number> {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (gc === undefined) throw new Error('ops-client needs --expose-gc');
  for (let i = 0; i < 3; i++) {
    gc();
    await new Promise((resolve) => setImmediate(resolve));
  }
  return process.memoryUsage().heapUsed;
}

/**
 * The server's clock minus ours, in ms, from the exchange with the shortest
 * round trip of a few, and that estimate's error bound: half that round trip.
 */
async function clockSkew(server: { ask(line: string): Promise<string> }): Promise<{ skew: number; errorMs: number }> {
  let best = { rtt: Infinity, skew: 0 };
  for (let i = 0; i < 7; i++) {
    const t1 = epochMs();
    const { now } = JSON.parse(await server.ask('time')) as { now: number };
    const t2 = epochMs();
    if (t2 - t1 < best.rtt) best = { rtt: t2 - t1, skew: now - (t1 + t2) / 2 };
  }
  return { skew: best.skew, errorMs: best.rtt / 2 };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Runs one contender over one transport. */
export async function runOps(contender: 'ours' | 'official', transport: 'grpc' | 'rest', n: number, pendingMs: number): Promise<OpsRun> {
  const server = await startLineChild<{ grpc: string; http: string }>('scripts/bench/support/pending-server.ts', []);
  const closers: (() => unknown)[] = [];
  try {
    const request = (uri: string) => ({
      requests: [{ image: { source: { imageUri: 'gs://vision-kit-bench/in/photo.jpg' } }, features: [{ type: 4 }] }],
      outputConfig: { gcsDestination: { uri }, batchSize: 20 },
    });
    const officialRequest = (uri: string) => ({
      requests: [{ image: { source: { imageUri: 'gs://vision-kit-bench/in/photo.jpg' } }, features: [{ type: 'LABEL_DETECTION' }] }],
      outputConfig: { gcsDestination: { uri }, batchSize: 20 },
    });
    // start(uri) starts one operation; the returned wait() begins waiting on it (gax: polling starts there).
    let start: (uri: string) => Promise<{ name: string; startedAt: number; wait: () => Promise<unknown> }>;
    if (contender === 'ours') {
      const { createClient, createGrpcTransport, createRestTransport, ImageAnnotator } = await loadOurs();
      const t =
        transport === 'grpc' ? createGrpcTransport({ endpoint: server.ready.grpc }) : createRestTransport({ baseUrl: server.ready.http });
      closers.push(() => t.close());
      const client = createClient(ImageAnnotator, t);
      start = async (uri) => {
        // The handle's schedule starts when the answer arrives, at some point during this call: its start is
        // the earliest the schedule can count from (a time read after the await can be later than that).
        const startedAt = epochMs();
        const lro = await client.asyncBatchAnnotateImages(request(uri));
        return { name: lro.name, startedAt, wait: () => lro.wait() };
      };
    } else {
      const port = transport === 'grpc' ? Number(server.ready.grpc.split(':').pop()) : Number(new URL(server.ready.http).port);
      const client = officialImageAnnotator({ transport, port });
      closers.push(() => client.close());
      start = async (uri) => {
        const [operation] = await client.asyncBatchAnnotateImages(officialRequest(uri));
        return { name: operation.name, startedAt: epochMs(), wait: () => operation.promise() };
      };
    }
    const isResponse = (r: unknown): boolean => {
      const value = contender === 'ours' ? r : (r as unknown[])[0];
      return (
        (value as { outputConfig?: { gcsDestination?: { uri?: string } } }).outputConfig?.gcsDestination?.uri ===
        'gs://vision-kit-bench/out/'
      );
    };

    // Warm up every path (start, poll, done) with operations that are done at once.
    const warm = await Promise.all(Array.from({ length: Math.min(50, n) }, () => start('gs://vision-kit-bench/warm-up/')));
    for (const w of warm)
      if (!isResponse(await w.wait())) throw new Error(`${contender}/${transport}: a warm-up operation resolved to something else`);

    const base = await heapUsed();
    const names: string[] = new Array<string>(n);
    const startedAt = new Float64Array(n);
    const resolvedAt = new Float64Array(n);
    const waits: (() => Promise<unknown>)[] = new Array<() => Promise<unknown>>(n);
    let nextIndex = 0;
    const t0 = epochMs();
    const worker = async (): Promise<void> => {
      while (nextIndex < n) {
        const i = nextIndex++;
        const op = await start('gs://vision-kit-bench/out/');
        names[i] = op.name;
        startedAt[i] = op.startedAt;
        waits[i] = op.wait;
      }
    };
    // Phase 1: start every operation (64 start calls in flight), waiting on none.
    await Promise.all(Array.from({ length: 64 }, worker));
    // Phase 2: wait on all of them at once.
    let bad = 0;
    const waitedAt = epochMs();
    const results = waits.map((wait, i) =>
      wait().then((r) => {
        resolvedAt[i] = epochMs();
        if (!isResponse(r)) bad++;
      }),
    );
    const cpu0 = process.cpuUsage();
    const pollsAtStart = (JSON.parse(await server.ask('count')) as { polls: number }).polls;
    await sleep(pendingMs);
    const cpu = process.cpuUsage(cpu0);
    const pollsPending = (JSON.parse(await server.ask('count')) as { polls: number }).polls;
    const pending = await heapUsed();
    if (resolvedAt.some((t) => t !== 0)) throw new Error(`${contender}/${transport}: an operation resolved before its release`);

    const { releasedAt } = JSON.parse(await server.ask('release')) as { releasedAt: number };
    const settle = Promise.all(results);
    const limit = sleep(120_000).then(() => {
      throw new Error(`${contender}/${transport}: operations still unresolved 120 s after the release`);
    });
    await Promise.race([settle, limit]);
    if (bad > 0) throw new Error(`${contender}/${transport}: ${bad} operations resolved to something else`);
    const polls = JSON.parse(await server.ask('polls')) as Record<string, number[]>;
    const { skew, errorMs } = await clockSkew(server);

    const policy = contender === 'ours' ? oursPolicy() : gaxPolicy();
    let total = 0;
    let early = 0;
    let allowed = 0;
    for (let i = 0; i < n; i++) {
      const times = polls[names[i]!] ?? [];
      total += times.length;
      // Our schedule runs from the handle's start; gax's from promise().
      const from = contender === 'ours' ? startedAt[i]! : waitedAt;
      times.forEach((t, k) => {
        // Early only beyond the clocks' uncertainty (1 ms, plus the skew estimate's error bound).
        if (t - skew - from < policy.earliest(k) - 1 - errorMs) early++;
      });
      const waited = resolvedAt[i]! - from;
      let k = 0;
      while (policy.earliest(k) <= waited) k++;
      allowed += k;
    }
    const latencies = Array.from(resolvedAt, (t) => t - releasedAt);
    const cpuMs = (cpu.user + cpu.system) / 1000;
    const pollsWhilePending = pollsPending - pollsAtStart;
    return {
      contender,
      transport,
      operations: n,
      startMs: round(waitedAt - t0),
      pendingMs,
      heapPerOperationBytes: round((pending - base) / n),
      polls: total,
      pollsWhilePending: pollsPending,
      policyMaxPolls: allowed,
      earlyPolls: early,
      policy: policy.text,
      cpuWhilePendingMs: round(cpuMs),
      cpuPerPollUs: pollsWhilePending > 0 ? round((cpuMs * 1000) / pollsWhilePending, 1) : 0,
      doneToResolvedMs: {
        p50: round(median(latencies), 1),
        p99: round(percentile(latencies, 99), 1),
        max: round(Math.max(...latencies), 1),
      },
    };
  } finally {
    for (const close of closers) await Promise.resolve(close()).catch(() => undefined);
    await server.stop();
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const [contender, transport, n, pendingMs, out] = process.argv.slice(2);
  if ((contender !== 'ours' && contender !== 'official') || (transport !== 'grpc' && transport !== 'rest') || !out) {
    process.stderr.write('usage: ops-client.ts <ours|official> <grpc|rest> <operations> <pendingMs> <result.json>\n');
    process.exit(2);
  }
  const run = await runOps(contender, transport, Number(n), Number(pendingMs));
  writeFileSync(out, JSON.stringify(run));
  process.exit(0);
}
