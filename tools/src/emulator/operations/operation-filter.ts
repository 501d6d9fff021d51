/**
 * The subset of the AIP-160 list filter ListOperations accepts:
 * terms joined by `AND`, each one of
 * - `name:PREFIX` or `name=PREFIX*` — names starting with PREFIX;
 * - `name=NAME` — exactly that name;
 * - `done=true` / `done=false`;
 * - `metadata.state=STATE` (`RUNNING`, `DONE`, `PROCESSING`, …);
 * - `kind=METHOD` — the method that started it (`AsyncBatchAnnotateImages`, …).
 * Values may be double-quoted. Anything else is INVALID_ARGUMENT naming `filter`.
 */
import { invalidArgument } from '../errors.js';

/** What a filter tests about an operation. */
export interface FilterSubject {
  readonly name: string;
  readonly done: boolean;
  readonly state: string;
  readonly method: string;
}

/** A compiled filter. */
export type OperationFilter = (op: FilterSubject) => boolean;

const TERM = /^\s*([A-Za-z_.]+)\s*(:|=)\s*("(?:[^"\\]|\\.)*"|[^\s"]+)\s*$/;

/** Compiles `filter` (empty matches everything). */
export function compileOperationFilter(filter: string): OperationFilter {
  const text = filter.trim();
  if (!text) return () => true;
  const tests: OperationFilter[] = text.split(/\s+AND\s+/).map((term) => {
    const m = TERM.exec(term);
    if (!m) throw invalidArgument('filter', `cannot parse ${JSON.stringify(term.trim())}; use e.g. name:"operations/" AND done=false`);
    const [, field, op, raw] = m as unknown as [string, string, string, string];
    const value = raw.startsWith('"') ? (JSON.parse(raw) as string) : raw;
    switch (field) {
      case 'name':
        if (op === ':' || value.endsWith('*')) {
          const prefix = value.endsWith('*') ? value.slice(0, -1) : value;
          return (o) => o.name.startsWith(prefix);
        }
        return (o) => o.name === value;
      case 'done':
        if (op !== '=' || (value !== 'true' && value !== 'false')) throw invalidArgument('filter', 'done takes "=true" or "=false"');
        return (o) => o.done === (value === 'true');
      case 'metadata.state':
      case 'state':
        return (o) => o.state === value;
      case 'kind':
      case 'method':
        return (o) => o.method === value;
      default:
        throw invalidArgument('filter', `unknown field ${JSON.stringify(field)}; known: name, done, metadata.state, kind`);
    }
  });
  return (o) => tests.every((t) => t(o));
}
