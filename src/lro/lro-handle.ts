import type { Operation } from '../../gen/google/longrunning/operations.js';
import type { Any } from '../../gen/google/protobuf/any.js';
import { typeNameOfUrl } from '../codec/any.js';
import { errorFromStatus } from '../codec/rpc-status.js';
import { checkNumber } from '../core/check-options.js';
import type { AbortSubscriber } from '../core/signal-hub.js';
import { VisionError } from '../core/vision-error.js';
import { operationProblem } from './check-operation.js';
import { deepEqual, sameAny } from './deep-equal.js';
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

type Outcome<R> = { readonly ok: true; readonly value: R | undefined } | { readonly ok: false; readonly error: LroError };

/** One GetOperation in flight for a handle. */
interface Flight {
  readonly controller: AbortController;
  promise: Promise<Operation>;
  /** `poll()` callers sharing it; a flight they use is not aborted when the loop stops. */
  users: number;
}

const noop = (): void => undefined;

/** One wait (or progress iteration) on a handle: its deadline entry and abort subscription. */
class Waiter<R, M> implements TimedEntry, AbortSubscriber {
  due = 0;
  heapIndex = -1;
  seq = 0;
  readonly rank = 0;
  active = true;
  /** The metadata object this waiter was last told about. */
  seen: M | undefined = undefined;

  constructor(
    readonly lro: LroHandle<R, M>,
    readonly deadline: number,
    readonly timeoutMs: number | undefined,
    readonly signal: AbortSignal | undefined,
    readonly onProgress: ((metadata: M, snapshot: Operation | undefined) => void) | undefined,
    readonly resolve: (value: R | undefined) => void,
    readonly reject: (error: unknown) => void,
  ) {}

  onDue(): void {
    this.lro.expire(this);
  }

  onAbort(): void {
    this.lro.abortWaiter(this);
  }
}

