/**
 * Long-running operations: creation (durable before the call returns),
 * runners that do the work step by step (`opStepMs` per item), state moving
 * CREATED → RUNNING → DONE (annotate) or PROCESSING → SUCCESSFUL/FAILED
 * (import, purge), cancellation (error code 1, state CANCELLED), deletion,
 * waiting, listing, and resumption of unfinished work after a restart.
 */
import { Code, VisionError } from 'vision-kit';
import { OperationMetadata, OperationMetadata_State } from 'vision-kit/gen/google/cloud/vision/v1p4beta1/image_annotator.js';
import {
  BatchOperationMetadata,
  BatchOperationMetadata_State,
} from 'vision-kit/gen/google/cloud/vision/v1p4beta1/product_search_service.js';
import type { Operation } from 'vision-kit/gen/google/longrunning/operations.js';
import { logUnexpected } from 'vision-kit/serving';
import type { EmulatorKnobs, EmulatorStats } from '../knobs.js';
import { newId } from '../product-search/names.js';
import type { OperationKind, OperationProgress, OperationRow, OperationStateName, StateRecord } from '../state/records.js';
import type { StateStore } from '../state/state-store.js';
import { sleep, timestampFromMs } from '../time.js';

/** What a runner may use. */
export interface RunnerContext {
  /** The operation's row (live: progress as of now). */
  readonly op: OperationRow;
  /** Aborted on cancel and on shutdown. */
  readonly signal: AbortSignal;
  /** Waits one step (`opStepMs`); rejects once the signal is aborted. */
  step(): Promise<void>;
  /** Commits a record unless the operation was cancelled or the emulator is stopping (then rejects). */
  commit(record: StateRecord): Promise<void>;
}

/** How a runner ended. */
export type RunnerResult =
  | { readonly state: OperationStateName; readonly response: Uint8Array }
  | { readonly state: OperationStateName; readonly error: VisionError };

/** Does an operation's work, resuming from `ctx.op.progress`. */
export type Runner = (ctx: RunnerContext) => Promise<RunnerResult>;

/**
 * What a cancelled operation of a kind still reports: an Any message put in
 * the details of its `error` (code 1), built from the work done so far.
 */
export type CancelDetail = (op: OperationRow) => { readonly typeUrl: string; readonly value: Uint8Array } | undefined;

/** The method that starts each kind. */
export const METHOD_OF_KIND: Record<OperationKind, string> = {
  annotateImages: 'AsyncBatchAnnotateImages',
  annotateFiles: 'AsyncBatchAnnotateFiles',
  importProductSets: 'ImportProductSets',
  purgeProducts: 'PurgeProducts',
};

const RESPONSE_TYPE: Record<OperationKind, string> = {
  annotateImages: 'google.cloud.vision.v1p4beta1.AsyncBatchAnnotateImagesResponse',
  annotateFiles: 'google.cloud.vision.v1p4beta1.AsyncBatchAnnotateFilesResponse',
  importProductSets: 'google.cloud.vision.v1p4beta1.ImportProductSetsResponse',
  purgeProducts: 'google.protobuf.Empty',
};

const ANNOTATE_STATES: Partial<Record<OperationStateName, OperationMetadata_State>> = {
  CREATED: OperationMetadata_State.CREATED,
  RUNNING: OperationMetadata_State.RUNNING,
  DONE: OperationMetadata_State.DONE,
  CANCELLED: OperationMetadata_State.CANCELLED,
};

const BATCH_STATES: Partial<Record<OperationStateName, BatchOperationMetadata_State>> = {
  PROCESSING: BatchOperationMetadata_State.PROCESSING,
  SUCCESSFUL: BatchOperationMetadata_State.SUCCESSFUL,
  FAILED: BatchOperationMetadata_State.FAILED,
  CANCELLED: BatchOperationMetadata_State.CANCELLED,
};

/** True for the kinds that use BatchOperationMetadata. */
export function isBatchKind(kind: OperationKind): boolean {
  return kind === 'importProductSets' || kind === 'purgeProducts';
}

class Stopping extends Error {
  constructor() {
    super('the emulator is stopping');
    this.name = 'AbortError';
  }
}

/** The operations of one emulator. */
export class OperationManager {
  private readonly running = new Map<string, AbortController>();
  private readonly waiters = new Map<string, Set<() => void>>();
  private readonly finished = new Set<Promise<void>>();
  /** The settling of each running operation's work, by name. */
  private readonly settling = new Map<string, Promise<void>>();
  private stopped = false;

