import type {
  BadRequest,
  DebugInfo,
  ErrorInfo,
  Help,
  LocalizedMessage,
  PreconditionFailure,
  QuotaFailure,
  RequestInfo,
  ResourceInfo,
  RetryInfo,
} from '../../gen/google/rpc/error_details.js';
import * as codes from '../core/codes.js';
import { type Code, type CodeName, codeName, isCode } from './code.js';

/**
 * One entry of `google.rpc.Status.details`. Known `google.rpc` detail types
 * (ErrorInfo, RetryInfo, BadRequest, …) are decoded into `value`, shaped like
 * the generated message; anything else keeps its raw form (`bytes` from gRPC,
 * `json` from REST) so nothing is dropped.
 */
export interface ErrorDetail {
  /** Full message name, e.g. `google.rpc.ErrorInfo` (the type URL without its prefix). */
  readonly type: string;
  /** The decoded message, when the type is known to the schema. */
  readonly value?: object;
  /** The undecoded bytes of an unknown type (gRPC). */
  readonly bytes?: Uint8Array;
  /** The undecoded JSON of an unknown type (REST), without `@type`. */
  readonly json?: unknown;
}

/**
 * The `google.rpc` detail types by full name, as their generated messages:
 * what {@link VisionError.findDetail} types `value` with. An interface, so a
 * program can add detail types of its own by declaration merging
 * (`declare module 'vision-kit' { interface DetailTypes { 'my.pkg.Info': Info } }`).
 */
export interface DetailTypes {
  /** Why the call failed, machine-readably: a reason, the domain that set it and metadata. */
  'google.rpc.ErrorInfo': ErrorInfo;
  /** When the client may retry (`retryDelay`). */
  'google.rpc.RetryInfo': RetryInfo;
  /** A stack trace and detail for the server's developers. */
  'google.rpc.DebugInfo': DebugInfo;
  /** Which quota checks failed. */
  'google.rpc.QuotaFailure': QuotaFailure;
  /** Which preconditions of the call were not met. */
  'google.rpc.PreconditionFailure': PreconditionFailure;
  /** Which request fields are invalid and why (`fieldViolations`). */
  'google.rpc.BadRequest': BadRequest;
  /** The id the server gave the request, for a bug report. */
  'google.rpc.RequestInfo': RequestInfo;
  /** The resource the error is about (type, name, owner). */
  'google.rpc.ResourceInfo': ResourceInfo;
  /** Links to documentation about the error. */
  'google.rpc.Help': Help;
  /** The error message in a given locale, safe to show to end users. */
  'google.rpc.LocalizedMessage': LocalizedMessage;
}

/** An {@link ErrorDetail} whose `value` is the message of one known type (see {@link DetailTypes}). */
export interface TypedErrorDetail<T extends object> extends ErrorDetail {
  /** The decoded message (absent only when the server sent bytes that did not decode). */
  readonly value?: T;
}

/** Constructor options of {@link VisionError}. */
export interface VisionErrorInit {
  /** Typed details, in the order the server sent them. */
  details?: readonly ErrorDetail[];
  /** The HTTP status of a REST answer, or the status Google's front ends would give the code. */
  httpStatus?: number;
  /** What caused it (a network error, a decode error, …). */
  cause?: unknown;
}

/**
 * The one error type of vision-kit, for both transports, the poller, the
 * emulator and the CLI: a canonical code, the server's message and the
 * typed `google.rpc` details. `message` is `[CODE_NAME] rawMessage`.
 * It never holds request headers, so credentials cannot leak through it.
 */
// The class body never names the class itself (`from` lives in a function
// below): a self-reference makes esbuild emit `var VisionError = class
// _VisionError …`, and Node prints that inner name in stack traces and
// util.inspect (`_VisionError: …`). test/packaging/error-names.test.ts holds it.
export class VisionError extends Error {
  /** The canonical code number. */
  readonly code: Code;
  /** The message without the code prefix. */
  readonly rawMessage: string;
  /** Typed `google.rpc.Status.details`. */
  readonly details: readonly ErrorDetail[];
  /** The HTTP status, when the error came from (or will go to) an HTTP answer. */
  readonly httpStatus: number | undefined;

  constructor(code: Code, message: string, init: VisionErrorInit = {}) {
    super(`[${codeName(code)}] ${message}`, init.cause === undefined ? undefined : { cause: init.cause });
    this.name = 'VisionError';
    this.code = code;
    this.rawMessage = message;
    this.details = init.details ?? [];
    this.httpStatus = init.httpStatus;
  }

  /** The canonical code name, e.g. `NOT_FOUND`. */
  get codeName(): CodeName {
    return codeName(this.code);
  }

  /**
   * The first detail of a type, e.g. `err.findDetail('google.rpc.BadRequest')`;
   * for the types of {@link DetailTypes} its `value` is typed as that message
   * (`…?.value?.fieldViolations` is `BadRequest_FieldViolation[] | undefined`).
   */
  findDetail<K extends keyof DetailTypes>(type: K): TypedErrorDetail<DetailTypes[K]> | undefined;
  /** The first detail of any other type, its `value` untyped. */
  findDetail(type: string): ErrorDetail | undefined;
  findDetail(type: string): ErrorDetail | undefined {
    return this.details.find((d) => d.type === type);
  }

  /**
   * Turns anything thrown into a VisionError: a VisionError is returned as is,
   * an AbortError becomes CANCELLED, anything else UNKNOWN (or `fallback`),
   * keeping the original as `cause`.
   */
  static from(err: unknown, fallback: Code = codes.UNKNOWN): VisionError {
    return visionErrorFrom(err, fallback);
  }

  /** True when `value` looks like a canonical code number. */
  static isCode(value: unknown): value is Code {
    return isCode(value);
  }
}

/** {@link VisionError.from}, outside the class body (see the note above the class). */
function visionErrorFrom(err: unknown, fallback: Code): VisionError {
  if (err instanceof VisionError) return err;
  const name = err instanceof Error ? err.name : '';
  const message = messageOf(err);
  return name === 'AbortError'
    ? new VisionError(codes.CANCELLED, message || 'the operation was aborted', { cause: err })
    : name === 'TimeoutError'
      ? new VisionError(codes.DEADLINE_EXCEEDED, message || 'the deadline was exceeded', { cause: err })
      : new VisionError(fallback, message, { cause: err });
}

/**
 * The text of anything thrown, for a message that says why: a VisionError's
 * message without its `[CODE]` prefix, an Error's message, else `String(err)`.
 */
export function messageOf(err: unknown): string {
  return err instanceof VisionError ? err.rawMessage : err instanceof Error ? err.message : String(err);
}
