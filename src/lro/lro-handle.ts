import type { Operation } from '../../gen/google/longrunning/operations.js';
import type { Any } from '../../gen/google/protobuf/any.js';
import { typeNameOfUrl } from '../codec/any.js';
import { errorFromStatus } from '../codec/rpc-status.js';
import { checkNumber } from '../core/check-options.js';
import type { AbortSubscriber } from '../core/signal-hub.js';
import { messageOf, VisionError } from '../core/vision-error.js';
import { operationProblem } from './check-operation.js';
import { deepEqual } from './deep-equal.js';
import type { LroDescriptor } from './descriptor.js';
import {
  LroAbortedError,
  LroDecodeError,
  type LroError,
  type LroErrorContext,
  LroOperationError,
  LroPollError,
  LroProtocolError,
  LroRequestError,
  LroTimeoutError,
  type OperationsRpc,
} from './errors.js';
import type { Lro, LroCallOptions, LroProgressOptions, LroWaitOptions } from './lro.js';
import type { OperationsCallOptions } from './operations-transport.js';
import { isTransientPollError, retryDelayOf } from './poll-errors.js';
import type { PollerCore, QueuedPoll } from './poller-core.js';
import type { SavedLro } from './saved-lro.js';
import { type PollSchedule, sleepFor } from './schedule.js';
import type { TimedEntry } from './timer-queue.js';

/** A progress callback. */
type OnProgress<M> = (metadata: M, snapshot: Operation | undefined) => void;

/**
 * One wait (or progress iteration) on a handle: its deadline entry in the
 * timer queue (`due`: the deadline, Infinity for none) and its abort
 * subscription. A class rather than closures: ten thousand pending waits
 * hold ten thousand of these and nothing else.
 */
class Waiter<R, M> implements TimedEntry, AbortSubscriber {
  heapIndex = -1;
  seq = 0;
  readonly rank = 0;
  /** False once the wait ended. */
  active = true;
  /** The metadata object this waiter was last told about. */
  seen: M | undefined = undefined;
  /** True for a wait that began past the handle's deadline: it ends after one look (rule 4). */
  once = false;

  /**
   * @param lro the handle waited on
   * @param due the deadline (monotonic ms; Infinity for none)
   * @param span the span the deadline stands for (for messages), when known
   * @param signal the wait's AbortSignal
   * @param onProgress the wait's progress callback
   * @param resolve ends the wait with the result
   * @param reject ends the wait with an error
   */
  constructor(
    readonly lro: LroHandle<R, M>,
    public due: number,
    public span: number | undefined,
    readonly signal: AbortSignal | undefined,
    readonly onProgress: OnProgress<M> | undefined,
    readonly resolve: (value: R | undefined) => void,
    readonly reject: (error: unknown) => void,
  ) {}

  onDue(): void {
    this.lro.lapse(this, false);
  }

  onAbort(): void {
    this.lro.lapse(this, true);
  }
}

/** The promise of `send()`, a synchronous throw turned into a rejection. */
const attempt = <T>(send: () => Promise<T>): Promise<T> => new Promise<T>((resolve) => resolve(send()));

/**
 * The implementation of {@link Lro}: one small object per operation holding
 * the latest snapshot, the cached outcome, the waits and the loop's state.
 * Its polls and its waits' deadlines live in the poller's one timer queue.
 */
export class LroHandle<R, M> implements Lro<R, M>, TimedEntry, QueuedPoll {
  due = 0;
  heapIndex = -1;
  seq = 0;
  readonly rank = 1;
  queued = false;
  snapshot: Operation | undefined = undefined;
  metadata: M | undefined = undefined;
  metadataError: LroDecodeError | undefined = undefined;

  readonly #core: PollerCore;
  readonly #schedule: PollSchedule;
  readonly #startWall: number;
  readonly #deadline: number;
  readonly #deadlineWall: number | undefined;
  readonly #span: number | undefined;
  #nextDue: number;
  #sleepIndex: number;
  /** The outcome once done: [error, value]. */
  #outcome: [LroError | undefined, R | undefined] | undefined;
  #waiters: Waiter<R, M>[] = [];
  #failures = 0;
  /** The GetOperation in flight, its controller and the `poll()` callers sharing it (the loop never aborts a call they use). */
  #flight: Promise<Operation> | undefined;
  #controller: AbortController | undefined;
  #users = 0;
  #cancelling: Promise<void> | undefined;

