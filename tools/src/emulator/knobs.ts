/**
 * The emulator's run-time knobs (the CLI flags of the same names), mutable
 * in-process: tests may change them while the emulator runs.
 */
export interface EmulatorKnobs {
  /** How long each image, page, CSV line or purged product of an operation takes, in ms (default 20). */
  opStepMs: number;
  /** Fraction (0–1) of API calls answered with a transient UNAVAILABLE / HTTP 503 before any work. */
  faultRate: number;
  /** Latency added to every API call, in ms. */
  faultLatencyMs: number;
  /** When set, every API, storage and demo request needs this bearer token or API key. */
  authToken: string | undefined;
  /**
   * Product Search indexing: 0 (default) indexes every change at once; more
   * makes searches see the catalog as of the last index, rebuilt when older
   * than this many ms (or at `POST /emulator/index`), as Google indexes
   * periodically.
   */
  indexIntervalMs: number;
}

import type { RequestMemoryStats } from './request-memory.js';

/** Counters tests and benchmarks read. */
export interface EmulatorStats {
  /** Long-running operations started (one per accepted async call; resumes after a restart do not count). */
  operationStarts: number;
  /** Operations started, by method (`AsyncBatchAnnotateImages`, `ImportProductSets`, …). */
  operationStartsByMethod: Record<string, number>;
  /** API calls received (both transports, faults included), by `Service/Method`. */
  calls: Record<string, number>;
  /** Calls answered with an injected fault. */
  faultsInjected: number;
  /** The budget of memory held by requests in flight (`--max-inflight-mib`): what is held, waiting, refused. */
  requestMemory: RequestMemoryStats;
}
