import { Code, VisionError } from 'vision-kit';
import type { Operation } from 'vision-kit/gen/google/longrunning/operations.js';
import type { MemoryHandlers } from 'vision-kit/testing';

const OPS = 'google.longrunning.Operations';

/** One scripted server answer: an Operation (partial) or an error to throw. */
export type ServerAnswer = Partial<Operation> | VisionError | { readonly hangMs: number };

/**
 * Server-side operation histories for the real gRPC and REST test servers:
 * each GetOperation of a name answers the next entry of its history (the
 * last repeats); Cancel turns the operation into a CANCELLED one; every call
 * is logged with the method name.
 */
export class OperationHistories {
  readonly log: { method: string; name: string }[] = [];
  private readonly histories = new Map<string, ServerAnswer[]>();
  private readonly positions = new Map<string, number>();
  cancelError: VisionError | undefined;
  /** GetOperation calls being answered right now, and the most at once (by name prefix: see {@link peakOf}). */
  private readonly active = new Map<string, number>();
  private readonly peaks = new Map<string, number>();
  /** Calls whose hang ended because the client went away (its signal aborted), by name. */
  readonly abandoned: string[] = [];

  /** The most GetOperation calls of names starting with `prefix` the server was answering at once. */
  peakOf(prefix: string): number {
    return this.peaks.get(prefix) ?? 0;
  }

  /** Counts concurrent GetOperation calls per registered prefix (`track`). */
  private enter(name: string): () => void {
    const prefixes = [...this.peaks.keys()].filter((p) => name.startsWith(p));
    for (const p of prefixes) {
      const now = (this.active.get(p) ?? 0) + 1;
      this.active.set(p, now);
      this.peaks.set(p, Math.max(this.peaks.get(p) ?? 0, now));
    }
    return () => {
      for (const p of prefixes) this.active.set(p, (this.active.get(p) ?? 1) - 1);
    };
  }

  /** Starts counting concurrent GetOperation calls of names starting with `prefix`. */
  track(prefix: string): this {
    this.peaks.set(prefix, 0);
    this.active.set(prefix, 0);
    return this;
  }

  /** Sets the history of `name`. */
  set(name: string, ...answers: ServerAnswer[]): this {
    this.histories.set(name, answers);
    this.positions.set(name, 0);
    return this;
  }

  /** The names of the methods called, in order. */
  methods(): string[] {
    return this.log.map((l) => l.method);
  }

  handlers(): MemoryHandlers {
    return {
      [OPS]: {
        GetOperation: async (request, context) => {
          const name = (request as { name: string }).name;
          this.log.push({ method: 'GetOperation', name });
          const history = this.histories.get(name);
          if (history === undefined) throw new VisionError(Code.NOT_FOUND, `Operation ${name} not found.`);
          const pos = this.positions.get(name) ?? 0;
          this.positions.set(name, pos + 1);
          const answer = history[Math.min(pos, history.length - 1)] as ServerAnswer;
          if (answer instanceof VisionError) throw answer;
          const leave = this.enter(name);
          try {
            if ('hangMs' in answer) {
              await new Promise<void>((resolve) => {
                const t = setTimeout(resolve, answer.hangMs);
                context.signal.addEventListener('abort', () => {
                  clearTimeout(t);
                  this.abandoned.push(name);
                  resolve();
                });
              });
              return { name, done: false };
            }
            return { name, ...answer };
          } finally {
            leave();
          }
        },
        CancelOperation: (request) => {
          const name = (request as { name: string }).name;
          this.log.push({ method: 'CancelOperation', name });
          if (this.cancelError !== undefined) throw this.cancelError;
          this.set(name, { done: true, error: { code: Code.CANCELLED, message: 'Operation cancelled by the caller.', details: [] } });
          return {};
        },
        DeleteOperation: (request) => {
          const name = (request as { name: string }).name;
          this.log.push({ method: 'DeleteOperation', name });
          return {};
        },
      },
    };
  }
}
