/**
 * Renders BENCHMARKS.md from the results of one `npm run bench` (the
 * numbers are all in scripts/bench/results.json; this is their reading).
 */
import type { AppSize } from './browser-apps.js';
import { type BundleResult, REFERENCE_APPS } from './bundle.js';
import type { CodegenResult } from './codegen.js';
import type { InstallMeasurement } from './install.js';
import type { OperationsResult } from './operations.js';
import type { OpsRun } from './support/ops-client.js';
import type { BenchResults } from './support/results.js';
import type { TranscodeResult } from './transcode.js';
import type { UnaryFigures, UnaryResult } from './unary.js';

const kb = (bytes: number): string => `${(bytes / 1024).toFixed(1)} KB`;
const mib = (bytes: number): string => `${(bytes / 2 ** 20).toFixed(1)} MiB`;
const ms = (x: number): string => `${num(x)} ms`;
const num = (x: number, digits = 0): string => x.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
const ratio = (x: number): string => `${x.toFixed(2)}×`;
const met = (ok: boolean): string => (ok ? 'met' : '**missed**');

function table(head: readonly string[], rows: readonly (readonly string[])[]): string {
  const line = (cells: readonly string[]): string => `| ${cells.join(' | ')} |`;
  return [line(head), line(head.map(() => '---')), ...rows.map(line)].join('\n');
}

function bundleSection(r: BundleResult): string {
  const rows = [
    [
      'minified',
      kb(r.ours.minifiedBytes),
      kb(r.official.minifiedBytes),
      kb(r.officialBrowserField.minifiedBytes),
      `${(r.ours.minifiedBytes / r.official.minifiedBytes).toFixed(3)}×`,
      '',
      '',
    ],
    [
      'gzipped',
      kb(r.ours.gzippedBytes),
      kb(r.official.gzippedBytes),
      kb(r.officialBrowserField.gzippedBytes),
      `${r.ratio.toFixed(3)}×`,
      `≤ ${r.goalRatio ?? 0.1}×`,
      met(r.met),
    ],
  ];
  const apps = r.apps ?? [];
  return [
    '## 1. Browser bundle',
    '',
    ...appsPart(apps, r.appGoalBytes, r.appMet),
    'The two clients over REST (`createClient` with both descriptors, the REST transport, `paginate`, `VisionError` from `src/browser.ts`) against the official clients:',
    '',
    table(
      [
        '',
        'ours (src/browser.ts: the two clients over REST)',
        'official, as published',
        'official, gax browser field (not runnable)',
        'ours / official',
        'goal',
        '',
      ],
      rows,
    ),
    '',
    `Against the gax-browser-field variant ours is ${ratio(r.ratioBrowserField)} (gzipped).`,
    '',
    `How: esbuild ${r.esbuild}, bundle, ESM, platform browser, target es2022, minified, \`process.env.NODE_ENV\` = "production", gzip level 9; KB = 1,024 bytes.`,
    'Theirs is one entry exporting `ImageAnnotatorClient` and `ProductSearchClient` from',
    '`@google-cloud/vision/build/src/v1p4beta1/{image_annotator,product_search}_client.js`; every Node built-in',
    '(`fs`, `node:stream`, …) resolves to one stub module whose export is a Proxy answering every property, call and `new`',
    'with itself. "As published": `google-gax` resolved through its package `exports` (its Node entry, grpc-js included),',
    'which is what esbuild does; in fallback mode the clients then use `gax.fallback`. "gax browser field": `google-gax`',
    'aliased to its `browser` field (`build/src/fallback.js`), which esbuild ignores because the package has `exports`; it is',
    'smaller but cannot construct a client (the clients read `gax.loggingUtils`, which fallback.js does not export), so it is',
    'shown as a lower bound, not judged.',
    '',
    `What is in ours (esbuild metafile): ${r.ours.noMessageCode ? 'no ts-proto message module (`gen/google/…`), no grpc-js, no google-auth-library' : '**ts-proto message modules or Node-only packages are in the bundle**'}; the largest inputs (minified bytes):`,
    '',
    table(
      ['input', 'bytes'],
      r.ours.top.map((t) => [`\`${t.input}\``, num(t.bytes)]),
    ),
    '',
    'By area, gzipped (approximate: each area minified and gzipped on its own, scaled to what the bundle kept):',
    '',
    table(
      ['area', 'gzipped'],
      (r.ours.areas ?? []).map((a) => [`\`${a.input}\``, kb(a.bytes)]),
    ),
    '',
    `Theirs by package (minified bytes): ${r.official.top.map((t) => `${t.input} ${num(t.bytes)}`).join(', ')}.`,
  ].join('\n');
}

