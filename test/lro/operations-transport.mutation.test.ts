/**
 * The operations transport (src/lro/operations-transport.ts) over a
 * recording fake `Transport`, pinned by value: which MethodRef each call
 * goes out with (the generated row, or a copy carrying the routes in force),
 * the request and call options it passes on, which route table wins (the
 * `routes` option over the operation's own over the default), what is
 * refused before any I/O, and what `describe` names. Fast and in-process:
 * this is the file the mutation run of the module leans on (the real-server
 * suites cover the same ground end to end).
 */
import assert from 'node:assert/strict';
import {
  Code,
  createOperationsTransport,
  DEFAULT_OPERATION_ROUTES,
  LroRoutingError,
  type OperationRoutes,
  type Transport,
  VisionError,
} from 'vision-kit';
import { Operations } from '../../src/schema/service-descriptor.js';
import type { MethodRef } from '../../src/transport/method-ref.js';
import type { CallOptions } from '../../src/transport/transport.js';

interface Sent {
  readonly ref: MethodRef;
  readonly request: object;
  readonly options: CallOptions | undefined;
}

/** A transport of `kind` that records each call and answers `answer`. */
function recorder(kind: Transport['kind'], answer: object = { name: 'operations/1', done: false }): Transport & { sent: Sent[] } {
  const sent: Sent[] = [];
  return {
    kind,
    sent,
    unary<O extends object>(ref: MethodRef, request: object, options?: CallOptions): Promise<O> {
      sent.push({ ref, request, options });
      return Promise.resolve(answer as O);
    },
    close(): void {},
  };
}

const row = (name: string) => Operations.methods.find((m) => m.name === name);

const JOBS: OperationRoutes = {
  get: [{ method: 'GET', path: '/v9/{name=jobs/*}', body: '', responseBody: '' }],
  cancel: [{ method: 'POST', path: '/v9/{name=jobs/*}:stop', body: '*', responseBody: '' }],
  delete: [{ method: 'DELETE', path: '/v9/{name=jobs/*}', body: '', responseBody: '' }],
} as OperationRoutes;

