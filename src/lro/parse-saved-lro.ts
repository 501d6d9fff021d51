import { LroHandleError } from './errors.js';
import type { SavedLro } from './saved-lro.js';

/**
 * Checks that `value` is a {@link SavedLro} (as `toJSON()` makes and
 * `JSON.parse` gives back) and returns it, or throws an LroHandleError
 * naming the first field that is wrong.
 */
export function parseSavedLro(value: unknown): SavedLro {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new LroHandleError(`a saved handle must be an object, got ${value === null ? 'null' : typeof value}`);
  }
  const v = value as Record<string, unknown>;
  const text = (field: string): string => {
    const x = v[field];
    if (typeof x !== 'string' || x === '') throw new LroHandleError(`saved handle field "${field}" must be a non-empty string`);
    return x;
  };
  const time = (field: string): string => {
    const x = text(field);
    if (Number.isNaN(Date.parse(x))) throw new LroHandleError(`saved handle field "${field}" is not a date: "${x}"`);
    return x;
  };
  const name = text('name');
  const method = text('method');
  if (!/^[^/]+\/[^/]+$/.test(method)) throw new LroHandleError(`saved handle field "method" must be "service/Method", got "${method}"`);
  const startTime = time('startTime');
  if (v['deadline'] === undefined || v['deadline'] === null) return { name, method, startTime };
  return { name, method, startTime, deadline: time('deadline') };
}