const APP_TITLES: Readonly<Record<string, string>> = {
  imageAnnotator: 'minimal ImageAnnotator app (AsyncBatchAnnotateImages, wait with progress)',
  productSearch: 'minimal ProductSearch app (create, get, list products)',
};

/** The minimal apps' table, the reference figures beside it and each app's largest inputs. */
function appsPart(apps: readonly AppSize[], goal: number | undefined, appMet: boolean | undefined): string[] {
  if (apps.length === 0) return [];
  const image = apps.find((a) => a.app === 'imageAnnotator');
  const lines = [
    'Minimal apps (scripts/bench/apps/), importing `vision-kit/browser` as a user does and built from the package as it ships',
    "(the library's bundles in a scratch `node_modules/vision-kit`, resolved through its `exports`):",
    '',
    table(
      ['app', 'minified', 'gzipped', 'goal', ''],
      apps.map((a) => [
        APP_TITLES[a.app] ?? a.app,
        kb(a.minifiedBytes),
        `${num(a.gzippedBytes)} B`,
        a.app === 'imageAnnotator' && goal !== undefined ? `≤ ${num(goal)} B` : '',
        a.app === 'imageAnnotator' && appMet !== undefined ? met(appMet) : '',
      ]),
    ),
    '',
  ];
  if (image !== undefined) {
    lines.push(
      'The minimal ImageAnnotator app beside other stacks (theirs measured when the goal was set, the same app and method; not',
      'measured again here):',
      '',
      table(
        ['stack', 'gzipped'],
        [...REFERENCE_APPS.map((x) => [x.stack, `${num(x.gzippedBytes)} B`]), ['**vision-kit now**', `**${num(image.gzippedBytes)} B**`]],
      ),
      '',
    );
  }
  lines.push(
    'Where the bytes of each app come from (the same app bundled from the sources, whose metafile names the modules; minified bytes):',
    '',
  );
  const width = Math.max(...apps.map((a) => a.fromSource.top.length));
  const rows: string[][] = [];
  for (let i = 0; i < width; i++)
    rows.push(
      apps.flatMap((a) => {
        const t = a.fromSource.top[i];
        return t === undefined ? ['', ''] : [`\`${t.input}\``, num(t.bytes)];
      }),
    );
  lines.push(
    table(
      apps.flatMap((a) => [a.app, 'bytes']),
      rows,
    ),
    '',
  );
  if (image !== undefined && image.fromSource.prices.length > 0) {
    lines.push(
      'What the parts of the minimal ImageAnnotator app cost gzipped: the bytes the gzipped app (built from the sources,',
      'whitespace minified module by module) loses without each input, and the same summed by folder. Minified bytes rank',
      'badly what gzip sees; these are what a change of the module can gain at most. The marginals add up to a little less than the whole.',
      '',
    );
    const prices = image.fromSource.prices;
    const areas = image.fromSource.areas;
    const priceRows: string[][] = [];
    for (let i = 0; i < Math.max(prices.length, areas.length); i++) {
      const p = prices[i];
      const a = areas[i];
      priceRows.push([p ? `\`${p.input}\`` : '', p ? num(p.bytes) : '', a ? `\`${a.input}\`` : '', a ? num(a.bytes) : '']);
    }
    lines.push(table(['input', 'gzipped bytes', 'folder', 'gzipped bytes'], priceRows), '');
  }
  return lines;
}

