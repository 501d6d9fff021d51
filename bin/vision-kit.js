#!/usr/bin/env node
// The `vision-kit` command: runs the CLI bundle that `npm ci` builds (the
// `prepare` script). Under a checkout without dist/, says how to build it.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const entry = new URL('../dist/vision-kit.js', import.meta.url);
if (!existsSync(fileURLToPath(entry))) {
  process.stderr.write('vision-kit: dist/vision-kit.js is missing; run `npm run build` (npm ci runs it for you)\n');
  process.exit(2);
}
await import(entry.href);
