/**
 * `vision-kit call … --wait`: waits for the operation a call returned with
 * the generic poller, writing each metadata change to stderr as one line.
 * Loaded only when `--wait` is given.
 */
import type { Operation } from '../../../gen/google/longrunning/operations.js';
import { messageToJson } from '../../codec/json/to-json.js';
import { lroDescriptor } from '../../lro/descriptor.js';
import { LroOperationError } from '../../lro/errors.js';
import { createOperationsTransport } from '../../lro/operations-transport.js';
import { createPoller } from '../../lro/poller.js';
import { CliError } from '../cli-error.js';
import type { OperationWaiter } from './call-options.js';

/**
 * Resolves to the final Operation (also when it ended in error: the caller
 * prints it and exits 1 with its Status); rejects on a timeout, a poll
 * failure or an interrupt. Progress lines go to `progress` (stderr).
 */
export function createOperationWaiter(progress: (line: string) => void = (line) => process.stderr.write(`${line}\n`)): OperationWaiter {
  return async (operation, { transport, method, signal }): Promise<Operation> => {
    const descriptor = lroDescriptor(method.service, method.method);
    if (descriptor === undefined) throw new CliError(`--wait: ${method.method.name} declares no operation_info`);
    const poller = createPoller({ transport: createOperationsTransport(transport) });
    const lro = poller.fromOperation(descriptor, operation);
    const started = Date.now();
    progress(`${lro.name}: ${lro.done ? 'done' : 'waiting'} (${method.method.name}; deadline ${lro.deadline?.toISOString() ?? 'none'})`);
    try {
      await lro.wait({
        signal,
        onProgress: (metadata) => {
          const seconds = ((Date.now() - started) / 1000).toFixed(1);
          progress(`${lro.name}: ${JSON.stringify(messageToJson(descriptor.metadataType, metadata as object))} (${seconds} s)`);
        },
      });
    } catch (err) {
      if (!(err instanceof LroOperationError)) throw err;
    }
    return lro.snapshot ?? operation;
  };
}

/** The waiter `call-impl.ts` loads for `--wait`. */
export const waitForOperation: OperationWaiter = createOperationWaiter();