function transcodingSection(r: TranscodeResult): string {
  return [
    '## 2. Transcoding',
    '',
    'Building the full HTTP request (method, URL path, query, JSON body text) from a typed message. Ours: `transcodeRequest`;',
    "official: google-gax's own REST path, `fallbackRest.encodeRequest` (protobufjs `fromObject`, proto3-json-serializer",
    '`toProto3JSON`, gax `transcode`, `JSON.stringify`); floor: `JSON.stringify` of the same object. "partial" is the request',
    'as a caller writes it, "full shape" the same request normalised (every field present, as messages come back from a',
    `server); gax always gets the partial one. Ops/s are medians of ${r.rounds} interleaved rounds of ${r.roundMs} ms; ratios are`,
    'medians of the per-round ratios.',
    '',
    table(
      ['case', 'floor: JSON.stringify ops/s', 'ours ops/s', 'official (gax) ops/s', 'ours / floor', 'ours / official', 'goal', ''],
      r.cases.map((c) => [
        c.case,
        num(c.jsonStringifyOps),
        num(c.transcodeOps),
        num(c.gaxOps),
        ratio(c.vsStringify),
        ratio(c.vsGax),
        '≥ 0.5× floor, > 1× official',
        met(c.met),
      ]),
    ),
  ].join('\n');
}

function unarySection(r: UnaryResult, source: boolean): string {
  const f = (x: UnaryFigures): string => `${num(x.callsPerSecond)} (${x.p50Ms.toFixed(2)} / ${x.p99Ms.toFixed(2)})`;
  const rows = r.cells.map((c) => [
    c.method,
    c.transport,
    String(c.concurrency),
    f(c.ours),
    f(c.official),
    f(c.floor),
    ratio(c.oursVsFloor),
    ratio(c.officialVsFloor),
    met(c.met),
  ]);
  const cpu = r.cells.map((c) => [
    c.method,
    c.transport,
    String(c.concurrency),
    num(c.ours.cpuUsPerCall),
    num(c.official.cpuUsPerCall),
    num(c.floor.cpuUsPerCall),
  ]);
  return [
    '## 3. Unary calls',
    '',
    `Server: ${r.server}. Calls/s (p50 / p99 latency in ms); medians over ${r.rounds} rounds of ${r.windowMs} ms per contender and`,
    'cell, the contenders interleaved (the first one rotates each round); ratios are medians of the per-round ratios of calls/s.',
    `Ours: \`createClient\` over \`createGrpcTransport\` / \`createRestTransport\` (${source ? 'the TypeScript sources through tsx' : 'bundled as `npm run build` bundles it'}). Official:`,
    '`@google-cloud/vision` 6.1.0, gRPC with insecure `sslCreds`, REST in fallback mode with an explicit OAuth2 client',
    '(fixed token). Floor: the request built once and the answer parsed — bare `@grpc/grpc-js` `makeUnaryRequest` with',
    "an identity serializer and the method's ts-proto `decode`; bare `fetch` with `response.json()`.",
    '',
    table(
      ['method', 'transport', 'concurrency', 'ours', 'official', 'floor', 'ours / floor', 'official / floor', `goal ≥ 0.9× floor`],
      rows,
    ),
    '',
    'Client CPU per call (user + system of the client process, µs; steadier than rates when the machine is shared):',
    '',
    table(['method', 'transport', 'concurrency', 'ours', 'official', 'floor'], cpu),
  ].join('\n');
}

