/**
 * Notes for BENCHMARKS.md: where the time or memory goes, from profiles
 * taken with scripts/bench/profile-unary.ts (V8's sampling profiler around
 * the measured window) and the figures of the run itself. A note is shown
 * when its goal is missed or when a figure needs reading.
 */
import type { Notes } from './report.js';

const UNARY_PROFILE = `Profile (\`VISION_KIT_BENCH_OURS=<bundle> npx tsx --import ./test/setup.ts scripts/bench/profile-unary.ts <who> grpc 64\`,
this machine, 2026-11-29; self time per call): ours 252 µs CPU per call, floor 177, official 198. What ours does that
the floor does not, largest first:

- \`new AbortController()\` in \`createCallSignal\` (src/core/call-signal.ts) on every call, even with no caller
  signal: 6.4 µs in \`createAbortSignal\`, plus \`addEventListener\`/\`removeEventListener\` on it in the gRPC
  \`attempt\` and the 600 s deadline's \`setTimeout\`/\`clearTimeout\`.
- \`attempt\` and its Promise executor (src/transport/grpc-transport.ts): 8.4 µs self — \`await authHeaders(…)\` even
  with no credentials (a promise and a microtask), \`{ ...options?.headers, ...auth }\` + \`Object.entries\` into a
  fresh \`Metadata\`, \`secretsOf\`, \`{ deadline: new Date(…) }\`.
- \`grpcMethod(ref)\` twice per call (in \`encodeRequest\` and \`attempt\`), each building a template-literal key and
  hashing it for a \`Map\` lookup: 2.4 µs. Fixed on this branch (src/transport/grpc-definitions.ts looks the method
  up by the ref object first); it no longer shows in the profile.
- Four nested async frames (client method → \`runUnary\` → \`withRetry\` → \`attempt\`): \`runMicrotasks\` 6.5 µs vs
  2.8 on the floor; GC 15.3 µs vs 11.7 from the extra allocations.
- \`normalizeMessage\` + ts-proto \`encode\` on every call (the floor sends bytes encoded once): ~2.5 µs in
  \`BinaryWriter.ensureCapacity\` plus the normalisation.
- The \`grpc-timeout\` header of the deadline: http2 \`mapToHeaders\`/\`toHeaderObject\` ~2.5 µs above the floor
  (the official client sends a deadline too).

Within reach, but in files the reliability branch is editing now (src/core/call-signal.ts,
src/transport/grpc-transport.ts), so described here for the lead rather than made: (1) no AbortController when
the caller passes no signal — grpc-js enforces the deadline itself through the \`deadline\` call option, so the
gRPC attempt needs a signal only to forward a caller's abort, and the retry sleep can be a plain timer bounded by
the deadline; (2) skip \`authHeaders\` when the credentials hold neither key nor token, and build \`Metadata\` only
from non-empty headers; (3) run the first attempt outside the \`withRetry\` loop's async frame (retry only after a
failure). Together with the \`grpcMethod\` fix, about 20–25 µs of the ~75 µs gap in this profile; the rest is the generic
path's normalisation, encoding and allocations. Over REST the same profile gives ours 399 µs per call against the
floor's 379 (both dominated by undici and the socket writes): \`attempt\` 11 µs self (transcoding, \`messageFromJson\`)
and one more AbortController than undici's own.`;

