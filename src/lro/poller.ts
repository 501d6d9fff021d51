import type { Operation } from '../../gen/google/longrunning/operations.js';
import { checkKeys, checkObject, type OptionNames } from '../core/check-options.js';
import * as codes from '../core/codes.js';
import { VisionError } from '../core/vision-error.js';
import { type AnyUnpacker, registryUnpacker } from './any-unpacker.js';
import { type LroClock, systemClock } from './clock.js';
import type { LroDescriptor } from './descriptor.js';
import { LroHandleError, LroRoutingError } from './errors.js';
import type { Lro } from './lro.js';
import { LroHandle } from './lro-handle.js';
import type { OperationsTransport } from './operations-transport.js';
import { parseSavedLro } from './parse-saved-lro.js';
import { PollerCore } from './poller-core.js';
import type { SavedLro } from './saved-lro.js';
import { mergeSchedule, type PollSchedule, type PollScheduleOverrides, sleepFor } from './schedule.js';

/** How a poller's refusals name its descriptor argument: what it is, and where one comes from. */
const DESCRIPTOR = 'descriptor (from descriptorOf(client.method) or VISION_OPERATIONS)';
/** Options of {@link createPoller}. */
export interface PollerOptions {
  /** Where GetOperation, CancelOperation and DeleteOperation go. */
  readonly transport: OperationsTransport;
  /** The most GetOperation calls in flight at once; more wait their turn (FIFO). Default 32. */
  readonly maxInFlight?: number | undefined;
  /** Overrides of every method's default schedule (a handle's own overrides win). */
  readonly schedule?: PollScheduleOverrides | undefined;
  /** Time and timers; default the system clock. Tests pass a fake one. */
  readonly clock?: LroClock | undefined;
  /** Randomness for jitter, [0, 1); default `Math.random`. */
  readonly random?: (() => number) | undefined;
  /** Decodes response and metadata Any values; default the schema registry's. */
  readonly unpack?: AnyUnpacker | undefined;
}

/** The names of {@link PollerOptions} (a name outside them is refused). */
const POLLER_OPTIONS: OptionNames<PollerOptions> = { transport: 1, maxInFlight: 1, schedule: 1, clock: 1, random: 1, unpack: 1 };

/** Options of one handle. */
export interface LroOptions {
  /** Overrides of the method's schedule for this handle. */
  readonly schedule?: PollScheduleOverrides | undefined;
  /**
   * The handle's deadline (a Date or epoch ms), instead of start time + the
   * schedule's `totalTimeout` (or, for a saved handle, its saved deadline).
   */
  readonly deadline?: Date | number | undefined;
}

/** What a poller is doing now (for tests, benchmarks and dashboards). */
export interface PollerStats {
  /** GetOperation calls in flight. */
  readonly inFlight: number;
  /** The most calls in flight at once so far. */
  readonly peakInFlight: number;
  /** Due polls waiting for a free slot. */
  readonly queued: number;
  /** Entries in the timer queue (scheduled polls and wait deadlines). */
  readonly scheduled: number;
  /** True while the poller's one timer is armed. */
  readonly timerArmed: boolean;
  /** AbortSignals the poller listens to (one listener each). */
  readonly signals: number;
}

/**
 * The generic long-running-operation poller: makes {@link Lro} handles for
 * operations of any method (from a start response, or by name or saved
 * handle), and drives all of their polling with one timer, a cap on calls in
 * flight, and each method's schedule. Nothing runs until someone waits.
 */
export class Poller {
  readonly #core: PollerCore;

