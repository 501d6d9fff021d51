import * as codes from '../core/codes.js';
import { VisionError } from '../core/vision-error.js';

/**
 * UNAVAILABLE `the <kind> transport is closed`: a call on a transport whose
 * `close()` was called, or a call that was in flight when it was. The code
 * is the one these calls always had (a closed channel is, to gRPC,
 * unavailable; CANCELLED would say the caller gave up). Never retried:
 * a closed transport does not reopen, so the retry loop fails the call
 * at once instead of waiting out the deadline as for an outage.
 */
export class TransportClosedError extends VisionError {
  /** `kind` names the transport in the message: `gRPC`, `REST`, `memory`. */
  constructor(kind: string) {
    super(codes.UNAVAILABLE, `the ${kind} transport is closed`);
  }
}

/**
 * The calls in flight on one transport, each with what stops it when the
 * transport is closed (cancel the gRPC call, abort the REST attempt's fetch).
 * `close()` runs them all once; calls that start afterwards see `closed`.
 */
export interface InFlight {
  /** True once `close()` was called. */
  readonly closed: boolean;
  /** Registers a call's stop; returns the function that unregisters it (call it when the attempt settles). */
  add(stop: () => void): () => void;
  /** Marks the transport closed and stops every call in flight. */
  close(): void;
}

/** A new {@link InFlight}: a Set of stop functions (one add and one delete per attempt). */
export function createInFlight(): InFlight {
  const stops = new Set<() => void>();
  let closed = false;
  return {
    get closed() {
      return closed;
    },
    add(stop) {
      stops.add(stop);
      return () => {
        stops.delete(stop);
      };
    },
    close() {
      if (closed) return;
      closed = true;
      const all = [...stops];
      stops.clear();
      for (const stop of all) stop();
    },
  };
}
