/**
 * The tools package's part of the `vision-kit` command: `emulator`,
 * `annotate` and `gen`. The library's `vision-kit` binary hands any command line whose
 * subcommand is one of these to {@link main}; this package installs no bin
 * of its own (two packages claiming one bin name would collide).
 */
import { Command } from 'commander';
import { runProgram } from 'vision-kit/cli';
import { registerAnnotate } from './annotate-command.js';
import { registerEmulator } from './emulator-command.js';
import { registerGen } from './gen-command.js';

/** Builds the command tree of the tool subcommands (exported for tests). */
export function buildProgram(): Command {
  const program = new Command('vision-kit').option('--verbose', 'print stack traces of unexpected errors');
  registerAnnotate(program);
  registerEmulator(program);
  registerGen(program);
  return program;
}

/**
 * Runs a `vision-kit emulator …`, `annotate …` or `gen …` command line
 * (without the program name) and resolves to the exit code: 0 on success, 2
 * for a usage error, a CliError's own code otherwise (the library's
 * `runProgram`). Unexpected errors are rethrown for the process entry to
 * report.
 */
export async function main(argv: readonly string[]): Promise<number> {
  return runProgram(buildProgram(), argv);
}
