import type { Operation } from '../../gen/google/longrunning/operations.js';
import type { Code } from '../core/code.js';
import * as codes from '../core/codes.js';
import { type ErrorDetail, VisionError } from '../core/vision-error.js';
import type { SavedLro } from './saved-lro.js';

/** What every poller error says about the operation it concerns. */
export interface LroErrorContext {
  /** The operation's resource name (`operations/123`). */
  readonly operationName: string;
  /** The method id of the handle (`google.cloud.vision.v1p4beta1.ImageAnnotator/AsyncBatchAnnotateImages`). */
  readonly method: string;
  /** The latest Operation the poller saw, if any. */
  readonly snapshot?: Operation | undefined;
  /** Plain data that `resume()` accepts, where waiting again makes sense. */
  readonly handle?: SavedLro | undefined;
}

/** `operation "operations/123"`: how every message here names the operation. */
const named = (context: LroErrorContext): string => `operation "${context.operationName}"`;

/**
 * The base of the poller's errors: a {@link VisionError} that also names the
 * operation, its method, the latest snapshot and (where the wait can go on)
 * a saved handle to resume from.
 */
export class LroError extends VisionError {
  /** The operation's resource name. */
  readonly operationName: string;
  /** The method id of the handle. */
  readonly method: string;
  /** The latest Operation seen, if any. */
  readonly snapshot: Operation | undefined;
  /** A handle to resume from (timeouts, aborts, poll errors), else undefined. */
  readonly handle: SavedLro | undefined;

  constructor(code: Code, message: string, context: LroErrorContext, init: ConstructorParameters<typeof VisionError>[2] = {}) {
    super(code, message, init);
    this.name = 'LroError';
    this.operationName = context.operationName;
    this.method = context.method;
    this.snapshot = context.snapshot;
    this.handle = context.handle;
  }
}

/**
 * A wait's deadline passed before the operation finished. Local only: the
 * server operation goes on (no CancelOperation is sent) and the same handle
 * (or `handle`, in another process) can be waited on again.
 */
export class LroTimeoutError extends LroError {
  /** The deadline that passed, in ms of the wait (its timeout), when known. */
  readonly timeoutMs: number | undefined;

  constructor(context: LroErrorContext, timeoutMs: number | undefined, reason?: string, cause?: unknown) {
    const span = timeoutMs === undefined ? 'its deadline' : `the deadline (${Math.round(timeoutMs)} ms)`;
    const why = reason === undefined ? '' : ` (${reason})`;
    super(
      codes.DEADLINE_EXCEEDED,
      `${named(context)} did not finish within ${span}${why}; it goes on on the server; to wait longer, pass a timeout: wait({ timeout: ms })`,
      context,
      { cause },
    );
    this.name = 'LroTimeoutError';
    this.timeoutMs = timeoutMs;
  }
}

/** A wait ended by its AbortSignal. The server operation is not cancelled. */
export class LroAbortedError extends LroError {
  constructor(context: LroErrorContext, reason: unknown) {
    const text = reason instanceof Error ? reason.message : reason === undefined ? '' : String(reason);
    super(codes.CANCELLED, `waiting for ${named(context)} was aborted${text ? `: ${text}` : ''}; the operation itself goes on`, context, {
      cause: reason,
    });
    this.name = 'LroAbortedError';
  }
}

/** The RPC of the Operations service a request error concerns. */
export type OperationsRpc = 'GetOperation' | 'CancelOperation' | 'DeleteOperation';

/**
 * A GetOperation, CancelOperation or DeleteOperation request failed. `code`
 * and `details` are the server's (or the transport's); `target` names what was
 * called (the REST method and URL path, or the gRPC method path).
 */
export class LroRequestError extends LroError {
  /** Which Operations RPC failed. */
  readonly rpc: OperationsRpc;
  /** `GET /v1/operations/123` (REST) or `/google.longrunning.Operations/GetOperation` (gRPC). */
  readonly target: string | undefined;

