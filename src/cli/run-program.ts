/**
 * How a `vision-kit` command line ends: the exit code (0 on success, 2 for a
 * usage error — commander's own or a {@link CliError} with no other code —,
 * a CliError's own code otherwise) and, for a CliError, one line on stderr.
 * A usage error commander finds (an unknown option, a missing argument, a
 * value an option refuses) is one line too, `vision-kit: <what>` with
 * commander's suggestion folded in, and one more line pointing at that
 * command's `--help` (never the whole help). The library's commands and the
 * tools package's run through this one function, so the two halves of the
 * command behave alike.
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
  configureCommand(program);
  try {
    await program.parseAsync([...argv], { from: 'user' });
    return typeof process.exitCode === 'number' ? process.exitCode : 0;
  } catch (err) {
    if (isCommanderError(err)) return err.exitCode === 0 ? 0 : 2;
    if (err instanceof CliError) {
      process.stderr.write(`vision-kit: ${oneLine(err.message)}\n`);
      return err.exitCode;
    }
    throw err;
  }
}

/** `text` on one line: line breaks and the spaces around them become one space. */
export function oneLine(text: string): string {
  return text.trim().replace(/\s*\n\s*/g, ' ');
}

/** `vision-kit call`: the names from the root to `cmd`. */
function commandPath(cmd: Command): string {
  const names: string[] = [];
  for (let c: Command | null = cmd; c !== null; c = c.parent) names.unshift(c.name());
  return names.join(' ');
}

/**
 * Makes `cmd` and its subcommands throw instead of exiting, and report a
 * usage error as one line plus a pointer at `--help`.
 */
function configureCommand(cmd: Command): void {
  const path = commandPath(cmd);
  cmd.exitOverride();
  cmd.configureOutput({
    outputError: (text, write) => write(`vision-kit: ${oneLine(text).replace(/^error: /, '')}\n`),
  });
  cmd.showHelpAfterError(`(${path} --help for usage)`);
  for (const sub of cmd.commands) configureCommand(sub);
}
