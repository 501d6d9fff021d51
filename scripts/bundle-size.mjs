// Prints the size of src/browser.ts bundled for the browser (esbuild,
// minified, ES2022), raw and gzipped: the figure the README quotes.
// Usage: node scripts/bundle-size.mjs [--json]
import { build } from 'esbuild';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const result = await build({
  absWorkingDir: root,
  entryPoints: ['src/browser.ts'],
  bundle: true,
  format: 'esm',
  platform: 'browser',
  target: 'es2022',
  minify: true,
  write: false,
  metafile: true,
  logLevel: 'error',
});
const bytes = result.outputFiles[0].contents;
const gzipped = gzipSync(bytes, { level: 9 }).length;
const kb = (n) => `${(n / 1024).toFixed(1)} KB`;
if (process.argv.includes('--json')) {
  process.stdout.write(`${JSON.stringify({ minified: bytes.length, gzipped })}\n`);
} else {
  process.stdout.write(`src/browser.ts for browsers: ${kb(bytes.length)} minified, ${kb(gzipped)} gzipped\n`);
}
