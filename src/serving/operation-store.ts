/**
 * Long-running operations for a server of your own, or a test double of a
 * Google API: a store of `google.longrunning.Operation`s by name and the
 * `google.longrunning.Operations` service over it (Get, List, Cancel,
 * Delete), ready for `createGrpcHost` and `createRestHandler`. A start
 * method answers `store.start(...)`; the work reports with
 * `store.update(name, { metadata })` and ends with `{ response }` or
 * `{ error }`. Metadata and responses are `Any`s (`packAny(type, message)`:
 * the type must be registered, which importing the `index.js` that
 * `vision-kit gen` writes does). State is in memory.
 */
import { type Operation, OperationsDefinition } from '../../gen/google/longrunning/operations.js';
import type { Any } from '../../gen/google/protobuf/any.js';
import type { Status } from '../../gen/google/rpc/status.js';
import { errorToStatus } from '../codec/rpc-status.js';
import { checkObject } from '../core/check-options.js';
import * as codes from '../core/codes.js';
import { VisionError } from '../core/vision-error.js';
import { defineService, type ServiceImpl } from './service-impl.js';

/** What {@link OperationStore.update} changes; `response` and `error` end the operation. */
export interface OperationUpdate {
  /** The latest metadata (e.g. `packAny('acme.v1.JobProgress', { percent: 40 })`). */
  readonly metadata?: Any | undefined;
  /** Ends the operation with this result. */
  readonly response?: Any | undefined;
  /** Ends the operation with this error (a VisionError's details become the Status's). */
  readonly error?: VisionError | Status | undefined;
}

/** Options of {@link createOperationStore}. */
export interface OperationStoreOptions {
  /** What names start with, before a counter: default `operations/` (`operations/1`, …); `''` gives bare numbers. */
  readonly namePrefix?: string | undefined;
  /** Called before GetOperation answers (e.g. to move a test double's work one step per poll). */
  readonly onPoll?: ((name: string, store: OperationStore) => void) | undefined;
  /** Called when CancelOperation reaches an unfinished operation, before it is marked cancelled. */
  readonly onCancel?: ((name: string) => void) | undefined;
}

/** Operations by name, and the Operations service that serves them. */
export interface OperationStore {
  /** Starts an operation (not done) and returns it: what a start method answers. */
  start(init?: { readonly name?: string | undefined; readonly metadata?: Any | undefined }): Operation;
  /** Changes an operation (NOT_FOUND VisionError for an unknown name; a finished one cannot change: FAILED_PRECONDITION). */
  update(name: string, update: OperationUpdate): Operation;
  /** An operation by name (a copy), or undefined. */
  get(name: string): Operation | undefined;
  /** `google.longrunning.Operations` over the store: Get, List (by name prefix), Cancel (error CANCELLED), Delete. */
  readonly service: ServiceImpl;
}

function statusOf(error: VisionError | Status): Status {
  return error instanceof VisionError ? errorToStatus(error) : error;
}

/** A new in-memory {@link OperationStore}. */
export function createOperationStore(options: OperationStoreOptions = {}): OperationStore {
  checkObject('createOperationStore', 'options', options);
  const prefix = options.namePrefix ?? 'operations/';
  if (typeof prefix !== 'string') throw new VisionError(codes.INVALID_ARGUMENT, 'createOperationStore: namePrefix must be a string');
  const ops = new Map<string, Operation>();
  let counter = 0;
  const find = (name: string): Operation => {
    const op = ops.get(name);
    if (op === undefined) throw new VisionError(codes.NOT_FOUND, `Operation ${JSON.stringify(name)} not found.`);
    return op;
  };
  /** A copy, so callers cannot change the stored operation. */
  const snapshot = (op: Operation): Operation => ({ ...op });
  const store: OperationStore = {
    start(init = {}) {
      const name = init.name ?? `${prefix}${++counter}`;
      if (typeof name !== 'string' || name === '') throw new VisionError(codes.INVALID_ARGUMENT, 'an operation needs a name');
      if (ops.has(name)) throw new VisionError(codes.ALREADY_EXISTS, `Operation ${JSON.stringify(name)} already exists.`);
      const op: Operation = { name, metadata: init.metadata, done: false, error: undefined, response: undefined };
      ops.set(name, op);
      return snapshot(op);
    },
    update(name, update) {
      checkObject('update', 'update', update);
      const op = find(name);
      if (op.done) throw new VisionError(codes.FAILED_PRECONDITION, `Operation ${JSON.stringify(name)} has already finished.`);
      if (update.response !== undefined && update.error !== undefined) {
        throw new VisionError(codes.INVALID_ARGUMENT, 'an operation ends with a response or an error, not both');
      }
      if (update.metadata !== undefined) op.metadata = update.metadata;
      if (update.response !== undefined) Object.assign(op, { done: true, response: update.response });
      if (update.error !== undefined) Object.assign(op, { done: true, error: statusOf(update.error) });
      return snapshot(op);
    },
    get: (name) => {
      const op = ops.get(name);
      return op === undefined ? undefined : snapshot(op);
    },
    service: defineService(OperationsDefinition, {
      async GetOperation(req) {
        find(req.name);
        options.onPoll?.(req.name, store);
        return snapshot(find(req.name));
      },
      async ListOperations(req) {
        const scope = req.name === '' || req.name === 'operations' ? '' : `${req.name}/`;
        const operations = [...ops.values()].filter((op) => op.name.startsWith(scope)).map(snapshot);
        return { operations, nextPageToken: '' };
      },
      async CancelOperation(req) {
        const op = find(req.name);
        if (!op.done) {
          options.onCancel?.(req.name);
          if (!op.done) Object.assign(op, { done: true, error: { code: codes.CANCELLED, message: 'Operation cancelled.', details: [] } });
        }
        return {};
      },
      async DeleteOperation(req) {
        find(req.name);
        ops.delete(req.name);
        return {};
      },
    }),
  };
  return store;
}
