/**
 * google.longrunning.Operations over the emulator's operations: Get, List
 * (`name` "" or "operations" for all, or a `projects/P/locations/L` scope;
 * the filter of {@link compileOperationFilter}; pages of 1–100, default 10),
 * Cancel, Delete and Wait (blocks until done or its timeout, at most 600 s).
 */
import { Code, VisionError } from 'vision-kit';
import { OperationsDefinition } from 'vision-kit/gen/google/longrunning/operations.js';
import { defineService, type ServiceImpl } from 'vision-kit/serving';
import { invalidArgument } from '../errors.js';
import { isLocationOperationName } from '../product-search/names.js';
import { pageSizeOf, paginate } from '../product-search/paging.js';
import type { StateStore } from '../state/state-store.js';
import { msFromDuration } from '../time.js';
import { compileOperationFilter } from './operation-filter.js';
import type { OperationManager } from './operation-manager.js';

/** Longest WaitOperation, in ms (the RPC timeout of the API). */
export const MAX_WAIT_MS = 600_000;

/** Checks the shape of an operation name in request field `field`. */
export function checkOperationName(name: string, field = 'name'): void {
  if (!name) throw invalidArgument(field, 'is required (operations/ID or projects/P/locations/L/operations/ID)');
  if (!/^operations\/[^/]+$/.test(name) && !isLocationOperationName(name)) {
    throw invalidArgument(
      field,
      `${JSON.stringify(name)} is not an operation name (operations/ID or projects/P/locations/L/operations/ID)`,
    );
  }
}

/** The Operations service. */
export function createOperationsService(store: StateStore, ops: OperationManager): ServiceImpl {
  return defineService(OperationsDefinition, {
    async ListOperations(req) {
      let scope = '';
      if (req.name !== '' && req.name !== 'operations') {
        const m = /^(projects\/[^/]+\/locations\/[^/]+)(\/operations)?$/.exec(req.name);
        if (!m)
          throw invalidArgument(
            'name',
            `${JSON.stringify(req.name)}: use "operations" (or "") for all operations, or projects/P/locations/L`,
          );
        scope = `${m[1]}/operations/`;
      }
      if (req.returnPartialSuccess) throw new VisionError(Code.UNIMPLEMENTED, 'return_partial_success is not supported');
      const filter = compileOperationFilter(req.filter);
      pageSizeOf(req.pageSize);
      const rows = [...store.operations.values()].filter(
        (op) =>
          !op.deleted && op.name.startsWith(scope) && filter({ name: op.name, done: op.done, state: op.state, method: ops.methodOf(op) }),
      );
      const page = paginate(rows, 'ListOperations', `${req.name}\u0000${req.filter}`, req.pageSize, req.pageToken);
      return { operations: page.items.map((op) => ops.toMessage(op)), nextPageToken: page.nextPageToken, unreachable: [] };
    },

    async GetOperation(req) {
      checkOperationName(req.name);
      return ops.toMessage(ops.get(req.name));
    },

    async DeleteOperation(req) {
      checkOperationName(req.name);
      await ops.delete(req.name);
      return {};
    },

    async CancelOperation(req) {
      checkOperationName(req.name);
      await ops.cancel(req.name);
      return {};
    },

    async WaitOperation(req, ctx) {
      checkOperationName(req.name);
      const timeout = msFromDuration(req.timeout);
      if (timeout !== undefined && (!Number.isFinite(timeout) || timeout < 0)) throw invalidArgument('timeout', 'must not be negative');
      const op = await ops.wait(req.name, Math.min(timeout ?? MAX_WAIT_MS, MAX_WAIT_MS), ctx.signal);
      return ops.toMessage(op);
    },
  });
}
