import type { Any } from '../../gen/google/protobuf/any.js';
import { heldMessage } from '../codec/held-any.js';

/**
 * Structural equality of two messages in the in-memory shape (plain objects,
 * arrays, Uint8Array, strings, numbers, booleans, undefined). Anys read
 * from JSON compare by the messages they hold (their bytes are not made).
 */
export function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  const ha = heldMessage(a);
  const hb = heldMessage(b);
  if (ha !== undefined && hb !== undefined) return ha.typeUrl === hb.typeUrl && deepEqual(ha.message, hb.message);
  if (a instanceof Uint8Array || b instanceof Uint8Array) {
    return a instanceof Uint8Array && b instanceof Uint8Array && bytesEqual(a, b);
  }
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a)) {
    const bb = b as unknown[];
    if (a.length !== bb.length) return false;
    for (let i = 0; i < a.length; i++) if (!deepEqual(a[i], bb[i])) return false;
    return true;
  }
  const ao = a as Record<string, unknown>;
  const bo = b as Record<string, unknown>;
  const keys = new Set([...Object.keys(ao), ...Object.keys(bo)]);
  for (const k of keys) if (!deepEqual(ao[k], bo[k])) return false;
  return true;
}

/** True when two byte arrays hold the same bytes. */
export function bytesEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/**
 * True when two Any values carry the same type URL and bytes (or, read from
 * JSON, hold equal messages). One held and one not count as different: the
 * caller then decodes both and compares the messages.
 */
export function sameAny(a: Any, b: Any): boolean {
  if (a.typeUrl !== b.typeUrl) return false;
  const ha = heldMessage(a);
  const hb = heldMessage(b);
  if (ha !== undefined || hb !== undefined) return ha !== undefined && hb !== undefined && deepEqual(ha.message, hb.message);
  return bytesEqual(a.value, b.value);
}
