/** Process entry of the `vision-kit` binary: runs {@link main} and sets the exit code. */

import { provideReasonHints } from '../schema/reason-hints.js';
import { registerVisionTables } from '../schema/vision-tables.js';
import { provideStrictTemplateParser } from '../transcoding/parse-path-template.js';
import { main } from './main.js';

// Vision's tables, all of them (vision-tables.ts); the Node entries' exact template errors and nearest-name hints.
registerVisionTables();
provideStrictTemplateParser();
provideReasonHints();
main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    const verbose = process.argv.includes('--verbose');
    process.stderr.write(`vision-kit: ${verbose && err instanceof Error ? err.stack : err instanceof Error ? err.message : String(err)}\n`);
    process.exitCode = 2;
  },
);
