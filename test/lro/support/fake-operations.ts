import { Code, type OperationsCallOptions, type OperationsRpc, type OperationsTransport, VisionError } from 'vision-kit';
import type { Operation } from 'vision-kit/gen/google/longrunning/operations.js';
import type { Any } from 'vision-kit/gen/google/protobuf/any.js';
import type { Status } from 'vision-kit/gen/google/rpc/status.js';
import type { FakeClock } from './fake-clock.js';

/** One scripted answer to GetOperation. */
export type Answer =
  | {
      readonly kind: 'op';
      readonly done?: boolean;
      readonly metadata?: Any;
      readonly response?: Any;
      readonly error?: Status;
      readonly after?: number;
    }
  | { readonly kind: 'fail'; readonly error: VisionError; readonly after?: number }
  | { readonly kind: 'hang' }
  | { readonly kind: 'raw'; readonly value: unknown };

/** Shorthands for answers. */
export const A = {
  pending: (metadata?: Any, after?: number): Answer => ({ kind: 'op', done: false, metadata, after }),
  done: (response?: Any, metadata?: Any): Answer => ({ kind: 'op', done: true, response, metadata }),
  failed: (error: Status, metadata?: Any): Answer => ({ kind: 'op', done: true, error, metadata }),
  fail: (code: number, message = 'scripted failure', init: ConstructorParameters<typeof VisionError>[2] = {}, after?: number): Answer => ({
    kind: 'fail',
    error: new VisionError(code as Code, message, init),
    after,
  }),
  hang: (): Answer => ({ kind: 'hang' }),
  raw: (value: unknown): Answer => ({ kind: 'raw', value }),
};

/** One call the fake received. */
export interface FakeCall {
  readonly rpc: OperationsRpc;
  readonly name: string;
  readonly at: number;
  readonly timeout: number | undefined;
  aborted: boolean;
  settledAt: number | undefined;
}

/**
 * A scripted in-memory OperationsTransport on fake time: each name answers
 * its script in order (the last answer repeats), honours abort signals and
 * per-call timeouts, and records every call.
 */
export class FakeOperations implements OperationsTransport {
  readonly kind = 'fake';
  readonly calls: FakeCall[] = [];
  private readonly scripts = new Map<string, Answer[]>();
  private readonly positions = new Map<string, number>();
  /** What CancelOperation answers; by default it succeeds and the operation then reads as cancelled. */
  cancelError: VisionError | undefined;
  deleteError: VisionError | undefined;
  /** Answers that arrived after their call was aborted (and must have been ignored). */
  lateAnswers = 0;
  /** When true, an abort is recorded but the answer still comes (a transport that cannot stop a call). */
  ignoreAbort = false;
  /** When true, per-call timeouts are not enforced (a transport that leaves them to the caller). */
  ignoreTimeouts = false;

  constructor(private readonly clock: FakeClock) {}

  /** Sets the answers for `name` (replacing any earlier script). */
  script(name: string, ...answers: Answer[]): this {
    this.scripts.set(name, answers);
    this.positions.set(name, 0);
    return this;
  }

  /** Calls of one kind (and name). */
  of(rpc: OperationsRpc, name?: string): FakeCall[] {
    return this.calls.filter((c) => c.rpc === rpc && (name === undefined || c.name === name));
  }

  describe(rpc: OperationsRpc, name: string): string {
    return `fake ${rpc} ${name}`;
  }

  get(name: string, options: OperationsCallOptions = {}): Promise<Operation> {
    const call = this.record('GetOperation', name, options);
    const script = this.scripts.get(name);
    if (script === undefined || script.length === 0) {
      return this.settle(call, Promise.reject(new VisionError(Code.NOT_FOUND, `operation ${name} not found`)));
    }
    const pos = this.positions.get(name) ?? 0;
    const answer = script[Math.min(pos, script.length - 1)] as Answer;
    this.positions.set(name, pos + 1);
    return this.settle(call, this.answer(name, answer), options);
  }

  cancel(name: string, options: OperationsCallOptions = {}): Promise<void> {
    const call = this.record('CancelOperation', name, options);
    if (this.cancelError !== undefined) return this.settle(call, Promise.reject(this.cancelError));
    this.script(name, A.failed({ code: Code.CANCELLED, message: 'Operation cancelled by the caller.', details: [] }));
    return this.settle(call, Promise.resolve());
  }

  delete(name: string, options: OperationsCallOptions = {}): Promise<void> {
    const call = this.record('DeleteOperation', name, options);
    if (this.deleteError !== undefined) return this.settle(call, Promise.reject(this.deleteError));
    return this.settle(call, Promise.resolve());
  }

  private record(rpc: OperationsRpc, name: string, options: OperationsCallOptions): FakeCall {
    const call: FakeCall = { rpc, name, at: this.clock.now(), timeout: options.timeout, aborted: false, settledAt: undefined };
    this.calls.push(call);
    return call;
  }

  private answer(name: string, answer: Answer): Promise<Operation> | 'hang' {
    switch (answer.kind) {
      case 'hang':
        return 'hang';
      case 'raw':
        return Promise.resolve(answer.value as Operation);
      case 'fail':
        return this.later(answer.after, () => {
          throw answer.error;
        });
      case 'op':
        return this.later(answer.after, () => ({
          name,
          done: answer.done ?? false,
          metadata: answer.metadata,
          response: answer.response,
          error: answer.error,
        }));
    }
  }

  private later<T>(after: number | undefined, make: () => T): Promise<T> {
    if (after === undefined || after <= 0) return new Promise<T>((resolve) => resolve(make()));
    return new Promise<T>((resolve, reject) => {
      this.clock.setTimer(() => {
        try {
          resolve(make());
        } catch (err) {
          reject(err);
        }
      }, after);
    });
  }

  private settle<T>(call: FakeCall, result: Promise<T> | 'hang', options: OperationsCallOptions = {}): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      let done = false;
      let timer: unknown;
      const finish = (): boolean => {
        if (done) return false;
        done = true;
        call.settledAt = this.clock.now();
        options.signal?.removeEventListener('abort', onAbort);
        if (timer !== undefined) this.clock.clearTimer(timer);
        return true;
      };
      const onAbort = (): void => {
        call.aborted = true;
        if (this.ignoreAbort) return;
        if (finish()) reject(new VisionError(Code.CANCELLED, 'the call was cancelled'));
      };
      if (options.signal?.aborted) {
        onAbort();
        return;
      }
      options.signal?.addEventListener('abort', onAbort, { once: true });
      if (!this.ignoreTimeouts && options.timeout !== undefined && Number.isFinite(options.timeout)) {
        timer = this.clock.setTimer(() => {
          timer = undefined;
          if (finish()) reject(new VisionError(Code.DEADLINE_EXCEEDED, `the deadline of ${options.timeout} ms was exceeded`));
        }, options.timeout);
      }
      if (result === 'hang') return;
      result.then(
        (value) => {
          if (finish()) resolve(value);
          else this.lateAnswers++;
        },
        (err: unknown) => {
          if (finish()) reject(err);
          else this.lateAnswers++;
        },
      );
    });
  }
}