  constructor(rpc: OperationsRpc, cause: VisionError, context: LroErrorContext, target: string | undefined, prefix?: string, suffix = '') {
    const at = target === undefined ? '' : ` (${target})`;
    super(cause.code, `${prefix ?? `${rpc} of "${context.operationName}" failed`}${at}: ${cause.rawMessage}${suffix}`, context, {
      cause,
      details: cause.details,
      httpStatus: cause.httpStatus,
    });
    this.name = 'LroRequestError';
    this.rpc = rpc;
    this.target = target;
  }
}

/**
 * Polling failed: a permanent error (NOT_FOUND, PERMISSION_DENIED, …) at
 * once, or too many transient ones in a row. `cause` is the last failure.
 * After transient ones the operation may well be running still: the message
 * then says how to go on waiting (`wait()` again, or `resume()` the error's
 * `handle` later).
 */
export class LroPollError extends LroRequestError {
  /** Failed GetOperation calls in a row, this one included. */
  readonly attempts: number;
  /** True when the code is one that retrying cannot fix. */
  readonly permanent: boolean;

  constructor(cause: VisionError, context: LroErrorContext, target: string | undefined, attempts: number, permanent: boolean) {
    super(
      'GetOperation',
      cause,
      context,
      target,
      `polling ${named(context)} failed${permanent ? '' : ` ${attempts} times in a row`}`,
      permanent ? '' : '; it may still be running: wait() again, or resume() its handle later',
    );
    this.name = 'LroPollError';
    this.attempts = attempts;
    this.permanent = permanent;
  }
}

/**
 * The operation finished with an error (`Operation.error`): its code, message
 * and typed details. `cancelled` is true for code 1 (CANCELLED), e.g. after
 * CancelOperation.
 */
export class LroOperationError extends LroError {
  /** True when the operation ended because it was cancelled (code 1). */
  readonly cancelled: boolean;

  constructor(code: Code, message: string, details: readonly ErrorDetail[], context: LroErrorContext) {
    super(code, message, context, { details });
    this.name = 'LroOperationError';
    this.cancelled = code === codes.CANCELLED;
  }
}

/**
 * An `Any` in an Operation could not be decoded as the method's type: a type
 * URL of another type, or bytes/JSON that do not parse. Names both types.
 */
export class LroDecodeError extends LroError {
  /** `response` or `metadata`. */
  readonly part: 'response' | 'metadata';
  /** The full message name the method declares. */
  readonly expectedType: string;
  /** The type URL the answer carried. */
  readonly typeUrl: string;

  constructor(
    part: 'response' | 'metadata',
    expectedType: string,
    typeUrl: string,
    problem: string,
    context: LroErrorContext,
    cause?: unknown,
  ) {
    super(
      codes.INTERNAL,
      `the ${part} of ${named(context)} cannot be decoded as ${expectedType}: ${problem} (type URL "${typeUrl}")`,
      context,
      { cause },
    );
    this.name = 'LroDecodeError';
    this.part = part;
    this.expectedType = expectedType;
    this.typeUrl = typeUrl;
  }
}

/** An answer to GetOperation that is not an Operation for the name asked about. */
export class LroProtocolError extends LroError {
  constructor(problem: string, context: LroErrorContext) {
    super(codes.INTERNAL, `GetOperation("${context.operationName}") answered something that is not its Operation: ${problem}`, context);
    this.name = 'LroProtocolError';
  }
}

/** An operation name that matches none of the REST templates of an Operations RPC (before any request). */
export class LroRoutingError extends VisionError {
  /** The operation name. */
  readonly operationName: string;
  /** The RPC that has no route for it. */
  readonly rpc: OperationsRpc;
  /** The templates that were tried. */
  readonly templates: readonly string[];

  constructor(rpc: OperationsRpc, operationName: string, templates: readonly string[]) {
    super(
      codes.INVALID_ARGUMENT,
      `operation name "${operationName}" matches no REST route of ${rpc} (tried ${templates.join(', ') || 'none'}); pass routes that cover it, or generate the API's bindings with its service config`,
    );
    this.name = 'LroRoutingError';
    this.operationName = operationName;
    this.rpc = rpc;
    this.templates = templates;
  }
}

/** A saved handle or name that `resume()` cannot use: malformed, or made for another method. */
export class LroHandleError extends VisionError {
  constructor(problem: string) {
    super(codes.INVALID_ARGUMENT, `cannot resume operation: ${problem}`);
    this.name = 'LroHandleError';
  }
}
