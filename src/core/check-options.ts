/**
 * The shared checks of public entry points' options (browser-safe, kept
 * tiny: it is in the browser bundle). Every failure is an INVALID_ARGUMENT
 * {@link VisionError} whose message starts with where it happened and
 * names the option.
 */

import * as codes from '../core/codes.js';
import { VisionError } from './vision-error.js';

/** Throws INVALID_ARGUMENT `<where>: <what>` (just `<what>` when `where` is empty). */
export function badOption(where: string, what: string): never {
  throw new VisionError(codes.INVALID_ARGUMENT, where ? `${where}: ${what}` : what);
}

/** A value as an error message shows it: strings quoted, objects and functions by their type, the rest as text. */
export function shown(value: unknown): string {
  return typeof value === 'string'
    ? `"${value}"`
    : (value && typeof value === 'object') || typeof value === 'function'
      ? typeof value
      : String(value);
}

/**
 * Throws unless `value` is a number in `[min, max]` (NaN never is): the option
 * `name` of `where`. Infinity passes only when `max` is Infinity.
 */
export function checkNumber(where: string, name: string, value: unknown, min = 0, max = Infinity): void {
  if (typeof value !== 'number' || !(value >= min && value <= max)) {
    badOption(where, `${name} must be a number ${max === Infinity ? `≥ ${min}` : `from ${min} to ${max}`}, got ${shown(value)}`);
  }
}

/** Throws unless `value` is a non-null object (or a function when `fn`): the argument `name` of `where`. */
export function checkObject(where: string, name: string, value: unknown, fn?: boolean): void {
  if (typeof value !== (fn ? 'function' : 'object') || value === null) {
    badOption(where, `${name} must be ${fn ? 'a function' : 'an object'}, got ${shown(value)}`);
  }
}

/**
 * Every option name of `T`, as the keys of an object (the value means
 * nothing): typed so, a list of names cannot miss an option of `T` nor name
 * one `T` lacks, and cannot drift from the interface it mirrors.
 */
export type OptionNames<T> = { readonly [K in keyof Required<T>]: 1 };

/**
 * Refuses a set option that `known` does not name: in JavaScript a
 * misspelt option (`baseURL`, `timeOut`) would otherwise be ignored and its
 * default used instead, such as Google's endpoint for a mistyped
 * `baseUrl`. An option set to `undefined` is allowed (it means "the
 * default" everywhere), and so are symbol keys (the library's own). The
 * error names the option and all the known ones (the right spelling is
 * among them); `prefix` is put before names (`options.`).
 */
export function checkKeys(where: string, options: object, known: object, prefix = ''): void {
  for (const key in options) {
    if (Object.hasOwn(known, key) || !Object.hasOwn(options, key) || (options as Record<string, unknown>)[key] === undefined) continue;
    badOption(where, `${prefix}${key} is not an option; the options are ${prefix}${Object.keys(known).join(`, ${prefix}`)}`);
  }
}
