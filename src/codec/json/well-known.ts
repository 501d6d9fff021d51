/**
 * The bounds proto3 JSON puts on the well-known types, the same for the
 * writer and the reader so that what one writes the other reads: Timestamps
 * in years 0001–9999, Durations within ±10,000 years, FieldMask paths of
 * identifier segments, an Any's type known to the schema registry.
 */
import { hasMessage } from '../../schema/registry.js';
import { fail } from './json-error.js';

/** The earliest Timestamp with a JSON form: 0001-01-01T00:00:00Z. */
export const MIN_SECONDS = -62135596800;
/** The latest Timestamp with a JSON form: 9999-12-31T23:59:59Z. */
export const MAX_SECONDS = 253402300799;
/** The largest Duration (either sign), in seconds. */
export const MAX_DURATION = 315576000000;
/** Why a Timestamp has no JSON form (after the value). */
export const OUTSIDE_YEARS = 'is outside 0001-01-01..9999-12-31';
/** Why a Duration has no JSON form (after the value). */
export const OUTSIDE_DURATION = `is out of range (±${MAX_DURATION}s)`;
/** One FieldMask path: dot-separated identifiers (before the lowerCamel/snake_case checks). */
export const MASK_PATH = /^[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)*$/;

/** The message type an Any's type URL names (the part after the last '/'); fails for a type the registry does not know. */
export function anyTypeName(url: string): string {
  const name = url.slice(url.lastIndexOf('/') + 1);
  if (!hasMessage(name)) fail(`unknown type ${JSON.stringify(url)} in Any`);
  return name;
}