  constructor(
    private readonly store: StateStore,
    private readonly knobs: EmulatorKnobs,
    private readonly stats: EmulatorStats,
    private readonly runners: Readonly<Record<OperationKind, Runner>>,
    private readonly cancelDetails: Readonly<Partial<Record<OperationKind, CancelDetail>>> = {},
  ) {}

  /**
   * Creates an operation (durably) and schedules its work; `name` is
   * `operations/<id>` or `projects/P/locations/L/operations/<id>` per kind.
   */
  async start(kind: OperationKind, parent: string | undefined, request: Uint8Array, progress: OperationProgress): Promise<OperationRow> {
    if (this.stopped) throw new VisionError(Code.UNAVAILABLE, 'the emulator is stopping');
    const name = parent ? `${parent}/operations/${newId()}` : `operations/${newId()}`;
    const now = Date.now();
    const row: OperationRow = {
      name,
      kind,
      order: this.store.nextOrder(),
      createTime: now,
      updateTime: now,
      state: isBatchKind(kind) ? 'PROCESSING' : 'CREATED',
      done: false,
      request: Buffer.from(request).toString('base64'),
      progress,
    };
    await this.store.commit({ t: 'op.create', row });
    this.stats.operationStarts++;
    const method = METHOD_OF_KIND[kind];
    this.stats.operationStartsByMethod[method] = (this.stats.operationStartsByMethod[method] ?? 0) + 1;
    const live = this.store.operations.get(name) ?? row;
    this.launch(live);
    return live;
  }

  /** Resumes every unfinished operation (after a restart). */
  resumeAll(): number {
    let n = 0;
    for (const op of this.store.operations.values()) {
      if (!op.done) {
        this.launch(op);
        n++;
      }
    }
    return n;
  }

  private launch(op: OperationRow): void {
    const controller = new AbortController();
    this.running.set(op.name, controller);
    const { signal } = controller;
    const ctx: RunnerContext = {
      op,
      signal,
      step: () => sleep(this.knobs.opStepMs, signal),
      commit: (record) => {
        if (signal.aborted) return Promise.reject(signal.reason);
        return this.store.commit(record);
      },
    };
    const work = (async () => {
      await ctx.step();
      if (op.state === 'CREATED') await ctx.commit({ t: 'op.state', name: op.name, state: 'RUNNING', time: Date.now() });
      return this.runners[op.kind](ctx);
    })();
    const settled = work.then(
      async (result) => {
        if (signal.aborted || op.done) return;
        if ('error' in result) await this.finish(op, result.state, { code: result.error.code, message: result.error.rawMessage });
        else await this.finish(op, result.state, undefined, Buffer.from(result.response).toString('base64'));
      },
      async (err: unknown) => {
        if (signal.aborted || op.done) return;
        const e = err instanceof VisionError ? err : undefined;
        if (!e) logUnexpected(err, `operation ${op.name}`);
        await this.finish(op, isBatchKind(op.kind) ? 'FAILED' : 'DONE', {
          code: e?.code ?? Code.INTERNAL,
          message: e?.rawMessage ?? `internal error: ${err instanceof Error ? err.message : String(err)}`,
        });
      },
    );
    const tracked: Promise<void> = settled
      .catch((err: unknown) => {
        if (!this.stopped) logUnexpected(err, `finishing operation ${op.name}`);
      })
      .finally(() => {
        if (this.running.get(op.name) === controller) this.running.delete(op.name);
        if (this.settling.get(op.name) === tracked) this.settling.delete(op.name);
        this.finished.delete(tracked);
      });
    this.finished.add(tracked);
    this.settling.set(op.name, tracked);
  }

  private async finish(
    op: OperationRow,
    state: OperationStateName,
    error?: { code: number; message: string },
    response?: string,
  ): Promise<void> {
    const record: StateRecord = { t: 'op.done', name: op.name, state, time: Date.now(), ...(error ? { error } : { response }) };
    const durable = this.store.commit(record);
    this.notify(op.name);
    await durable;
  }

  private notify(name: string): void {
    const set = this.waiters.get(name);
    if (!set) return;
    this.waiters.delete(name);
    for (const wake of set) wake();
  }

