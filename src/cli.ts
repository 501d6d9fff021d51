/**
 * `vision-kit/cli` (Node): what a package that adds commands to the
 * `vision-kit` command uses to behave like the rest of it — the error that
 * ends a command with one line on stderr and a chosen exit code, and the
 * runner that turns a commander program's outcome into the exit code. The
 * tools package's `emulator` and `annotate` run through these.
 *
 * @module vision-kit/cli
 */

import { setUpNodeEntry } from './transcoding/node-entry-setup.js';

export { CliError } from './cli/cli-error.js';
export { runProgram } from './cli/run-program.js';

// Every type of Vision's tables can be looked up by name through this entry, with Node's exact errors (node-entry-setup.ts).
setUpNodeEntry();
