/**
 * The nearest name for the two refusals a typo causes, an unknown field and
 * an unknown enum value: `unknown field "request" of …BatchAnnotateImagesRequest;
 * did you mean "requests"?`, and for an enum with no near name its values.
 * The Node entries install it (`provideReasonHints()`); a browser bundle
 * keeps the bare reason and carries neither this module nor `leven`.
 */
import leven from 'leven';
import { enumInfo, hasEnum, hasMessage, messageInfo } from './registry.js';
import { provideReasonHint } from './schema-error.js';

const UNKNOWN_FIELD = /^unknown field ("(?:[^"\\]|\\.)*") (?:of|in an Any of) (\S+)$/;
const UNKNOWN_VALUE = /^unknown value ("(?:[^"\\]|\\.)*") for enum (\S+)$/;

/** An enum with at most this many values has them listed when no name is near. */
const LISTED_VALUES = 16;

/**
 * The name of `names` nearest to `typed`, case aside: a one-letter name only
 * by case, one of 2 or 3 letters within one edit, a longer one within two or
 * a third of its length (a swapped pair of letters is two edits: `vaule` →
 * `value`).
 */
function nearest(typed: string, names: readonly string[]): string | undefined {
  const folded = typed.toLowerCase();
  const limit = typed.length <= 3 ? Math.min(1, typed.length - 1) : Math.max(2, Math.floor(typed.length / 3));
  let best: string | undefined;
  let bestDistance = limit + 1;
  for (const name of names) {
    const d = leven(folded, name.toLowerCase(), { maxDistance: bestDistance });
    if (d < bestDistance) [best, bestDistance] = [name, d];
  }
  return best === typed ? undefined : best;
}

/** `reason` with the nearest field or enum value name added, when it is one of the two refusals and a name is near. */
export function hintReason(reason: string): string {
  const field = UNKNOWN_FIELD.exec(reason);
  if (field !== null && hasMessage(field[2]!)) {
    const near = nearest(
      JSON.parse(field[1]!) as string,
      messageInfo(field[2]!).fields.map((f) => f.jsonName),
    );
    return near === undefined ? reason : `${reason}; did you mean "${near}"?`;
  }
  const value = UNKNOWN_VALUE.exec(reason);
  if (value !== null && hasEnum(value[2]!)) {
    const names = enumInfo(value[2]!).values.map(([name]) => name);
    const near = nearest(JSON.parse(value[1]!) as string, names);
    if (near !== undefined) return `${reason}; did you mean "${near}"?`;
    return names.length <= LISTED_VALUES ? `${reason} (its values: ${names.join(', ')})` : reason;
  }
  return reason;
}

/** Installs {@link hintReason} for every field-path refusal (what the Node entries call when they load). */
export function provideReasonHints(): void {
  provideReasonHint(hintReason);
}
