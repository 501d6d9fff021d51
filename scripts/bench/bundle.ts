/**
 * Measurement 1, the browser bundle: the same app on both sides, one that
 * has the v1p4beta1 ImageAnnotator and ProductSearch clients over REST —
 * ours from `src/browser.ts` (`createClient` with both descriptors, the REST
 * transport, `paginate`, `VisionError`; the poller comes with the clients),
 * theirs Google's two client classes (`@google-cloud/vision` 6.1.0) as a
 * browser app would bundle them for fallback (REST) mode. What the entry
 * exports beyond that (enums, Timestamp and resource-name helpers, types)
 * is left out by tree shaking when an app does not use it, as
 * `test/client/browser-bundle.test.ts` checks; `node scripts/bundle-size.mjs`
 * prints the size of the whole entry. Both with esbuild 0.28 for the browser: bundle, ESM,
 * platform browser, target es2022, minified, `process.env.NODE_ENV` defined as
 * "production"; sizes raw and gzipped (zlib level 9).
 *
 * Theirs needs Node built-ins to bundle at all: every built-in (`fs`,
 * `node:stream`, …) resolves to one stub module exporting a Proxy that
 * answers every property, call and `new` with itself. Two variants:
 *
 * - `as published`: `google-gax` resolved by its package `exports` (its
 *   Node entry, with @grpc/grpc-js), which is what esbuild does for the
 *   client files' `require("google-gax")`. This one works: the clients pick
 *   `gax.fallback` themselves in fallback mode. It is the figure the goal is
 *   judged against.
 * - `gax browser field`: `google-gax` aliased to its `browser` field
 *   (`build/src/fallback.js`), which esbuild ignores because the package
 *   has `exports`. Smaller, but the clients cannot be constructed from it
 *   (they read `gax.loggingUtils`, which fallback.js does not export), so it
 *   is a lower bound, shown for reference.
 */

import { readFileSync } from 'node:fs';
import { builtinModules, createRequire } from 'node:module';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { build, type Metafile, type Plugin, transform } from 'esbuild';
import { BROWSER_BUNDLE } from '../browser-bundle.mjs';
import { type AppSize, IMAGE_ANNOTATOR_APP_GOAL, measureBrowserApps } from './browser-apps.js';
import { ROOT } from './support/process.js';
import { round } from './support/stats.js';

/** Sizes of one bundle. */
export interface BundleSize {
  readonly minifiedBytes: number;
  readonly gzippedBytes: number;
}

/** One input's share of a bundle (minified bytes esbuild reports for it). */
export interface BundleInput {
  readonly input: string;
  readonly bytes: number;
}

/** The result of {@link measureBundle}. */
export interface BundleResult {
  readonly esbuild: string;
  readonly ours: BundleSize & {
    /** Largest inputs of our bundle (from esbuild's metafile). */
    readonly top: readonly BundleInput[];
    /**
     * Gzipped bytes by area, approximate: each area's inputs minified on
     * their own, concatenated and gzipped, scaled by the share of them the
     * bundle kept (tree shaking); the bundle shares one gzip window.
     */
    readonly areas: readonly BundleInput[];
    /** True when no ts-proto message module (`gen/google/…`), grpc-js or google-auth-library is in it. */
    readonly noMessageCode: boolean;
  };
  readonly official: BundleSize & { readonly top: readonly BundleInput[] };
  readonly officialBrowserField: BundleSize;
  /** ours / official (as published), gzipped. */
  readonly ratio: number;
  /** ours / official (gax browser field), gzipped. */
  readonly ratioBrowserField: number;
  /** The whole entry's goal against the official bundle (gzipped). */
  readonly goal: string;
  /** The most ours / official may be, gzipped. */
  readonly goalRatio: number;
  readonly met: boolean;
  /** The minimal apps (scripts/bench/apps/), built from the package as it ships. */
  readonly apps: readonly AppSize[];
  /** The minimal ImageAnnotator app's goal, gzipped bytes. */
  readonly appGoalBytes: number;
  /** True when the minimal ImageAnnotator app is within {@link BundleResult.appGoalBytes}. */
  readonly appMet: boolean;
}

