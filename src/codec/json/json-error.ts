/**
 * How proto3 JSON fails: one error class, {@link ProtoJsonError}, with the
 * path of the field at fault. The writer and the reader (and the single-value
 * forms, field-text.ts) throw a bare `PathFailure` where they find the
 * problem, each level adds its path segment on the way out, and the entry
 * point turns it into the public error once — so the walkers build no path
 * strings unless something fails.
 */
import { VisionError } from '../../core/vision-error.js';
import { PathFailure } from '../../schema/create-message.js';
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