  /**
   * @param core what the poller's handles share
   * @param descriptor the method's descriptor
   * @param name the operation's name
   * @param schedule the handle's schedule
   * @param startWall epoch ms the handle started
   * @param deadline monotonic deadline of waits without `timeout` (Infinity for none)
   * @param deadlineWall the same deadline as epoch ms (what `toJSON` saves), or undefined for none
   * @param span the span the deadline stands for (for messages), when it came from a timeout
   * @param firstDue monotonic time of the first poll
   * @param sleepIndex index of the sleep after the first poll
   */
  constructor(
    core: PollerCore,
    readonly descriptor: LroDescriptor<R, M>,
    readonly name: string,
    schedule: PollSchedule,
    startWall: number,
    deadline: number,
    deadlineWall: number | undefined,
    span: number | undefined,
    firstDue: number,
    sleepIndex: number,
  ) {
    this.#core = core;
    this.#schedule = schedule;
    this.#startWall = startWall;
    this.#deadline = deadline;
    this.#deadlineWall = deadlineWall;
    this.#span = span;
    this.#nextDue = firstDue;
    this.#sleepIndex = sleepIndex;
  }

  get method(): string {
    return this.descriptor.method;
  }

  get done(): boolean {
    return this.#outcome !== undefined;
  }

  get deadline(): Date | undefined {
    const wall = this.#deadlineWall;
    return wall === undefined ? wall : new Date(wall);
  }