/**
 * The minimal ImageAnnotator app as other stacks build it (the same app and
 * method: esbuild, minified, gzip level 9), measured when the app's goal was
 * set (2026-12) and not measured again here: those packages are not
 * dependencies of this repository.
 */
export const REFERENCE_APPS: readonly { readonly stack: string; readonly gzippedBytes: number }[] = [
  { stack: '`@google-cloud/vision` 6.1.0 in fallback mode (both clients, Node built-ins stubbed)', gzippedBytes: 358_298 },
  { stack: 'connect-es 2.3 + protobuf-es 2.17 (Connect protocol, a hand-written poller)', gzippedBytes: 47_752 },
  { stack: 'vision-kit when the goal was set', gzippedBytes: 35_501 },
  { stack: 'protobuf-ts 2.11, `force_optimize_code_size`, Twirp JSON transport', gzippedBytes: 20_553 },
];

/** The whole entry's goal: at most this fraction of the official bundle, gzipped. */
export const ENTRY_GOAL_RATIO = 0.075;

const builtins = new Set(builtinModules.flatMap((m) => [m, `node:${m}`]));

/** Every Node built-in → one Proxy stub. */
const stubBuiltins: Plugin = {
  name: 'stub-node-builtins',
  setup(b) {
    b.onResolve({ filter: /.*/ }, (args) => (builtins.has(args.path) ? { path: args.path, namespace: 'node-stub' } : undefined));
    b.onLoad({ filter: /.*/, namespace: 'node-stub' }, () => ({
      contents: 'const s = new Proxy(function () {}, { get: () => s, apply: () => s, construct: () => s }); module.exports = s;',
      loader: 'js',
    }));
  },
};

/** `google-gax` → its `browser` field target. */
const gaxBrowserField: Plugin = {
  name: 'gax-browser-field',
  setup(b) {
    b.onResolve({ filter: /^google-gax$/ }, async (args) => {
      const r = await b.resolve('google-gax/fallback', { resolveDir: args.resolveDir, kind: args.kind });
      return r.errors.length > 0 ? { errors: r.errors } : { path: r.path };
    });
  },
};

/** How esbuild's metafile names an entry given as `stdin` contents. */
const STDIN = '<stdin>';

/** Our side of the comparison: what an app with the two clients imports (see the module comment). */
const OURS_ENTRY =
  "export { createClient, createRestTransport, ImageAnnotator, paginate, ProductSearch, VisionError } from './src/browser.ts';";

const OFFICIAL_ENTRY = [
  "export { ImageAnnotatorClient } from '@google-cloud/vision/build/src/v1p4beta1/image_annotator_client.js';",
  "export { ProductSearchClient } from '@google-cloud/vision/build/src/v1p4beta1/product_search_client.js';",
].join('\n');

async function bundle(entry: { file: string } | { contents: string }, plugins: Plugin[]): Promise<BundleSize & { metafile: Metafile }> {
  const result = await build({
    ...BROWSER_BUNDLE,
    ...('file' in entry ? { entryPoints: [entry.file] } : { stdin: { contents: entry.contents, resolveDir: ROOT, loader: 'js' as const } }),
    plugins,
  });
  const bytes = result.outputFiles[0]!.contents;
  return { minifiedBytes: bytes.length, gzippedBytes: gzipSync(bytes, { level: 9 }).length, metafile: result.metafile };
}

function top(metafile: Metafile, byPackage: boolean, count: number): BundleInput[] {
  const sums = new Map<string, number>();
  for (const output of Object.values(metafile.outputs)) {
    for (const [input, { bytesInOutput }] of Object.entries(output.inputs)) {
      if (input === STDIN) continue;
      const m = byPackage ? /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(input) : null;
      const key = m ? m[1]! : input;
      sums.set(key, (sums.get(key) ?? 0) + bytesInOutput);
    }
  }
  return [...sums]
    .map(([input, bytes]) => ({ input, bytes }))
    .sort((a, b) => b.bytes - a.bytes)
    .slice(0, count);
}

