/**
 * How a `vision-kit` command line ends: the exit code (0 on success, 2 for a
 * usage error — commander's own or a {@link CliError} with no other code —,
 * a CliError's own code otherwise) and, for a CliError, one line on stderr.
 * The library's commands and the tools package's run through this one
 * function, so the two halves of the command behave alike.
 */
import type { Command } from 'commander';
import { CliError } from './cli-error.js';

/**
 * True for commander's own errors (usage errors, `--help`, `--version`). Told
 * by their `code` rather than by class: the tools package may load its own
 * copy of commander.
 */
function isCommanderError(err: unknown): err is { readonly exitCode: number } {
  const e = err as { code?: unknown; exitCode?: unknown } | null;
  return typeof e?.code === 'string' && e.code.startsWith('commander.') && typeof e.exitCode === 'number';
}

/**
 * Parses `argv` (without the program name) with `program` and runs the
 * chosen command; resolves to the exit code. Unexpected errors (not a
 * CliError) are rethrown for the process entry to report.
 */
export async function runProgram(program: Command, argv: readonly string[]): Promise<number> {
  program.exitOverride();
  for (const cmd of program.commands) cmd.exitOverride();
  try {
    await program.parseAsync([...argv], { from: 'user' });
    return typeof process.exitCode === 'number' ? process.exitCode : 0;
  } catch (err) {
    if (isCommanderError(err)) return err.exitCode === 0 ? 0 : 2;
    if (err instanceof CliError) {
      process.stderr.write(`vision-kit: ${err.message}\n`);
      return err.exitCode;
    }
    throw err;
  }
}