/** Settings of a new handle (see `Poller.fromOperation` and `Poller.resume`). */
export interface HandleInit {
  readonly name: string;
  readonly schedule: PollSchedule;
  /** Epoch ms the handle started. */
  readonly startWall: number;
  /** Monotonic deadline of waits without `timeout` (Infinity for none). */
  readonly deadline: number;
  /** The same deadline as epoch ms (what `toJSON` saves), or undefined for none. */
  readonly deadlineWall: number | undefined;
  /** The span the deadline stands for (for messages), when it came from a timeout. */
  readonly deadlineSpan: number | undefined;
  /** Monotonic time of the first poll. */
  readonly firstDue: number;
  /** Index of the sleep after the first poll. */
  readonly sleepIndex: number;
}

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

  readonly name: string;
  snapshot: Operation | undefined = undefined;
  metadata: M | undefined = undefined;
  metadataError: LroDecodeError | undefined = undefined;

  readonly #schedule: PollSchedule;
  readonly #startWall: number;
  readonly #deadlineMono: number;
  readonly #deadlineWall: number | undefined;
  readonly #deadlineSpan: number | undefined;
  #outcome: Outcome<R> | undefined = undefined;
  #waiters: Waiter<R, M>[] | undefined = undefined;
  #nextDue: number;
  #sleepIndex: number;
  #failures = 0;
  #flight: Flight | undefined = undefined;
  #cancelling: Promise<void> | undefined = undefined;

  readonly #core: PollerCore;
  constructor(
    core: PollerCore,
    readonly descriptor: LroDescriptor<R, M>,
    init: HandleInit,
  ) {
    this.#core = core;
    this.name = init.name;
    this.#schedule = init.schedule;
    this.#startWall = init.startWall;
    this.#deadlineMono = init.deadline;
    this.#deadlineWall = init.deadlineWall;
    this.#deadlineSpan = init.deadlineSpan;
    this.#nextDue = init.firstDue;
    this.#sleepIndex = init.sleepIndex;
  }

  get method(): string {
    return this.descriptor.method;
  }

  get done(): boolean {
    return this.#outcome !== undefined;
  }

  get deadline(): Date | undefined {
    return this.#deadlineWall === undefined ? undefined : new Date(this.#deadlineWall);
  }

  toJSON(): SavedLro {
    const deadline = this.deadline;
    const saved: SavedLro = { name: this.name, method: this.method, startTime: new Date(this.#startWall).toISOString() };
    return deadline === undefined ? saved : { ...saved, deadline: deadline.toISOString() };
  }

  // ---- waiting -------------------------------------------------------------

  wait(options: LroWaitOptions<M> = {}): Promise<R | undefined> {
    return new Promise<R | undefined>((resolve, reject) => {
      this.#begin(options, options.onProgress, resolve, reject);
    });
  }

  progress(options: LroProgressOptions = {}): AsyncIterableIterator<M> {
    let started = false;
    let finished = false;
    let failure: { error: unknown } | undefined;
    let pending: { value: M } | undefined;
    let wake: (() => void) | undefined;
    let waiter: Waiter<R, M> | undefined;
    const notify = (): void => {
      const w = wake;
      wake = undefined;
      w?.();
    };
    const start = (): void => {
      started = true;
      if (this.#outcome !== undefined && this.metadata !== undefined) pending = { value: this.metadata };
      waiter = this.#begin(
        options,
        (metadata) => {
          pending = { value: metadata };
          notify();
        },
        () => {
          finished = true;
          waiter = undefined;
          notify();
        },
        (error) => {
          failure = { error };
          finished = true;
          waiter = undefined;
          notify();
        },
      );
    };
    const iterator: AsyncIterableIterator<M> = {
      next: async (): Promise<IteratorResult<M>> => {
        if (!started) start();
        for (;;) {
          if (pending !== undefined) {
            const { value } = pending;
            pending = undefined;
            return { value, done: false };
          }
          if (finished) {
            if (failure !== undefined) {
              const { error } = failure;
              failure = undefined;
              throw error;
            }
            return { value: undefined, done: true };
          }
          await new Promise<void>((resolve) => {
            wake = resolve;
          });
        }
      },
      return: async (): Promise<IteratorResult<M>> => {
        started = true;
        finished = true;
        pending = undefined;
        failure = undefined;
        if (waiter !== undefined) this.#release(waiter);
        waiter = undefined;
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
   * Starts one wait: settles at once from the cache, an aborted signal or a
   * passed deadline (no call); otherwise registers a waiter and makes sure
   * the loop runs.
   */
  #begin(
    options: LroWaitOptions<M> | LroProgressOptions,
    onProgress: ((metadata: M, snapshot: Operation | undefined) => void) | undefined,
    resolve: (value: R | undefined) => void,
    reject: (error: unknown) => void,
  ): Waiter<R, M> | undefined {
    const o = this.#outcome;
    if (o !== undefined) {
      if (o.ok) resolve(o.value);
      else reject(o.error);
      return undefined;
    }
    const signal = options.signal;
    if (signal?.aborted) {
      reject(new LroAbortedError(this.#context(true), signal.reason));
      return undefined;
    }
    const now = this.#core.clock.now();
    let deadline = this.#deadlineMono;
    let span = this.#deadlineSpan;
    if (options.timeout !== undefined) {
      checkNumber('wait', 'timeout', options.timeout);
      deadline = now + options.timeout;
      span = options.timeout;
    }
    if (deadline <= now) {
      reject(new LroTimeoutError(this.#context(true), span));
      return undefined;
    }
    const w = new Waiter<R, M>(this, deadline, span, signal, onProgress, resolve, reject);
    (this.#waiters ??= []).push(w);
    if (Number.isFinite(deadline)) this.#core.queue.schedule(w, deadline);
    if (signal !== undefined) this.#core.hub.subscribe(signal, w);
    if (onProgress !== undefined && this.metadata !== undefined) queueMicrotask(() => this.#deliver(w));
    this.#run();
    return w;
  }

  /** A waiter's deadline passed: it rejects with a timeout; the loop stops if nobody is left. */
  expire(w: Waiter<R, M>): void {
    if (!w.active) return;
    this.#removeWaiter(w);
    w.reject(new LroTimeoutError(this.#context(true), w.timeoutMs));
    this.#stopIfIdle();
  }

  /** A waiter's signal aborted: it rejects; the loop stops (and its call is aborted) if nobody is left. */
  abortWaiter(w: Waiter<R, M>): void {
    if (!w.active) return;
    this.#removeWaiter(w);
    w.reject(new LroAbortedError(this.#context(true), w.signal?.reason));
    this.#stopIfIdle();
  }

  /** Drops a waiter without settling it (a progress iterator left early). */
  #release(w: Waiter<R, M>): void {
    if (!w.active) return;
    this.#removeWaiter(w);
    this.#stopIfIdle();
  }

  #removeWaiter(w: Waiter<R, M>): void {
    const ws = this.#waiters;
    if (ws !== undefined) {
      const i = ws.indexOf(w);
      if (i >= 0) ws.splice(i, 1);
    }
    this.#detach(w);
  }

  #detach(w: Waiter<R, M>): void {
    w.active = false;
    this.#core.queue.cancel(w);
    if (w.signal !== undefined) this.#core.hub.unsubscribe(w.signal, w);
  }

  #stopIfIdle(): void {
    if (this.#waiters !== undefined && this.#waiters.length > 0) return;
    this.#waiters = undefined;
    this.#stop();
  }

  /** Withdraws the scheduled poll and aborts a call that only the loop was waiting for. */
  #stop(): void {
    this.#core.queue.cancel(this);
    this.queued = false;
    const f = this.#flight;
    if (f !== undefined && f.users === 0) {
      this.#flight = undefined;
      f.controller.abort();
    }
  }

  #latestDeadline(): number {
    let latest = -Infinity;
    for (const w of this.#waiters ?? []) if (w.deadline > latest) latest = w.deadline;
    return latest;
  }

  #deliver(w: Waiter<R, M>): void {
    const m = this.metadata;
    if (!w.active || w.onProgress === undefined || m === undefined || w.seen === m) return;
    w.seen = m;
    try {
      w.onProgress(m, this.snapshot);
    } catch (err) {
      this.#removeWaiter(w);
      w.reject(VisionError.from(err));
      this.#stopIfIdle();
    }
  }

  // ---- the loop ------------------------------------------------------------

  /** Makes sure a poll is scheduled, queued or in flight while someone waits. */
  #run(): void {
    if (this.#outcome !== undefined || this.#flight !== undefined || this.queued || this.heapIndex >= 0) return;
    this.#schedulePoll(Math.max(this.#core.clock.now(), this.#nextDue));
  }

  #schedulePoll(due: number): void {
    // No poll starts at or after the last deadline: the deadlines end the waits.
    if (due >= this.#latestDeadline()) return;
    this.#core.queue.schedule(this, due);
  }

  /** The timer queue says the next poll is due. */
  onDue(): void {
    this.#core.requestPoll(this);
  }

  startPoll(): boolean {
    this.queued = false;
    if (this.#outcome !== undefined || this.#flight !== undefined || this.#waiters === undefined || this.#waiters.length === 0) {
      return false;
    }
    const left = this.#latestDeadline() - this.#core.clock.now();
    if (left <= 0) return false;
    this.#launch(Math.min(this.#schedule.pollTimeout, left));
    return true;
  }

  #launch(timeout: number): Flight {
    this.#core.queue.cancel(this);
    this.queued = false;
    const controller = new AbortController();
    const flight: Flight = { controller, promise: Promise.resolve(undefined as never), users: 0 };
    this.#flight = flight;
    this.#core.callStarted();
    let call: Promise<Operation>;
    try {
      call = this.#core.transport.get(this.name, { signal: controller.signal, timeout, routes: this.descriptor.routes });
    } catch (err) {
      call = Promise.reject(err);
    }
    flight.promise = call.then(
      (op) => {
        try {
          return this.#onAnswer(flight, op);
        } finally {
          this.#core.callEnded();
        }
      },
      (err: unknown) => {
        try {
          throw this.#onFailure(flight, err);
        } finally {
          this.#core.callEnded();
        }
      },
    );
    flight.promise.catch(noop);
    return flight;
  }

  #onAnswer(flight: Flight, answer: unknown): Operation {
    if (this.#flight !== flight) return answer as Operation; // aborted: the late answer is ignored
    this.#flight = undefined;
    const problem = operationProblem(answer, this.name);
    if (problem !== undefined) {
      const error = new LroProtocolError(problem, this.#context(true));
      this.#failAll(error);
      throw error;
    }
    const op = answer as Operation;
    this.#failures = 0;
    this.absorb(op);
    if (op.done) this.settle();
    else if (this.#waiters !== undefined && this.#waiters.length > 0) this.#scheduleNext(0, undefined);
    return op;
  }

  #onFailure(flight: Flight, err: unknown): LroError {
    const cause = VisionError.from(err);
    const target = this.#describe('GetOperation');
    if (this.#flight !== flight) return new LroPollError(cause, this.#context(true), target, 1, !isTransientPollError(cause));
    this.#flight = undefined;
    const permanent = !isTransientPollError(cause);
    this.#failures++;
    const error = new LroPollError(cause, this.#context(true), target, this.#failures, permanent);
    if (permanent || this.#failures >= this.#schedule.maxConsecutiveFailures) {
      this.#failures = 0;
      this.#failAll(error);
    } else if (this.#waiters !== undefined && this.#waiters.length > 0) {
      this.#scheduleNext(retryDelayOf(cause), error);
    }
    return error;
  }

  /** Plans the next poll: the schedule's next sleep, at least `minDelay` (RetryInfo). */
  #scheduleNext(minDelay: number, cause: LroError | undefined): void {
    const now = this.#core.clock.now();
    const sleep = Math.max(minDelay, sleepFor(this.#schedule, this.#sleepIndex, this.#core.random));
    this.#sleepIndex++;
    this.#nextDue = now + sleep;
    if (minDelay > 0) {
      for (const w of [...(this.#waiters ?? [])]) {
        if (now + minDelay < w.deadline) continue;
        this.#removeWaiter(w);
        w.reject(
          new LroTimeoutError(
            this.#context(true),
            w.timeoutMs,
            `the server asked to retry after ${Math.round(minDelay)} ms, past the deadline`,
            cause,
          ),
        );
      }
    }
    if (this.#waiters !== undefined && this.#waiters.length > 0) this.#schedulePoll(this.#nextDue);
    else this.#stopIfIdle();
  }

  /** Takes a new snapshot: keeps only it, decodes changed metadata and tells the waiters. */
  absorb(op: Operation): void {
    const previous = this.snapshot?.metadata;
    this.snapshot = op;
    const any = op.metadata;
    if (any === undefined) return;
    if (previous !== undefined && this.metadata !== undefined && this.metadataError === undefined && sameAny(previous, any)) return;
    let decoded: M;
    try {
      decoded = this.#decode('metadata', any) as M;
    } catch (err) {
      this.metadataError = err as LroDecodeError;
      return;
    }
    this.metadataError = undefined;
    if (this.metadata !== undefined && deepEqual(this.metadata, decoded)) return;
    this.metadata = decoded;
    for (const w of [...(this.#waiters ?? [])]) this.#deliver(w);
  }

  /** The snapshot is done: decode the outcome once, settle every waiter, stop. */
  settle(): void {
    const op = this.snapshot as Operation;
    let outcome: Outcome<R>;
    if (op.error !== undefined) {
      const e = errorFromStatus(op.error);
      outcome = { ok: false, error: new LroOperationError(e.code, e.rawMessage, e.details, this.#context(false)) };
    } else if (op.response !== undefined) {
      try {
        outcome = { ok: true, value: this.#decode('response', op.response) as R };
      } catch (err) {
        outcome = { ok: false, error: err as LroDecodeError };
      }
    } else {
      outcome = { ok: true, value: undefined };
    }
    this.#outcome = outcome;
    const ws = this.#waiters ?? [];
    this.#waiters = undefined;
    for (const w of ws) {
      this.#detach(w);
      if (outcome.ok) w.resolve(outcome.value);
      else w.reject(outcome.error);
    }
    this.#stop();
  }

  #failAll(error: LroError): void {
    const ws = this.#waiters ?? [];
    this.#waiters = undefined;
    for (const w of ws) {
      this.#detach(w);
      w.reject(error);
    }
    this.#stop();
  }

  #decode(part: 'response' | 'metadata', any: Any): object {
    const expected = part === 'response' ? this.descriptor.responseType : this.descriptor.metadataType;
    const actual = typeNameOfUrl(any.typeUrl);
    if (actual !== expected) {
      const what = any.typeUrl === '' ? 'an Any without a type URL' : `a ${actual}`;
      throw new LroDecodeError(part, expected, any.typeUrl, `the answer holds ${what}`, this.#context(false));
    }
    try {
      return this.#core.unpack(any, expected);
    } catch (err) {
      const why = err instanceof VisionError ? err.rawMessage : err instanceof Error ? err.message : String(err);
      throw new LroDecodeError(part, expected, any.typeUrl, why, this.#context(false), err);
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

  #describe(rpc: OperationsRpc): string | undefined {
    try {
      return this.#core.transport.describe?.(rpc, this.name, this.descriptor.routes);
    } catch {
      return undefined;
    }
  }

  // ---- single requests -----------------------------------------------------

  poll(options: LroCallOptions = {}): Promise<Operation> {
    if (this.#outcome !== undefined && this.snapshot !== undefined) return Promise.resolve(this.snapshot);
    const signal = options.signal;
    if (signal?.aborted) return Promise.reject(new LroAbortedError(this.#context(true), signal.reason));
    const flight = this.#flight ?? this.#launch(options.timeout ?? this.#schedule.pollTimeout);
    flight.users++;
    if (signal === undefined) {
      return flight.promise.finally(() => {
        flight.users--;
      });
    }
    return new Promise<Operation>((resolve, reject) => {
      let left = false;
      const leave = (): void => {
        if (left) return;
        left = true;
        signal.removeEventListener('abort', onAbort);
        flight.users--;
      };
      const onAbort = (): void => {
        leave();
        if (flight.users === 0 && this.#flight === flight && (this.#waiters === undefined || this.#waiters.length === 0)) {
          this.#flight = undefined;
          flight.controller.abort();
        }
        reject(new LroAbortedError(this.#context(true), signal.reason));
      };
      signal.addEventListener('abort', onAbort, { once: true });
      flight.promise.then(
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
    if (this.#outcome !== undefined) return Promise.resolve();
    if (this.#cancelling !== undefined) return this.#cancelling;
    const request = this.#request('CancelOperation', options, (name, opts) => this.#core.transport.cancel(name, opts)).then(() => {
      // Look again soon: the waits see the cancellation without a full sleep.
      if (
        this.#outcome === undefined &&
        this.#flight === undefined &&
        !this.queued &&
        this.#waiters !== undefined &&
        this.#waiters.length > 0
      ) {
        this.#nextDue = this.#core.clock.now();
        this.#core.queue.cancel(this);
        this.#schedulePoll(this.#nextDue);
      }
    });
    const shared = request.finally(() => {
      this.#cancelling = undefined;
    });
    this.#cancelling = shared;
    return shared;
  }

  delete(options: LroCallOptions = {}): Promise<void> {
    return this.#request('DeleteOperation', options, (name, opts) => this.#core.transport.delete(name, opts));
  }

  #request(
    rpc: OperationsRpc,
    options: LroCallOptions,
    send: (name: string, options: OperationsCallOptions) => Promise<void>,
  ): Promise<void> {
    if (options.signal?.aborted) return Promise.reject(new LroAbortedError(this.#context(true), options.signal.reason));
    let call: Promise<void>;
    try {
      call = send(this.name, {
        signal: options.signal,
        timeout: options.timeout ?? this.#schedule.pollTimeout,
        routes: this.descriptor.routes,
      });
    } catch (err) {
      call = Promise.reject(err);
    }
    return call.then(
      () => undefined,
      (err: unknown) => {
        throw new LroRequestError(rpc, VisionError.from(err), this.#context(false), this.#describe(rpc));
      },
    );
  }
}
