// google.longrunning.Operations on the emulator: Get, List (scopes, filter,
// pages), Cancel (work stops, code 1, CANCELLED), Delete, Wait — over gRPC
// (official client and raw grpc-js) and REST (official client and fetch).
import assert from 'node:assert/strict';
import * as grpc from '@grpc/grpc-js';
import { Code } from 'vision-kit';
import {
  ListOperationsRequest,
  ListOperationsResponse,
  Operation,
  WaitOperationRequest,
} from 'vision-kit/gen/google/longrunning/operations.js';
import {
  getOperationRest,
  listObjects,
  officialClients,
  png,
  type RawGrpcError,
  rawGrpc,
  rejection,
  startTestEmulator,
  type TestEmulator,
  upload,
  waitDone,
} from './support/harness.js';

const LOC = 'projects/ops/locations/us-east1';

describe('Operations', () => {
  let t: TestEmulator;
  let shared: ReturnType<typeof officialClients>;
  before(async () => {
    t = await startTestEmulator({ opStepMs: 0 });
    shared = officialClients(t.emu, 'grpc');
    await upload(t.emu, 'inbox', 'red.png', await png(16, 16, [220, 20, 20]), 'image/png');
  });
  after(async () => {
    await shared.close();
    await t.close();
  });

  const annotate = (n: number, uri: string) =>
    shared.imageAnnotator.asyncBatchAnnotateImages({
      requests: Array.from({ length: n }, () => ({
        image: { source: { imageUri: 'gs://inbox/red.png' } },
        features: [{ type: 'CROP_HINTS' as const }],
      })),
      outputConfig: { gcsDestination: { uri }, batchSize: 1 },
    });

  async function startSlow(n: number, uri: string): Promise<string> {
    t.emu.knobs.opStepMs = 40;
    const c = officialClients(t.emu, 'rest');
    try {
      const [op] = await c.imageAnnotator.asyncBatchAnnotateImages({
        requests: Array.from({ length: n }, () => ({
          image: { source: { imageUri: 'gs://inbox/red.png' } },
          features: [{ type: 'CROP_HINTS' as const }],
        })),
        outputConfig: { gcsDestination: { uri }, batchSize: 1 },
      });
      return op.name!;
    } finally {
      await c.close();
    }
  }

  for (const wire of ['grpc', 'rest'] as const) {
    it(`cancels a running operation over ${wire}: its work stops, error code 1, state CANCELLED`, async () => {
      const name = await startSlow(40, `gs://outbox/cancel-${wire}/`);
      while ((await listObjects(t.emu, 'outbox', `cancel-${wire}/`)).length < 1) await new Promise((r) => setTimeout(r, 5));
      if (wire === 'grpc') {
        const c = officialClients(t.emu, 'grpc');
        await c.imageAnnotator.operationsClient.cancelOperation({ name } as never);
        await c.close();
      } else {
        const res = await fetch(`${t.emu.httpUrl}/v1/${name}:cancel`, { method: 'POST', body: '{}' });
        assert.equal(res.status, 200);
        assert.deepEqual(await res.json(), {});
      }
      const op = await getOperationRest(t.emu, name);
      assert.equal(op.done, true);
      assert.deepEqual(op.error, { code: 1, message: 'Operation cancelled by the caller' });
      assert.equal((op.metadata as { state: string }).state, 'CANCELLED');
      const count = (await listObjects(t.emu, 'outbox', `cancel-${wire}/`)).length;
      await new Promise((r) => setTimeout(r, 200));
      assert.equal((await listObjects(t.emu, 'outbox', `cancel-${wire}/`)).length, count, 'no output after the cancel');
      assert.ok(count < 40);
      t.emu.knobs.opStepMs = 0;
    });
  }

  for (const wire of ['grpc', 'rest'] as const) {
    it(`Google's own operations client over ${wire}: listOperationsAsync, cancelOperation, getOperation, deleteOperation`, async () => {
      const name = await startSlow(40, `gs://outbox/gax-ops-${wire}/`);
      const c = officialClients(t.emu, wire);
      try {
        const ops = c.imageAnnotator.operationsClient;
        const listed: string[] = [];
        for await (const op of ops.listOperationsAsync({ name: 'operations', filter: 'done=false', pageSize: 2 } as never, {
          autoPaginate: false,
        }))
          listed.push(op.name!);
        assert.ok(listed.includes(name), `ListOperations lists the running ${name}: ${JSON.stringify(listed)}`);
        await ops.cancelOperation({ name } as never);
        const [cancelled] = await ops.getOperation({ name } as never);
        assert.equal(cancelled.done, true);
        assert.equal(cancelled.error?.code, 1);
        await ops.deleteOperation({ name } as never);
        assert.equal((await rejection(ops.getOperation({ name } as never))).code, Code.NOT_FOUND);
        const after: string[] = [];
        for await (const op of ops.listOperationsAsync({ name: 'operations', pageSize: 100 } as never, { autoPaginate: false }))
          after.push(op.name!);
        assert.ok(!after.includes(name), 'a deleted operation is not listed');
      } finally {
        await c.close();
        t.emu.knobs.opStepMs = 0;
      }
    });
  }

  it('leaves a finished operation as it is when cancelled', async () => {
    const [op] = await annotate(1, 'gs://outbox/done-cancel/');
    await waitDone(t.emu, op.name!);
    const res = await fetch(`${t.emu.httpUrl}/v1/${op.name}:cancel`, { method: 'POST' });
    assert.equal(res.status, 200);
    const after = await getOperationRest(t.emu, op.name!);
    assert.equal(after.error, undefined);
    assert.equal((after.metadata as { state: string }).state, 'DONE');
  });

  it('deletes operations (gRPC and REST); then they are NOT_FOUND', async () => {
    const [a] = await annotate(1, 'gs://outbox/del-a/');
    const [b] = await annotate(1, 'gs://outbox/del-b/');
    await waitDone(t.emu, a.name!);
    await waitDone(t.emu, b.name!);
    const c = officialClients(t.emu, 'grpc');
    await c.imageAnnotator.operationsClient.deleteOperation({ name: a.name! } as never);
    assert.equal((await rejection(c.imageAnnotator.operationsClient.getOperation({ name: a.name! } as never))).code, Code.NOT_FOUND);
    await c.close();
    const res = await fetch(`${t.emu.httpUrl}/v1/${b.name}`, { method: 'DELETE' });
    assert.equal(res.status, 200);
    const gone = await fetch(`${t.emu.httpUrl}/v1/${b.name}`);
    assert.equal(gone.status, 404);
    assert.equal(((await gone.json()) as { error: { status: string } }).error.status, 'NOT_FOUND');
  });

  it('a deleted running operation still finishes its work but is never listed again', async () => {
    const name = await startSlow(4, 'gs://outbox/del-running/');
    const res = await fetch(`${t.emu.httpUrl}/v1/${name}`, { method: 'DELETE' });
    assert.equal(res.status, 200);
    assert.equal((await fetch(`${t.emu.httpUrl}/v1/${name}`)).status, 404);
    const end = Date.now() + 5000;
    while ((await listObjects(t.emu, 'outbox', 'del-running/')).length < 4 && Date.now() < end) await new Promise((r) => setTimeout(r, 10));
    assert.equal((await listObjects(t.emu, 'outbox', 'del-running/')).length, 4);
    t.emu.knobs.opStepMs = 0;
  });

  it('lists every operation with name "" or "operations", by project scope, filter, and in pages', async () => {
    const g = rawGrpc(t.emu);
    try {
      const ps = officialClients(t.emu, 'grpc');
      await ps.productSearch.createProductSet({ parent: LOC, productSetId: 'to-purge', productSet: { displayName: 'x' } });
      const [purge] = await ps.productSearch.purgeProducts({
        parent: LOC,
        productSetPurgeConfig: { productSetId: 'to-purge' },
        force: true,
      });
      await ps.close();
      await waitDone(t.emu, purge.name!);
      const list = (req: object) =>
        g.call('/google.longrunning.Operations/ListOperations', ListOperationsRequest, ListOperationsResponse, req);
      const all = await list({ name: '', pageSize: 100 });
      const same = await list({ name: 'operations', pageSize: 100 });
      assert.deepEqual(
        all.operations.map((o) => o.name),
        same.operations.map((o) => o.name),
      );
      assert.ok(all.operations.some((o) => o.name === purge.name));
      assert.ok(all.operations.some((o) => o.name.startsWith('operations/')));
      const scoped = await list({ name: LOC, pageSize: 100 });
      assert.deepEqual(
        scoped.operations.map((o) => o.name),
        [purge.name],
      );
      const filtered = await list({ name: 'operations', filter: `name:"projects/" AND done=true`, pageSize: 100 });
      assert.deepEqual(
        filtered.operations.map((o) => o.name),
        [purge.name],
      );
      const paged: string[] = [];
      let pageToken = '';
      do {
        const page = await list({ name: 'operations', pageSize: 2, pageToken });
        assert.ok(page.operations.length <= 2);
        paged.push(...page.operations.map((o) => o.name));
        pageToken = page.nextPageToken;
      } while (pageToken);
      assert.deepEqual(
        paged,
        all.operations.map((o) => o.name),
      );
      const bad = await list({ name: 'operations', filter: 'colour=blue' }).catch((e: RawGrpcError) => e);
      assert.equal((bad as RawGrpcError).code, grpc.status.INVALID_ARGUMENT);
      assert.match((bad as RawGrpcError).details, /filter/);
      const badName = await list({ name: 'things' }).catch((e: RawGrpcError) => e);
      assert.equal((badName as RawGrpcError).code, grpc.status.INVALID_ARGUMENT);
      // REST: GET /v1/operations, with the filter as a query parameter.
      const res = await fetch(`${t.emu.httpUrl}/v1/operations?filter=${encodeURIComponent('done=true AND name:"projects/"')}`);
      const body = (await res.json()) as { operations: { name: string }[] };
      assert.deepEqual(
        body.operations.map((o) => o.name),
        [purge.name],
      );
    } finally {
      g.close();
    }
  });

  it('serves Get, Cancel and Delete for projects/P/locations/L/operations/ID over REST', async () => {
    const ps = officialClients(t.emu, 'grpc');
    await ps.productSearch.createProductSet({ parent: LOC, productSetId: 'rest-shapes', productSet: { displayName: 'x' } });
    const [op] = await ps.productSearch.purgeProducts({ parent: LOC, productSetPurgeConfig: { productSetId: 'rest-shapes' }, force: true });
    await ps.close();
    assert.match(op.name!, new RegExp(`^${LOC}/operations/[0-9a-f]+$`));
    const done = await waitDone(t.emu, op.name!);
    assert.equal(
      (done.metadata as { '@type': string })['@type'],
      'type.googleapis.com/google.cloud.vision.v1p4beta1.BatchOperationMetadata',
    );
    assert.equal((await fetch(`${t.emu.httpUrl}/v1/${op.name}:cancel`, { method: 'POST' })).status, 200);
    assert.equal((await fetch(`${t.emu.httpUrl}/v1/${op.name}`, { method: 'DELETE' })).status, 200);
    assert.equal((await fetch(`${t.emu.httpUrl}/v1/${op.name}`)).status, 404);
  });

  it('WaitOperation blocks until done or its timeout (gRPC), and has no REST route', async () => {
    const name = await startSlow(5, 'gs://outbox/wait/');
    const g = rawGrpc(t.emu);
    try {
      const wait = (timeoutMs: number) =>
        g.call('/google.longrunning.Operations/WaitOperation', WaitOperationRequest, Operation, {
          name,
          timeout: { seconds: String(Math.floor(timeoutMs / 1000)), nanos: (timeoutMs % 1000) * 1e6 },
        });
      const t0 = Date.now();
      const early = await wait(60);
      const waited = Date.now() - t0;
      assert.equal(early.done, false);
      assert.ok(waited >= 50 && waited < 1000, `waited ${waited} ms`);
      const finished = await wait(20_000);
      assert.equal(finished.done, true);
      const again = await wait(0);
      assert.equal(again.done, true);
      const missing = await g
        .call('/google.longrunning.Operations/WaitOperation', WaitOperationRequest, Operation, { name: 'operations/none' })
        .catch((e: RawGrpcError) => e);
      assert.equal((missing as RawGrpcError).code, grpc.status.NOT_FOUND);
    } finally {
      g.close();
      t.emu.knobs.opStepMs = 0;
    }
    const res = await fetch(`${t.emu.httpUrl}/v1/${name}:wait`, { method: 'POST', body: '{}' });
    assert.ok(res.status === 404 || res.status === 405, String(res.status));
  });

  it('answers INVALID_ARGUMENT for names that are not operation names', async () => {
    const g = rawGrpc(t.emu);
    try {
      for (const name of ['', 'ops/1', 'operations/a/b', 'projects/p/operations/x/y']) {
        const e = await g
          .call('/google.longrunning.Operations/GetOperation', WaitOperationRequest, Operation, { name })
          .catch((err: RawGrpcError) => err);
        assert.equal((e as RawGrpcError).code, grpc.status.INVALID_ARGUMENT, name);
      }
    } finally {
      g.close();
    }
  });
});