  constructor(options: PollerOptions) {
    checkObject('createPoller', 'options', options);
    checkKeys('createPoller', options, POLLER_OPTIONS);
    checkObject('createPoller', 'options.transport', options.transport);
    // A Transport given where an OperationsTransport belongs (plain JavaScript) would fail only at the first poll.
    checkObject('createPoller', 'options.transport.get (wrap a Transport with createOperationsTransport)', options.transport.get, true);
    const maxInFlight = options.maxInFlight ?? 32;
    if (!Number.isInteger(maxInFlight) || maxInFlight < 1)
      throw new VisionError(codes.INVALID_ARGUMENT, `maxInFlight must be a whole number ≥ 1, got ${maxInFlight}`);
    this.#core = new PollerCore(
      options.transport,
      options.clock ?? systemClock,
      options.random ?? Math.random,
      options.unpack ?? registryUnpacker,
      maxInFlight,
      options.schedule,
    );
  }

  /** The transport the poller polls through. */
  get transport(): OperationsTransport {
    return this.#core.transport;
  }

  /**
   * A handle for an operation a method just returned. Sends nothing: when
   * it is already done the outcome is cached (zero calls); otherwise the
   * first GetOperation comes after the schedule's first delay, once someone
   * waits. Throws an LroHandleError when `operation` has no name, and an
   * LroRoutingError (naming the operation and the routes tried) when the
   * transport could never poll it — a REST transport with no route that
   * covers its name — so that shows when the operation starts, not at its
   * first poll.
   */
  fromOperation<R, M>(descriptor: LroDescriptor<R, M>, operation: Operation, options: LroOptions = {}): Lro<R, M> {
    checkObject('fromOperation', DESCRIPTOR, descriptor);
    const name = (operation as Partial<Operation> | undefined)?.name;
    if (typeof name !== 'string' || name === '') {
      throw new LroHandleError(`the response of ${descriptor.method} is not an Operation with a name`);
    }
    if (!operation.done) checkRoutable(this.#core.transport, name, descriptor);
    const [schedule, now, wall] = this.#start(descriptor, options);
    const explicit = options.deadline === undefined ? undefined : toEpoch(options.deadline);
    const handle = new LroHandle<R, M>(
      this.#core,
      descriptor,
      name,
      schedule,
      wall,
      explicit === undefined ? now + schedule.totalTimeout : now + (explicit - wall),
      finite(explicit ?? wall + schedule.totalTimeout),
      explicit === undefined ? schedule.totalTimeout : undefined,
      now + sleepFor(schedule, 0, this.#core.random),
      1,
    );
    handle.absorb(operation);
    if (operation.done) handle.settle();
    return handle;
  }

  /**
   * A handle for an existing operation, by name or from a saved handle
   * (`lro.toJSON()`, possibly from another process). Sends nothing until
   * someone waits; then polls at once. A saved handle keeps its deadline;
   * one made for another method is refused (LroHandleError).
   */
  resume<R, M>(descriptor: LroDescriptor<R, M>, nameOrHandle: string | SavedLro, options: LroOptions = {}): Lro<R, M> {
    checkObject('resume', DESCRIPTOR, descriptor);
    const [schedule, now, wall] = this.#start(descriptor, options);
    let name: string;
    let startWall = wall;
    let deadline: number;
    let deadlineWall: number | undefined;
    let deadlineSpan: number | undefined;
    if (typeof nameOrHandle === 'string') {
      if (nameOrHandle === '') throw new LroHandleError('the operation name is empty');
      if (nameOrHandle[0] === '{') throw new LroHandleError('the name is JSON: JSON.parse a saved handle');
      name = nameOrHandle;
      deadline = now + schedule.totalTimeout;
      deadlineWall = finite(wall + schedule.totalTimeout);
      deadlineSpan = schedule.totalTimeout;
    } else {
      const saved = parseSavedLro(nameOrHandle);
      if (saved.method !== descriptor.method) {
        throw new LroHandleError(`the handle of "${saved.name}" was made for ${saved.method}, not ${descriptor.method}`);
      }
      name = saved.name;
      startWall = Date.parse(saved.startTime);
      deadlineWall = saved.deadline === undefined ? undefined : Date.parse(saved.deadline);
      deadline = deadlineWall === undefined ? Infinity : now + (deadlineWall - wall);
    }
    if (options.deadline !== undefined) {
      deadlineWall = toEpoch(options.deadline);
      deadline = now + (deadlineWall - wall);
      deadlineSpan = undefined;
    }
    return new LroHandle<R, M>(this.#core, descriptor, name, schedule, startWall, deadline, deadlineWall, deadlineSpan, now, 0);
  }

  /** What a new handle starts from: its schedule, the monotonic time and the wall time. */
  #start(descriptor: LroDescriptor, options: LroOptions): [PollSchedule, number, number] {
    const core = this.#core;
    return [mergeSchedule(descriptor.schedule, core.schedule, options.schedule), core.clock.now(), core.clock.wallNow()];
  }

  /** A snapshot of the poller's load. */
  stats(): PollerStats {
    const core = this.#core;
    return {
      inFlight: core.active,
      peakInFlight: core.peak,
      queued: core.queued,
      scheduled: core.queue.size,
      timerArmed: core.queue.armed,
      signals: core.hub.size,
    };
  }
}

/** A poller over `options.transport`; see {@link Poller}. */
export function createPoller(options: PollerOptions): Poller {
  return new Poller(options);
}

/** Throws the transport's LroRoutingError when no route covers `name` (any other failure of `describe` is not this check's business). */
function checkRoutable(transport: OperationsTransport, name: string, descriptor: LroDescriptor): void {
  try {
    transport.describe?.('GetOperation', name, descriptor.routes);
  } catch (err) {
    if (err instanceof LroRoutingError) throw err;
  }
}

function finite(ms: number): number | undefined {
  return Number.isFinite(ms) ? ms : undefined;
}

function toEpoch(value: Date | number): number {
  const ms = typeof value === 'number' ? value : value instanceof Date ? value.getTime() : NaN;
  if (Number.isNaN(ms)) throw new LroHandleError('the deadline is not a valid date');
  return ms;
}
