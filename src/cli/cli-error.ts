/**
 * An error the CLI reports as one line on stderr with a chosen exit code:
 * 2 for usage and client-side errors, 1 for API errors (docs/cli.md, "Exit codes").
 */
export class CliError extends Error {
  /** The process exit code to use. */
  readonly exitCode: number;

  constructor(message: string, exitCode = 2, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'CliError';
    this.exitCode = exitCode;
  }
}
