// The serving layer as a user's server for their own protos, through the
// public entry only (vision-kit/serving): startServer over generated
// bindings (test/gen's Jobs, whose index.js registers its types), an
// operation store serving google.longrunning.Operations, Google's error
// body with details over REST and the same error over gRPC, and Any
// packing that says what to do about an unregistered type.
import assert from 'node:assert/strict';
import {
  Code,
  createClient,
  createGrpcTransport,
  createOperationsTransport,
  createPoller,
  createRestTransport,
  descriptorOf,
  type Lro,
  LroOperationError,
  VisionError,
} from 'vision-kit';
import { OperationsDefinition } from 'vision-kit/gen/google/longrunning/operations.js';
import {
  createOperationStore,
  defineService,
  errorToRestBody,
  type OperationStore,
  packAny,
  type RunningServer,
  startServer,
} from 'vision-kit/serving';
import { Jobs } from '../gen/index.js';
import { type JobProgress, type JobResult, JobsDefinition } from '../gen/vision_kit/testing/v1/jobs.js';

const FAST = { initialDelay: 1, multiplier: 1, maxDelay: 1, jitter: 0 };

describe('serving: a server for your own protos in a few lines (vision-kit/serving)', () => {
  let server: RunningServer;
  let operations: OperationStore;
  const steps = new Map<string, { done: number; of: number; title: string }>();
  const cancelled: string[] = [];

  before(async () => {
    // The whole server: a handler per method, an operation store, startServer.
    operations = createOperationStore({
      namePrefix: '',
      onPoll(name, store) {
        const job = steps.get(name)!;
        if (store.get(name)?.done) return;
        job.done++;
        const metadata = packAny('visionkit.testing.v1.JobProgress', { percent: Math.round((100 * job.done) / job.of) });
        if (job.done < job.of) store.update(name, { metadata });
        else if (job.title === 'broken') {
          store.update(name, {
            metadata,
            error: new VisionError(Code.RESOURCE_EXHAUSTED, 'out of paper', {
              details: [{ type: 'google.rpc.QuotaFailure', value: { violations: [{ subject: 'paper', description: 'none left' }] } }],
            }),
          });
        } else
          store.update(name, { metadata, response: packAny('visionkit.testing.v1.JobResult', { title: job.title, stepsDone: job.of }) });
      },
      onCancel: (name) => cancelled.push(name),
    });
    const jobs = defineService(JobsDefinition, {
      async StartJob(req) {
        if (req.steps < 1) {
          throw new VisionError(Code.INVALID_ARGUMENT, 'steps must be at least 1', {
            details: [
              { type: 'google.rpc.BadRequest', value: { fieldViolations: [{ field: 'steps', description: 'must be at least 1' }] } },
            ],
          });
        }
        const op = operations.start({ metadata: packAny('visionkit.testing.v1.JobProgress', { percent: 0 }) });
        steps.set(op.name, { done: 0, of: req.steps, title: req.title });
        return op;
      },
    });
    server = await startServer([jobs, operations.service]);
  });
  after(() => server.close(100));

  it('listens on 127.0.0.1, free ports', () => {
    assert.match(server.grpcAddress, /^127\.0\.0\.1:\d+$/);
    assert.match(server.httpUrl, /^http:\/\/127\.0\.0\.1:\d+$/);
    assert.notEqual(server.grpcPort, 0);
    assert.notEqual(server.httpPort, 0);
  });

  for (const kind of ['grpc', 'rest'] as const) {
    it(`over ${kind}: a typed client waits on an operation, sees progress, resumes a saved handle, gets a typed failure`, async () => {
      const transport =
        kind === 'grpc'
          ? createGrpcTransport({ endpoint: server.grpcAddress, definitions: [JobsDefinition] })
          : createRestTransport({ baseUrl: server.httpUrl });
      try {
        const jobs = createClient(Jobs, transport, { lro: { schedule: FAST } });
        const job: Lro<JobResult, JobProgress> = await jobs.startJob({ title: 'print', steps: 4 });
        const seen: number[] = [];
        assert.deepEqual(await job.wait({ onProgress: (m) => seen.push(m.percent) }), { title: 'print', stepsDone: 4 });
        assert.deepEqual(seen, [0, 25, 50, 75, 100]);

        const saved = JSON.parse(JSON.stringify(await jobs.startJob({ title: 'later', steps: 2 })));
        const poller = createPoller({ transport: createOperationsTransport(transport), schedule: FAST });
        assert.deepEqual(await poller.resume(descriptorOf(jobs.startJob), saved).wait(), { title: 'later', stepsDone: 2 });

        const broken = await jobs.startJob({ title: 'broken', steps: 1 });
        const err = await broken.wait().catch((e: unknown) => e);
        assert.ok(err instanceof LroOperationError, String(err));
        assert.equal(err.code, Code.RESOURCE_EXHAUSTED);
        assert.deepEqual(err.details, [
          {
            type: 'google.rpc.QuotaFailure',
            value: {
              violations: [
                {
                  subject: 'paper',
                  description: 'none left',
                  apiService: '',
                  quotaMetric: '',
                  quotaId: '',
                  quotaDimensions: {},
                  quotaValue: '0',
                  futureQuotaValue: undefined,
                },
              ],
            },
          },
        ]);

        const long = await jobs.startJob({ title: 'long', steps: 1000 });
        await long.cancel();
        assert.ok(cancelled.includes(long.name));
        const stopped = await long.wait().catch((e: unknown) => e);
        assert.ok(stopped instanceof LroOperationError && stopped.cancelled);

        const refused = await jobs.startJob({ title: 'none', steps: 0 }).catch((e: unknown) => e);
        assert.ok(refused instanceof VisionError && refused.code === Code.INVALID_ARGUMENT, String(refused));
        assert.deepEqual(refused.details, [
          {
            type: 'google.rpc.BadRequest',
            value: { fieldViolations: [{ field: 'steps', description: 'must be at least 1', reason: '', localizedMessage: undefined }] },
          },
        ]);
      } finally {
        transport.close();
      }
    });
  }

  it("answers REST errors with Google's JSON body and details (errorToRestBody)", async () => {
    const res = await fetch(`${server.httpUrl}/v1/jobs:start`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ title: 'none', steps: 0 }),
    });
    assert.equal(res.status, 400);
    const body = await res.json();
    const expected = errorToRestBody(
      new VisionError(Code.INVALID_ARGUMENT, 'steps must be at least 1', {
        details: [{ type: 'google.rpc.BadRequest', value: { fieldViolations: [{ field: 'steps', description: 'must be at least 1' }] } }],
      }),
    );
    assert.deepEqual(body, JSON.parse(JSON.stringify(expected)));
    assert.deepEqual(body, {
      error: {
        code: 400,
        message: 'steps must be at least 1',
        status: 'INVALID_ARGUMENT',
        details: [
          {
            '@type': 'type.googleapis.com/google.rpc.BadRequest',
            fieldViolations: [{ field: 'steps', description: 'must be at least 1' }],
          },
        ],
      },
    });
    const missing = await fetch(`${server.httpUrl}/v1/operations/nope`);
    assert.equal(missing.status, 404);
    assert.equal(((await missing.json()) as { error: { status: string } }).error.status, 'NOT_FOUND');
  });

  it('packAny refuses a type nobody registered, saying how to register it', () => {
    assert.throws(
      () => packAny('acme.unknown.v1.Thing', {}),
      (e) =>
        e instanceof VisionError &&
        e.code === Code.INVALID_ARGUMENT &&
        /register it first \(import the index\.js vision-kit gen wrote/.test(e.message),
    );
  });

  it('the operation store: lists by scope, deletes, refuses changes to a finished operation and unknown names', async () => {
    const store = createOperationStore({ namePrefix: 'projects/p/locations/l/operations/' });
    const a = store.start();
    const b = store.start({ name: 'elsewhere/1' });
    assert.equal(a.name, 'projects/p/locations/l/operations/1');
    store.update(a.name, { response: packAny('google.protobuf.Empty', {}) });
    assert.throws(() => store.update(a.name, { metadata: packAny('google.protobuf.Empty', {}) }), /has already finished/);
    assert.throws(
      () => store.update('nope', {}),
      (e) => e instanceof VisionError && e.code === Code.NOT_FOUND,
    );
    assert.throws(
      () => store.start({ name: b.name }),
      (e) => e instanceof VisionError && e.code === Code.ALREADY_EXISTS,
    );
    const list = store.service.handlers.ListOperations as unknown as (req: object) => Promise<{ operations: { name: string }[] }>;
    const scoped = await list({ name: 'projects/p/locations/l', filter: '', pageSize: 0, pageToken: '', returnPartialSuccess: false });
    assert.deepEqual(
      scoped.operations.map((o) => o.name),
      [a.name],
    );
    const del = store.service.handlers.DeleteOperation as unknown as (req: object) => Promise<object>;
    await del({ name: b.name });
    assert.equal(store.get(b.name), undefined);
    assert.equal(store.service.definition, OperationsDefinition);
  });

  it('startServer checks its ports', async () => {
    await assert.rejects(startServer([], { grpcPort: 70000 }), /grpcPort must be a whole number from 0 to 65535/);
  });
});
