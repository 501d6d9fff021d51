import { registerCall } from './call.js';
import type { RegisterCommand } from './register-command.js';
import { registerToolCommands } from './tool-commands.js';

/** Every subcommand, in the order `--help` lists them. */
export const COMMANDS: readonly RegisterCommand[] = [registerToolCommands, registerCall];
