/**
 * The Product Search index: what searches see of the catalog, and the
 * `indexTime` of product sets and search results.
 *
 * Google builds the index periodically: a new reference image, a changed
 * label, a product added to or removed from a set (or deleted) is not
 * reflected in searches until the next index, and `ProductSet.index_time` /
 * `ProductSearchResults.index_time` say when that was ("Query results will
 * reflect all updates before this time", product_search_service.proto;
 * DeleteProduct and DeleteReferenceImage: searches "may still work until all
 * related caches are refreshed").
 *
 * - `indexIntervalMs` 0 (the default, what tests want): instant. Searches see
 *   the live catalog; a set's index time is the time of the last change to
 *   its contents.
 * - `indexIntervalMs` > 0: searches see a snapshot of every set's members,
 *   their labels and their reference images. One is taken when the interval
 *   is set (at start, or when the knob changes from 0), again when it is read
 *   and older than the interval (so the index is at most that old, and the
 *   emulator does no work while nobody searches), and by
 *   {@link ProductIndex.indexNow} (the emulator-only `POST /emulator/index`).
 *   Every set in the snapshot has its time as index time; a set made after it
 *   has the epoch ("never indexed"). The snapshot lives in memory: a restart
 *   indexes everything at start.
 *
 * The interval may change while the emulator runs (the `indexIntervalMs`
 * knob sets {@link ProductIndex.intervalMs}); back to 0 drops the snapshot.
 */
import type { IndexedReferenceImage, ProductCatalog } from '../annotators/index.js';
import type { ProductSetRow } from '../state/records.js';
import type { StateStore } from '../state/state-store.js';
import { timestampFromMs } from '../time.js';
import { productSetMessage } from './messages.js';

interface Snapshot {
  /** When it was taken (ms since the epoch). */
  readonly time: number;
  /** Set name → its indexed reference images as of `time`. */
  readonly sets: ReadonlyMap<string, readonly IndexedReferenceImage[]>;
}

/** What one index run did ({@link RunningEmulator.indexNow}, `POST /emulator/index`). */
export interface IndexRun {
  /** `instant` (nothing to build: searches see every change) or `interval` (a snapshot was taken). */
  readonly mode: 'instant' | 'interval';
  /** The index time now in effect, ms since the epoch. */
  readonly indexTime: number;
  /** Product sets in the index. */
  readonly productSets: number;
}

/** The index over a store and its live catalog. */
export class ProductIndex {
  private snapshot: Snapshot | undefined;
  private interval = 0;
  /** The catalog searches use: the live one or the snapshot, per the interval. */
  readonly catalog: ProductCatalog;

  /** Starts instant; set {@link ProductIndex.intervalMs} once the catalog is ready. */
  constructor(
    private readonly store: StateStore,
    private readonly live: ProductCatalog,
    private readonly now: () => number = Date.now,
  ) {
    this.catalog = {
      productSet: (name) => {
        const row = this.store.productSets.get(name);
        return row ? productSetMessage(row, this.indexTimeOf(row)) : undefined;
      },
      indexedImages: (name) => {
        const snap = this.current();
        return snap ? (snap.sets.get(name) ?? []) : this.live.indexedImages(name);
      },
    };
  }

  /** The index interval in ms; 0 is instant. Setting one above 0 when it was 0 indexes now. */
  get intervalMs(): number {
    return this.interval;
  }

  set intervalMs(ms: number) {
    if (!Number.isFinite(ms) || ms < 0) throw new RangeError(`indexIntervalMs must be 0 or more milliseconds (got ${ms})`);
    this.interval = ms;
    if (ms === 0) this.snapshot = undefined;
    else this.snapshot ??= this.build(this.now());
  }

  /** The snapshot in effect (rebuilt when older than the interval), or undefined when indexing is instant. */
  private current(): Snapshot | undefined {
    if (this.interval === 0) return undefined;
    const now = this.now();
    if (!this.snapshot || now - this.snapshot.time >= this.interval) this.snapshot = this.build(now);
    return this.snapshot;
  }

  private build(time: number): Snapshot {
    const stamp = timestampFromMs(time);
    const sets = new Map<string, readonly IndexedReferenceImage[]>();
    for (const name of this.store.productSets.keys()) {
      sets.set(
        name,
        [...this.live.indexedImages(name)].map((e) => ({ ...e, indexTime: stamp })),
      );
    }
    return { time, sets };
  }

  /** A product set's index time (ms since the epoch; 0 when never indexed). */
  indexTimeOf(row: ProductSetRow): number {
    const snap = this.current();
    if (!snap) return row.indexTime;
    return snap.sets.has(row.name) ? snap.time : 0;
  }

  /** Indexes now (interval mode: a new snapshot of every set; instant: nothing to do). */
  indexNow(): IndexRun {
    if (this.interval === 0) return { mode: 'instant', indexTime: this.now(), productSets: this.store.productSets.size };
    this.snapshot = this.build(this.now());
    return { mode: 'interval', indexTime: this.snapshot.time, productSets: this.snapshot.sets.size };
  }
}