describe('operations transport (mutation checks by value)', () => {
  it('sends each RPC on its generated row with only the name, retries off, signal and timeout passed on', async () => {
    const t = recorder('grpc');
    const ops = createOperationsTransport(t);
    assert.equal(ops.kind, 'grpc');
    const ac = new AbortController();
    const op = await ops.get('operations/1', { signal: ac.signal, timeout: 1234 });
    assert.deepEqual(op, { name: 'operations/1', done: false });
    assert.equal(await ops.cancel('operations/2', { timeout: 5 }), undefined);
    assert.equal(await ops.delete('operations/3'), undefined);
    assert.equal(t.sent.length, 3);
    const [g, c, d] = t.sent as [Sent, Sent, Sent];
    assert.equal(g.ref.service, 'google.longrunning.Operations');
    assert.equal(g.ref.method, row('GetOperation'));
    assert.equal(c.ref.method, row('CancelOperation'));
    assert.equal(d.ref.method, row('DeleteOperation'));
    assert.equal(g.ref.method.name, 'GetOperation');
    assert.equal(c.ref.method.name, 'CancelOperation');
    assert.equal(d.ref.method.name, 'DeleteOperation');
    assert.deepEqual(g.request, { name: 'operations/1' });
    assert.deepEqual(c.request, { name: 'operations/2' });
    assert.deepEqual(d.request, { name: 'operations/3' });
    assert.deepEqual(g.options, { signal: ac.signal, timeout: 1234, retry: false });
    assert.deepEqual(c.options, { signal: undefined, timeout: 5, retry: false });
    assert.deepEqual(d.options, { signal: undefined, timeout: undefined, retry: false });
  });

  it('makes one MethodRef per RPC and route list, reused by later calls', async () => {
    const t = recorder('rest');
    const ops = createOperationsTransport(t);
    await ops.get('operations/1');
    await ops.get('operations/2');
    await ops.get('jobs/1', { routes: JOBS });
    await ops.get('jobs/2', { routes: JOBS });
    await ops.cancel('operations/3');
    const [a, b, c, d, e] = t.sent as [Sent, Sent, Sent, Sent, Sent];
    assert.equal(a.ref, b.ref);
    assert.equal(c.ref, d.ref);
    assert.notEqual(a.ref, c.ref);
    assert.equal(e.ref.method, row('CancelOperation'));
    // The operation's own routes ride on a copy of the generated row.
    assert.equal(c.ref.method.http, JOBS.get);
    assert.equal(c.ref.method.name, 'GetOperation');
    assert.equal(c.ref.service, 'google.longrunning.Operations');
    assert.notEqual(c.ref.method, row('GetOperation'));
  });

  it('REST: a name no route covers is refused before any I/O; gRPC and memory send it', async () => {
    const rest = recorder('rest');
    const ops = createOperationsTransport(rest);
    for (const call of [() => ops.get('jobs/1'), () => ops.cancel('jobs/1'), () => ops.delete('jobs/1')]) {
      const err = await call().catch((e: unknown) => e);
      assert.ok(err instanceof LroRoutingError);
      assert.equal(err.operationName, 'jobs/1');
    }
    const err = (await ops.cancel('jobs/1').catch((e: unknown) => e)) as LroRoutingError;
    assert.equal(err.rpc, 'CancelOperation');
    assert.deepEqual(
      err.templates,
      DEFAULT_OPERATION_ROUTES.cancel.map((b) => `${b.method} ${b.path}`),
    );
    assert.equal(rest.sent.length, 0);
    for (const kind of ['grpc', 'memory'] as const) {
      const t = recorder(kind);
      await createOperationsTransport(t).get('jobs/1');
      assert.equal(t.sent.length, 1);
    }
  });

  it('the routes option wins over the operation’s own routes, which win over the default', async () => {
    const t = recorder('rest');
    const fixedGet = [{ method: 'GET', path: '/fixed/{name=jobs/*}', body: '', responseBody: '' }];
    const ops = createOperationsTransport(t, { routes: { get: fixedGet } as Partial<OperationRoutes> });
    assert.equal(ops.describe?.('GetOperation', 'jobs/7', JOBS), 'GET /fixed/jobs/7');
    assert.equal(ops.describe?.('CancelOperation', 'jobs/7', JOBS), 'POST /v9/jobs/7:stop');
    assert.equal(ops.describe?.('DeleteOperation', 'jobs/7', JOBS), 'DELETE /v9/jobs/7');
    assert.equal(ops.describe?.('DeleteOperation', 'operations/7'), 'DELETE /v1/operations/7');
    assert.throws(() => ops.describe?.('GetOperation', 'operations/7'), LroRoutingError);
    await ops.get('jobs/7', { routes: JOBS });
    await ops.cancel('jobs/7', { routes: JOBS });
    assert.equal((t.sent[0] as Sent).ref.method.http, fixedGet);
    assert.equal((t.sent[1] as Sent).ref.method.http, JOBS.cancel);
    // Only the parts given replace the default.
    const cancelOnly = createOperationsTransport(recorder('rest'), { routes: { cancel: JOBS.cancel } });
    assert.equal(cancelOnly.describe?.('GetOperation', 'operations/1'), 'GET /v1/operations/1');
    assert.equal(cancelOnly.describe?.('CancelOperation', 'jobs/1'), 'POST /v9/jobs/1:stop');
  });

  it('describe names the gRPC method, and over REST the method and the encoded path', () => {
    const grpc = createOperationsTransport(recorder('grpc'));
    assert.equal(grpc.describe?.('GetOperation', 'jobs/1'), '/google.longrunning.Operations/GetOperation');
    assert.equal(grpc.describe?.('DeleteOperation', 'x'), '/google.longrunning.Operations/DeleteOperation');
    const rest = createOperationsTransport(recorder('rest'));
    assert.equal(rest.describe?.('GetOperation', 'projects/p 1/operations/a%b'), 'GET /v1/projects/p%201/operations/a%25b');
    assert.equal(rest.describe?.('CancelOperation', 'operations/9'), 'POST /v1/operations/9:cancel');
  });

  it('refuses a bad route table: the option at creation, the operation’s own at its call (before any I/O)', async () => {
    const bad = [{ method: 'GET', path: '/v1/{id=operations/*}', body: '', responseBody: '' }];
    assert.throws(
      () => createOperationsTransport(recorder('rest'), { routes: { delete: bad } as Partial<OperationRoutes> }),
      (e: unknown) =>
        e instanceof VisionError &&
        e.code === Code.INVALID_ARGUMENT &&
        /must bind exactly \{name=…\}: \/v1\/\{id=operations\/\*\}/.test(e.message),
    );
    const t = recorder('grpc');
    const ops = createOperationsTransport(t);
    const err = await ops.get('operations/1', { routes: { ...JOBS, cancel: bad } as OperationRoutes }).catch((e: unknown) => e);
    assert.ok(err instanceof VisionError);
    assert.equal(err.code, Code.INVALID_ARGUMENT);
    assert.equal(t.sent.length, 0);
  });
});
