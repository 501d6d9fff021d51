/**
 * A setting of the emulator that cannot be used as given — a data dir that
 * is a file, a fixtures folder that does not exist — reported before
 * anything is served, so that the CLI can answer it as bad input (exit 2)
 * rather than as a raw Node error.
 */
import { stat } from 'node:fs/promises';
import { dirname } from 'node:path';
import { errnoOf } from '../fs-errors.js';

/** The option of {@link EmulatorOptionError}: the name of a field of `EmulatorOptions`. */
export type EmulatorOptionName = 'dataDir' | 'fixturesDir';

/**
 * `startEmulator` cannot use an option as given (its message says why and
 * names the path); `vision-kit emulator` reports it as a usage error, exit 2.
 */
export class EmulatorOptionError extends Error {
  /** The option at fault (`dataDir` or `fixturesDir`). */
  readonly option: EmulatorOptionName;

  constructor(option: EmulatorOptionName, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'EmulatorOptionError';
    this.option = option;
  }
}

/**
 * The nearest existing ancestor of `path` (itself included) when it is not a
 * folder — the file that stops a folder from being made at `path` — or
 * undefined.
 */
export async function fileInTheWay(path: string): Promise<string | undefined> {
  for (let p = path; ; p = dirname(p)) {
    try {
      return (await stat(p)).isDirectory() ? undefined : p;
    } catch (err) {
      if (errnoOf(err) !== 'ENOENT' && errnoOf(err) !== 'ENOTDIR') return undefined;
    }
    if (dirname(p) === p) return undefined;
  }
}