function operationsSection(r: OperationsResult): string {
  const rows: [string, (o: OpsRun) => string][] = [
    ['heap per pending operation', (o) => `${num(o.heapPerOperationBytes)} B`],
    ['polls until all resolved', (o) => num(o.polls)],
    ['most polls its own policy allows', (o) => num(o.policyMaxPolls)],
    ['polls earlier than its policy', (o) => num(o.earlyPolls)],
    [`client CPU while pending (${num(r.pendingMs / 1000)} s)`, (o) => `${num(o.cpuWhilePendingMs)} ms`],
    ['client CPU per poll', (o) => `${num(o.cpuPerPollUs)} µs`],
    [
      'done on server → resolved, p50 / p99 / max',
      (o) => `${num(o.doneToResolvedMs.p50)} / ${num(o.doneToResolvedMs.p99)} / ${num(o.doneToResolvedMs.max)} ms`,
    ],
    [`starting ${num(r.operations)} operations`, (o) => `${num(o.startMs)} ms`],
  ];
  const parts = [
    '## 4. Operations at scale',
    '',
    `${num(r.operations)} AsyncBatchAnnotateImages operations started (64 start calls in flight), then all waited on at once and`,
    `kept pending ${num(r.pendingMs / 1000)} s by a server that answers done:false until released (support/pending-server.ts: the`,
    "emulator's own gRPC host and REST handler serving two methods), then released; one run per cell, each client in its own",
    'process (heap = after GC, all pending, minus before the first start, over the count). Ours: `createClient` handles,',
    '`wait()`; official: gax `Operation.promise()`. Polls are counted by the server; each contender is checked against its own',
    `policy (ours from the handle's start, gax from \`promise()\`): ours — ${r.comparisons[0]?.ours.policy ?? ''}; official — ${r.comparisons[0]?.official.policy ?? ''}.`,
  ];
  for (const c of r.comparisons) {
    parts.push(
      '',
      `### ${c.transport === 'grpc' ? 'gRPC' : 'REST'}: heap ratio ${ratio(c.heapRatio)} (goal ≤ 0.33×, no poll before the policy allows): ${met(c.met)}`,
      '',
      table(
        ['', 'ours', 'official (gax)'],
        rows.map(([label, get]) => [label, get(c.ours), get(c.official)]),
      ),
    );
  }
  return parts.join('\n');
}

function codegenSection(r: CodegenResult): string {
  return [
    '## 5. Codegen',
    '',
    '`npm run gen` (its script, `node --import tsx scripts/gen/run.ts`; npm start-up excluded) into a temporary VISION_KIT_GEN_OUT, so the',
    `tree is untouched: cold = empty output folder and empty buf cache (BUF_CACHE_DIR); no-op = again, nothing changed. Medians of ${r.runs} runs.`,
    "The official client has no counterpart (Google generates it with gapic-generator-typescript, outside the user's build).",
    '',
    table(
      ['', 'wall time', 'runs (ms)'],
      [
        ['cold', `${(r.coldMs / 1000).toFixed(1)} s`, r.coldRunsMs.map((x) => num(x)).join(', ')],
        ['no-op', `${(r.noopMs / 1000).toFixed(1)} s`, r.noopRunsMs.map((x) => num(x)).join(', ')],
      ],
    ),
    '',
    `Steps (medians, ms, as run.ts reports them): cold ${Object.entries(r.coldSteps ?? {})
      .map(([k, v]) => `${k} ${num(v)}`)
      .join(', ')}; no-op ${Object.entries(r.noopSteps ?? {})
      .map(([k, v]) => `${k} ${num(v)}`)
      .join(', ')}.`,
    '',
    `${num(r.files)} files (proto/, gen/, test/gen/); every run ${r.matchesCommitted ? 'wrote exactly the committed tree' : '**differed from the committed tree**'}.`,
  ].join('\n');
}

