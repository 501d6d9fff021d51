import type { Operation } from '../../../gen/google/longrunning/operations.js';
import type { MethodRef, Transport } from '../../transport/transport.js';

/** Options of `vision-kit call`, as commander parses them. */
export interface CallCommandOptions {
  /** proto3 JSON of the request, or `@file.json`. */
  readonly json: string;
  /** `grpc` or `rest`. */
  readonly transport?: string;
  /** `host:port` (gRPC) or `http(s)://host:port` (REST). */
  readonly endpoint?: string;
  /** Wait for a returned operation to finish and print the final Operation. */
  readonly wait?: boolean;
  /** An API key to send. */
  readonly apiKey?: string;
  /** Plaintext to a non-loopback endpoint. */
  readonly plaintext?: boolean;
  /** The program's `--verbose`: say on stderr when calls move from gRPC to REST. */
  readonly verbose?: boolean;
  /** List the methods instead of calling one. */
  readonly list?: boolean;
}

/**
 * Waits for an operation to finish and resolves to the final Operation; the
 * hook `--wait` calls. `call-wait.ts` makes it with the poller.
 */
export type OperationWaiter = (
  operation: Operation,
  context: { readonly transport: Transport; readonly method: MethodRef; readonly signal: AbortSignal },
) => Promise<Operation>;
