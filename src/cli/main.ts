/**
 * The `vision-kit` command. Subcommands are declared in `commands/` and their
 * implementations loaded only when they run, so `--help` and start-up stay fast.
 */
import { Command } from 'commander';
import { CliError } from './cli-error.js';
import { COMMANDS } from './commands/index.js';
import { runToolCommand, toolCommandLine } from './commands/tool-commands.js';
import { runProgram } from './run-program.js';
import { version } from './version.js';

/** Builds the command tree (exported for tests). */
export function buildProgram(): Command {
  const program = new Command('vision-kit')
    .description('Google Cloud Vision v1p4beta1 toolkit: typed gRPC/REST calls, a long-running-operation poller and a local emulator')
    .version(version, '-V, --version')
    .option('--verbose', 'print stack traces of unexpected errors');
  for (const register of COMMANDS) register(program);
  return program;
}

/**
 * Runs the command line and resolves to the exit code (`emulator` and
 * `annotate` are handed to the tools package whole): 0 on success, 2 for a
 * usage error (commander's own, or a {@link CliError}), a CliError's own code
 * otherwise. Unexpected errors are rethrown for the process entry to report.
 */
export async function main(argv: readonly string[]): Promise<number> {
  const tool = toolCommandLine(argv);
  if (tool !== undefined) {
    try {
      return await runToolCommand(tool.command, tool.argv);
    } catch (err) {
      if (!(err instanceof CliError)) throw err;
      process.stderr.write(`vision-kit: ${err.message}\n`);
      return err.exitCode;
    }
  }
  return runProgram(buildProgram(), argv);
}
