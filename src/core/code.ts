import * as codes from './codes.js';

/**
 * The canonical error codes of `google.rpc.Code`, shared by gRPC and REST.
 * Numbers are the wire values; names are what Google's REST errors carry in
 * `error.status`. The HTTP status of each is what {@link httpStatusFromCode}
 * gives.
 *
 * @enum
 */
export const Code = {
  /** Not an error: the call succeeded (HTTP 200). */
  OK: 0,
  /** The caller cancelled the call, usually by aborting it (HTTP 499, "client closed request"). */
  CANCELLED: 1,
  /** An error with no better code, e.g. a status from another error space or an error without details (HTTP 500). */
  UNKNOWN: 2,
  /** The request is wrong whatever the state of the system: a malformed name, a missing required field (HTTP 400). */
  INVALID_ARGUMENT: 3,
  /** The deadline passed before the call completed; the operation may still have taken effect. Retried by `DEFAULT_RETRY` (HTTP 504). */
  DEADLINE_EXCEEDED: 4,
  /** A resource the request names does not exist (HTTP 404). */
  NOT_FOUND: 5,
  /** The resource a create call names exists already (HTTP 409). */
  ALREADY_EXISTS: 6,
  /** The caller is known but may not do this (HTTP 403). */
  PERMISSION_DENIED: 7,
  /** A quota or a limit ran out (rate, size, space); retry later or ask for less (HTTP 429). */
  RESOURCE_EXHAUSTED: 8,
  /** The system is not in the state the call needs, e.g. deleting a non-empty set; retrying unchanged will not help (HTTP 400). */
  FAILED_PRECONDITION: 9,
  /** A concurrency conflict aborted the call, e.g. a transaction or an etag mismatch; retry at a higher level (HTTP 409). */
  ABORTED: 10,
  /** A value is past the valid range, e.g. a page token past the end (HTTP 400). */
  OUT_OF_RANGE: 11,
  /** The server does not implement or support the method (HTTP 501). */
  UNIMPLEMENTED: 12,
  /** An invariant of the server broke: a bug on its side (HTTP 500). */
  INTERNAL: 13,
  /** The service cannot be reached or cannot answer for now: transient, retried with backoff by `DEFAULT_RETRY` (HTTP 503). */
  UNAVAILABLE: 14,
  /** Unrecoverable data loss or corruption (HTTP 500). */
  DATA_LOSS: 15,
  /** The call carries no valid credentials (HTTP 401). */
  UNAUTHENTICATED: 16,
} as const;

/** A canonical code number (0–16). */
export type Code = (typeof Code)[keyof typeof Code];

/** A canonical code name such as `NOT_FOUND`. */
export type CodeName = keyof typeof Code;

const NAMES: readonly CodeName[] = Object.keys(Code) as CodeName[];

/** The name of a code number; numbers outside 0–16 read as `UNKNOWN`. */
export function codeName(code: number): CodeName {
  return NAMES[code] ?? 'UNKNOWN';
}

/** The code for a name (`"NOT_FOUND"`), or undefined for anything else. */
export function codeFromName(name: string): Code | undefined {
  return Object.hasOwn(Code, name) ? Code[name as CodeName] : undefined;
}

/** True for a whole number 0–16. */
export function isCode(value: unknown): value is Code {
  // Number.isInteger is false for anything but a number.
  return Number.isInteger(value) && (value as number) >= 0 && (value as number) <= 16;
}

/**
 * The HTTP status Google's front ends answer for a code (as grpc-gateway's
 * `HTTPStatusFromCode` and google.rpc.Code's comments give it).
 * CANCELLED is 499 (client closed request); UNKNOWN, INTERNAL and DATA_LOSS are
 * 500; FAILED_PRECONDITION is 400 (not 412: Google never answers 412 for it).
 */
export function httpStatusFromCode(code: Code): number {
  return HTTP_STATUS[code] as number;
}

/** {@link httpStatusFromCode} by code number: OK, CANCELLED, UNKNOWN, INVALID_ARGUMENT, … UNAUTHENTICATED. */
const HTTP_STATUS: readonly number[] = [200, 499, 500, 400, 504, 404, 409, 403, 429, 400, 409, 400, 501, 500, 503, 500, 401];

/** {@link codeFromHttpStatus} for the statuses it names. */
const CODE_OF_STATUS: { readonly [status: number]: Code } = {
  200: codes.OK,
  400: codes.INVALID_ARGUMENT,
  401: codes.UNAUTHENTICATED,
  403: codes.PERMISSION_DENIED,
  404: codes.NOT_FOUND,
  409: codes.ABORTED,
  412: codes.FAILED_PRECONDITION,
  416: codes.OUT_OF_RANGE,
  429: codes.RESOURCE_EXHAUSTED,
  499: codes.CANCELLED,
  500: codes.INTERNAL,
  501: codes.UNIMPLEMENTED,
  502: codes.UNAVAILABLE,
  503: codes.UNAVAILABLE,
  504: codes.DEADLINE_EXCEEDED,
};

/**
 * The code for an HTTP status when a response carries no `status` name (the
 * mapping of google.rpc.Code's comments, as google-gax applies it): any
 * other 2xx is OK, anything else UNKNOWN.
 */
export function codeFromHttpStatus(status: number): Code {
  return CODE_OF_STATUS[status] ?? (status >= 200 && status < 300 ? codes.OK : codes.UNKNOWN);
}

/**
 * The code of a failed HTTP answer that names none: {@link codeFromHttpStatus},
 * but UNKNOWN where that gives OK (a 2xx is no code for a failure).
 */
export function failureCodeFromHttpStatus(status: number): Code {
  return codeFromHttpStatus(status) || codes.UNKNOWN;
}
