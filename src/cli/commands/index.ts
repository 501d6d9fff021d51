import type { Command } from 'commander';
import { registerAnnotate } from './annotate.js';
import { registerCall } from './call.js';
import { registerEmulator } from './emulator.js';

/**
 * Adds one subcommand to the program. A command module declares its options
 * here and loads its implementation with a dynamic `import()` inside the
 * action, so start-up and `--help` stay fast.
 */
export type RegisterCommand = (program: Command) => void;

/** Every subcommand, in the order `--help` lists them. */
export const COMMANDS: readonly RegisterCommand[] = [registerAnnotate, registerCall, registerEmulator];
