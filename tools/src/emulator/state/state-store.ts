/**
 * The emulator's Product Search and operation state, in memory, with every
 * change journaled before it is acknowledged (see {@link Journal}).
 * {@link StateStore.commit} applies a record at once (so later requests see
 * it) and resolves when it is durable; {@link StateStore.open} rebuilds the
 * state from the data dir after a clean stop or a SIGKILL.
 */
import { mkdir } from 'node:fs/promises';
import { Journal } from './journal.js';
import type { OperationRow, ProductRow, ProductSetRow, ReferenceImageRow, StateRecord } from './records.js';

/** The whole state as one JSON document (the journal's snapshot). */
export interface StateSnapshot {
  readonly version: 1;
  readonly order: number;
  readonly productSets: ProductSetRow[];
  readonly products: ProductRow[];
  readonly images: ReferenceImageRow[];
  readonly members: [string, string[]][];
  readonly operations: OperationRow[];
}

/** Compact the journal once it grows past this many bytes. */
const COMPACT_BYTES = 16 * 1024 * 1024;

function addTo<K, V>(map: Map<K, Set<V>>, key: K, value: V): void {
  let set = map.get(key);
  if (!set) map.set(key, (set = new Set()));
  set.add(value);
}

function removeFrom<K, V>(map: Map<K, Set<V>>, key: K, value: V): void {
  const set = map.get(key);
  if (!set) return;
  set.delete(value);
  if (set.size === 0) map.delete(key);
}

/** The parent product name of a reference image name. */
export function productOfImage(imageName: string): string {
  return imageName.slice(0, imageName.lastIndexOf('/referenceImages/'));
}

/** In-memory state plus its journal. */
export class StateStore {
  readonly productSets = new Map<string, ProductSetRow>();
  readonly products = new Map<string, ProductRow>();
  readonly images = new Map<string, ReferenceImageRow>();
  /** Product name → names of its reference images. */
  readonly imagesOf = new Map<string, Set<string>>();
  /** ProductSet name → names of its products. */
  readonly members = new Map<string, Set<string>>();
  /** Product name → names of the sets it is in. */
  readonly setsOf = new Map<string, Set<string>>();
  readonly operations = new Map<string, OperationRow>();
  private order = 0;
  private compacting = false;

  private constructor(private readonly journal: Journal<StateSnapshot, StateRecord> | undefined) {}

  /** A state kept only in memory (for tests of pure logic). */
  static inMemory(): StateStore {
    return new StateStore(undefined);
  }

  /**
   * Opens (or creates) the state under `dir`: loads the snapshot, replays the
   * journal after it, and compacts when anything was replayed.
   */
  static async open(dir: string, tmpDir: string): Promise<{ store: StateStore; replayed: number; droppedBytes: number }> {
    await mkdir(dir, { recursive: true });
    const journal = new Journal<StateSnapshot, StateRecord>(dir, tmpDir);
    const recovered = await journal.open();
    const store = new StateStore(journal);
    if (recovered.snapshot) store.restore(recovered.snapshot);
    for (const r of recovered.records) store.apply(r);
    if (recovered.records.length > 0) await journal.compact(store.snapshot());
    return { store, replayed: recovered.records.length, droppedBytes: recovered.droppedBytes };
  }

  /** The next creation-order number (strictly increasing, survives restarts through the rows). */
  nextOrder(): number {
    return ++this.order;
  }

  /** Applies `record` now and resolves once it is durable. */
  commit(record: StateRecord): Promise<void> {
    this.apply(record);
    if (!this.journal) return Promise.resolve();
    const done = this.journal.append(record);
    if (this.journal.size > COMPACT_BYTES && !this.compacting) {
      this.compacting = true;
      this.journal
        .compact(this.snapshot())
        .catch((err: unknown) => process.stderr.write(`vision-kit emulator: journal compaction failed: ${String(err)}\n`))
        .finally(() => {
          this.compacting = false;
        });
    }
    return done;
  }

  /**
   * Waits for pending writes, compacts the journal into the snapshot when it
   * holds anything the snapshot lacks (so that a clean stop leaves nothing to
   * replay: the next {@link StateStore.open} reports 0 records), and closes it.
   * Call it once nothing commits any more.
   */
  async close(): Promise<void> {
    if (!this.journal) return;
    try {
      if (this.journal.needsCompaction) await this.journal.compact(this.snapshot());
    } finally {
      await this.journal.close();
    }
  }

