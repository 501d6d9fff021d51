/**
 * `vision-kit emulator` and `vision-kit annotate` live in the vision-kit-tools
 * package (the emulator and the annotate workflow, with their image, PDF and
 * storage libraries), so that the library stays lean. This module lists them
 * in `--help` and hands a command line that starts with one of them to that
 * package, or says in one line which package to add when it is missing.
 */
import type { Command } from 'commander';
import { CliError } from '../cli-error.js';
import type { RegisterCommand } from './register-command.js';

/** The package that holds the tool commands. */
export const TOOLS_PACKAGE = 'vision-kit-tools';

/** The subcommands that the tools package implements: what `--help` shows of their arguments, and their one-line descriptions. */
export const TOOL_COMMANDS: Readonly<Record<string, { readonly args: string; readonly description: string }>> = Object.freeze({
  annotate: {
    args: '[inputs and options...]',
    description: 'annotate image files, folders or gs:// URIs with asyncBatchAnnotateImages (the embedded emulator by default)',
  },
  emulator: { args: '[options...]', description: 'run the local Vision emulator (gRPC + REST + Cloud Storage subset) on 127.0.0.1' },
  gen: {
    args: '<inputs and options...>',
    description: 'generate typed bindings for googleapis paths (google/cloud/speech/v1) or proto folders into a folder of yours',
  },
});

/** What the tools package's `cli` entry exports. */
interface ToolsCli {
  /** Runs a command line whose subcommand is one of {@link TOOL_COMMANDS}; resolves to the exit code. */
  main(argv: readonly string[]): Promise<number>;
}

/**
 * The tool subcommand a command line runs and the command line to hand it
 * (`help annotate` becomes `annotate --help`), or undefined when the line
 * runs another command. The subcommand is the first argument that is not an
 * option.
 */
export function toolCommandLine(argv: readonly string[]): { readonly command: string; readonly argv: readonly string[] } | undefined {
  const at = argv.findIndex((arg) => !arg.startsWith('-'));
  const first = argv[at];
  if (first !== undefined && Object.hasOwn(TOOL_COMMANDS, first)) return { command: first, argv };
  const topic = argv[at + 1];
  if (first === 'help' && topic !== undefined && Object.hasOwn(TOOL_COMMANDS, topic)) return { command: topic, argv: [topic, '--help'] };
  return undefined;
}

/** True when `err` says that the tools package itself cannot be found (not one of its own imports). */
function isToolsMissing(err: unknown): boolean {
  const e = err as { code?: unknown; message?: unknown };
  return e?.code === 'ERR_MODULE_NOT_FOUND' && typeof e.message === 'string' && e.message.includes(`'${TOOLS_PACKAGE}'`);
}

/**
 * Runs `argv` (whose subcommand is `command`) with the tools package's CLI.
 * Without the package: a CliError (exit 2) naming the package to add.
 */
export async function runToolCommand(command: string, argv: readonly string[]): Promise<number> {
  // A computed specifier: the library must not depend on the tools package, which depends on it.
  const specifier = `${TOOLS_PACKAGE}/cli`;
  let cli: ToolsCli;
  try {
    cli = (await import(specifier)) as ToolsCli;
  } catch (err) {
    if (isToolsMissing(err)) {
      throw new CliError(`"${command}" is in the ${TOOLS_PACKAGE} package, which is not installed; add it with: npm i -D ${TOOLS_PACKAGE}`);
    }
    throw err;
  }
  return cli.main(argv);
}

/**
 * Lists the tool subcommands in `--help`. They are only listed: `main`
 * hands every command line that runs one to {@link runToolCommand} before
 * commander parses it.
 */
export const registerToolCommands: RegisterCommand = (program: Command) => {
  for (const [name, { args, description }] of Object.entries(TOOL_COMMANDS)) {
    program.command(name).description(`${description} (${TOOLS_PACKAGE})`).helpOption(false).argument(args);
  }
};
