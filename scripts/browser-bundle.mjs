// How the browser entry is bundled wherever its size is measured or checked
// (scripts/bundle-size.mjs, the bench's measurement 1, the browser-entry test):
// esbuild, one ESM file for browsers, ES2022, minified, production mode.
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The project's root folder. */
export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');

/** esbuild options shared by every browser bundle we measure (entry and plugins are the caller's). */
export const BROWSER_BUNDLE = Object.freeze({
  absWorkingDir: ROOT,
  bundle: true,
  format: 'esm',
  platform: 'browser',
  target: 'es2022',
  minify: true,
  write: false,
  metafile: true,
  logLevel: 'silent',
  define: Object.freeze({ 'process.env.NODE_ENV': '"production"' }),
});
