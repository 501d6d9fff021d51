/**
 * Measurement 4, operations at scale: 10,000 AsyncBatchAnnotateImages
 * operations pending at once, ours (`createClient` handles, `wait()`) vs
 * google-gax's `operation.promise()`, over gRPC and REST. Each of the four
 * runs is its own process (support/ops-client.ts, with --expose-gc) with its
 * own pending server (support/pending-server.ts), so a heap holds one
 * client only. One run per cell: heap per operation varies little between
 * runs, and four runs take most of this measurement's three minutes.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { OpsRun } from './support/ops-client.js';
import { runNode } from './support/process.js';
import { round } from './support/stats.js';

/** Ours against gax on one transport. */
export interface OpsComparison {
  readonly transport: 'grpc' | 'rest';
  readonly ours: OpsRun;
  readonly official: OpsRun;
  /** ours / official heap per pending operation. */
  readonly heapRatio: number;
  /** Goal: heap ratio ≤ 1/3 and no poll earlier than our policy allows. */
  readonly met: boolean;
}

/** The result of {@link measureOperations}. */
export interface OperationsResult {
  readonly operations: number;
  readonly pendingMs: number;
  readonly goal: string;
  readonly comparisons: readonly OpsComparison[];
}

/** Runs measurement 4 (smoke: 20 operations pending for 1 s). */
export async function measureOperations(
  options: { smoke?: boolean; operations?: number; pendingMs?: number; log?: (line: string) => void } = {},
): Promise<OperationsResult> {
  const n = options.operations ?? (options.smoke ? 20 : 10_000);
  const pendingMs = options.pendingMs ?? (options.smoke ? 1000 : 15_000);
  const dir = mkdtempSync(join(tmpdir(), 'vision-kit-bench-ops-'));
  try {
    const run = async (contender: 'ours' | 'official', transport: 'grpc' | 'rest'): Promise<OpsRun> => {
      const out = join(dir, `${contender}-${transport}.json`);
      await runNode('scripts/bench/support/ops-client.ts', [contender, transport, String(n), String(pendingMs), out], {
        flags: ['--expose-gc'],
      });
      const result = JSON.parse(readFileSync(out, 'utf8')) as OpsRun;
      options.log?.(`operations: ${contender} ${transport} done (${result.heapPerOperationBytes} B/op, ${result.polls} polls)`);
      return result;
    };
    // A smoke run starts the four runs at once; a real one runs them one by one.
    const pairs = async (transport: 'grpc' | 'rest'): Promise<[OpsRun, OpsRun]> =>
      options.smoke
        ? Promise.all([run('ours', transport), run('official', transport)])
        : [await run('ours', transport), await run('official', transport)];
    const runs = options.smoke ? await Promise.all([pairs('grpc'), pairs('rest')]) : [await pairs('grpc'), await pairs('rest')];
    const comparisons: OpsComparison[] = [];
    for (const [i, transport] of (['grpc', 'rest'] as const).entries()) {
      const [ours, official] = runs[i]!;
      const heapRatio = round(ours.heapPerOperationBytes / official.heapPerOperationBytes, 3);
      comparisons.push({
        transport,
        ours,
        official,
        heapRatio,
        met: heapRatio <= 1 / 3 && ours.earlyPolls === 0 && ours.polls <= ours.policyMaxPolls,
      });
    }
    return {
      operations: n,
      pendingMs,
      goal: 'ours ≤ 1/3 of gax heap per pending operation; no more polls than the policy',
      comparisons,
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
