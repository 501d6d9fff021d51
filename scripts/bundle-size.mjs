// Prints the size of src/browser.ts bundled for the browser (esbuild,
// minified, ES2022), raw and gzipped: the whole entry, everything it exports
// (the bench compares an app with the two clients, scripts/bench/bundle.ts).
// Usage: node scripts/bundle-size.mjs [--json]

import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';
import { BROWSER_BUNDLE } from './browser-bundle.mjs';

const result = await build({ ...BROWSER_BUNDLE, entryPoints: ['src/browser.ts'], logLevel: 'error' });
const bytes = result.outputFiles[0].contents;
const gzipped = gzipSync(bytes, { level: 9 }).length;
const kb = (n) => `${(n / 1024).toFixed(1)} KB`;
if (process.argv.includes('--json')) {
  process.stdout.write(`${JSON.stringify({ minified: bytes.length, gzipped })}\n`);
} else {
  process.stdout.write(`src/browser.ts for browsers: ${kb(bytes.length)} minified, ${kb(gzipped)} gzipped\n`);
}
