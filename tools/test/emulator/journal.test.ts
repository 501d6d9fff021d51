// The journal and the state store: torn tails dropped, corruption refused,
// snapshots that never replay a record twice, and (property) the state rebuilt
// from disk equals the state that was live, for random sequences of changes.
import assert from 'node:assert/strict';
import { appendFile, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import fc from 'fast-check';
import { Journal } from '../../src/emulator/state/journal.js';
import type { StateRecord } from '../../src/emulator/state/records.js';
import { StateStore } from '../../src/emulator/state/state-store.js';
import { tempDir } from './support/harness.js';

describe('Journal', () => {
  it('drops a torn last line and keeps every complete one', async () => {
    const dir = await tempDir();
    try {
      const j = new Journal<unknown, { n: number }>(dir, dir);
      await j.open();
      for (let n = 0; n < 5; n++) await j.append({ n });
      await j.close();
      await appendFile(join(dir, 'journal.jsonl'), '{"seq":6,"r":{"n":');
      const again = new Journal<unknown, { n: number }>(dir, dir);
      const rec = await again.open();
      assert.deepEqual(
        rec.records.map((r) => r.n),
        [0, 1, 2, 3, 4],
      );
      assert.ok(rec.droppedBytes > 0);
      await again.append({ n: 5 });
      await again.close();
      const third = new Journal<unknown, { n: number }>(dir, dir);
      assert.deepEqual(
        (await third.open()).records.map((r) => r.n),
        [0, 1, 2, 3, 4, 5],
      );
      await third.close();
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('refuses a corrupt line in the middle rather than guessing', async () => {
    const dir = await tempDir();
    try {
      await writeFile(join(dir, 'journal.jsonl'), '{"seq":1,"r":{}}\nGARBAGE\n{"seq":3,"r":{}}\n');
      await assert.rejects(new Journal(dir, dir).open(), /corrupt/);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('never replays a record a snapshot holds (crash between snapshot and truncation)', async () => {
    const dir = await tempDir();
    try {
      const j = new Journal<{ upTo: number }, { n: number }>(dir, dir);
      await j.open();
      for (let n = 1; n <= 3; n++) await j.append({ n });
      const log = await readFile(join(dir, 'journal.jsonl'), 'utf8');
      await j.compact({ upTo: 3 });
      await j.close();
      // Put the pre-compaction log back, as if the process died right after the snapshot's rename.
      await writeFile(join(dir, 'journal.jsonl'), log);
      const again = new Journal<{ upTo: number }, { n: number }>(dir, dir);
      const rec = await again.open();
      assert.deepEqual(rec.snapshot, { upTo: 3 });
      assert.deepEqual(rec.records, []);
      await again.append({ n: 4 });
      await again.close();
      const third = new Journal<{ upTo: number }, { n: number }>(dir, dir);
      assert.deepEqual((await third.open()).records, [{ n: 4 }]);
      await third.close();
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

const LOC = 'projects/p/locations/us-west1';
const ids = fc.constantFrom('a', 'b', 'c', 'd');
const recordArb: fc.Arbitrary<(store: StateStore) => StateRecord | undefined> = fc.oneof(
  ids.map(
    (id) => (s: StateStore) =>
      s.productSets.has(`${LOC}/productSets/${id}`)
        ? undefined
        : { t: 'ps.create', row: { name: `${LOC}/productSets/${id}`, displayName: id, indexTime: 0, order: s.nextOrder() } },
  ),
  ids.map(
    (id) => (s: StateStore) =>
      s.products.has(`${LOC}/products/${id}`)
        ? undefined
        : {
            t: 'p.create',
            row: {
              name: `${LOC}/products/${id}`,
              displayName: id,
              description: '',
              productCategory: 'toys-v2',
              productLabels: [{ key: 'k', value: id }],
              order: s.nextOrder(),
            },
          },
  ),
  fc.tuple(ids, ids).map(
    ([p, i]) =>
      (s: StateStore) =>
        s.products.has(`${LOC}/products/${p}`) && !s.images.has(`${LOC}/products/${p}/referenceImages/${i}`)
          ? {
              t: 'ri.create',
              row: {
                name: `${LOC}/products/${p}/referenceImages/${i}`,
                uri: `gs://b/${i}.png`,
                boundingPolys: [],
                order: s.nextOrder(),
                signature: { version: 1, i },
              },
              time: 1000,
            }
          : undefined,
  ),
  fc.tuple(ids, ids).map(
    ([set, p]) =>
      (s: StateStore) =>
        s.productSets.has(`${LOC}/productSets/${set}`) && s.products.has(`${LOC}/products/${p}`)
          ? { t: 'm.add', set: `${LOC}/productSets/${set}`, product: `${LOC}/products/${p}`, time: 2000 }
          : undefined,
  ),
  fc.tuple(ids, ids).map(([set, p]) => (_s: StateStore) => ({
    t: 'm.remove',
    set: `${LOC}/productSets/${set}`,
    product: `${LOC}/products/${p}`,
    time: 3000,
  })),
  ids.map((id) => (_s: StateStore) => ({ t: 'p.delete', name: `${LOC}/products/${id}`, time: 4000 })),
  ids.map((id) => (_s: StateStore) => ({ t: 'ps.delete', name: `${LOC}/productSets/${id}` })),
  fc.tuple(ids, ids).map(([p, i]) => (_s: StateStore) => ({
    t: 'ri.delete',
    name: `${LOC}/products/${p}/referenceImages/${i}`,
    time: 5000,
  })),
  ids.map((id) => (_s: StateStore) => ({
    t: 'p.update',
    name: `${LOC}/products/${id}`,
    displayName: `${id}!`,
    productLabels: [],
    time: 6000,
  })),
) as never;

describe('StateStore close', () => {
  it('compacts the journal, so the next open replays nothing and has the same state', async () => {
    const dir = await tempDir();
    try {
      const { store } = await StateStore.open(dir, dir);
      await store.commit({
        t: 'ps.create',
        row: { name: `${LOC}/productSets/a`, displayName: 'a', order: store.nextOrder(), indexTime: 1 },
      });
      await store.commit({ t: 'ps.update', name: `${LOC}/productSets/a`, displayName: 'b', time: 2 });
      const live = store.snapshot();
      await store.close();
      assert.equal(await readFile(join(dir, 'journal.jsonl'), 'utf8'), '');
      const { store: again, replayed } = await StateStore.open(dir, dir);
      assert.equal(replayed, 0);
      assert.deepEqual(again.snapshot(), live);
      await again.commit({ t: 'ps.delete', name: `${LOC}/productSets/a` });
      await again.close();
      const { store: third, replayed: none } = await StateStore.open(dir, dir);
      assert.equal(none, 0);
      assert.equal(third.productSets.size, 0);
      await third.close();
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('StateStore replay (property)', () => {
  it('rebuilds from snapshot + journal exactly the state that was live', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(recordArb, { maxLength: 40 }), fc.nat({ max: 40 }), async (makers, compactAt) => {
        const dir = await tempDir();
        try {
          const { store } = await StateStore.open(dir, dir);
          for (let i = 0; i < makers.length; i++) {
            const r = makers[i]!(store);
            if (r) await store.commit(r);
            if (i === compactAt) await (store as unknown as { journal: Journal<unknown, unknown> }).journal.compact(store.snapshot());
          }
          const live = store.snapshot();
          // Closes the log only (no compaction at close, as after a crash): the journal is replayed.
          await (store as unknown as { journal: Journal<unknown, unknown> }).journal.close();
          const { store: again } = await StateStore.open(dir, dir);
          assert.deepEqual(again.snapshot(), live);
          // Derived indexes agree with the rows.
          for (const [set, products] of again.members) for (const p of products) assert.ok(again.setsOf.get(p)?.has(set));
          for (const name of again.images.keys()) assert.ok(again.products.has(name.slice(0, name.indexOf('/referenceImages/'))));
          await again.close();
        } finally {
          await rm(dir, { recursive: true, force: true });
        }
      }),
      { seed: 42, numRuns: 60 },
    );
  });
});
