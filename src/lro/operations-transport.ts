import type { Operation } from '../../gen/google/longrunning/operations.js';
import type { OperationsRpc } from './errors.js';

/** Options of one Operations request. */
export interface OperationsCallOptions {
  /** Stops the request on the wire; it then rejects with CANCELLED. */
  readonly signal?: AbortSignal | undefined;
  /** Milliseconds for this one request; it then rejects with DEADLINE_EXCEEDED. */
  readonly timeout?: number | undefined;
}

/**
 * The three calls of `google.longrunning.Operations` the poller makes. It
 * never sends anything else (in particular never the method that started an
 * operation). Implementations: {@link createOperationsTransport} over any
 * `Transport` (gRPC, REST, in-memory), or a test's own.
 *
 * Every method rejects only with a `VisionError`, and a REST implementation
 * refuses a name that matches no route before any I/O (`LroRoutingError`).
 */
export interface OperationsTransport {
  /** `grpc`, `rest`, `memory` or another word for logs. */
  readonly kind: string;
  /** GetOperation: the current state of the operation. */
  get(name: string, options?: OperationsCallOptions): Promise<Operation>;
  /** CancelOperation (asks the server to stop; the operation ends with code 1). */
  cancel(name: string, options?: OperationsCallOptions): Promise<void>;
  /** DeleteOperation (the server forgets the operation). */
  delete(name: string, options?: OperationsCallOptions): Promise<void>;
  /**
   * Names what a call of `rpc` for `name` goes to, for error messages:
   * `GET /v1/operations/123` (REST) or `/google.longrunning.Operations/GetOperation`.
   * Undefined when unknown.
   */
  describe?(rpc: OperationsRpc, name: string): string | undefined;
}