/** The notes, by section. */
export const NOTES: Notes = {
  bundle: (r) => {
    const b = r.bundle;
    if (b === undefined) return undefined;
    const area = (name: string): number => b.ours.areas.find((a) => a.input === name)?.bytes ?? 0;
    const k = (bytes: number): string => `${(bytes / 1024).toFixed(1)} KB`;
    const workflow = area('src/workflow');
    const target = b.official.gzippedBytes / 10;
    const lines = [
      `Reading: ${b.met ? (b.ratio > 0.09 ? 'met, with no margin left' : 'met') : `**missed**: ours is ${k(b.ours.gzippedBytes)} gzipped, the goal ${k(target)}`} (against the`,
      `published configuration; against the non-working browser-field variant ours is ${b.ratioBrowserField.toFixed(2)}×). The metafile`,
      'shows no generated message code in ours: the only generated inputs are the gen-time tables (gen/schema,',
      `~${k(area('gen/schema'))} gzipped), so a JSON-only ts-proto generation (\`outputEncodeMethods=false\`) would not change`,
      'this bundle. The weight is hand-written code: the proto3 JSON codec and transcoding (src/http), the poller',
      "(src/lro), and the binary codec with `@bufbuild/protobuf`'s wire code, which the browser needs only because `Any`",
      "values are held as bytes (`{ typeUrl, value }`, ts-proto's shape) and decoded from them.",
    ];
    if (!b.met || b.ratio > 0.09) {
      lines.push(
        '',
        'Ways back under the goal, for the lead (none is code this branch owns):',
        ...(workflow > 0
          ? [
              `- the annotate workflow (src/workflow, ~${k(workflow)} gzipped) is exported by src/browser.ts for the demo page; a`,
              '  separate browser entry for it (e.g. `vision-kit/workflow`) keeps it out of the client bundle (src/browser.ts',
              '  without that export line bundled the same way: 36.4 KB gzipped on 2026-11-29, under the goal);',
            ]
          : []),
        `- a browser build that keeps \`Any\` as parsed JSON and leaves out the binary codec (@bufbuild/protobuf ~${k(area('@bufbuild/protobuf'))}`,
        '  gzipped, plus src/http/binary-codec.ts).',
      );
    }
    return lines.join('\n');
  },
  unary: (r) => {
    const u = r.unary;
    if (u === undefined || r.smoke) return undefined;
    const missed = u.cells.filter((c) => !c.met);
    if (missed.length === 0) return undefined;
    const list = missed.map((c) => `${c.method} ${c.transport} ×${c.concurrency} (${c.oursVsFloor.toFixed(2)}×)`).join(', ');
    return [
      `**Missed** in ${missed.length} of ${u.cells.length} cells: ${list}. At concurrency 1 a call waits on the loopback and the server,`,
      "so the client's extra CPU hides; at 64 the client's CPU per call (second table) is what separates the contenders, and",
      'ours spends more of it than the floor on gRPC.',
      '',
      UNARY_PROFILE,
    ].join('\n');
  },
  operations: (r) => {
    const o = r.operations;
    if (o === undefined || r.smoke) return undefined;
    const grpc = o.comparisons.find((c) => c.transport === 'grpc');
    if (grpc === undefined) return undefined;
    return [
      `Reading: ours keeps ${(grpc.ours.heapPerOperationBytes / 1024).toFixed(1)} KB per pending operation over gRPC (one handle, its waiter and the shared`,
      "timer queue; no per-operation timer or listener) against gax's " + `${(grpc.official.heapPerOperationBytes / 1024).toFixed(1)} KB (an EventEmitter Operation, its`,
      "promise, listeners and a timer each); over REST gax's figure also holds the gaxios/node-fetch request objects of its",
      'polls in flight at that moment (its polls are not capped). Ours polls less than',
      'its policy allows because at most 32 polls are in flight (the rest wait in a FIFO), and the 5 s cap of the',
      "AsyncBatchAnnotateImages schedule bounds done → resolved (plus the queue's drain); gax's delay keeps growing (× 1.3",
      'up to 60 s), so a long-pending gax operation learns of its end later and later.',
    ].join('\n');
  },
  codegen: (r) => {
    const g = r.codegen;
    if (g === undefined || r.smoke) return undefined;
    return [
      'Reading: a no-op run costs as much as a cold one — `scripts/gen/run.mjs` regenerates everything into a staging folder',
      'and swaps it in (the tree is unchanged, the work is not skipped). Most of it is `buf generate` running ts-proto, twice',
      '(gen/ and test/gen/). A digest of the inputs (the pinned package versions, the exported protos, scripts/gen) stored',
      'next to gen/ would let a no-op run stop after `export`; that is the gen pipeline\'s code, so it is left to its owner.',
    ].join('\n');
  },
};
