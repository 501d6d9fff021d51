/**
 * The `vision-kit` command. Subcommands are declared here and their modules
 * loaded only when they run, so `--help` and start-up stay fast.
 */
import { Command } from 'commander';
import { version } from './version.js';

/** Builds the command tree (exported for tests). */
export function buildProgram(): Command {
  const program = new Command('vision-kit')
    .description('Google Cloud Vision v1p4beta1 toolkit: typed gRPC/REST calls, a long-running-operation poller and a local emulator')
    .version(version, '-V, --version')
    .showHelpAfterError()
    .configureOutput({ outputError: (text, write) => write(text) });
  return program;
}

/** Runs the command line; resolves to the exit code. */
export async function main(argv: readonly string[]): Promise<number> {
  const program = buildProgram();
  program.exitOverride();
  try {
    await program.parseAsync([...argv], { from: 'user' });
    return 0;
  } catch (err) {
    const code = (err as { exitCode?: unknown }).exitCode;
    if (typeof code === 'number') return code === 1 ? 2 : code;
    throw err;
  }
}
