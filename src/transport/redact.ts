/**
 * Keeps a caller's credentials out of everything a transport hands back, even
 * from a server that echoes them: error messages, error details (any string
 * inside a detail, and unknown details' bytes or JSON), the causes of
 * errors, and response messages. Strings get `[redacted]` in place of a
 * secret; bytes get the secret's bytes overwritten by `*` (the same length,
 * so an embedded protobuf message, e.g. in an `Any`, still decodes).
 * Browser-safe; nothing is copied unless it holds a secret.
 */
import { heldMessage, holdAny } from '../codec/held-any.js';
import { type ErrorDetail, VisionError } from '../core/vision-error.js';

const encoder = new TextEncoder();

/** `text` with every secret replaced by `[redacted]`. */
export function redactText(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const s of secrets) if (out.includes(s)) out = out.split(s).join('[redacted]');
  return out;
}

function indexOfBytes(hay: Uint8Array, needle: Uint8Array, from: number): number {
  outer: for (let i = from; i <= hay.length - needle.length; i++) {
    for (let j = 0; j < needle.length; j++) if (hay[i + j] !== needle[j]) continue outer;
    return i;
  }
  return -1;
}

/** `bytes` with each secret's UTF-8 bytes overwritten by `*` (a copy when anything matched; the same object otherwise). */
export function maskBytes(bytes: Uint8Array, secrets: readonly string[]): Uint8Array {
  let out: Uint8Array | undefined;
  for (const s of secrets) {
    const needle = encoder.encode(s);
    if (needle.length === 0) continue;
    for (let i = indexOfBytes(out ?? bytes, needle, 0); i >= 0; i = indexOfBytes(out!, needle, i + needle.length)) {
      out ??= bytes.slice();
      out.fill(0x2a, i, i + needle.length);
    }
  }
  return out ?? bytes;
}

/** True when a string, bytes, or anything inside an array, plain object or error holds a secret. */
export function holdsSecret(value: unknown, secrets: readonly string[], seen: Set<unknown> = new Set()): boolean {
  if (secrets.length === 0) return false;
  if (typeof value === 'string') return secrets.some((s) => value.includes(s));
  if (value === null || typeof value !== 'object' || seen.has(value)) return false;
  seen.add(value);
  const held = heldMessage(value);
  if (held !== undefined) return holdsSecret(held.message, secrets, seen);
  if (value instanceof Uint8Array) return maskBytes(value, secrets) !== value;
  if (value instanceof Error) {
    return (
      holdsSecret(value.message, secrets, seen) ||
      holdsSecret(value.cause, secrets, seen) ||
      (value instanceof VisionError && holdsSecret(value.details, secrets, seen))
    );
  }
  if (Array.isArray(value)) return value.some((v) => holdsSecret(v, secrets, seen));
  return Object.values(value).some((v) => holdsSecret(v, secrets, seen));
}

/**
 * A copy of a message (or any JSON-like value) with secrets redacted; the
 * parts that hold none are shared, and a value that holds none is returned
 * as is.
 */
export function redactValue<T>(value: T, secrets: readonly string[]): T {
  return secrets.length === 0 ? value : (redactIn(value, secrets, new Set()) as T);
}

/** One walk: each part redacted where it holds a secret, copied only when a part below it changed. */
function redactIn(value: unknown, secrets: readonly string[], seen: Set<object>): unknown {
  if (typeof value === 'string') return redactText(value, secrets);
  if (value === null || typeof value !== 'object' || seen.has(value)) return value;
  seen.add(value);
  const held = heldMessage(value);
  if (held !== undefined) {
    // An Any read from JSON: its message is redacted (its bytes are made from that, if ever).
    const message = redactIn(held.message, secrets, seen);
    return message === held.message ? value : holdAny(held.typeUrl, held.typeName, message as object);
  }
  if (value instanceof Uint8Array) return maskBytes(value, secrets);
  if (value instanceof Error) return redactCause(value, secrets);
  if (Array.isArray(value)) {
    let changed = false;
    const out = value.map((v: unknown) => {
      const r = redactIn(v, secrets, seen);
      changed ||= r !== v;
      return r;
    });
    return changed ? out : value;
  }
  let out: Record<string, unknown> | undefined;
  for (const [k, v] of Object.entries(value)) {
    const r = redactIn(v, secrets, seen);
    if (r !== v) (out ??= { ...value })[k] = r;
  }
  return out ?? value;
}

function redactCause(cause: unknown, secrets: readonly string[]): unknown {
  if (cause instanceof VisionError) return redactError(cause, secrets);
  if (cause instanceof Error) {
    if (!holdsSecret(cause, secrets)) return cause;
    const copy = new Error(
      redactText(cause.message, secrets),
      cause.cause === undefined ? undefined : { cause: redactCause(cause.cause, secrets) },
    );
    copy.name = cause.name;
    return copy;
  }
  return redactValue(cause, secrets);
}

/**
 * The error with every secret redacted from its message, its details and its
 * cause (a new VisionError when anything was; the same object otherwise), so
 * a server that echoes a header cannot leak a credential into logs or output.
 */
export function redactError(err: VisionError, secrets: readonly string[]): VisionError {
  if (!holdsSecret(err, secrets)) return err;
  const details: ErrorDetail[] = err.details.map((d) => redactValue(d, secrets));
  return new VisionError(err.code, redactText(err.rawMessage, secrets), {
    details,
    httpStatus: err.httpStatus,
    ...(err.cause === undefined ? {} : { cause: redactCause(err.cause, secrets) }),
  });
}
