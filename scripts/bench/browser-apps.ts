/**
 * Browser apps built the way a user's bundler builds them: minimal apps
 * (scripts/bench/apps/) that import `vision-kit/browser`, bundled for the
 * browser (the options of scripts/browser-bundle.mjs: esbuild, minified,
 * gzip level 9) against the package as it ships — the library's bundles
 * (scripts/library-bundle.mjs) written into a scratch `node_modules/vision-kit`
 * with the repository's package.json, so `vision-kit/browser` resolves
 * through the package's `exports` to its dist/, as in an app that installed
 * it. The dist is one split build shared by every entry, so its chunks say
 * little about where the bytes come from: each app is bundled a second time
 * from the sources (the `vision-kit-source` export condition), whose
 * metafile names the modules. Used by the bench's measurement 1 and by
 * test/client/browser-bundle.test.ts (sizes are deterministic, so the size
 * goal is a test).
 */
import { copyFileSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { build, type Metafile, type Plugin, transform } from 'esbuild';
import { BROWSER_BUNDLE, ROOT } from '../browser-bundle.mjs';
import { bundleLibrary } from '../library-bundle.mjs';

/** The minimal apps, by name: the file that is the app. */
export const BROWSER_APPS = Object.freeze({
  /** An ImageAnnotator REST client: AsyncBatchAnnotateImages, then a wait with progress. */
  imageAnnotator: 'scripts/bench/apps/image-annotator.ts',
  /** A ProductSearch REST client: create, get and list products. */
  productSearch: 'scripts/bench/apps/product-search.ts',
});

/** The name of one of {@link BROWSER_APPS}. */
export type BrowserAppName = keyof typeof BROWSER_APPS;

/** The size goal of the minimal ImageAnnotator app, gzipped bytes. */
export const IMAGE_ANNOTATOR_APP_GOAL = 20_500;

/**
 * What the minimal ImageAnnotator app may weigh today, gzipped bytes: the
 * size reached on the way to {@link IMAGE_ANNOTATOR_APP_GOAL}, plus a few
 * hundred bytes of slack. test/client/browser-bundle.test.ts holds it, so a
 * change that grows the app fails `npm test`; lower it as the app shrinks.
 */
export const IMAGE_ANNOTATOR_APP_CEILING = 30_600;

/** One input's minified bytes in a bundle (esbuild's metafile). */
export interface AppInput {
  readonly input: string;
  readonly bytes: number;
}

/** What one app weighs. */
export interface AppSize {
  readonly app: BrowserAppName;
  /** Built from the package's dist/: the figure. */
  readonly minifiedBytes: number;
  readonly gzippedBytes: number;
  /**
   * Built from the sources, for attribution: its size, its largest inputs
   * (minified bytes) and the inputs that cost the most gzipped bytes
   * ({@link gzipPrices}).
   */
  readonly fromSource: {
    readonly minifiedBytes: number;
    readonly gzippedBytes: number;
    readonly top: readonly AppInput[];
    readonly prices: readonly AppInput[];
    /** The gzip prices summed by folder (`src/lro`, `gen/schema`, …), largest first. */
    readonly areas: readonly AppInput[];
  };
}

/** A scratch package folder holding the library as it ships (package.json and the dist bundles). */
export interface ScratchPackage {
  /** The folder whose node_modules holds `vision-kit`. */
  readonly dir: string;
  /** Removes it. */
  dispose(): void;
}

/** Writes the library's bundles and package.json into a scratch `node_modules/vision-kit`. */
export async function scratchPackage(): Promise<ScratchPackage> {
  const dir = mkdtempSync(join(tmpdir(), 'vision-kit-apps-'));
  const pkg = join(dir, 'node_modules', 'vision-kit');
  mkdirSync(pkg, { recursive: true });
  copyFileSync(join(ROOT, 'package.json'), join(pkg, 'package.json'));
  await bundleLibrary(join(pkg, 'dist'));
  return { dir, dispose: () => rmSync(dir, { recursive: true, force: true }) };
}

/** `vision-kit` and its subpaths resolved from the scratch package (not the repository's own link). */
function fromPackage(dir: string): Plugin {
  return {
    name: 'vision-kit-from-package',
    setup(b) {
      b.onResolve({ filter: /^vision-kit(\/.*)?$/ }, async (args) => {
        if (args.pluginData === 'scratch') return undefined;
        const r = await b.resolve(args.path, { resolveDir: dir, kind: args.kind, pluginData: 'scratch' });
        return r.errors.length > 0 ? { errors: r.errors } : { path: r.path };
      });
    },
  };
}

/** Bundles an entry for the browser; sizes and the metafile. */
export async function bundleForBrowser(
  entry: string,
  extra: { readonly plugins?: Plugin[]; readonly conditions?: string[] } = {},
): Promise<{ minifiedBytes: number; gzippedBytes: number; metafile: Metafile; text: string }> {
  const result = await build({ ...BROWSER_BUNDLE, entryPoints: [entry], plugins: extra.plugins ?? [], conditions: extra.conditions ?? [] });
  const out = result.outputFiles[0]!;
  return {
    minifiedBytes: out.contents.length,
    gzippedBytes: gzipSync(out.contents, { level: 9 }).length,
    metafile: result.metafile,
    text: out.text,
  };
}

/** The largest inputs of a bundle by minified bytes. */
export function largestInputs(metafile: Metafile, count: number): AppInput[] {
  const sums = new Map<string, number>();
  for (const output of Object.values(metafile.outputs)) {
    for (const [input, { bytesInOutput }] of Object.entries(output.inputs)) sums.set(input, (sums.get(input) ?? 0) + bytesInOutput);
  }
  return [...sums]
    .map(([input, bytes]) => ({ input, bytes }))
    .filter((i) => i.bytes > 0)
    .sort((a, b) => b.bytes - a.bytes)
    .slice(0, count);
}

/**
 * What each input of a bundle costs gzipped: how many bytes the gzipped
 * bundle loses without it (its marginal bytes), largest first. Minified
 * bytes rank badly what gzip sees: a module of repeated names costs less
 * than its length says, one of distinct strings more. The bundle is built
 * with names and syntax minified but not whitespace, so esbuild marks where
 * each module starts (`// src/…`); each module's text is then minified on
 * its own and the bundle gzipped with and without it. The marginals add up
 * to a little less than the whole (what two modules share is counted in
 * neither).
 */
export async function gzipPrices(
  entry: string,
  conditions: readonly string[],
): Promise<{ readonly gzippedBytes: number; readonly prices: readonly AppInput[] }> {
  const result = await build({
    ...BROWSER_BUNDLE,
    minify: false,
    minifyIdentifiers: true,
    minifySyntax: true,
    entryPoints: [entry],
    conditions: [...conditions],
  });
  const modules = result.outputFiles[0]!.text.split(/^(?=\/\/ [^\n]+\.[cm]?[jt]s\n)/m);
  const parts: string[] = [];
  const names: string[] = [];
  for (const text of modules) {
    names.push(text.startsWith('// ') ? text.slice(3, text.indexOf('\n')) : '(bundle head)');
    // A part that does not stand alone (an export list naming another part's bindings) is kept as it is.
    parts.push(
      await transform(text, { minifyWhitespace: true, format: 'esm', target: 'es2022' }).then(
        (r) => r.code,
        () => text,
      ),
    );
  }
  const gz = (text: string): number => gzipSync(text, { level: 9 }).length;
  const whole = gz(parts.join(''));
  const prices = parts
    .map((_, i) => ({ input: names[i]!, bytes: whole - gz(parts.slice(0, i).join('') + parts.slice(i + 1).join('')) }))
    .sort((a, b) => b.bytes - a.bytes);
  return { gzippedBytes: whole, prices };
}

/** Prices summed by an input's folder (`src/lro/poller.ts` → `src/lro`), largest first. */
export function pricesByArea(prices: readonly AppInput[]): AppInput[] {
  const sums = new Map<string, number>();
  for (const p of prices) {
    const area = p.input.split('/').slice(0, -1).join('/') || p.input;
    sums.set(area, (sums.get(area) ?? 0) + p.bytes);
  }
  return [...sums].map(([input, bytes]) => ({ input, bytes })).sort((a, b) => b.bytes - a.bytes);
}

/**
 * Builds each app against the package (a scratch one made here, or `pkg`)
 * and from the sources; `top` largest inputs of each source build, and as
 * many of its costliest in gzipped bytes.
 */
export async function measureBrowserApps(
  apps: readonly BrowserAppName[] = Object.keys(BROWSER_APPS) as BrowserAppName[],
  options: { readonly top?: number; readonly pkg?: ScratchPackage } = {},
): Promise<AppSize[]> {
  const pkg = options.pkg ?? (await scratchPackage());
  try {
    const out: AppSize[] = [];
    for (const app of apps) {
      const file = BROWSER_APPS[app];
      const shipped = await bundleForBrowser(file, { plugins: [fromPackage(pkg.dir)] });
      const source = await bundleForBrowser(file, { conditions: ['vision-kit-source'] });
      const priced = await gzipPrices(file, ['vision-kit-source']);
      out.push({
        app,
        minifiedBytes: shipped.minifiedBytes,
        gzippedBytes: shipped.gzippedBytes,
        fromSource: {
          minifiedBytes: source.minifiedBytes,
          gzippedBytes: source.gzippedBytes,
          top: largestInputs(source.metafile, options.top ?? 12),
          prices: priced.prices.slice(0, options.top ?? 12),
          areas: pricesByArea(priced.prices),
        },
      });
    }
    return out;
  } finally {
    if (options.pkg === undefined) pkg.dispose();
  }
}
