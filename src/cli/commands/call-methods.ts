/**
 * How `vision-kit call` finds the method a user typed, and the list
 * `vision-kit call --list` prints. A method is found by its proto name, the
 * clients' camelCase spelling or a qualified name, in any case
 * (`findMethod`); an unknown one is one usage line naming the nearest
 * methods (Levenshtein distance, via `leven`, or the typed text inside a
 * method's name).
 */
import leven from 'leven';
import type { MethodRow } from '../../../gen/schema/services.js';
import { type FoundMethod, findMethod, SERVICE_DESCRIPTORS } from '../../schema/service-descriptor.js';
import { CliError } from '../cli-error.js';

/** How many suggestions an unknown method's line names at most. */
const MAX_SUGGESTIONS = 3;

/** Every method of the three services, in declaration order. */
function everyMethod(): { service: string; method: MethodRow }[] {
  return SERVICE_DESCRIPTORS.flatMap((s) => s.methods.map((method) => ({ service: s.name, method })));
}

/** The methods whose names are nearest to `typed` (its last `.`/`/` part), best first; at most three. */
export function nearestMethods(typed: string): string[] {
  const sep = Math.max(typed.lastIndexOf('.'), typed.lastIndexOf('/'));
  const word = (sep >= 0 ? typed.slice(sep + 1) : typed).toLowerCase();
  if (word === '') return [];
  const limit = Math.max(2, Math.floor(word.length / 3));
  const scored: { name: string; score: number }[] = [];
  for (const { method } of everyMethod()) {
    const name = method.name.toLowerCase();
    const distance = leven(word, name, { maxDistance: limit + 1 });
    if (distance <= limit) scored.push({ name: method.name, score: distance });
    else if (word.length >= 4 && name.includes(word))
      scored.push({ name: method.name, score: limit + 1 + (name.length - word.length) / 100 });
  }
  scored.sort((a, b) => a.score - b.score || (a.name < b.name ? -1 : 1));
  return scored.slice(0, MAX_SUGGESTIONS).map((s) => s.name);
}

/** The method `typed` names, or a one-line usage error (exit 2) naming the nearest ones. */
export function lookUpMethod(typed: string): FoundMethod {
  try {
    return findMethod(typed);
  } catch {
    const near = nearestMethods(typed);
    const hint =
      near.length > 0 ? `did you mean ${near.join(', ')}?` : `not a method of ${SERVICE_DESCRIPTORS.map((s) => s.name).join(', ')}`;
    throw new CliError(`unknown method "${typed}": ${hint} (vision-kit call --list lists them all)`);
  }
}

/**
 * The text of `vision-kit call --list`: a header, then one line per method
 * (name, service, request type), operation-returning methods and gRPC-only
 * ones marked.
 */
export function methodList(): string {
  const rows = everyMethod().map(({ service, method }) => {
    const notes = [
      ...(method.operationInfo !== undefined ? ['returns an operation (--wait)'] : []),
      ...(method.http.length === 0 ? ['gRPC only'] : []),
    ];
    return [method.name, service, method.input, notes.join(', ')];
  });
  const header = ['METHOD', 'SERVICE', 'REQUEST', ''];
  const widths = [0, 1, 2].map((i) => Math.max(...[header, ...rows].map((r) => (r[i] ?? '').length)));
  const line = (r: readonly string[]): string =>
    r
      .map((cell, i) => (i < 3 ? cell.padEnd(widths[i] ?? 0) : cell))
      .join('  ')
      .trimEnd();
  return `${[header, ...rows].map(line).join('\n')}\n`;
}
