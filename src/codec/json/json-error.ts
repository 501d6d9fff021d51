/**
 * How proto3 JSON fails: one error class, {@link ProtoJsonError}, with the
 * path of the field at fault. The writer and the reader (and the single-value
 * forms, field-text.ts) throw a bare `PathFailure` where they find the
 * problem, each level adds its path segment on the way out, and the entry
 * point turns it into the public error once — so the walkers build no path
 * strings unless something fails.
 */
import { VisionError } from '../../core/vision-error.js';
import { describe, type MessageObject, PathFailure, scalarName } from '../../schema/create-message.js';
import { integerRange } from '../../schema/scalar.js';
import { FieldPathError } from '../../schema/schema-error.js';

/**
 * Bad proto3 JSON (or a message that cannot be written as JSON): always
 * INVALID_ARGUMENT, with `path` naming the field (`requests[0].features[1].type`).
 */
export class ProtoJsonError extends FieldPathError {
  constructor(typeName: string, path: string, reason: string) {
    super(typeName, path, reason);
    this.name = 'ProtoJsonError';
  }
}

/** Fails here: a `PathFailure` with `reason`, to be given its path on the way out. */
export function fail(reason: string): never {
  throw new PathFailure(reason);
}

/** Fails with "expected `what`, got" and `v` described (the wrong-type refusal both codecs share). */
export function expected(what: string, v: unknown): never {
  return fail(`expected ${what}, got ${describe(v)}`);
}

/** `n` as decimal text when it is inside the range of integer kind `t`, else a failure naming the kind. */
export function inRange(t: number, n: bigint): string {
  const [lo, hi] = integerRange(t);
  if (n < lo || n > hi) outOfRange(n, t);
  return String(n);
}

/** Fails: `v` is out of the range of scalar type `t`. */
export function outOfRange(v: unknown, t: number): never {
  return fail(`${String(v)} is out of range for ${scalarName(t)}`);
}

/** Fails: more than 100 messages nested (the walkers count the depth). */
export function tooDeep(): never {
  return fail('messages nested more than 100 deep');
}

/** Fails: `key` names no field (`where`: "of <type>", "in an Any of <type>"). */
export function unknownField(key: string, where: string): never {
  return fail(`unknown field ${JSON.stringify(key)} ${where}`);
}

/** Fails: `name` is no value of enum `type`. */
export function unknownEnum(name: string, type: string | undefined): never {
  return fail(`unknown value ${JSON.stringify(name)} for enum ${type}`);
}

/** `v` when it is an array (a repeated field's value), else a failure. */
export function listOf(v: unknown): unknown[] {
  if (!Array.isArray(v)) expected('an array', v);
  return v;
}

/** True for an object that is neither null nor an array (a message's, a map's or an Any's JSON form). */
export function isObject(v: unknown): v is MessageObject {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** `v` when it is an object (a map field's value), else a failure. */
export function mapOf(v: unknown): MessageObject {
  if (!isObject(v)) expected('a map object', v);
  return v;
}

/** `x`, an item of a list (`inList`) or a map's value, when it is neither null nor undefined, else a failure. */
export function item(x: unknown, inList: boolean): unknown {
  if (x == null) fail(`null is not allowed ${inList ? 'in a repeated field' : 'as a map value'}`);
  return x;
}

/** Adds one path segment (`.field`, `[0]`, `["key"]`) to a failure leaving a level; a VisionError from below becomes one. */
export function rethrow(e: unknown, seg: string): unknown {
  if (e instanceof PathFailure) {
    e.segs.push(seg);
    return e;
  }
  if (e instanceof VisionError) {
    const f = new PathFailure(e.rawMessage);
    f.segs.push(seg);
    return f;
  }
  return e;
}

/** What leaves an entry point: always a {@link ProtoJsonError} for the root type `typeName`. */
export function finish(e: unknown, typeName: string): unknown {
  if (e instanceof PathFailure) {
    const path = e.segs.reverse().join('').replace(/^\./, '');
    return new ProtoJsonError(typeName, path, e.reason);
  }
  if (e instanceof ProtoJsonError) return e;
  if (e instanceof VisionError) return new ProtoJsonError(typeName, '', e.rawMessage);
  // Engine limits (stack depth) and anything unforeseen still leave as our error.
  return new ProtoJsonError(typeName, '', e instanceof Error ? e.message : String(e));
}
