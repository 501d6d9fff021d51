/**
 * Notes for BENCHMARKS.md: where the time or memory goes, from profiles
 * taken with scripts/bench/profile-unary.ts (V8's sampling profiler around
 * the measured window) and the figures of the run itself. A note is shown
 * when its goal is missed or when a figure needs reading.
 */
import type { Notes } from './report.js';

const UNARY_PROFILE = `Where the time goes (profiles: \`VISION_KIT_BENCH_OURS=<bundle> npx tsx --import ./test/setup.ts
scripts/bench/profile-unary.ts <ours|floor|floor-deadline> <grpc|rest> 64\`, and interleaved CPU-per-call runs of the same
calls without the profiler, this machine, 2026-11-29):

- **The per-call path is now the transport's own work.** A call is the client method (not async) → \`runUnary\` (the first
  attempt starts synchronously; retries, and their async frame, only after a failure) → the attempt → grpc-js or fetch.
  \`runUnary\` itself costs 0.15 µs per call over a bare promise. The call's linked signal (an AbortController, the
  caller-signal link, the deadline timer) is made only when an attempt reads it: a gRPC call without a caller signal
  makes none (grpc-js enforces the deadline through its \`deadline\` option). The gRPC transport works fixed
  credentials out once instead of awaiting them per call. Before these changes the profile showed, per gRPC call, an AbortController
  (~6.4 µs), \`attempt\`'s own work (~8.4 µs: an awaited \`authHeaders\`, header spreading, \`secretsOf\`, a \`Date\`) and four
  nested async frames; none of it is left.
- **gRPC: ours = the floor + the deadline + encoding.** Ours sends the 600 s default deadline as \`grpc-timeout\`
  (the service config's; the official client does too, the floor does not): grpc-js then arms a timer per call, and so does the
  server. Without the profiler, GetProduct at concurrency 1: floor 274 µs CPU per call, floor + deadline 290 (1.05×),
  ours 286 (1.05×); at 64 ours is 1.03× the floor. What ours adds beyond the deadline is the request's normalisation
  and encoding (the floor sends bytes encoded once): ~4 µs for GetProduct, ~12 µs for BatchAnnotateImages
  (\`normalizeMessage\` ~5 µs on the nested request — its property accesses are megamorphic in a process that calls many
  methods —, ts-proto \`encode\` ~5 µs, of which the \`finish()\` copy ~2 µs), which is why BatchAnnotateImages ×64 sits
  closest to the line (1.16× the floor's CPU in isolation).
- **REST: ours = the floor + a signal for fetch + transcoding.** fetch can only be stopped at the deadline through an
  AbortSignal, so every call creates one (\`createAbortSignal\` + \`makeTransferable\`, 5–10 µs) and undici follows it from
  its own Request (\`setMaxListeners\`, \`addEventListener\`, a WeakRef and a FinalizationRegistry entry): the floor
  with the same signal and timer (\`floor-deadline\`) cost 13–28 µs (6–13%) more per call than the bare floor in
  repeated runs (GetProduct, ×64). On top, ours
  transcodes (\`transcodeRequest\` 1.8 µs, \`normalizeMessage\` 0.6), reads the answer with \`messageFromJson\` (2 µs) and
  awaits its auth headers (kept per attempt on REST: the browser bundle has no room for the gRPC side's fixed-credentials
  shortcut under its own goal). A signal shared by many requests was tried and is far worse (undici keeps a listener per
  request on it until GC: 320 µs per call and MaxListeners warnings).
- On this 2-core VM the same code measured ±8% or more per cell between runs (GetProduct gRPC ×64: 0.91, 0.94, 0.97 in three
  runs of \`npm run bench -- --only unary\`; 0.60, 0.76, 0.86 and 1.13 in four full runs), and which cells miss changes from
  one full run to the next (in four full runs on 2026-11-29 six of the eight cells missed at least once and every cell met
  at least once); cells at 0.9–0.95 can fall either side of the line. An A/B of the REST path before and after the option checks (three interleaved 4 s profile runs each,
  GetProduct ×64) gave 436 and 426 µs CPU per call: no regression. Right after the last full run, four 5 s profile runs of GetProduct gRPC ×64 (one fresh emulator each, one after
  the other) gave floor 17,804 calls, floor-deadline 18,580, ours 23,232, official 20,320: at concurrency 64 the client
  and the emulator share two cores, and which of them the scheduler favours moves the rate more than the client's code.

Next, if the margin must grow: (1) a binary writer that checks a caller's partial while encoding it (as
\`messageToJsonText\` does for JSON), so gRPC requests skip \`normalizeMessage\` and the \`finish()\` copy (~5–12 µs per
call); (2) the 600 s *default* deadline stays: it is the service config's timeout (docs/calls.md; rule 6 of
src/transport/transport.ts), the official client sends it too, and it costs ~5% at concurrency 1 on client and server; (3) on REST
nothing within fetch: the remaining cost is the AbortSignal the deadline needs.`;

