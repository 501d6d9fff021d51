/**
 * The generator's one error type: every failure names the step it happened
 * in and reads as one line (`gen: step "export" failed: <reason>`), as a
 * build log or a CI job shows it.
 */

/** A failure of one step of `vision-kit gen`; `message` is the one-line report, `reason` the part after the step. */
export class GenStepError extends Error {
  /** The step that failed: `options`, `locate`, `export`, `generate`, `tables`, `write`, … */
  readonly step: string;
  /** Why, in one line (a compiler's `file:line:column: …` when it has one). */
  readonly reason: string;

  constructor(step: string, reason: string, options?: { cause?: unknown }) {
    super(`gen: step "${step}" failed: ${reason}`, options);
    this.name = 'GenStepError';
    this.step = step;
    this.reason = reason;
  }
}

/** The first non-empty line of a tool's output (or of an error's message). */
export function firstLine(text: unknown): string {
  const line = String(text ?? '')
    .split('\n')
    .map((l) => l.trim())
    .find((l) => l.length > 0);
  return line ?? 'no output';
}

/**
 * Runs one step: any failure becomes a {@link GenStepError} of `name` whose
 * reason is the first line of the tool's stderr (or of the error), so a
 * failed run is reported in one line. A GenStepError passes through.
 */
export async function runStep<T>(name: string, fn: () => T | Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    if (err instanceof GenStepError) throw err;
    const e = err as { stderr?: unknown; message?: unknown } | null;
    const detail = e !== null && typeof e === 'object' && e.stderr ? e.stderr : (e?.message ?? err);
    throw new GenStepError(name, firstLine(detail), { cause: err });
  }
}
