/**
 * The tools package's part of the `vision-kit` command: `emulator` and
 * `annotate`. The library's `vision-kit` binary hands any command line whose
 * subcommand is one of these to {@link main}; this package installs no bin
 * of its own (two packages claiming one bin name would collide).
 */
import { Command, CommanderError } from 'commander';
import { registerAnnotate } from './annotate-command.js';
import { CliError } from './cli-error.js';
import { registerEmulator } from './emulator-command.js';

/** Builds the command tree of the tool subcommands (exported for tests). */
export function buildProgram(): Command {
  const program = new Command('vision-kit').option('--verbose', 'print stack traces of unexpected errors').showHelpAfterError();
  registerAnnotate(program);
  registerEmulator(program);
  return program;
}

/**
 * Runs a `vision-kit emulator …` or `vision-kit annotate …` command line
 * (without the program name) and resolves to the exit code: 0 on success, 2
 * for a usage error (commander's own, or a {@link CliError}), a CliError's
 * own code otherwise. Unexpected errors are rethrown for the process entry
 * to report.
 */
export async function main(argv: readonly string[]): Promise<number> {
  const program = buildProgram();
  program.exitOverride();
  for (const cmd of program.commands) cmd.exitOverride();
  try {
    await program.parseAsync([...argv], { from: 'user' });
    return typeof process.exitCode === 'number' ? process.exitCode : 0;
  } catch (err) {
    if (err instanceof CommanderError) return err.exitCode === 0 ? 0 : 2;
    if (err instanceof CliError) {
      process.stderr.write(`vision-kit: ${err.message}\n`);
      return err.exitCode;
    }
    throw err;
  }
}