  /** The operation, or NOT_FOUND. */
  get(name: string): OperationRow {
    const op = this.store.operations.get(name);
    if (!op || op.deleted) throw new VisionError(Code.NOT_FOUND, `operation not found: ${name}`);
    return op;
  }

  /**
   * Cancels an unfinished operation: its work stops (when this resolves, no
   * more of its output will appear), its error becomes code 1, state
   * CANCELLED, with the kind's {@link CancelDetail} (if any) in the error's
   * details. A finished one is left as it is.
   */
  async cancel(name: string): Promise<void> {
    const op = this.get(name);
    if (op.done) return;
    const controller = this.running.get(name);
    const detail = this.cancelDetails[op.kind]?.(op);
    const durable = this.store.commit({
      t: 'op.done',
      name,
      state: 'CANCELLED',
      time: Date.now(),
      error: {
        code: Code.CANCELLED,
        message: 'Operation cancelled by the caller',
        ...(detail ? { details: [{ typeUrl: detail.typeUrl, value: Buffer.from(detail.value).toString('base64') }] } : {}),
      },
    });
    controller?.abort(new VisionError(Code.CANCELLED, 'cancelled'));
    this.notify(name);
    await durable;
    await this.settling.get(name);
  }

  /** Forgets an operation (its work, if any, goes on: DeleteOperation does not cancel). */
  async delete(name: string): Promise<void> {
    this.get(name);
    await this.store.commit({ t: 'op.delete', name });
  }

  /** Resolves with the operation once done, or after `timeoutMs`, or rejects when `signal` aborts. */
  async wait(name: string, timeoutMs: number, signal: AbortSignal): Promise<OperationRow> {
    const op = this.get(name);
    if (op.done || timeoutMs <= 0) return op;
    await new Promise<void>((resolve, reject) => {
      let set = this.waiters.get(name);
      if (!set) this.waiters.set(name, (set = new Set()));
      const cleanup = (): void => {
        clearTimeout(timer);
        signal.removeEventListener('abort', onAbort);
        set!.delete(wake);
      };
      const wake = (): void => {
        cleanup();
        resolve();
      };
      const onAbort = (): void => {
        cleanup();
        reject(signal.reason);
      };
      const timer = setTimeout(wake, timeoutMs);
      set.add(wake);
      signal.addEventListener('abort', onAbort, { once: true });
    });
    return this.store.operations.get(name) ?? op;
  }

  /** Stops all work without finishing it (it resumes on the next start), and waits for runners to settle. */
  async stop(): Promise<void> {
    this.stopped = true;
    for (const c of this.running.values()) c.abort(new Stopping());
    await Promise.allSettled([...this.finished]);
  }

  /** The operation as the `google.longrunning.Operation` message. */
  toMessage(op: OperationRow): Operation {
    const metadata = isBatchKind(op.kind)
      ? {
          typeUrl: 'type.googleapis.com/google.cloud.vision.v1p4beta1.BatchOperationMetadata',
          value: BatchOperationMetadata.encode({
            state: BATCH_STATES[op.state] ?? BatchOperationMetadata_State.STATE_UNSPECIFIED,
            submitTime: timestampFromMs(op.createTime),
            endTime: op.endTime !== undefined ? timestampFromMs(op.endTime) : undefined,
          }).finish(),
        }
      : {
          typeUrl: 'type.googleapis.com/google.cloud.vision.v1p4beta1.OperationMetadata',
          value: OperationMetadata.encode({
            state: ANNOTATE_STATES[op.state] ?? OperationMetadata_State.STATE_UNSPECIFIED,
            createTime: timestampFromMs(op.createTime),
            updateTime: timestampFromMs(op.updateTime),
          }).finish(),
        };
    const message: Operation = { name: op.name, metadata, done: op.done };
    if (op.done && op.error) {
      message.error = {
        code: op.error.code,
        message: op.error.message,
        details: (op.error.details ?? []).map((d) => ({ typeUrl: d.typeUrl, value: Buffer.from(d.value, 'base64') })),
      };
    } else if (op.done) {
      message.response = { typeUrl: `type.googleapis.com/${RESPONSE_TYPE[op.kind]}`, value: Buffer.from(op.response ?? '', 'base64') };
    }
    return message;
  }

  /** Method name of an operation's kind (for filters). */
  methodOf(op: OperationRow): string {
    return METHOD_OF_KIND[op.kind];
  }
}
