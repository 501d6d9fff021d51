/**
 * `vision-kit call … --wait`: waits for the operation a call returned with
 * the generic poller, writing each metadata change to stderr as one line.
 * Loaded only when `--wait` is given.
 */
import type { Operation } from '../../../gen/google/longrunning/operations.js';
import type { Any } from '../../../gen/google/protobuf/any.js';
import { typeNameOfUrl } from '../../codec/any.js';
import { messageToJson } from '../../codec/json/to-json.js';
import { type LroDescriptor, lroDescriptor } from '../../lro/descriptor.js';
import { LroOperationError } from '../../lro/errors.js';
import type { Lro } from '../../lro/lro.js';
import { createOperationsTransport } from '../../lro/operations-transport.js';
import { createPoller } from '../../lro/poller.js';
import { defaultScheduleFor } from '../../lro/schedule.js';
import type { MethodRef } from '../../transport/transport.js';
import { CliError } from '../cli-error.js';
import type { OperationWaiter } from './call-options.js';

/** The service whose GetOperation and WaitOperation answer the operation their request names. */
const OPERATIONS = 'google.longrunning.Operations';

/**
 * The descriptor of an operation waited on by name (`call GetOperation
 * --wait`): no `operation_info` says which method started it, so its
 * response and metadata types are the ones the Any values of its latest
 * snapshot carry (`latest`; any type the schema registry knows decodes),
 * it is polled on the default schedule, and over REST through the
 * Operations transport's routes (Vision's, as the GetOperation call itself).
 */
function namedOperationDescriptor(method: MethodRef, latest: () => Operation): LroDescriptor {
  const id = `${method.service}/${method.method.name}`;
  const typeOf = (any: Any | undefined): string => typeNameOfUrl(any?.typeUrl ?? '');
  return Object.freeze({
    method: id,
    get responseType(): string {
      return typeOf(latest().response);
    },
    get metadataType(): string {
      return typeOf(latest().metadata);
    },
    schedule: defaultScheduleFor(id),
  });
}

/**
 * Resolves to the final Operation (also when it ended in error: the caller
 * prints it and exits 1 with its Status); rejects on a timeout, a poll
 * failure or an interrupt. Progress lines go to `progress` (stderr). The
 * operation of GetOperation or WaitOperation is the one its request named,
 * with the types its snapshots hold.
 */
export function createOperationWaiter(progress: (line: string) => void = (line) => process.stderr.write(`${line}\n`)): OperationWaiter {
  return async (operation, { transport, method, signal }): Promise<Operation> => {
    let lro: Lro<unknown, unknown> | undefined;
    const descriptor =
      lroDescriptor(method.service, method.method) ??
      (method.service === OPERATIONS ? namedOperationDescriptor(method, () => lro?.snapshot ?? operation) : undefined);
    // call-impl.ts refuses such a method before any request; this guards another caller of the hook.
    if (descriptor === undefined) throw new CliError(`--wait: ${method.method.name} declares no operation_info`);
    const poller = createPoller({ transport: createOperationsTransport(transport) });
    // The answer in hand is the first look: a done one settles with no call, else the first poll comes after the first sleep.
    lro = poller.fromOperation(descriptor, operation);
    const handle = lro;
    const started = Date.now();
    progress(
      `${handle.name}: ${handle.done ? 'done' : 'waiting'} (${method.method.name}; deadline ${handle.deadline?.toISOString() ?? 'none'})`,
    );
    try {
      await handle.wait({
        signal,
        onProgress: (metadata) => {
          const seconds = ((Date.now() - started) / 1000).toFixed(1);
          progress(`${handle.name}: ${JSON.stringify(messageToJson(descriptor.metadataType, metadata as object))} (${seconds} s)`);
        },
      });
    } catch (err) {
      if (!(err instanceof LroOperationError)) throw err;
    }
    return handle.snapshot ?? operation;
  };
}

/** The waiter `call-impl.ts` loads for `--wait`. */
export const waitForOperation: OperationWaiter = createOperationWaiter();
