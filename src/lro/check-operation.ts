import { heldMessage } from '../codec/held-any.js';

/**
 * Why `value` is not the Operation named `name` (a GetOperation answer), or
 * undefined when it is one: an object with that `name`, a boolean `done`,
 * `metadata`/`response` as Any (`{ typeUrl, value: Uint8Array }`, or one
 * read from JSON holding its message: its bytes are not made), `error`
 * as a google.rpc.Status, and not both `error` and `response`.
 */
export function operationProblem(value: unknown, name: string): string | undefined {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    return `got ${value === null ? 'null' : Array.isArray(value) ? 'an array' : typeof value}`;
  }
  const v = value as Record<string, unknown>;
  if (typeof v['name'] !== 'string' || v['name'] === '') return 'it has no name';
  if (v['name'] !== name) return `it names another operation, "${v['name']}"`;
  if (typeof v['done'] !== 'boolean') return 'its "done" is not a boolean';
  for (const field of ['metadata', 'response']) {
    const any = v[field];
    if (any === undefined) continue;
    const a = any as Record<string, unknown> | null;
    if (a === null || typeof a !== 'object' || typeof a['typeUrl'] !== 'string' || !(heldMessage(a) || a['value'] instanceof Uint8Array)) {
      return `its "${field}" is not a google.protobuf.Any`;
    }
  }
  const error = v['error'] as Record<string, unknown> | null | undefined;
  if (error !== undefined) {
    if (
      error === null ||
      typeof error !== 'object' ||
      typeof error['code'] !== 'number' ||
      typeof error['message'] !== 'string' ||
      !Array.isArray(error['details'])
    ) {
      return 'its "error" is not a google.rpc.Status';
    }
    if (v['response'] !== undefined) return 'it holds both "error" and "response"';
  }
  return undefined;
}
