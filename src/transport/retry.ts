import { badOption, checkNumber, checkObject, shown } from '../core/check-options.js';
import { type Code, isCode } from '../core/code.js';
import * as codes from '../core/codes.js';
import { VisionError } from '../core/vision-error.js';
import type { MethodRef } from './method-ref.js';

/** Settings of retries; every field has the default of the service config's policy (docs/calls.md). */
export interface RetryOptions {
  /** Codes worth another attempt. Default UNAVAILABLE and DEADLINE_EXCEEDED. */
  readonly codes?: readonly Code[];
  /** Wait before the first retry, in ms. Default 100. */
  readonly initialBackoffMs?: number;
  /** Factor applied to the wait after each retry. Default 1.3. */
  readonly multiplier?: number;
  /** Upper bound of one wait, in ms. Default 60,000. */
  readonly maxBackoffMs?: number;
  /**
   * Fraction of each wait that is random, 0–1: a wait is `backoff × (1 − jitter × random)`.
   * Default 1 ("full jitter"), so concurrent clients spread out.
   */
  readonly jitter?: number;
  /** Attempts in all, the first included. Default unbounded: the deadline bounds them. */
  readonly maxAttempts?: number;
}

/** A fully resolved retry policy. */
export type RetryPolicy = Required<RetryOptions>;

/** The service config's policy for v1p4beta1 (docs/calls.md, "Deadlines and retries"). */
export const DEFAULT_RETRY: RetryPolicy = Object.freeze({
  codes: Object.freeze<Code[]>([codes.UNAVAILABLE, codes.DEADLINE_EXCEEDED]),
  initialBackoffMs: 100,
  multiplier: 1.3,
  maxBackoffMs: 60_000,
  jitter: 1,
  maxAttempts: Number.POSITIVE_INFINITY,
});

/**
 * How long, in ms, calls keep retrying while the server cannot be reached at
 * all (refused, unreachable, DNS, proxy): a few seconds, so a wrong port or
 * a stopped emulator fails fast instead of at the deadline, while a server
 * that is restarting is still waited for. Each transport's `connectRetryMs`
 * option changes it.
 */
export const DEFAULT_CONNECT_RETRY_MS = 3000;

/** The range of each numeric {@link RetryOptions} field. */
const RANGES: { readonly [key: string]: readonly [number, number] } = {
  initialBackoffMs: [0, Infinity],
  multiplier: [1, Infinity],
  maxBackoffMs: [0, Infinity],
  jitter: [0, 1],
  maxAttempts: [1, Infinity],
};

/**
 * Checks a call's `retry` option (`false` or {@link RetryOptions}): numbers
 * in range (jitter 0–1, multiplier ≥ 1, attempts ≥ 1, waits ≥ 0), `codes` an
 * array of Code numbers, no unknown fields. Throws INVALID_ARGUMENT
 * `<where>: retry.<field> …`.
 */
export function checkRetry(where: string, retry: unknown): void {
  if (retry === false) return;
  checkObject(where, 'retry', retry);
  for (const [key, value] of Object.entries(retry as object)) {
    const range = RANGES[key];
    if (value === undefined) continue;
    if (range !== undefined) checkNumber(where, `retry.${key}`, value, range[0], range[1]);
    else if (key !== 'codes') badOption(where, `retry.${key} is not a retry option`);
    else if (!Array.isArray(value) || !value.every(isCode))
      badOption(where, `retry.codes must be an array of Code numbers, got ${shown(value)}`);
  }
}

/** Methods retried by default, by service full name (Get/List/Delete only). */
const IDEMPOTENT: { readonly [service: string]: ReadonlySet<string> } = {
  'google.cloud.vision.v1p4beta1.ProductSearch': new Set([
    'GetProduct',
    'ListProducts',
    'DeleteProduct',
    'GetProductSet',
    'ListProductSets',
    'DeleteProductSet',
    'GetReferenceImage',
    'ListReferenceImages',
    'DeleteReferenceImage',
    'ListProductsInProductSet',
  ]),
  'google.longrunning.Operations': new Set(['GetOperation', 'ListOperations', 'DeleteOperation']),
};

/** True when the service config's policy retries the method by default. */
export function isIdempotent(method: MethodRef): boolean {
  return IDEMPOTENT[method.service]?.has(method.method.name) ?? false;
}

/**
 * The policy for one call: none when `retry` is false, or by default for a
 * method that is not idempotent; otherwise the defaults with `retry`'s
 * settings over them.
 */
export function resolveRetry(method: MethodRef, retry: RetryOptions | false | undefined): RetryPolicy | undefined {
  if (retry === false) return undefined;
  if (retry === undefined) return isIdempotent(method) ? DEFAULT_RETRY : undefined;
  const merged: RetryPolicy = { ...DEFAULT_RETRY };
  for (const [key, value] of Object.entries(retry)) {
    if (value !== undefined) (merged as Record<string, unknown>)[key] = value;
  }
  return merged;
}

/** The backoff (before jitter) ahead of retry number `retry` (1-based). */
export function backoffMs(policy: RetryPolicy, retry: number): number {
  return Math.min(policy.maxBackoffMs, policy.initialBackoffMs * policy.multiplier ** (retry - 1));
}

/** What an attempt sees. */
export interface AttemptContext {
  /**
   * Linked caller signal and deadline; its reason is a VisionError. Made when
   * first read (an AbortController, a listener on the caller's signal, the
   * deadline timer); an attempt that enforces `deadline` itself need not read
   * it when `hasCallerSignal` is false.
   */
  readonly signal: AbortSignal;
  /** The call's deadline (epoch ms), or undefined. */
  readonly deadline: number | undefined;
  /** True when the caller passed a signal: the attempt must then follow `signal` to stop on an abort. */
  readonly hasCallerSignal: boolean;
}

/**
 * The wait a server asked for with a `google.rpc.RetryInfo` detail (the REST
 * transport also makes one from `Retry-After`), in ms; undefined without one.
 */
export function serverRetryDelayMs(err: unknown): number | undefined {
  if (!(err instanceof VisionError)) return undefined;
  const info = err.findDetail('google.rpc.RetryInfo')?.value as { retryDelay?: { seconds?: string | number; nanos?: number } } | undefined;
  const delay = info?.retryDelay;
  if (delay === undefined) return undefined;
  const ms = Number(delay.seconds ?? 0) * 1000 + (delay.nanos ?? 0) / 1e6;
  return Number.isFinite(ms) && ms >= 0 ? ms : undefined;
}

/**
 * How long to wait before retry number `retry` (1-based) after `err`, whose
 * canonical code is `code`; undefined when there is no retry: a code the
 * policy does not retry, the attempts ran out, or the wait would reach the
 * deadline. The wait is the jittered backoff, or longer when the server's
 * RetryInfo asks for more. The caller waits abort-aware (`CallSignal.wait`).
 */
export function retryWaitMs(
  policy: RetryPolicy,
  retry: number,
  err: unknown,
  code: number,
  deadline: number | undefined,
): number | undefined {
  if (!policy.codes.includes(code as Code)) return undefined;
  if (retry >= policy.maxAttempts) return undefined;
  const jittered = backoffMs(policy, retry) * (1 - Math.min(1, Math.max(0, policy.jitter)) * Math.random());
  const wait = Math.max(jittered, serverRetryDelayMs(err) ?? 0);
  if (deadline !== undefined && Date.now() + wait >= deadline) return undefined;
  return wait;
}
