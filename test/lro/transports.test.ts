import assert from 'node:assert/strict';
import { getEventListeners } from 'node:events';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  Code,
  createGrpcTransport,
  createOperationsTransport,
  createPoller,
  createRestTransport,
  LroDecodeError,
  LroOperationError,
  LroPollError,
  LroRequestError,
  LroRoutingError,
  LroTimeoutError,
  type Poller,
  type Transport,
  VisionError,
} from 'vision-kit';
import { createMemoryTransport } from 'vision-kit/testing';
import { type GrpcTestServer, startGrpcTestServer } from '../transport/support/grpc-test-server.js';
import { type RestTestServer, startRestTestServer } from '../transport/support/rest-test-server.js';
import { FakeClock, flush } from './support/fake-clock.js';
import { any, imagesResponse, opMetadata, T } from './support/messages.js';
import { OperationHistories } from './support/operation-server.js';
import { D, started } from './support/setup.js';

type Kind = 'grpc' | 'rest' | 'memory';
const KINDS: readonly Kind[] = ['grpc', 'rest', 'memory'];
/** Polls back to back (1 ms apart): timing is not what these tests check. */
const FAST = { initialDelay: 1, multiplier: 1, maxDelay: 1, jitter: 0 };

describe('lro over the real transports (gRPC and REST servers on 127.0.0.1, and the memory transport)', () => {
  const histories = new OperationHistories();
  let grpcServer: GrpcTestServer;
  let restServer: RestTestServer;
  const transports = {} as Record<Kind, Transport>;

  before(async () => {
    grpcServer = await startGrpcTestServer(histories.handlers());
    restServer = await startRestTestServer(histories.handlers());
    transports.grpc = createGrpcTransport({ endpoint: grpcServer.address });
    transports.rest = createRestTransport({ baseUrl: restServer.baseUrl });
    transports.memory = createMemoryTransport(histories.handlers());
  });
  after(async () => {
    for (const t of Object.values(transports)) t.close();
    await grpcServer.close();
    await restServer.close();
  });

  const pollerFor = (kind: Kind, extra: Partial<Parameters<typeof createPoller>[0]> = {}): Poller =>
    createPoller({ transport: createOperationsTransport(transports[kind]), schedule: FAST, ...extra });

  for (const kind of KINDS) {
    describe(`over ${kind}`, () => {
      const n = (id: string): string => `operations/${kind}-${id}`;

      it('waits to a typed result, with progress on each change (rules 2, 7, 10)', async () => {
        histories.set(
          n('ok'),
          { metadata: opMetadata(1) },
          { metadata: opMetadata(2) },
          { metadata: opMetadata(2) },
          { done: true, metadata: opMetadata(3), response: imagesResponse('gs://wire/out/') },
        );
        const lro = pollerFor(kind).resume(D.images, n('ok'));
        const states: number[] = [];
        const value = await lro.wait({ onProgress: (m) => states.push(m.state) });
        assert.deepEqual(value, { outputConfig: { gcsDestination: { uri: 'gs://wire/out/' }, batchSize: 20 } });
        assert.deepEqual(states, [1, 2, 3]);
      });

      it('resolves Empty to {} for an operation named projects/*/locations/*/operations/* (purge)', async () => {
        const name = `projects/p1/locations/us-west1/operations/${kind}-purge`;
        histories.set(
          name,
          { metadata: any(T.batchMetadata, { state: 1 }) },
          { done: true, response: any(T.empty), metadata: any(T.batchMetadata, { state: 2 }) },
        );
        const value = await pollerFor(kind).resume(D.purge, name).wait();
        assert.deepEqual(value, {});
      });

      it('rejects with the operation error and its typed details (rule 9)', async () => {
        histories.set(n('err'), {
          done: true,
          error: {
            code: Code.INVALID_ARGUMENT,
            message: 'bad image',
            details: [
              any('google.rpc.BadRequest', { fieldViolations: [{ field: 'requests[0].image', description: 'empty' }] }),
              // A REST server can only write Any values of types it knows as JSON.
              ...(kind === 'rest' ? [] : [{ typeUrl: 'type.googleapis.com/example.Unknown', value: new Uint8Array([8, 7]) }]),
            ],
          },
        });
        const err = await pollerFor(kind)
          .resume(D.images, n('err'))
          .wait()
          .catch((e: unknown) => e);
        assert.ok(err instanceof LroOperationError);
        assert.equal(err.code, Code.INVALID_ARGUMENT);
        assert.equal(err.rawMessage, 'bad image');
        assert.deepEqual(err.details[0], {
          type: 'google.rpc.BadRequest',
          value: { fieldViolations: [{ field: 'requests[0].image', description: 'empty', reason: '', localizedMessage: undefined }] },
        });
        if (kind !== 'rest') assert.deepEqual(err.details[1], { type: 'example.Unknown', bytes: new Uint8Array([8, 7]) });
      });

      it('retries a transient UNAVAILABLE, and stops at once on NOT_FOUND naming what it called (rules 14, 15)', async () => {
        histories.set(
          n('flaky'),
          new VisionError(Code.UNAVAILABLE, 'try again'),
          { metadata: opMetadata(2) },
          { done: true, response: imagesResponse('gs://f/') },
        );
        const before = histories.log.length;
        const value = await pollerFor(kind).resume(D.images, n('flaky')).wait();
        assert.equal(value?.outputConfig?.gcsDestination?.uri, 'gs://f/');
        assert.equal(histories.log.length - before, 3);

        const err = await pollerFor(kind)
          .resume(D.images, n('missing'))
          .wait()
          .catch((e: unknown) => e);
        assert.ok(err instanceof LroPollError);
        assert.equal(err.code, Code.NOT_FOUND);
        assert.equal(err.permanent, true);
        assert.equal(err.attempts, 1);
        const target = kind === 'rest' ? `GET /v1/operations/${kind}-missing` : '/google.longrunning.Operations/GetOperation';
        assert.equal(err.target, target);
        assert.ok(err.message.includes(target), err.message);
      });

      it('cancel() sends CancelOperation; the wait sees the cancellation; delete() sends DeleteOperation (rule 17)', async () => {
        histories.set(n('cx'), { metadata: opMetadata(2) });
        const lro = pollerFor(kind).resume(D.images, n('cx'));
        const wait = lro.wait().catch((e: unknown) => e);
        await lro.poll();
        await lro.cancel();
        const err = await wait;
        assert.ok(err instanceof LroOperationError && err.cancelled);
        await lro.delete();
        const mine = histories.log.filter((l) => l.name === n('cx')).map((l) => l.method);
        assert.ok(mine.includes('CancelOperation') && mine.includes('DeleteOperation'));
        assert.deepEqual(new Set(mine), new Set(['GetOperation', 'CancelOperation', 'DeleteOperation']), 'rule 22: nothing else');
      });

      it('UNIMPLEMENTED from CancelOperation rejects cancel() only (rule 17)', async () => {
        histories.cancelError = new VisionError(Code.UNIMPLEMENTED, 'cancel not supported');
        try {
          histories.set(
            n('nc'),
            { metadata: opMetadata(2) },
            { metadata: opMetadata(2) },
            { metadata: opMetadata(2) },
            { done: true, response: imagesResponse('gs://nc/') },
          );
          const lro = pollerFor(kind, { schedule: { ...FAST, initialDelay: 20, maxDelay: 20 } }).resume(D.images, n('nc'));
          const wait = lro.wait();
          const err = await lro.cancel().catch((e: unknown) => e);
          assert.ok(err instanceof LroRequestError && err.code === Code.UNIMPLEMENTED && err.rpc === 'CancelOperation');
          assert.equal((await wait)?.outputConfig?.gcsDestination?.uri, 'gs://nc/');
        } finally {
          histories.cancelError = undefined;
        }
      });

      it('an abort during a call stops it on the wire (rule 12)', async () => {
        histories.set(n('hang'), { hangMs: 5000 });
        const lro = pollerFor(kind).resume(D.images, n('hang'));
        const ac = new AbortController();
        const wait = lro.wait({ signal: ac.signal }).catch((e: unknown) => e);
        const count = (): number => histories.log.filter((l) => l.name === n('hang')).length;
        while (count() === 0) await flush(1);
        ac.abort();
        const err = await wait;
        assert.ok(err instanceof VisionError && err.code === Code.CANCELLED);
        if (kind !== 'memory') {
          const cancelled = kind === 'grpc' ? grpcServer.cancelled : restServer.cancelled;
          for (let i = 0; i < 200 && !cancelled.includes('GetOperation'); i++) await flush(1);
          assert.ok(cancelled.includes('GetOperation'), 'the server saw the call cancelled');
        }
        assert.equal(histories.log.filter((l) => l.name === n('hang') && l.method === 'CancelOperation').length, 0);
      });

      it('wait({timeout}) rejects no later than its deadline, with no poll started after it (rule 4)', async () => {
        histories.set(n('deadline'), { metadata: opMetadata(2) });
        // When each poll starts, seen from the client: a poll sent just before the deadline may reach the
        // server just after the rejection, so the server's log alone cannot tell when a poll started.
        const operations = createOperationsTransport(transports[kind]);
        const started: number[] = [];
        const timed = {
          ...operations,
          get: (name: string, o?: Parameters<typeof operations.get>[1]) => {
            started.push(performance.now());
            return operations.get(name, o);
          },
        };
        const poller = createPoller({ transport: timed, schedule: { ...FAST, initialDelay: 40, maxDelay: 40 } });
        const lro = poller.resume(D.images, n('deadline'));
        const t0 = performance.now();
        const err = await lro.wait({ timeout: 300 }).catch((e: unknown) => e);
        const took = performance.now() - t0;
        assert.ok(err instanceof LroTimeoutError, String(err));
        assert.equal(err.timeoutMs, 300);
        assert.ok(took >= 295 && took < 600, `rejected after ${took} ms`);
        assert.ok(started.length >= 3, `polled ${started.length} times`);
        const polls = started.length;
        await new Promise((resolve) => setTimeout(resolve, 100));
        assert.equal(started.length, polls, 'no poll starts after the rejection');
        for (const at of started) assert.ok(at - t0 <= 301, `a poll started ${(at - t0).toFixed(1)} ms into a 300 ms wait`);
        const arrived = histories.log.filter((l) => l.name === n('deadline')).length;
        assert.ok(arrived <= polls, `the server saw ${arrived} polls, the client started ${polls}`);
        assert.equal(poller.stats().timerArmed, false);
      });

      it('an in-flight poll is aborted at the wait deadline, on the wire (rule 4)', async () => {
        histories.set(n('slow'), { hangMs: 5000 });
        const poller = pollerFor(kind, { schedule: { ...FAST, pollTimeout: 60_000 } });
        const from = histories.abandoned.length;
        const t0 = performance.now();
        const err = await poller
          .resume(D.images, n('slow'))
          .wait({ timeout: 250 })
          .catch((e: unknown) => e);
        const took = performance.now() - t0;
        assert.ok(err instanceof LroTimeoutError, String(err));
        assert.ok(took < 1000, `rejected after ${took} ms`);
        for (let i = 0; i < 200 && !histories.abandoned.slice(from).includes(n('slow')); i++) await flush(5);
        assert.ok(histories.abandoned.slice(from).includes(n('slow')), 'the server saw the poll go away');
        // The server may see the poll go before the aborted call has settled on the client: give it the same time.
        for (let i = 0; i < 200 && poller.stats().inFlight !== 0; i++) await flush(5);
        assert.equal(poller.stats().inFlight, 0);
      });

      it('a timeout is local: no CancelOperation; the error carries the snapshot; the same handle waits again (rule 5)', async () => {
        histories.set(n('local'), { metadata: opMetadata(2) });
        const lro = pollerFor(kind, { schedule: { ...FAST, initialDelay: 20, maxDelay: 20 } }).resume(D.images, n('local'));
        const err = await lro.wait({ timeout: 150 }).catch((e: unknown) => e);
        assert.ok(err instanceof LroTimeoutError, String(err));
        assert.equal(err.operationName, n('local'));
        assert.deepEqual(err.snapshot?.metadata, opMetadata(2));
        assert.deepEqual(err.handle, lro.toJSON());
        histories.set(n('local'), { metadata: opMetadata(2) }, { done: true, response: imagesResponse('gs://local/') });
        assert.equal((await lro.wait({ timeout: 5000 }))?.outputConfig?.gcsDestination?.uri, 'gs://local/');
        assert.deepEqual(new Set(histories.log.filter((l) => l.name === n('local')).map((l) => l.method)), new Set(['GetOperation']));
      });

      it('each poll gets its own time limit: a hung GetOperation is cut off and retried (rule 6)', async () => {
        histories.set(n('hung'), { hangMs: 5000 }, { done: true, response: imagesResponse('gs://hung/') });
        const from = histories.abandoned.length;
        const t0 = performance.now();
        const lro = pollerFor(kind, { schedule: { ...FAST, pollTimeout: 200 } }).resume(D.images, n('hung'));
        const value = await lro.wait({ timeout: 20_000 });
        const took = performance.now() - t0;
        assert.equal(value?.outputConfig?.gcsDestination?.uri, 'gs://hung/');
        assert.ok(took >= 190 && took < 2000, `the hung poll was cut after ${took} ms, not at the server's 5,000`);
        assert.equal(histories.log.filter((l) => l.name === n('hung')).length, 2);
        for (let i = 0; i < 200 && !histories.abandoned.slice(from).includes(n('hung')); i++) await flush(5);
        assert.ok(histories.abandoned.slice(from).includes(n('hung')), 'the server saw the cut-off call go away');
      });

      it('a poll gets no more than the time left: min(per-poll limit, time left) (rule 6)', async () => {
        histories.set(n('left'), { metadata: opMetadata(2) }, { hangMs: 5000 });
        const lro = pollerFor(kind, { schedule: { ...FAST, initialDelay: 100, maxDelay: 100, pollTimeout: 60_000 } }).resume(
          D.images,
          n('left'),
        );
        const t0 = performance.now();
        const err = await lro.wait({ timeout: 400 }).catch((e: unknown) => e);
        const took = performance.now() - t0;
        assert.ok(err instanceof LroTimeoutError, String(err));
        assert.ok(took < 1000, `settled after ${took} ms`);
      });

      it('done with neither response nor error resolves to undefined instead of hanging (rule 8)', async () => {
        histories.set(n('empty'), { metadata: opMetadata(2) }, { done: true, metadata: opMetadata(3) });
        const lro = pollerFor(kind).resume(D.images, n('empty'));
        assert.equal(await lro.wait({ timeout: 5000 }), undefined);
        assert.equal(lro.done, true);
        assert.equal(await lro.wait(), undefined, 'again, from the cache');
      });

      it('concurrent waits share one polling loop; a later wait resolves from the cache (rule 11)', async () => {
        histories.set(
          n('shared'),
          { metadata: opMetadata(1) },
          { metadata: opMetadata(2) },
          { metadata: opMetadata(2) },
          { done: true, response: imagesResponse('gs://shared/') },
        );
        const lro = pollerFor(kind).resume(D.images, n('shared'));
        const [a, b, c] = await Promise.all([lro.wait(), lro.wait({ timeout: 60_000 }), lro.wait({ onProgress: () => undefined })]);
        assert.ok(a === b && b === c);
        assert.equal(histories.log.filter((l) => l.name === n('shared')).length, 4, 'one GetOperation per step, not per wait');
        assert.equal(await lro.wait(), a);
        assert.equal(histories.log.filter((l) => l.name === n('shared')).length, 4);
      });

      it('leaves no timer and no abort listener after settling or aborting (rule 13)', async () => {
        histories.set(n('tidy'), { metadata: opMetadata(2) }, { done: true, response: imagesResponse('gs://tidy/') });
        histories.set(n('tidy2'), { metadata: opMetadata(2) });
        const poller = pollerFor(kind, { schedule: { ...FAST, initialDelay: 20, maxDelay: 20 } });
        const ac = new AbortController();
        await poller.resume(D.images, n('tidy')).wait({ signal: ac.signal, timeout: 5000 });
        const pending = poller
          .resume(D.images, n('tidy2'))
          .wait({ signal: ac.signal, timeout: 5000 })
          .catch((e: unknown) => e);
        await flush(50);
        ac.abort();
        assert.ok((await pending) instanceof VisionError);
        assert.equal(getEventListeners(ac.signal, 'abort').length, 0);
        const stats = poller.stats();
        assert.equal(stats.timerArmed, false);
        assert.equal(stats.scheduled, 0);
        assert.equal(stats.inFlight, 0);
        assert.equal(stats.signals, 0);
      });

      it('a saved handle is plain data that another poller resumes over the wire, keeping its deadline (rule 20)', async () => {
        histories.set(n('saved'), { metadata: opMetadata(2) }, { done: true, response: imagesResponse('gs://saved/') });
        const first = createPoller({ transport: createOperationsTransport(transports[kind]) }).fromOperation(
          D.images,
          started(n('saved')),
          { deadline: Date.now() + 60_000 },
        );
        const text = JSON.stringify(first);
        assert.deepEqual(Object.keys(JSON.parse(text)).sort(), ['deadline', 'method', 'name', 'startTime']);
        const resumed = pollerFor(kind).resume(D.images, JSON.parse(text));
        assert.equal(resumed.deadline?.toISOString(), first.deadline?.toISOString());
        assert.equal((await resumed.wait())?.outputConfig?.gcsDestination?.uri, 'gs://saved/');
        assert.equal(histories.log.filter((l) => l.name === n('saved')).length, 2, 'only the resumed handle polled');
      });

      it('never has more polls on the wire than its cap (rule 21)', async () => {
        const prefix = `operations/${kind}-cap-`;
        histories.track(prefix);
        const names = Array.from({ length: 12 }, (_, i) => `${prefix}${i}`);
        for (const name of names) histories.set(name, { hangMs: 20 }, { done: true, response: imagesResponse(`gs://cap/${name}/`) });
        const poller = pollerFor(kind, { maxInFlight: 3 });
        const values = await Promise.all(names.map((name) => poller.resume(D.images, name).wait({ timeout: 20_000 })));
        assert.deepEqual(
          values.map((v) => v?.outputConfig?.gcsDestination?.uri),
          names.map((name) => `gs://cap/${name}/`),
        );
        assert.equal(poller.stats().peakInFlight, 3);
        assert.ok(histories.peakOf(prefix) <= 3 && histories.peakOf(prefix) >= 2, `the server saw ${histories.peakOf(prefix)} at once`);
      });

      it('a wrongly typed Any is a decode error, and the poller serves its other operations (bad input)', async () => {
        const poller = pollerFor(kind);
        histories.set(n('wrongtype'), { done: true, response: any(T.importResponse) });
        histories.set(n('fine'), { metadata: opMetadata(2) }, { done: true, response: imagesResponse('gs://fine/') });
        const [bad, good] = await Promise.all([
          poller
            .resume(D.images, n('wrongtype'))
            .wait()
            .catch((e: unknown) => e),
          poller.resume(D.images, n('fine')).wait(),
        ]);
        assert.ok(bad instanceof LroDecodeError);
        assert.match(bad.message, /AsyncBatchAnnotateImagesResponse.*ImportProductSetsResponse/);
        assert.equal(good?.outputConfig?.gcsDestination?.uri, 'gs://fine/');
      });
    });
  }

  it('the same history gives the same results on every transport (rule 19)', async () => {
    const history = [
      { metadata: opMetadata(1) },
      new VisionError(Code.UNAVAILABLE, 'blip'),
      { metadata: opMetadata(2, 4) },
      { metadata: opMetadata(2, 4) },
      { metadata: opMetadata(2, 8) },
      { done: true, metadata: opMetadata(3, 9), response: imagesResponse('gs://same/') },
    ];
    const failing = [
      { metadata: opMetadata(2) },
      {
        done: true,
        metadata: opMetadata(4),
        error: {
          code: Code.RESOURCE_EXHAUSTED,
          message: 'Quota exceeded.',
          details: [
            any('google.rpc.ErrorInfo', {
              reason: 'RATE_LIMIT_EXCEEDED',
              domain: 'googleapis.com',
              metadata: { quota_limit: 'per_minute' },
            }),
            any('google.rpc.RetryInfo', { retryDelay: { seconds: '30', nanos: 0 } }),
            any('google.rpc.BadRequest', { fieldViolations: [{ field: 'x', description: 'y' }] }),
          ],
        },
      },
    ];
    const results = await Promise.all(
      KINDS.map(async (kind) => {
        histories.set(`operations/same-${kind}`, ...history);
        histories.set(`operations/fails-${kind}`, ...failing);
        const poller = pollerFor(kind);
        const lro = poller.resume(D.images, `operations/same-${kind}`);
        const progress: unknown[] = [];
        const value = await lro.wait({ onProgress: (m) => progress.push(m) });
        const error = await poller
          .resume(D.images, `operations/fails-${kind}`)
          .wait()
          .catch((e: unknown) => e);
        assert.ok(error instanceof LroOperationError);
        const { snapshot } = lro;
        return {
          value,
          progress,
          metadata: lro.metadata,
          snapshot: { ...snapshot, name: undefined },
          error: {
            code: error.code,
            message: error.message,
            details: error.details,
            cancelled: error.cancelled,
            httpStatus: error.httpStatus,
          },
        };
      }),
    );
    assert.equal(results[0]?.progress.length, 4);
    assert.deepStrictEqual(results[1], results[0], 'REST equals gRPC');
    assert.deepStrictEqual(results[2], results[0], 'memory equals gRPC');
  });

  it('REST: enum names and numbers normalise to one value (rule 10)', async () => {
    const numeric = createRestTransport({ baseUrl: restServer.baseUrl, enumAsInt: true });
    try {
      histories.set(
        'operations/enum',
        { metadata: opMetadata(2) },
        { done: true, metadata: opMetadata(3), response: imagesResponse('gs://e/') },
      );
      const a = createPoller({ transport: createOperationsTransport(transports.rest), schedule: FAST }).resume(D.images, 'operations/enum');
      await a.poll();
      histories.set(
        'operations/enum',
        { metadata: opMetadata(2) },
        { done: true, metadata: opMetadata(3), response: imagesResponse('gs://e/') },
      );
      const b = createPoller({ transport: createOperationsTransport(numeric), schedule: FAST }).resume(D.images, 'operations/enum');
      await b.poll();
      assert.equal(a.metadata?.state, 2);
      assert.deepStrictEqual(b.metadata, a.metadata);
      const urls = restServer.requests.filter((r) => r.url.startsWith('/v1/operations/enum')).map((r) => r.url);
      assert.ok(
        urls.some((u) => u.includes('enum-encoding')),
        'one client asked for numbers',
      );
    } finally {
      numeric.close();
    }
  });

  describe('REST routing (rule 18)', () => {
    const rest = (): Poller => createPoller({ transport: createOperationsTransport(transports.rest), schedule: FAST });
    const requested = (from: number): string[] => restServer.requests.slice(from).map((r) => `${r.method} ${r.url.split('?')[0]}`);

    it('routes each name shape of the service config to its template', async () => {
      const names = ['projects/p1/operations/o1', 'projects/p1/locations/eu/operations/o2', 'operations/o3', 'locations/eu/operations/o4'];
      const from = restServer.requests.length;
      for (const name of names) {
        histories.set(name, { done: true, response: imagesResponse('gs://r/') });
        await rest().resume(D.images, name).wait();
      }
      assert.deepEqual(
        requested(from),
        names.map((name) => `GET /v1/${name}`),
      );
    });

    it('encodes each segment and keeps the slashes', async () => {
      const name = 'operations/a b%c';
      histories.set(name, { done: true, response: imagesResponse('gs://enc/') });
      const from = restServer.requests.length;
      await rest().resume(D.images, name).wait();
      assert.deepEqual(requested(from), ['GET /v1/operations/a%20b%25c']);
    });

    it('a name that matches no template fails before any request, and other operations go on', async () => {
      const from = restServer.requests.length;
      histories.set('operations/neighbour', { metadata: opMetadata(2) }, { done: true, response: imagesResponse('gs://n/') });
      const poller = rest();
      const [err, good] = await Promise.all([
        poller
          .resume(D.images, 'jobs/x/operations/1')
          .wait()
          .catch((e: unknown) => e),
        poller.resume(D.images, 'operations/neighbour').wait(),
      ]);
      assert.ok(err instanceof LroPollError && err.cause instanceof LroRoutingError);
      assert.equal(err.code, Code.INVALID_ARGUMENT);
      assert.match(err.message, /"jobs\/x\/operations\/1" matches no REST route of GetOperation/);
      assert.match(err.message, /GET \/v1\/\{name=projects\/\*\/operations\/\*\}/);
      assert.equal(good?.outputConfig?.gcsDestination?.uri, 'gs://n/');
      assert.deepEqual(requested(from), ['GET /v1/operations/neighbour', 'GET /v1/operations/neighbour']);
      await assert.rejects(
        poller.resume(D.images, 'jobs/x/operations/1').cancel(),
        (e) => e instanceof LroRequestError && e.cause instanceof LroRoutingError,
      );
      assert.equal(restServer.requests.length - from, 2);
    });

    it('the route table is overridable', async () => {
      const transport = createOperationsTransport(transports.rest, {
        routes: { get: [{ method: 'GET', path: '/v9/{name=jobs/*}/status' }] },
      });
      const from = restServer.requests.length;
      const err = await createPoller({ transport, schedule: FAST })
        .resume(D.images, 'jobs/j1')
        .wait()
        .catch((e: unknown) => e);
      assert.deepEqual(requested(from), ['GET /v9/jobs/j1/status']);
      assert.ok(err instanceof LroPollError && err.code === Code.NOT_FOUND && err.target === 'GET /v9/jobs/j1/status');
      assert.throws(
        () => createOperationsTransport(transports.rest, { routes: { get: [{ method: 'GET', path: '/v1/{id=x/*}' }] } }),
        /must bind exactly \{name=/,
      );
    });
  });

  describe('RetryInfo and Retry-After on the wire (rule 16, fake time)', () => {
    /** Runs fake time, but only while no call is on the wire (real I/O must finish first). */
    async function runWire<T>(clock: FakeClock, poller: Poller, promise: Promise<T>): Promise<{ value?: T; error?: unknown; at: number }> {
      let out: { value?: T; error?: unknown; at: number } | undefined;
      promise.then(
        (value) => (out = { value, at: clock.now() }),
        (error: unknown) => (out = { error, at: clock.now() }),
      );
      for (let i = 0; out === undefined && i < 10_000; i++) {
        await flush(1);
        if (poller.stats().inFlight > 0) continue;
        const next = clock.nextDue();
        if (next !== undefined) await clock.advance(next - clock.now());
      }
      if (out === undefined) throw new Error('did not settle');
      return out;
    }

    for (const kind of ['grpc', 'rest'] as const) {
      it(`${kind}: a RetryInfo detail from the server delays the next poll`, async () => {
        const clock = new FakeClock();
        const poller = createPoller({ transport: createOperationsTransport(transports[kind]), clock, schedule: { jitter: 0 } });
        const name = `operations/ri-${kind}`;
        histories.set(
          name,
          new VisionError(Code.UNAVAILABLE, 'busy', {
            details: [{ type: 'google.rpc.RetryInfo', value: { retryDelay: { seconds: '9', nanos: 0 } } }],
          }),
          { done: true, response: imagesResponse('gs://ri/') },
        );
        const lro = poller.resume(D.images, name);
        const r = await runWire(clock, poller, lro.wait());
        assert.equal(r.value?.outputConfig?.gcsDestination?.uri, 'gs://ri/');
        assert.equal(r.at, 9000);
        assert.equal(histories.log.filter((l) => l.name === name).length, 2);
      });
    }

    it('rest: an HTTP Retry-After header delays the next poll, or ends the wait when it passes the deadline', async () => {
      let answered = 0;
      const server = http.createServer((req, res) => {
        answered++;
        if (answered === 1 || req.url?.includes('late')) {
          res.writeHead(503, { 'content-type': 'application/json', 'retry-after': '12' });
          res.end(JSON.stringify({ error: { code: 503, message: 'overloaded', status: 'UNAVAILABLE' } }));
          return;
        }
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(
          JSON.stringify({
            name: req.url?.slice('/v1/'.length),
            done: true,
            response: { '@type': `type.googleapis.com/${T.imagesResponse}`, outputConfig: { gcsDestination: { uri: 'gs://ra/' } } },
          }),
        );
      });
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      const transport = createRestTransport({ baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}` });
      try {
        const clock = new FakeClock();
        const poller = createPoller({ transport: createOperationsTransport(transport), clock, schedule: { jitter: 0 } });
        const r = await runWire(clock, poller, poller.resume(D.images, 'operations/ra').wait());
        assert.equal(r.value?.outputConfig?.gcsDestination?.uri, 'gs://ra/');
        assert.equal(r.at, 12_000);
        const late = await runWire(clock, poller, poller.resume(D.images, 'operations/late').wait({ timeout: 5000 }));
        assert.ok(late.error instanceof LroTimeoutError);
        assert.equal(late.at, 12_000, 'at once, not at the deadline');
      } finally {
        transport.close();
        server.closeAllConnections();
        await new Promise<void>((resolve) => server.close(() => resolve()));
      }
    });
  });
});
