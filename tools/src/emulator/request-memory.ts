/**
 * The emulator's budget of memory held by requests in flight
 * (`--max-inflight-mib`, default 256 MiB), shared by every route that reads
 * a body: gRPC calls (through the gRPC host's `requestBudget`), REST bodies
 * and storage uploads (through the HTTP port, `emulator-http.ts`).
 *
 * A request reserves what it may hold before any of it is read. When the
 * budget cannot take it, it waits in line (first come, first served) for
 * up to {@link ADMISSION_WAIT_MS}, its body unread — the client is held back
 * by TCP or HTTP/2 flow control — and is then refused: RESOURCE_EXHAUSTED
 * (HTTP 429) with a RetryInfo of one second (`Retry-After: 1`). A request
 * larger than the whole budget is refused at once, without RetryInfo.
 * Everything is given back when the request ends or its connection closes.
 * The counters are live in the emulator's stats (`requestMemory`).
 */
import { Code, VisionError } from 'vision-kit';
import type { BudgetReservation, RequestBudget } from 'vision-kit/serving';

/** Default budget: 256 MiB. */
export const DEFAULT_MAX_INFLIGHT_MIB = 256;

/** How long a request may wait for room before it is refused, in ms. */
export const ADMISSION_WAIT_MS = 2000;

/** The budget's counters (the `requestMemory` part of the emulator's stats). */
export interface RequestMemoryStats {
  /** The budget, in bytes. */
  budgetBytes: number;
  /** Bytes reserved by requests in flight now. */
  heldBytes: number;
  /** The most ever reserved at once. */
  peakHeldBytes: number;
  /** Requests holding a reservation now. */
  heldRequests: number;
  /** Requests waiting for room now. */
  waitingRequests: number;
  /** Requests refused so far (waited too long, or larger than the budget). */
  refusedRequests: number;
}

interface Waiter {
  readonly bytes: number;
  grant(): void;
  refuse(err: VisionError): void;
}

/** Fresh counters for a budget of `budgetBytes`. */
export function requestMemoryStats(budgetBytes: number): RequestMemoryStats {
  return { budgetBytes, heldBytes: 0, peakHeldBytes: 0, heldRequests: 0, waitingRequests: 0, refusedRequests: 0 };
}

/** The emulator's {@link RequestBudget}; see the module comment. */
export class RequestMemoryBudget implements RequestBudget {
  private readonly line: Waiter[] = [];
  private closed = false;

  /** `stats` is updated in place (the emulator serves it at `/emulator/stats`). */
  constructor(
    readonly stats: RequestMemoryStats,
    private readonly waitMs: number = ADMISSION_WAIT_MS,
  ) {}

  reserve(bytes: number, signal?: AbortSignal): Promise<BudgetReservation> {
    const size = Math.max(0, Math.ceil(bytes));
    const { budgetBytes } = this.stats;
    if (signal?.aborted) return Promise.reject(signal.reason);
    if (this.closed) return Promise.reject(new VisionError(Code.UNAVAILABLE, 'the emulator is stopping'));
    if (size > budgetBytes) {
      this.stats.refusedRequests++;
      return Promise.reject(
        new VisionError(
          Code.RESOURCE_EXHAUSTED,
          `this request may hold ${size} bytes while it is read, more than the ${budgetBytes} bytes all requests in flight may hold together; raise the emulator's --max-inflight-mib`,
        ),
      );
    }
    if (this.line.length === 0 && this.stats.heldBytes + size <= budgetBytes) return Promise.resolve(this.grant(size));
    return new Promise<BudgetReservation>((resolve, reject) => {
      const leave = (): void => {
        clearTimeout(timer);
        signal?.removeEventListener('abort', onAbort);
        const i = this.line.indexOf(waiter);
        if (i >= 0) this.line.splice(i, 1);
        this.stats.waitingRequests = this.line.length;
      };
      const waiter: Waiter = {
        bytes: size,
        grant: () => {
          leave();
          resolve(this.grant(size));
        },
        refuse: (err) => {
          leave();
          reject(err);
        },
      };
      const timer = setTimeout(() => {
        leave();
        this.stats.refusedRequests++;
        reject(
          new VisionError(
            Code.RESOURCE_EXHAUSTED,
            `the emulator holds ${this.stats.heldBytes} bytes for requests in flight, and this one (${size} bytes) did not fit in its budget of ${budgetBytes} bytes within ${this.waitMs} ms (--max-inflight-mib); retry later`,
            { details: [{ type: 'google.rpc.RetryInfo', value: { retryDelay: { seconds: '1', nanos: 0 } } }] },
          ),
        );
        this.admit(); // the head of the line may have been the only one too large for the room left
      }, this.waitMs);
      const onAbort = (): void => {
        leave();
        reject(signal!.reason);
        this.admit();
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      this.line.push(waiter);
      this.stats.waitingRequests = this.line.length;
    });
  }

  /** Refuses the requests waiting (UNAVAILABLE) and any later ones; reservations held stay until released. */
  close(): void {
    this.closed = true;
    for (const waiter of [...this.line]) waiter.refuse(new VisionError(Code.UNAVAILABLE, 'the emulator is stopping'));
  }

  private grant(size: number): BudgetReservation {
    const stats = this.stats;
    let held = size;
    let released = false;
    stats.heldBytes += size;
    stats.heldRequests++;
    stats.peakHeldBytes = Math.max(stats.peakHeldBytes, stats.heldBytes);
    return {
      get bytes() {
        return released ? 0 : held;
      },
      resize: (bytes: number) => {
        if (released) return;
        const next = Math.max(0, Math.ceil(bytes));
        stats.heldBytes += next - held;
        stats.peakHeldBytes = Math.max(stats.peakHeldBytes, stats.heldBytes);
        held = next;
        this.admit();
      },
      release: () => {
        if (released) return;
        released = true;
        stats.heldBytes -= held;
        stats.heldRequests--;
        this.admit();
      },
    };
  }

  /** Lets in, in order, the waiting requests that now fit. */
  private admit(): void {
    for (;;) {
      const head = this.line[0];
      if (!head || this.stats.heldBytes + head.bytes > this.stats.budgetBytes) return;
      head.grant();
    }
  }
}
