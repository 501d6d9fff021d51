import type { Code } from '../core/code.js';
import * as codes from '../core/codes.js';
import { VisionError, type VisionErrorInit } from '../core/vision-error.js';

/**
 * A type name the schema does not know (a message or enum, an `Any` type
 * URL, a map entry it cannot resolve). INVALID_ARGUMENT unless the caller
 * says otherwise; `typeName` is the name that was looked up.
 */
export class SchemaError extends VisionError {
  /** The full name that was not found (or was defined twice). */
  readonly typeName: string;

  constructor(message: string, typeName: string, code: Code = codes.INVALID_ARGUMENT, init?: VisionErrorInit) {
    super(code, message, init);
    this.name = 'SchemaError';
    this.typeName = typeName;
  }
}

/** What the Node entries add to a refusal's reason (reason-hints.ts); browsers keep the bare reason. */
let reasonHint: ((reason: string) => string) | undefined;

/**
 * Has every {@link FieldPathError} pass its reason through `hint` (the Node
 * entries give one that offers the nearest field or enum value name).
 */
export function provideReasonHint(hint: (reason: string) => string): void {
  reasonHint = hint;
}

/**
 * A value of the wrong shape at a field path of a message, e.g.
 * `requests[0].features[1].type`. The message reads `<path>: <reason>`
 * (`(root)` for the message itself). Always INVALID_ARGUMENT.
 */
export class FieldPathError extends VisionError {
  /** Dotted path of JSON field names with `[i]` indexes and `["key"]` map keys; "" for the root. */
  readonly path: string;
  /** Full name of the message type being read or checked (the root type). */
  readonly typeName: string;

  constructor(typeName: string, path: string, reason: string, init?: VisionErrorInit) {
    super(codes.INVALID_ARGUMENT, `${path === '' ? '(root)' : path}: ${reasonHint === undefined ? reason : reasonHint(reason)}`, init);
    this.name = 'FieldPathError';
    this.path = path;
    this.typeName = typeName;
  }
}
