/**
 * Liveness probes of a running emulator, one loop per transport: REST
 * `GET /emulator/stats` and gRPC `Operations/ListOperations` (an empty
 * request), each sent again `everyMs` after the last answer. A probe that
 * gets no answer within `timeoutMs` counts as `timeoutMs`. What a test
 * asserts on is the slowest answer of each loop while something hostile
 * runs.
 */
import * as grpc from '@grpc/grpc-js';

/** What the probes measured, in ms per answer. */
export interface ProbeReport {
  readonly rest: readonly number[];
  readonly grpc: readonly number[];
  /** Probes that failed (no answer in time, or not OK), by transport. */
  readonly failures: { readonly rest: number; readonly grpc: number };
}

/** Running probes; `stop()` ends both loops and reports. */
export interface Probes {
  stop(): Promise<ProbeReport>;
}

/** Starts both probe loops against `http` (base URL) and `grpcAddress` (host:port). */
export function startProbes(target: { http: string; grpc: string }, everyMs = 100, timeoutMs = 2000): Probes {
  const client = new grpc.Client(target.grpc, grpc.credentials.createInsecure());
  const rest: number[] = [];
  const viaGrpc: number[] = [];
  const failures = { rest: 0, grpc: 0 };
  let running = true;
  const pause = (): Promise<void> => new Promise((r) => setTimeout(r, everyMs));

  const restLoop = (async () => {
    while (running) {
      const t0 = performance.now();
      try {
        const res = await fetch(`${target.http}/emulator/stats`, { signal: AbortSignal.timeout(timeoutMs) });
        await res.arrayBuffer();
        if (!res.ok) failures.rest++;
      } catch {
        failures.rest++;
      }
      rest.push(Math.min(timeoutMs, performance.now() - t0));
      await pause();
    }
  })();

  const grpcLoop = (async () => {
    while (running) {
      const t0 = performance.now();
      const err = await new Promise<grpc.ServiceError | null>((resolve) =>
        client.makeUnaryRequest(
          '/google.longrunning.Operations/ListOperations',
          (b: Buffer) => b,
          (b: Buffer) => b,
          Buffer.alloc(0),
          new grpc.Metadata(),
          { deadline: Date.now() + timeoutMs },
          (e) => resolve(e),
        ),
      );
      if (err) failures.grpc++;
      viaGrpc.push(Math.min(timeoutMs, performance.now() - t0));
      await pause();
    }
  })();

  return {
    async stop() {
      running = false;
      await Promise.all([restLoop, grpcLoop]);
      client.close();
      return { rest, grpc: viaGrpc, failures };
    },
  };
}

/** The largest value of a list (0 when empty). */
export function slowest(ms: readonly number[]): number {
  return ms.reduce((a, b) => Math.max(a, b), 0);
}
