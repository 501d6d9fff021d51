/**
 * `vision-kit/cli` (Node): what a package that adds commands to the
 * `vision-kit` command uses to behave like the rest of it — the error that
 * ends a command with one line on stderr and a chosen exit code, and the
 * runner that turns a commander program's outcome into the exit code. The
 * tools package's `emulator` and `annotate` run through these.
 *
 * @module vision-kit/cli
 */

import { provideReasonHints } from './schema/reason-hints.js';
import { registerVisionTables } from './schema/vision-tables.js';
import { provideStrictTemplateParser } from './transcoding/parse-path-template.js';

export { CliError } from './cli/cli-error.js';
export { runProgram } from './cli/run-program.js';

// Every type of Vision's tables can be looked up by name through this entry (vision-tables.ts).
registerVisionTables();
// A bad template is refused with where it goes wrong (path-template.ts, readPathTemplate).
provideStrictTemplateParser();
provideReasonHints();