  toJSON(): SavedLro {
    const saved: SavedLro = { name: this.name, method: this.method, startTime: new Date(this.#startWall).toISOString() };
    const deadline = this.deadline;
    return deadline ? { ...saved, deadline: deadline.toISOString() } : saved;
  }

  // ---- waiting -------------------------------------------------------------

  wait(options: LroWaitOptions<M> = {}): Promise<R | undefined> {
    return new Promise<R | undefined>((resolve, reject) => {
      this.#begin(options, options.onProgress, resolve, reject);
    });
  }

  progress(options: LroProgressOptions = {}): AsyncIterableIterator<M> {
    let started = false;
    let pending: { value: M } | undefined;
    /** Set when the wait ended: with its error, if any. */
    let ended: { error?: unknown } | undefined;
    let wake: (() => void) | undefined;
    let waiter: Waiter<R, M> | undefined;
    const notify = (): void => {
      wake?.();
      wake = undefined;
    };
    const iterator: AsyncIterableIterator<M> = {
      next: async (): Promise<IteratorResult<M>> => {
        if (!started) {
          started = true;
          if (this.#outcome && this.metadata !== undefined) pending = { value: this.metadata };
          waiter = this.#begin(
            options,
            (metadata) => {
              pending = { value: metadata };
              notify();
            },
            () => {
              ended = {};
              waiter = undefined;
              notify();
            },
            (error) => {
              ended = { error };
              waiter = undefined;
              notify();
            },
          );
        }
        for (;;) {
          if (pending) {
            const { value } = pending;
            pending = undefined;
            return { value, done: false };
          }
          if (ended) {
            const { error } = ended;
            ended = {};
            if (error) throw error;
            return { value: undefined, done: true };
          }
          await new Promise<void>((resolve) => {
            wake = resolve;
          });
        }
      },
      return: async (): Promise<IteratorResult<M>> => {
        started = true;
        ended = {};
        pending = undefined;
        if (waiter) this.#drop(waiter);
        notify();
        return { value: undefined, done: true };
      },
      [Symbol.asyncIterator]() {
        return iterator;
      },
    };
    return iterator;
  }

  /**
   * Starts one wait: ends it at once from the cache, an aborted signal or a
   * passed `timeout` of 0 (no call); otherwise registers a waiter and makes
   * sure the loop runs. A wait that begins past the handle's own deadline
   * looks once (one poll, at once) and then times out.
   */
  #begin(
    options: LroProgressOptions,
    onProgress: OnProgress<M> | undefined,
    resolve: (value: R | undefined) => void,
    reject: (error: unknown) => void,
  ): Waiter<R, M> | undefined {
    const signal = options.signal;
    const w = new Waiter<R, M>(this, this.#deadline, this.#span, signal, onProgress, resolve, reject);
    const outcome = this.#outcome;
    if (outcome) return this.#end(w, ...outcome);
    if (signal?.aborted) return this.#end(w, this.#aborted(signal));
    const now = this.#core.clock.now();
    const timeout = options.timeout;
    if (timeout !== undefined) {
      checkNumber('wait', 'timeout', timeout);
      w.due = now + timeout;
      w.span = timeout;
    }
    let pollAt = Math.max(now, this.#nextDue);
    if (w.due <= now) {
      // A `timeout` the caller gave is final; the handle's own deadline (a saved handle resumed late) still allows one look, given one poll's time.
      if (timeout !== undefined) return this.#end(w, new LroTimeoutError(this.#context(true), w.span));
      w.once = true;
      w.due = now + this.#schedule.pollTimeout;
      pollAt = now;
    }
    const deadline = w.due;
    this.#waiters.push(w);
    if (deadline < Infinity) this.#core.queue.schedule(w, deadline);
    if (signal) this.#core.hub.subscribe(signal, w);
    queueMicrotask(() => this.#deliver(w));
    // Make sure a poll is scheduled, queued or in flight.
    if (!this.#flight && !this.queued) this.#schedulePoll(pollAt);
    return w;
  }

  /** Ends `w` with `error`, or (none) with `value`. */
  #end(w: Waiter<R, M>, error: unknown, value?: R): undefined {
    if (error) w.reject(error);
    else w.resolve(value);
    return undefined;
  }

  /** A waiter's deadline passed, or its signal aborted: it rejects; the loop stops if nobody is left. */
  lapse(w: Waiter<R, M>, aborted: boolean): void {
    this.#drop(w, aborted ? this.#aborted(w.signal as AbortSignal) : new LroTimeoutError(this.#context(true), w.span));
  }

  /** Ends a waiter (with `error`; none: a progress iterator left) and stops the loop if nobody is left. */
  #drop(w: Waiter<R, M>, error?: unknown): void {
    if (!w.active) return;
    const ws = this.#waiters;
    ws.splice(ws.indexOf(w), 1);
    this.#detach(w);
    this.#end(w, error);
    this.#stopIfIdle();
  }

  #detach(w: Waiter<R, M>): void {
    w.active = false;
    this.#core.queue.cancel(w);
    this.#core.hub.unsubscribe(w.signal as AbortSignal, w);
  }

  #stopIfIdle(): void {
    if (!this.#waiters.length) this.#stop();
  }

  /** Withdraws the scheduled poll and aborts a call that only the loop was waiting for. */
  #stop(): void {
    this.#core.queue.cancel(this);
    this.queued = false;
    if (!this.#users) {
      this.#controller?.abort();
      this.#flight = this.#controller = undefined;
    }
  }

  /** Ends every waiter (with `error`, or with `value`) and stops. */
  #finish(error: LroError | undefined, value?: R): void {
    const ws = this.#waiters;
    this.#waiters = [];
    for (const w of ws) {
      this.#detach(w);
      this.#end(w, error, value);
    }
    this.#stop();
  }

