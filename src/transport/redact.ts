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
export function holdsSecret(value: unknown, secrets: readonly string[]): boolean {
  return redactValue(value, secrets) !== value;
}

/**
 * A copy of a message (or any JSON-like value, or an error) with secrets
 * redacted; the parts that hold none are shared, and a value that holds none
 * is returned as is. One walk: each part redacted where it holds a secret,
 * copied only when a part below it changed; a part met twice is redacted
 * once (a cycle comes back to the part as it was).
 */
export function redactValue<T>(value: T, secrets: readonly string[]): T {
  if (secrets.length === 0) return value;
  const seen = new Map<object, unknown>();
  const walk = (v: unknown): unknown => {
    if (typeof v === 'string') return redactText(v, secrets);
    if (v === null || typeof v !== 'object') return v;
    if (seen.has(v)) return seen.get(v);
    seen.set(v, v);
    const out = redactObject(v, secrets, walk);
    seen.set(v, out);
    return out;
  };
  return walk(value) as T;
}

function redactObject(value: object, secrets: readonly string[], walk: (v: unknown) => unknown): unknown {
  const held = heldMessage(value);
  if (held !== undefined) {
    // An Any read from JSON: its message is redacted (its bytes are made from that, if ever).
    const message = walk(held.message);
    return message === held.message ? value : holdAny(held.typeUrl, held.typeName, message as object);
  }
  if (value instanceof Uint8Array) return maskBytes(value, secrets);
  if (value instanceof Error) {
    // Its message, its cause and (a VisionError's) details; a copy keeps the code, HTTP status and name.
    const vision = value instanceof VisionError ? value : undefined;
    const text = vision?.rawMessage ?? value.message;
    const message = redactText(text, secrets);
    const details = walk(vision?.details) as ErrorDetail[];
    const cause = walk(value.cause);
    if (message === text && details === vision?.details && cause === value.cause) return value;
    if (vision) return new VisionError(vision.code, message, { details, httpStatus: vision.httpStatus, cause });
    const copy = new Error(message, value.cause === undefined ? undefined : { cause });
    copy.name = value.name;
    return copy;
  }
  if (Array.isArray(value)) {
    let changed = false;
    const out = value.map((v: unknown) => {
      const r = walk(v);
      changed ||= r !== v;
      return r;
    });
    return changed ? out : value;
  }
  let out: Record<string, unknown> | undefined;
  for (const [k, v] of Object.entries(value)) {
    const r = walk(v);
    if (r !== v) (out ??= { ...value })[k] = r;
  }
  return out ?? value;
}

/**
 * The error with every secret redacted from its message, its details and its
 * cause (a new VisionError when anything was; the same object otherwise), so
 * a server that echoes a header cannot leak a credential into logs or output.
 */
export function redactError(err: VisionError, secrets: readonly string[]): VisionError {
  return redactValue(err, secrets);
}
