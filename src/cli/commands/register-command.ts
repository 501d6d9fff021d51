import type { Command } from 'commander';

/**
 * Adds one subcommand to the program. A command module declares its options
 * here and loads its implementation with a dynamic `import()` inside the
 * action, so start-up and `--help` stay fast.
 */
export type RegisterCommand = (program: Command) => void;