function installSection(r: InstallMeasurement): string {
  const o = r.ours;
  const t = r.official;
  const b = r.baseline;
  const listed = (xs: readonly string[]): string =>
    xs.length === 0
      ? 'none'
      : `${num(xs.length)}: ${xs
          .slice(0, 4)
          .map((x) => `\`${x}\``)
          .join(', ')}${xs.length > 4 ? ', …' : ''}`;
  const withBaseline = b.importMs > 0;
  const rows = [
    ['node_modules (apparent size)', mib(o.nodeModulesBytes), mib(t.nodeModulesBytes), ratio(r.ratio), '≤ 0.75×', met(r.met)],
    ['packages in node_modules', num(o.packages), num(t.packages), ratio(o.packages / t.packages), '', ''],
    [
      `cold import, median of ${r.importRuns}`,
      ms(o.importMs),
      ms(t.importMs),
      ratio(o.importMs / t.importMs),
      withBaseline ? `≤ 1.10× pre-split (${b.commit}: ${ms(b.importMs)})` : 'pre-split baseline not recorded',
      withBaseline ? `${ratio(r.importVsBaseline)}: ${met(r.importMet)}` : '',
    ],
    ['native or WebAssembly files', listed(o.nativeFiles), listed(t.nativeFiles), '', 'none in ours', met(o.nativeFiles.length === 0)],
    [
      'sharp, @img/*, mupdf, @google-cloud/storage, csv-parse, cli-progress',
      listed(o.forbiddenPackages),
      listed(t.forbiddenPackages),
      '',
      'none in ours',
      met(o.forbiddenPackages.length === 0),
    ],
    ['`npm ci` from the cache (wall time)', ms(o.installMs), ms(t.installMs), '', '', ''],
  ];
  return [
    '## 6. Installed package',
    '',
    `What \`npm install\` brings into a project: ours packed (\`npm pack --ignore-scripts\` of the built library), the official`,
    `\`${t.package}\`, each installed with \`npm ci --offline --omit=dev\` (npm ${r.npm}) in an empty folder from a package-lock.json`,
    "cut out of this repository's (the versions and layout `npm ci` installs here; test/support/packed-install.ts), so",
    'both come from the npm cache and nothing is fetched.',
    '',
    table(['', 'ours (vision-kit, packed)', 'official', 'ours / official', 'goal', ''], rows),
    '',
    `Our tarball: ${kb(o.packedBytes)} packed, ${kb(o.unpackedBytes)} unpacked, ${num(o.files)} files; ${
      o.unshippableFiles.length === 0
        ? 'only what users run, type-check against and read (dist JavaScript, dist/types declarations, the bin, package.json, LICENSE, README.md and the Markdown it links to).'
        : `**files users neither run nor type-check against**: ${listed(o.unshippableFiles)}.`
    }`,
    '',
    'How: size is the apparent size of node_modules as `du -sb` counts it (lstat sizes of files, folders and links, links not',
    'followed, hard links once; MiB = 2^20 bytes); a package is a folder with a package.json directly under a node_modules',
    `folder (nested copies count). Cold import: a fresh \`node\` per run in the install folder times \`await import(…)\` with`,
    `\`performance.now()\` inside the process; ours and the official one alternate, ${num(r.importRuns)} run${r.importRuns === 1 ? '' : 's'} each (ours: ${o.importRunsMs.map((x) => num(x)).join(', ')} ms;`,
    `official: ${t.importRunsMs.map((x) => num(x)).join(', ')} ms).`,
  ].join('\n');
}

/** The sections of BENCHMARKS.md, by measurement. */
type Section = 'bundle' | 'transcoding' | 'unary' | 'operations' | 'codegen' | 'install';

/** Notes written from profiles (`notes.ts`), keyed by section, shown after the section. */
export type Notes = { readonly [section in Section]?: (r: BenchResults) => string | undefined };

/** "name, name: commit, date; …" for measurements taken at other commits or dates than this run, or undefined. */
function measuredAt(results: BenchResults): string | undefined {
  const entries = Object.entries(results.measured ?? {});
  const groups = new Map<string, string[]>();
  for (const [name, at] of entries) {
    const key = `${at.commit}, ${at.date.slice(0, 10)}`;
    groups.set(key, [...(groups.get(key) ?? []), name]);
  }
  if (groups.size <= 1) return undefined;
  return [...groups].map(([key, names]) => `${names.join(', ')}: ${key}`).join('; ');
}