/** The notes, by section. */
export const NOTES: Notes = {
  bundle: (r) => {
    const b = r.bundle;
    if (b === undefined) return undefined;
    const area = (name: string): number => b.ours.areas.find((a) => a.input === name)?.bytes ?? 0;
    const k = (bytes: number): string => `${(bytes / 1024).toFixed(1)} KB`;
    const target = b.official.gzippedBytes * (b.goalRatio ?? 0.1);
    const image = b.apps?.find((a) => a.app === 'imageAnnotator');
    const lines = [
      `Reading: the two-client app ${b.met ? `meets its goal, ${k(target - b.ours.gzippedBytes)} under it` : `**misses** its goal of ${b.goalRatio}× (${k(b.ours.gzippedBytes)} gzipped against ${k(target)}), though it is under a tenth of the official bundle`}`,
      `(against the non-working browser-field variant ours is ${b.ratioBrowserField.toFixed(2)}×)${
        image === undefined
          ? '.'
          : `; the minimal ImageAnnotator app is ${image.gzippedBytes.toLocaleString('en-US')} B, ${b.appMet ? 'within' : '**over**'} its goal of ${b.appGoalBytes.toLocaleString('en-US')} B.`
      }`,
      'No generated message code is in ours (the metafile shows none): the generated inputs are the packed tables of',
      `gen/schema/packed.ts (~${k(area('gen/schema'))} gzipped in the two-client app), and the weight is hand-written code: the proto3`,
      'JSON codec (src/codec), the poller (src/lro), transcoding (src/transcoding) and the REST transport (src/transport).',
      '',
      'What took the minimal ImageAnnotator app down (gzipped, from the sources, each step measured on the tree it was made',
      'in: 37.3 KB when the goal was set, 39.9 KB on the tree that had grown with the typed-API, transport and generator work):',
      '- `Any` read from JSON holds its message (src/codec/held-any.ts), so the binary codec and the wire primitives left the',
      '  browser path: −2.1 KB;',
      '- tables packed per service (gen/schema/packed.ts, decoded once by src/schema/packed-tables.ts): an app carries the',
      "  types its services reach, not both services' messages and method rows: −2.6 KB;",
      "- Node's reasons for a failed connection handed to the REST transport by the Node entry (the browser reads a bare",
      "  TypeError): −1.1 KB; no normaliser on the REST path (the JSON writer checks a caller's request as it writes it,",
      '  `lenient`), nor behind the path-field check: −1.3 KB;',
      '- a path template parser written for size, class fields by assignment and private members as `#` fields: −0.7 KB;',
      '  codes and scalar types as constants a bundler inlines, codes to HTTP statuses as tables: −0.4 KB.',
      '- a second pass, module by module, on the app as shipped (32,332 B): the operation handle in less code (−1.8 KB',
      '  minified), the JSON reader and writer sharing their refusals (−1.7 KB minified), type names in the tables written',
      '  relative to the one before and bindings as one string (−2.5 KB minified), redaction in one walk, the REST transport',
      "  without the gRPC endpoint rules, the path check judging with the template's own expansion: 30,609 B (−1.7 KB). Then",
      '  two fixes paid for in bytes: closed transports stop the calls they carry, and REST refuses unknown request fields',
      '  as gRPC does: +0.5 KB (31,141 B).',
      '- a third pass, chosen by gzip price (the table above) rather than minified bytes: path templates read by a compact',
      '  reader (one regular expression for the grammar; the strict parser, which says where a template goes wrong, is',
      "  provided by the Node entries and left out of the browser's: −679 B), and matching request paths moved out of",
      '  `PathTemplate` into path-match.ts, which only a server uses (−347 B): 30,095 B. A property test holds the two',
      '  template readers to the same answer on every template. Then one fix paid for in bytes: every option object refuses',
      "  a name it does not know (a misspelt `baseURL` used to be ignored, and Google's endpoint used): +227 B (30,322 B).",
      '- then three more fixes users asked for, paid for in bytes: a poll error after transient failures says how to go on',
      '  waiting, a missing poller descriptor says where one comes from, and the hook through which the Node entries offer',
      '  the nearest name for an unknown field or enum value (the search itself stays out of the browser): +88 B (30,410 B).',
      '',
      'What is left, by gzip price (the table above): the poller (a handle per operation, its waits, progress, cancel,',
      'resume and the shared timer queue), the REST transport with its limits, retries, redirects and redaction, the',
      'transcoding of every binding, the JSON reader and writer with every proto3 JSON rule, the packed tables, and the',
      'schema registry. No input costs more than 10 % of the app, and no folder more than 20 %: the 9.8 KB the goal still',
      'needs is about what the poller, the REST transport and the transcoder cost together, so it is not reachable by',
      'trimming modules with nothing given up. The names in the tables are close to their floor: about 1.3 KB gzipped of',
      'the ImageAnnotator pack is field and message names.',
      '',
      "The structural options, measured on the 30.3 KB app: ImageAnnotator's whole pack costs 2.16 KB gzipped (the app",
      'built with its messages and enums emptied), and AsyncBatchAnnotateImages reaches 23 of its 78 types, 24 % of its',
      'text; a client whose methods are imported one by one would carry only those, about 1.6 KB less (estimated by that',
      'share), at the price of a second client API. Private members mangled in a prebuilt browser file: about 0.44 KB. Both',
      'together leave about 28.3 KB, still some 7.8 KB over 20,500 B. The leanest peer behind that figure (protobuf-ts over',
      'Twirp) has neither REST transcoding nor a poller, which cost 4.1 and 5.9 KB here: the goal sits below the floor of',
      'a client that keeps them, so it stays open until it is set again (near 28 KB for this app, or 0.08× for the entry).',
    ];
    return lines.join('\n');
  },
  unary: (r) => {
    const u = r.unary;
    if (u === undefined || r.smoke) return undefined;
    const missed = u.cells.filter((c) => !c.met);
    const list = missed.map((c) => `${c.method} ${c.transport} ×${c.concurrency} (${c.oursVsFloor.toFixed(2)}×)`).join(', ');
    const lowest = [...u.cells].sort((a, b) => a.oursVsFloor - b.oursVsFloor)[0];
    return [
      missed.length === 0
        ? `Met in all ${u.cells.length} cells, the lowest ${lowest ? `${lowest.method} ${lowest.transport} ×${lowest.concurrency} at ${lowest.oursVsFloor.toFixed(2)}×` : ''}: a thin margin on this machine (see below).`
        : `**Missed** in ${missed.length} of ${u.cells.length} cells: ${list}. At concurrency 1 a call waits on the loopback and the server, so the client's` +
          "\nextra CPU hides; at 64 the client's CPU per call (second table) is what separates the contenders.",
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
      "timer queue; no per-operation timer or listener) against gax's " +
        `${(grpc.official.heapPerOperationBytes / 1024).toFixed(1)} KB (an EventEmitter Operation, its`,
      "promise, listeners and a timer each); over REST gax's figure also holds the gaxios/node-fetch request objects of its",
      'polls in flight at that moment (its polls are not capped). Ours polls less than',
      'its policy allows because at most 32 polls are in flight (the rest wait in a FIFO), and the 5 s cap of the',
      "AsyncBatchAnnotateImages schedule bounds done → resolved (plus the queue's drain); gax's delay keeps growing (× 1.3",
      'up to 60 s), so a long-pending gax operation learns of its end later and later.',
    ].join('\n');
  },
  install: (r) => {
    const i = r.install;
    if (i === undefined) return undefined;
    const b = i.baseline;
    const mib = (bytes: number): string => `${(bytes / 2 ** 20).toFixed(1)} MiB`;
    const ms = (x: number): string => `${Math.round(x)} ms`;
    const x = (v: number): string => `${v.toFixed(2)}×`;
    if (b.importMs <= 0)
      return 'No pre-split baseline is recorded (PRE_SPLIT_BASELINE in scripts/bench/install.ts; scripts/bench/install-baseline.ts measures it).';
    const lines = [
      `Baseline: the pre-split library, commit ${b.commit} (the last commit before vision-kit-tools was split out), packed, installed`,
      `with \`--omit=dev\` and measured by the same code once (scripts/bench/install-baseline.ts, ${b.date}, Node ${b.node}): node_modules`,
      `${mib(b.nodeModulesBytes)} in ${b.packages} packages (sharp and libvips, mupdf, @google-cloud/storage, … came with every install), a`,
      `${(b.packedBytes / 1024).toFixed(1)} KB tarball; cold import ${ms(b.importMs)} (median of ${b.importRunsMs.length}), while the split library (${b.splitCommit}) took ${ms(b.splitImportMs)} in the same`,
      `interleaved runs (${x(b.splitImportMs / b.importMs)}). The import goal compares this run's median with that recorded ${ms(b.importMs)}, so it carries the`,
      "machine's drift between the two measurements (it is shared); the same-run ratio is the steadier reading.",
    ];
    const sameRun = b.splitImportMs / b.importMs;
    if (!r.smoke && i.importMet !== sameRun <= 1.1) {
      lines.push(
        '',
        `**This run's import verdict rests on that drift**: ours took ${ms(i.ours.importMs)} here against ${ms(b.splitImportMs)} for the split library in the baseline's`,
        `runs (${x(i.ours.importMs / b.splitImportMs)}; unless the library changed since ${b.splitCommit}, that is the machine), and in those interleaved runs the split library was ${x(sameRun)} the`,
        `pre-split one, ${sameRun <= 1.1 ? 'within' : 'over'} the 1.10× goal.`,
      );
    }
    if (r.smoke) return lines.join('\n');
    lines.push(
      '',
      `Reading: ours is ${x(i.ratio)} the official install (the pre-split library was ${x(b.nodeModulesBytes / i.official.nodeModulesBytes)} of it measured this way). What is`,
      "left (2026-12-07) is the dependencies' trees: @grpc/grpc-js with @grpc/proto-loader → protobufjs → @types/node (2.2 MiB)",
      'and yargs; google-auth-library → gaxios → node-fetch → fetch-blob → web-streams-polyfill (8.7 MiB on its own, for',
      `Nodes without web streams); @bufbuild/protobuf; undici; commander; leven. Ours itself is ${mib(i.ours.unpackedBytes)} of it`,
      '(the README and the docs it links to included).',
    );
    lines.push(
      '',
      "The import time and the build's layout: a first build of the split library (b0ceff9) made every generated module an entry",
      "of one code-split esbuild run, so `import('vision-kit')` loaded 36 modules of ours (572 KB) instead of 14 (579 KB) and took",
      '1.13× the pre-split time in interleaved runs. scripts/build.mjs now keeps the generated code inside the bundles and ships',
      '`vision-kit/gen/….js` as a second, file-per-module copy (stateless code, so the copies cannot disagree): 16 modules, and',
      'the baseline above was measured again against that build.',
    );
    return lines.join('\n');
  },
  codegen: (r) => {
    const g = r.codegen;
    if (g === undefined || r.smoke) return undefined;
    return [
      'Reading: a no-op run costs as much as a cold one — `scripts/gen/run.ts` regenerates everything into a staging folder',
      'and swaps it in (the tree is unchanged, the work is not skipped). Most of it is `buf generate` running ts-proto, twice',
      '(gen/ and test/gen/). A digest of the inputs (the pinned package versions, the exported protos, the generator) stored',
      "next to gen/ would let a no-op run stop after `export`; that is the gen pipeline's code, so it is left to its owner.",
    ].join('\n');
  },
};