  /** Applies one record to the in-memory state (also used by replay). */
  apply(r: StateRecord): void {
    switch (r.t) {
      case 'batch':
        for (const x of r.records) this.apply(x);
        return;
      case 'ps.create':
        this.productSets.set(r.row.name, { ...r.row });
        this.bump(r.row.order);
        return;
      case 'ps.update': {
        const row = this.productSets.get(r.name);
        if (row) row.displayName = r.displayName;
        return;
      }
      case 'ps.delete': {
        for (const p of this.members.get(r.name) ?? []) removeFrom(this.setsOf, p, r.name);
        this.members.delete(r.name);
        this.productSets.delete(r.name);
        return;
      }
      case 'p.create':
        this.products.set(r.row.name, { ...r.row, productLabels: r.row.productLabels.map((l) => ({ ...l })) });
        this.bump(r.row.order);
        return;
      case 'p.update': {
        const row = this.products.get(r.name);
        if (!row) return;
        if (r.displayName !== undefined) row.displayName = r.displayName;
        if (r.description !== undefined) row.description = r.description;
        if (r.productLabels !== undefined) {
          row.productLabels = r.productLabels.map((l) => ({ ...l }));
          this.touchSetsOf(r.name, r.time);
        }
        return;
      }
      case 'p.delete': {
        this.touchSetsOf(r.name, r.time);
        for (const img of this.imagesOf.get(r.name) ?? []) this.images.delete(img);
        this.imagesOf.delete(r.name);
        for (const s of this.setsOf.get(r.name) ?? []) removeFrom(this.members, s, r.name);
        this.setsOf.delete(r.name);
        this.products.delete(r.name);
        return;
      }
      case 'ri.create': {
        const product = productOfImage(r.row.name);
        this.images.set(r.row.name, { indexTime: r.time, ...r.row });
        addTo(this.imagesOf, product, r.row.name);
        this.bump(r.row.order);
        this.touchSetsOf(product, r.time);
        return;
      }
      case 'ri.signature': {
        const row = this.images.get(r.name);
        if (row) {
          row.signature = r.signature;
          row.indexTime = r.time;
        }
        this.touchSetsOf(productOfImage(r.name), r.time);
        return;
      }
      case 'ri.addPolys': {
        const row = this.images.get(r.name);
        if (row) row.boundingPolys = [...row.boundingPolys, ...r.polys];
        this.touchSetsOf(productOfImage(r.name), r.time);
        return;
      }
      case 'ri.delete': {
        const product = productOfImage(r.name);
        this.images.delete(r.name);
        removeFrom(this.imagesOf, product, r.name);
        this.touchSetsOf(product, r.time);
        return;
      }
      case 'm.add': {
        if (!this.productSets.has(r.set) || !this.products.has(r.product)) return;
        addTo(this.members, r.set, r.product);
        addTo(this.setsOf, r.product, r.set);
        this.productSets.get(r.set)!.indexTime = r.time;
        return;
      }
      case 'm.remove': {
        removeFrom(this.members, r.set, r.product);
        removeFrom(this.setsOf, r.product, r.set);
        const set = this.productSets.get(r.set);
        if (set) set.indexTime = r.time;
        return;
      }
      case 'op.create':
        this.operations.set(r.row.name, structuredClone(r.row));
        this.bump(r.row.order);
        return;
      case 'op.state': {
        const op = this.operations.get(r.name);
        if (!op) return;
        op.state = r.state;
        op.updateTime = r.time;
        return;
      }
      case 'op.importLine': {
        const op = this.operations.get(r.name);
        if (op?.progress.type !== 'import') return;
        op.progress.statuses.push({ ...r.status });
        if (r.image) op.progress.images.push(r.image);
        op.updateTime = r.time;
        return;
      }
      case 'op.purgeStep': {
        const op = this.operations.get(r.name);
        if (op?.progress.type !== 'purge') return;
        op.progress.next++;
        op.updateTime = r.time;
        return;
      }
      case 'op.batch': {
        const op = this.operations.get(r.name);
        if (op?.progress.type !== 'annotate') return;
        op.progress.batchesDone[r.file] = (op.progress.batchesDone[r.file] ?? 0) + 1;
        op.progress.outputs.push(r.output);
        op.updateTime = r.time;
        return;
      }
      case 'op.done': {
        const op = this.operations.get(r.name);
        if (!op || op.done) return;
        op.done = true;
        op.state = r.state;
        op.updateTime = r.time;
        op.endTime = r.time;
        if (r.error) op.error = structuredClone(r.error);
        if (r.response !== undefined) op.response = r.response;
        delete op.request;
        if (op.progress.type === 'import') {
          // The CSV text is only needed to resume; keep statuses and images for the response.
          op.progress = { ...op.progress, csv: '' };
        }
        if (op.deleted) this.operations.delete(r.name);
        return;
      }
      case 'op.delete': {
        const op = this.operations.get(r.name);
        if (op && !op.done) op.deleted = true;
        else this.operations.delete(r.name);
        return;
      }
    }
  }

  private bump(order: number): void {
    if (order > this.order) this.order = order;
  }

  private touchSetsOf(product: string, time: number): void {
    for (const s of this.setsOf.get(product) ?? []) {
      const set = this.productSets.get(s);
      if (set) set.indexTime = time;
    }
  }

  /** The whole state as JSON (for the journal's snapshot). */
  snapshot(): StateSnapshot {
    return structuredClone({
      version: 1 as const,
      order: this.order,
      productSets: [...this.productSets.values()],
      products: [...this.products.values()],
      images: [...this.images.values()],
      members: [...this.members].map(([s, ps]) => [s, [...ps]] as [string, string[]]),
      operations: [...this.operations.values()],
    });
  }

  private restore(s: StateSnapshot): void {
    this.order = s.order;
    for (const r of s.productSets) this.productSets.set(r.name, r);
    for (const r of s.products) this.products.set(r.name, r);
    for (const r of s.images) {
      this.images.set(r.name, r);
      addTo(this.imagesOf, productOfImage(r.name), r.name);
    }
    for (const [set, products] of s.members) {
      for (const p of products) {
        addTo(this.members, set, p);
        addTo(this.setsOf, p, set);
      }
    }
    for (const op of s.operations) this.operations.set(op.name, op);
  }
}