/** How the report is made and rerun, shown under its title. */
const RUNNING = [
  'A full run takes about 7 minutes on this machine; `npm run bench -- --only <section>` reruns one section and keeps the',
  'others. A smoke run of the harness (tiny sizes) is part of `npm test`. `node scripts/bundle-size.mjs` prints the size of',
  'the whole browser entry alone, outside this comparison.',
].join('\n');

/** BENCHMARKS.md for `results`, with `notes` after their sections. */
export function renderReport(results: BenchResults, notes: Notes = {}): string {
  const m = results.machine;
  const goals: string[] = [];
  if (results.bundle) {
    goals.push(`bundle ${met(results.bundle.met)}`);
    if (results.bundle.appMet !== undefined) goals.push(`minimal browser app ${met(results.bundle.appMet)}`);
  }
  if (results.transcoding) goals.push(`transcoding ${met(results.transcoding.cases.every((c) => c.met))}`);
  if (results.unary)
    goals.push(
      `unary ${met(results.unary.cells.every((c) => c.met))} (${results.unary.cells.filter((c) => c.met).length} of ${results.unary.cells.length} cells met)`,
    );
  if (results.operations) goals.push(`operations ${met(results.operations.comparisons.every((c) => c.met))}`);
  if (results.install) {
    const i = results.install;
    goals.push(`install size ${met(i.met && i.clean)}${i.baseline.importMs > 0 ? `, import time ${met(i.importMet)}` : ''}`);
  }
  const mixed = measuredAt(results);
  const out = [
    '# Benchmarks: vision-kit vs @google-cloud/vision 6.1.0',
    '',
    `Generated by \`npm run bench\` (scripts/bench/run.ts; raw figures in scripts/bench/results.json)${results.smoke ? ' — **SMOKE RUN: tiny sizes, figures meaningless**' : ''}.`,
    '',
    RUNNING,
    '',
    table(
      ['machine', ''],
      [
        ['CPU', `${m.cpu}, ${m.cores} cores`],
        ['memory', `${m.memoryGiB} GiB`],
        ['OS', m.os],
        ['Node', m.node],
        ['date', m.date],
        ['commit', m.commit],
        ...(mixed ? [['measured at (with `--only`, the others kept from earlier runs)', mixed]] : []),
        [
          'vision-kit measured as',
          results.ours === 'source'
            ? 'its TypeScript sources through tsx (`--source`)'
            : 'the bundle `npm run build` makes (esbuild, ESM, node20)',
        ],
        [
          'bench wall time',
          `${num(results.seconds.total ?? 0)} s (${Object.entries(results.seconds)
            .filter(([k]) => k !== 'total')
            .map(([k, v]) => `${k} ${num(v ?? 0)} s`)
            .join(', ')})`,
        ],
      ],
    ),
    '',
    `Goals${results.smoke ? ' (not to be judged from a smoke run)' : ''}: ${goals.join('; ')}. Machines like this one (2 shared cores) are noisy: read the ratios, which come from interleaved rounds, rather than absolute rates.`,
  ];
  const sections: [Section, string | undefined][] = [
    ['bundle', results.bundle && bundleSection(results.bundle)],
    ['transcoding', results.transcoding && transcodingSection(results.transcoding)],
    ['unary', results.unary && unarySection(results.unary, results.ours === 'source')],
    ['operations', results.operations && operationsSection(results.operations)],
    ['codegen', results.codegen && codegenSection(results.codegen)],
    ['install', results.install && installSection(results.install)],
  ];
  for (const [key, text] of sections) {
    if (text === undefined) continue;
    out.push('', text);
    const note = notes[key]?.(results);
    if (note) out.push('', note);
  }
  return `${out.join('\n')}\n`;
}
