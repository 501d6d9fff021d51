/** Process entry of the `vision-kit` binary: runs {@link main} and sets the exit code. */

import { setUpNodeEntry } from '../transcoding/node-entry-setup.js';
import { main } from './main.js';

// Vision's tables, all of them, with Node's exact errors (node-entry-setup.ts).
setUpNodeEntry();
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