/** The area of an input: `gen/schema`, `src/codec`, …, or its package. */
function areaOf(input: string): string {
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(input);
  if (pkg) return pkg[1]!;
  const parts = input.split('/');
  return parts.length > 2 ? `${parts[0]}/${parts[1]}` : input;
}

/** Approximate gzipped bytes per area of a bundle (see {@link BundleResult}). */
async function areas(metafile: Metafile): Promise<BundleInput[]> {
  const texts = new Map<string, string[]>();
  const kept = new Map<string, number>();
  for (const output of Object.values(metafile.outputs)) {
    for (const [input, { bytesInOutput }] of Object.entries(output.inputs))
      kept.set(areaOf(input), (kept.get(areaOf(input)) ?? 0) + bytesInOutput);
  }
  for (const input of Object.keys(metafile.inputs)) {
    if (input === STDIN) continue; // the entry itself: one export line
    const source = readFileSync(join(ROOT, input), 'utf8');
    const loader = input.endsWith('.ts') ? 'ts' : 'js';
    const { code } = await transform(source, { loader, minify: true, format: 'esm', target: 'es2022' });
    const area = areaOf(input);
    texts.set(area, [...(texts.get(area) ?? []), code]);
  }
  return [...texts]
    .map(([input, codes]) => {
      const text = codes.join('\n');
      const share = Math.min(1, (kept.get(input) ?? 0) / Buffer.byteLength(text));
      return { input, bytes: Math.round(gzipSync(text, { level: 9 }).length * share) };
    })
    .sort((a, b) => b.bytes - a.bytes);
}

/** Runs measurement 1 (the same work in a smoke run: it takes seconds). */
export async function measureBundle(): Promise<BundleResult> {
  const require = createRequire(`${ROOT}/package.json`);
  const esbuildVersion = (require('esbuild/package.json') as { version: string }).version;
  const entry = { contents: OFFICIAL_ENTRY };
  const [ours, official, browserField] = await Promise.all([
    bundle({ contents: OURS_ENTRY }, []),
    bundle(entry, [stubBuiltins]),
    bundle(entry, [gaxBrowserField, stubBuiltins]),
  ]);
  const inputs = Object.keys(ours.metafile.inputs);
  const noMessageCode = !inputs.some((p) => /^gen\/google\/|@grpc\/grpc-js|google-auth-library/.test(p));
  const ratio = round(ours.gzippedBytes / official.gzippedBytes, 3);
  const apps = await measureBrowserApps();
  const imageApp = apps.find((a) => a.app === 'imageAnnotator')!;
  return {
    esbuild: esbuildVersion,
    ours: {
      minifiedBytes: ours.minifiedBytes,
      gzippedBytes: ours.gzippedBytes,
      top: top(ours.metafile, false, 12),
      areas: await areas(ours.metafile),
      noMessageCode,
    },
    official: { minifiedBytes: official.minifiedBytes, gzippedBytes: official.gzippedBytes, top: top(official.metafile, true, 10) },
    officialBrowserField: { minifiedBytes: browserField.minifiedBytes, gzippedBytes: browserField.gzippedBytes },
    ratio,
    ratioBrowserField: round(ours.gzippedBytes / browserField.gzippedBytes, 3),
    goal: `ours ≤ ${ENTRY_GOAL_RATIO}× official, gzipped`,
    goalRatio: ENTRY_GOAL_RATIO,
    met: ours.gzippedBytes <= ENTRY_GOAL_RATIO * official.gzippedBytes,
    apps,
    appGoalBytes: IMAGE_ANNOTATOR_APP_GOAL,
    appMet: imageApp.gzippedBytes <= IMAGE_ANNOTATOR_APP_GOAL,
  };
}
