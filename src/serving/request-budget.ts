/**
 * The contract between a server's transports and whatever bounds the memory
 * its requests in flight hold (the emulator's `--max-inflight-mib`): a
 * request reserves what it may hold before its body is read, and gives it
 * back when it ends. {@link createGrpcHost} takes one (`requestBudget`);
 * HTTP routes reserve through it themselves.
 */

/** Bytes held for one request in flight; give them back when it ends. */
export interface BudgetReservation {
  /** Bytes held now. */
  readonly bytes: number;
  /** Holds `bytes` instead (e.g. the message read, in place of the largest one allowed). Never waits. */
  resize(bytes: number): void;
  /** Gives everything back; later calls do nothing. */
  release(): void;
}

/** Admits requests against a budget of memory held by requests in flight. */
export interface RequestBudget {
  /**
   * Reserves `bytes`, waiting while the budget is spent. Rejects with a
   * VisionError when the request is not admitted (RESOURCE_EXHAUSTED: the
   * budget stayed spent, or the request is larger than all of it) and with
   * the signal's reason when `signal` aborts first.
   */
  reserve(bytes: number, signal?: AbortSignal): Promise<BudgetReservation>;
}
