import type { Operation } from '../../gen/google/longrunning/operations.js';
import type { LroDescriptor } from './descriptor.js';
import type { LroDecodeError } from './errors.js';
import type { SavedLro } from './saved-lro.js';

/** Options of {@link Lro.wait}. */
export interface LroWaitOptions<M> {
  /** Ends this wait (only this one) with an LroAbortedError; the operation goes on. */
  readonly signal?: AbortSignal | undefined;
  /** Milliseconds for this wait; without it the handle's own deadline applies. */
  readonly timeout?: number | undefined;
  /**
   * Called when the metadata changes (and once at the start with the current
   * metadata, when there is one). A callback that throws ends its wait with that error.
   */
  readonly onProgress?: ((metadata: M, snapshot: Operation | undefined) => void) | undefined;
}

/** Options of {@link Lro.progress}. */
export interface LroProgressOptions {
  /** Ends the iteration (it throws an LroAbortedError). */
  readonly signal?: AbortSignal | undefined;
  /** Milliseconds for the iteration; without it the handle's own deadline applies. */
  readonly timeout?: number | undefined;
}

/** Options of {@link Lro.poll}, {@link Lro.cancel} and {@link Lro.delete}: one request. */
export interface LroCallOptions {
  /** Stops waiting for the request (and the request itself when nobody else waits for it). */
  readonly signal?: AbortSignal | undefined;
  /** Milliseconds for the request; default the schedule's `pollTimeout`. */
  readonly timeout?: number | undefined;
}

/**
 * A long-running operation: `R` is its response type, `M` its metadata type.
 * Made by a typed client's operation-returning method, `poller.fromOperation`
 * or `poller.resume`. Creating one sends nothing and arms no timer; polling
 * runs only while someone waits (`wait()`, `progress()`), on the poller's
 * schedule, one loop however many wait.
 */
export interface Lro<R, M> {
  /** The operation's resource name, e.g. `operations/123`. */
  readonly name: string;
  /** The method id (`service full name/Method`). */
  readonly method: string;
  /** The method's descriptor. */
  readonly descriptor: LroDescriptor<R, M>;
  /** True once an Operation with `done: true` was seen. */
  readonly done: boolean;
  /** The latest metadata that decoded, if any. */
  readonly metadata: M | undefined;
  /** Why the latest metadata did not decode (polling goes on), else undefined. */
  readonly metadataError: LroDecodeError | undefined;
  /** The latest Operation seen (only the latest is kept). */
  readonly snapshot: Operation | undefined;
  /** The handle's deadline (a wait without `timeout` ends then), if any. */
  readonly deadline: Date | undefined;
  /**
   * Resolves to the decoded response when the operation is done (`undefined`
   * when it ended with neither response nor error; `{}` for Empty); rejects
   * with LroOperationError, LroTimeoutError, LroAbortedError, LroPollError,
   * LroDecodeError or LroProtocolError. A wait after completion settles at
   * once from the cached outcome.
   */
  wait(options?: LroWaitOptions<M>): Promise<R | undefined>;
  /**
   * Metadata as it changes, starting with the current one; ends when the
   * operation is done, throws what `wait()` would reject with. Leaving the
   * loop early stops polling unless someone else waits.
   */
  progress(options?: LroProgressOptions): AsyncIterableIterator<M>;
  /** One GetOperation now (shared with one in flight); resolves to the new snapshot. */
  poll(options?: LroCallOptions): Promise<Operation>;
  /** Sends CancelOperation (none when already done); waits go on and see the outcome. */
  cancel(options?: LroCallOptions): Promise<void>;
  /** Sends DeleteOperation; nothing changes locally. */
  delete(options?: LroCallOptions): Promise<void>;
  /** Plain data for `resume()`: name, method, start time, deadline. */
  toJSON(): SavedLro;
}