  #deliver(w: Waiter<R, M>): void {
    const m = this.metadata;
    if (w.active && w.onProgress && m !== w.seen) {
      w.seen = m;
      try {
        w.onProgress(m as M, this.snapshot);
      } catch (err) {
        this.#drop(w, VisionError.from(err));
      }
    }
  }

  // ---- the loop ------------------------------------------------------------

  /** Queues the next poll for `due`, unless no wait lasts that long (the deadlines end the waits). */
  #schedulePoll(due: number): void {
    if (due < this.#latest()) this.#core.queue.schedule(this, due);
  }

  /** The latest deadline of the waits (-Infinity for none). */
  #latest(): number {
    return this.#waiters.reduce((latest, w) => Math.max(latest, w.due), -Infinity);
  }

  /** The timer queue says the next poll is due. */
  onDue(): void {
    this.#core.requestPoll(this);
  }

  startPoll(): void {
    // #launch takes the poll off the FIFO and the timer queue. A late timer may bring a poll due before the deadline only after it.
    const left = this.#latest() - this.#core.clock.now();
    if (left > 0) this.#launch(Math.min(this.#schedule.pollTimeout, left));
  }

  #launch(timeout: number): Promise<Operation> {
    const core = this.#core;
    core.queue.cancel(this);
    this.queued = false;
    const controller = new AbortController();
    this.#controller = controller;
    this.#users = 0;
    core.callStarted();
    const flight = attempt(() => core.transport.get(this.name, this.#options(controller.signal, timeout))).then(
      (op) => {
        try {
          return this.#onAnswer(controller, op);
        } finally {
          core.callEnded();
        }
      },
      (err: unknown) => {
        try {
          throw this.#onFailure(controller, err);
        } finally {
          core.callEnded();
        }
      },
    );
    flight.catch(() => undefined);
    this.#flight = flight;
    return flight;
  }

  /** An answer to the call of `controller`; a late one (its call was dropped) is ignored. */
  #onAnswer(controller: AbortController, answer: unknown): Operation {
    const op = answer as Operation;
    if (this.#controller === controller) {
      this.#flight = this.#controller = undefined;
      const problem = operationProblem(answer, this.name);
      if (problem) {
        const error = new LroProtocolError(problem, this.#context(true));
        this.#finish(error);
        throw error;
      }
      this.#failures = 0;
      this.absorb(op);
      if (op.done) this.settle();
      else if (this.#waiters.length) this.#next(0);
    }
    return op;
  }

  /** A failure of the call of `controller`; that of a dropped call concerns nobody. */
  #onFailure(controller: AbortController, err: unknown): VisionError {
    const cause = VisionError.from(err);
    if (this.#controller !== controller) return cause;
    this.#flight = this.#controller = undefined;
    const permanent = !isTransientPollError(cause);
    const error = new LroPollError(cause, this.#context(true), this.#describe('GetOperation'), ++this.#failures, permanent);
    if (permanent || this.#failures >= this.#schedule.maxConsecutiveFailures) {
      this.#failures = 0;
      this.#finish(error);
    } else if (this.#waiters.length) {
      this.#next(retryDelayOf(cause), error);
    }
    return error;
  }

  /** Plans the next poll: the schedule's next sleep, at least `minDelay` (RetryInfo), which ends the waits it would outlast. */
  #next(minDelay: number, cause?: LroError): void {
    const now = this.#core.clock.now();
    this.#nextDue = now + Math.max(minDelay, sleepFor(this.#schedule, this.#sleepIndex++, this.#core.random));
    // The waits that began past the deadline had their one look.
    for (const w of [...this.#waiters]) {
      if (w.once) {
        const why = cause ? 'the one look past it failed' : 'one look past it found it not done';
        this.#drop(w, new LroTimeoutError(this.#context(true), w.span, why, cause));
      }
    }
    if (minDelay) {
      for (const w of [...this.#waiters]) {
        if (now + minDelay >= w.due) {
          this.#drop(
            w,
            new LroTimeoutError(
              this.#context(true),
              w.span,
              `the server asked to retry after ${Math.round(minDelay)} ms, past the deadline`,
              cause,
            ),
          );
        }
      }
    }
    this.#schedulePoll(this.#nextDue);
  }

  /** Takes a new snapshot: keeps only it, decodes changed metadata and tells the waiters. */
  absorb(op: Operation): void {
    this.snapshot = op;
    const any = op.metadata;
    if (!any) return;
    let decoded: M;
    try {
      decoded = this.#decode('metadata', any) as M;
    } catch (err) {
      this.metadataError = err as LroDecodeError;
      return;
    }
    this.metadataError = undefined;
    if (deepEqual(this.metadata, decoded)) return;
    this.metadata = decoded;
    for (const w of [...this.#waiters]) this.#deliver(w);
  }

  /** The snapshot is done: decode the outcome once, end every waiter, stop. */
  settle(): void {
    const op = this.snapshot as Operation;
    let error: LroError | undefined;
    let value: R | undefined;
    if (op.error) {
      const e = errorFromStatus(op.error);
      error = new LroOperationError(e.code, e.rawMessage, e.details, this.#context(false));
    } else if (op.response) {
      try {
        value = this.#decode('response', op.response) as R;
      } catch (err) {
        error = err as LroDecodeError;
      }
    }
    this.#outcome = [error, value];
    this.#finish(error, value);
  }

  #decode(part: 'response' | 'metadata', any: Any): object {
    const expected = part === 'response' ? this.descriptor.responseType : this.descriptor.metadataType;
    const url = any.typeUrl;
    const actual = typeNameOfUrl(url);
    if (actual !== expected) {
      throw new LroDecodeError(
        part,
        expected,
        url,
        `the answer holds ${url ? `a ${actual}` : 'an Any without a type URL'}`,
        this.#context(false),
      );
    }
    try {
      return this.#core.unpack(any, expected);
    } catch (err) {
      throw new LroDecodeError(part, expected, url, messageOf(err), this.#context(false), err);
    }
  }

  #context(withHandle: boolean): LroErrorContext {
    return {
      operationName: this.name,
      method: this.method,
      snapshot: this.snapshot,
      handle: withHandle ? this.toJSON() : undefined,
    };
  }

  #aborted(signal: AbortSignal): LroAbortedError {
    return new LroAbortedError(this.#context(true), signal.reason);
  }

  #describe(rpc: OperationsRpc): string | undefined {
    try {
      return this.#core.transport.describe?.(rpc, this.name, this.descriptor.routes);
    } catch {
      return undefined;
    }
  }

  #options(signal: AbortSignal | undefined, timeout: number | undefined): OperationsCallOptions {
    return { signal, timeout: timeout ?? this.#schedule.pollTimeout, routes: this.descriptor.routes };
  }

  // ---- single requests -----------------------------------------------------

  poll(options: LroCallOptions = {}): Promise<Operation> {
    if (this.#outcome) return Promise.resolve(this.snapshot as Operation);
    const signal = options.signal;
    if (signal?.aborted) return Promise.reject(this.#aborted(signal));
    const flight = this.#flight ?? this.#launch(options.timeout ?? this.#schedule.pollTimeout);
    this.#users++;
    if (!signal) return flight;
    return new Promise<Operation>((resolve, reject) => {
      const onAbort = (): void => {
        // The last caller left a call no wait needs: abort it.
        if (this.#flight === flight && !--this.#users) this.#stopIfIdle();
        reject(this.#aborted(signal));
      };
      // Removed when the call settles (an abort fires once anyway).
      signal.addEventListener('abort', onAbort);
      const leave = (): void => signal.removeEventListener('abort', onAbort);
      flight.then(
        (op) => {
          leave();
          resolve(op);
        },
        (err: unknown) => {
          leave();
          reject(err);
        },
      );
    });
  }

  cancel(options: LroCallOptions = {}): Promise<void> {
    if (this.#outcome) return Promise.resolve();
    this.#cancelling ??= this.#request(true, options)
      .then(() => {
        // Look again soon: the waits see the cancellation without a full sleep.
        if (!this.#flight) this.#schedulePoll((this.#nextDue = this.#core.clock.now()));
      })
      .finally(() => {
        this.#cancelling = undefined;
      });
    return this.#cancelling;
  }

  delete(options: LroCallOptions = {}): Promise<void> {
    return this.#request(false, options);
  }

  #request(cancel: boolean, options: LroCallOptions): Promise<void> {
    const signal = options.signal;
    if (signal?.aborted) return Promise.reject(this.#aborted(signal));
    const rpc: OperationsRpc = cancel ? 'CancelOperation' : 'DeleteOperation';
    const transport = this.#core.transport;
    return attempt(() => transport[cancel ? 'cancel' : 'delete'](this.name, this.#options(signal, options.timeout))).then(
      () => undefined,
      (err: unknown) => {
        throw new LroRequestError(rpc, VisionError.from(err), this.#context(false), this.#describe(rpc));
      },
    );
  }
}
