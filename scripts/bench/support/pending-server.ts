/**
 * The server of measurement 4 (a child process): ImageAnnotator's
 * AsyncBatchAnnotateImages and google.longrunning.Operations' GetOperation,
 * served over gRPC and REST on 127.0.0.1 by the emulator's own serving layer
 * (`createGrpcHost`, `createRestHandler` with the emulator's Operations
 * bindings). Every operation it starts stays `done: false` (metadata RUNNING)
 * until it is released; then every poll answers done with an
 * AsyncBatchAnnotateImagesResponse. Operations whose output URI contains
 * `/warm-up/` are done from their first poll (for warming a client up).
 *
 * Prints `{"grpc":"127.0.0.1:P","http":"http://127.0.0.1:P"}`, then answers
 * each stdin line with one stdout line:
 * - `release` → `{"releasedAt": <epoch ms>}` (from now on, every operation is done);
 * - `count` → `{"operations": n, "polls": n}` (warm-up operations excluded);
 * - `polls` → `{"<name>": [<epoch ms of each poll>…], …}` (warm-up operations excluded);
 * - `time` → `{"now": <epoch ms>}` (for the client to align the two clocks).
 * Times are `performance.timeOrigin + performance.now()`, comparable across
 * processes on one machine.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { Code, VisionError } from 'vision-kit';
import { normalizeMessage, packAny } from 'vision-kit/codec';
import { ImageAnnotatorDefinition } from 'vision-kit/gen/google/cloud/vision/v1p4beta1/image_annotator.js';
import { OperationsDefinition } from 'vision-kit/gen/google/longrunning/operations.js';
import { createGrpcHost, createRestHandler, defineService } from 'vision-kit/serving';
import { servedBindings } from 'vision-kit/transcoding';

const V = 'google.cloud.vision.v1p4beta1';

/** Epoch milliseconds with sub-millisecond resolution. */
export function epochMs(): number {
  return performance.timeOrigin + performance.now();
}

interface PendingOp {
  readonly warm: boolean;
  readonly polls: number[];
}

async function main(): Promise<void> {
  const ops = new Map<string, PendingOp>();
  let next = 0;
  let released = false;
  const time = { seconds: '1700000000', nanos: 0 };
  const metadata = (state: number) =>
    packAny(`${V}.OperationMetadata`, normalizeMessage(`${V}.OperationMetadata`, { state, createTime: time, updateTime: time }));
  const created = metadata(1);
  const running = metadata(2);
  const done = metadata(3);
  const response = packAny(
    `${V}.AsyncBatchAnnotateImagesResponse`,
    normalizeMessage(`${V}.AsyncBatchAnnotateImagesResponse`, {
      outputConfig: { gcsDestination: { uri: 'gs://vision-kit-bench/out/' }, batchSize: 20 },
    }),
  );

  const imageAnnotator = defineService(ImageAnnotatorDefinition, {
    async AsyncBatchAnnotateImages(request) {
      const name = `operations/bench-${(++next).toString(36)}`;
      ops.set(name, { warm: request.outputConfig?.gcsDestination?.uri.includes('/warm-up/') ?? false, polls: [] });
      return { name, done: false, metadata: created };
    },
  });
  const operations = defineService(OperationsDefinition, {
    async GetOperation(request) {
      const op = ops.get(request.name);
      if (op === undefined) throw new VisionError(Code.NOT_FOUND, `Operation ${request.name} not found.`);
      op.polls.push(epochMs());
      if (released || op.warm) return { name: request.name, done: true, metadata: done, response };
      return { name: request.name, done: false, metadata: running };
    },
  });
  const services = [imageAnnotator, operations];
  const grpcHost = createGrpcHost(services);
  const grpcPort = await grpcHost.listen('127.0.0.1', 0);
  const rest = createRestHandler(services, { bindings: servedBindings });
  const http = createServer((req, res) => void rest.handle(req, res));
  http.keepAliveTimeout = 60_000;
  // gax's REST client polls its 10,000 operations over as many fresh
  // connections at once: with Node's default listen backlog (511) the accept
  // queue overflows and some polls die with ECONNRESET (gax does not retry
  // them). The kernel caps the backlog at net.core.somaxconn.
  await new Promise<void>((resolve) => http.listen({ port: 0, host: '127.0.0.1', backlog: 65_535 }, resolve));
  const httpPort = (http.address() as AddressInfo).port;

  const stop = (): void => {
    http.closeAllConnections();
    http.close();
    void grpcHost.close(0).finally(() => process.exit(0));
  };
  process.once('SIGTERM', stop);
  const counted = (): [string, PendingOp][] => [...ops].filter(([, op]) => !op.warm);
  const lines = createInterface({ input: process.stdin });
  lines.on('line', (line) => {
    const command = line.trim();
    let answer: unknown;
    if (command === 'release') {
      released = true;
      answer = { releasedAt: epochMs() };
    } else if (command === 'time') {
      answer = { now: epochMs() };
    } else if (command === 'count') {
      const list = counted();
      answer = { operations: list.length, polls: list.reduce((n, [, op]) => n + op.polls.length, 0) };
    } else if (command === 'polls') {
      answer = Object.fromEntries(counted().map(([name, op]) => [name, op.polls.map((t) => Math.round(t * 10) / 10)]));
    } else {
      answer = { error: `unknown command ${JSON.stringify(command)}` };
    }
    process.stdout.write(`${JSON.stringify(answer)}\n`);
  });
  lines.on('close', stop);
  process.stdout.write(`${JSON.stringify({ grpc: `127.0.0.1:${grpcPort}`, http: `http://127.0.0.1:${httpPort}` })}\n`);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await main();
