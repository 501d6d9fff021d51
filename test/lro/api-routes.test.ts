// Operation routes from the API itself: the test-only Jobs service was
// generated with a service config (test/protos/jobs_v1.yaml) that puts its
// Operations mixin at GET /v1/operations/{name=**} and POST
// /v1/operations/{name=**}:cancel (Speech v1's shape; operation names are
// bare numbers). Its generated descriptor carries those routes, so a client's
// REST polls, a resumed handle's polls and a REST handler built with no
// options all use them. An operation whose name no route covers is refused
// as soon as its start call returns.
import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  Code,
  createClient,
  createGrpcTransport,
  createOperationsTransport,
  createPoller,
  createRestTransport,
  descriptorOf,
  ImageAnnotator,
  type Lro,
  LroOperationError,
  LroRequestError,
  LroRoutingError,
  type Transport,
  VisionError,
} from 'vision-kit';
import { ImageAnnotatorDefinition } from 'vision-kit/gen/google/cloud/vision/v1p4beta1/image_annotator.js';
import { type Operation, OperationsDefinition } from 'vision-kit/gen/google/longrunning/operations.js';
import { createGrpcHost, createRestHandler, defineService, type GrpcHost } from 'vision-kit/serving';
import { Jobs } from '../gen/index.js';
import { type JobProgress, type JobResult, JobsDefinition } from '../gen/vision_kit/testing/v1/jobs.js';
import { any } from './support/messages.js';

const FAST = { initialDelay: 1, multiplier: 1, maxDelay: 1, jitter: 0 };

/** Jobs named `1`, `2`, …: each GetOperation moves one a step on. */
class JobBoard {
  private next = 0;
  private readonly jobs = new Map<string, { title: string; steps: number; done: number; cancelled: boolean }>();

  start(title: string, steps: number): Partial<Operation> {
    const name = String(++this.next);
    this.jobs.set(name, { title, steps, done: 0, cancelled: false });
    return this.view(name);
  }

  get(name: string): Partial<Operation> {
    const job = this.jobs.get(name);
    if (job === undefined) throw new VisionError(Code.NOT_FOUND, `no job ${name}`);
    if (!job.cancelled) job.done = Math.min(job.steps, job.done + 1);
    return this.view(name);
  }

  cancel(name: string): void {
    const job = this.jobs.get(name);
    if (job === undefined) throw new VisionError(Code.NOT_FOUND, `no job ${name}`);
    job.cancelled = true;
  }

  private view(name: string): Partial<Operation> {
    const job = this.jobs.get(name)!;
    const metadata = any('visionkit.testing.v1.JobProgress', { percent: Math.round((100 * job.done) / job.steps) });
    if (job.cancelled) return { name, done: true, metadata, error: { code: Code.CANCELLED, message: 'cancelled', details: [] } };
    if (job.done < job.steps) return { name, done: false, metadata };
    if (job.title === 'broken') {
      return {
        name,
        done: true,
        metadata,
        error: {
          code: Code.FAILED_PRECONDITION,
          message: 'the job broke',
          details: [any('google.rpc.ErrorInfo', { reason: 'JOB_BROKEN', domain: 'testing.visionkit.dev' })],
        },
      };
    }
    return { name, done: true, metadata, response: any('visionkit.testing.v1.JobResult', { title: job.title, stepsDone: job.steps }) };
  }
}

describe('operation routes from the API itself (a service config, generated into the descriptor)', () => {
  const board = new JobBoard();
  const requests: string[] = [];
  const impls = [
    defineService(JobsDefinition, { StartJob: async (req) => board.start(req.title, req.steps) }),
    defineService(OperationsDefinition, {
      GetOperation: async (req) => board.get(req.name),
      CancelOperation: async (req) => {
        board.cancel(req.name);
        return {};
      },
    }),
  ];
  // A Vision start whose operation name fits none of Vision's routes (a server of its own: Vision's
  // Cancel route /v1/{name=operations/**}:cancel and Jobs' /v1/operations/{name=**}:cancel have one shape).
  const vision = [
    defineService(ImageAnnotatorDefinition, { AsyncBatchAnnotateImages: async () => ({ name: 'jobs/x/operations/1', done: false }) }),
  ];
  let host: GrpcHost;
  let server: http.Server;
  let visionServer: http.Server;
  const transports = {} as Record<'grpc' | 'rest' | 'visionRest', Transport>;

  before(async () => {
    host = createGrpcHost([...impls, ...vision]);
    const port = await host.listen('127.0.0.1', 0);
    // No schema and no bindings: the registered rows, and Operations on the served APIs' routes.
    const rest = createRestHandler(impls);
    server = http.createServer((req, res) => {
      requests.push(`${req.method} ${req.url}`);
      void rest.handle(req, res);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    transports.grpc = createGrpcTransport({ endpoint: `127.0.0.1:${port}`, definitions: [JobsDefinition] });
    transports.rest = createRestTransport({ baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}` });
    const visionRest = createRestHandler(vision);
    visionServer = http.createServer((req, res) => void visionRest.handle(req, res));
    await new Promise<void>((resolve) => visionServer.listen(0, '127.0.0.1', resolve));
    transports.visionRest = createRestTransport({ baseUrl: `http://127.0.0.1:${(visionServer.address() as AddressInfo).port}` });
  });
  after(async () => {
    for (const t of Object.values(transports)) t.close();
    await host.close(100);
    for (const s of [server, visionServer]) {
      s.closeAllConnections();
      await new Promise((resolve) => s.close(resolve));
    }
  });

  it("the generated descriptor carries the service config's routes (operations.proto's rule where it says nothing)", () => {
    assert.deepEqual(Jobs.operationRoutes, {
      get: [{ method: 'GET', path: '/v1/operations/{name=**}' }],
      cancel: [{ method: 'POST', path: '/v1/operations/{name=**}:cancel', body: '*' }],
      delete: [{ method: 'DELETE', path: '/v1/{name=operations/**}' }],
    });
    assert.deepEqual(descriptorOf(createClient(Jobs, transports.rest).startJob).routes, Jobs.operationRoutes);
    assert.deepEqual(
      ImageAnnotator.operationRoutes?.get.map((b) => b.path),
      [
        '/v1/{name=projects/*/operations/*}',
        '/v1/{name=projects/*/locations/*/operations/*}',
        '/v1/{name=operations/*}',
        '/v1/{name=locations/*/operations/*}',
      ],
      "Vision's routes come from its service config the same way",
    );
  });

  it('a REST handler with no options serves GetOperation on those routes (the proto rule of the same shape gives way)', async () => {
    const from = requests.length;
    const started = (await createClient(Jobs, transports.grpc).startJob({ title: 'probe', steps: 1 })) as Lro<JobResult, JobProgress>;
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const answer = await fetch(`${base}/v1/operations/${started.name}`);
    assert.equal(answer.status, 200, await answer.clone().text());
    assert.deepEqual(((await answer.json()) as { name: string; done: boolean }).name, started.name);
    assert.ok(requests.slice(from).includes(`GET /v1/operations/${started.name}`));
  });

  for (const kind of ['rest', 'grpc'] as const) {
    it(`over ${kind}: waits through the API's routes with no routes option, sees progress, gets the typed result`, async () => {
      const jobs = createClient(Jobs, transports[kind], { lro: { schedule: FAST } });
      const from = requests.length;
      const job: Lro<JobResult, JobProgress> = await jobs.startJob({ title: 'report', steps: 3 });
      assert.match(job.name, /^\d+$/);
      const seen: number[] = [];
      const result: JobResult | undefined = await job.wait({ onProgress: (m) => seen.push(m.percent) });
      assert.deepEqual(result, { title: 'report', stepsDone: 3 });
      assert.deepEqual(seen, [0, 33, 67, 100]);
      const polls = requests.slice(from).filter((r) => r.startsWith('GET '));
      assert.deepEqual(polls, kind === 'rest' ? Array(3).fill(`GET /v1/operations/${job.name}`) : []);
    });
  }

  it('a failed job rejects with LroOperationError and typed details; cancel goes to the API route', async () => {
    const jobs = createClient(Jobs, transports.rest, { lro: { schedule: FAST } });
    const broken = await jobs.startJob({ title: 'broken', steps: 1 });
    const err = await broken.wait().catch((e: unknown) => e);
    assert.ok(err instanceof LroOperationError, String(err));
    assert.equal(err.code, Code.FAILED_PRECONDITION);
    assert.deepEqual(err.details, [
      { type: 'google.rpc.ErrorInfo', value: { reason: 'JOB_BROKEN', domain: 'testing.visionkit.dev', metadata: {} } },
    ]);

    const long = await jobs.startJob({ title: 'long', steps: 100 });
    const from = requests.length;
    await long.cancel();
    assert.deepEqual(requests.slice(from), [`POST /v1/operations/${long.name}:cancel`]);
    const cancelled = await long.wait().catch((e: unknown) => e);
    assert.ok(cancelled instanceof LroOperationError && cancelled.cancelled, String(cancelled));
    // DeleteOperation keeps operations.proto's rule, which a bare number does not fit: refused before any I/O.
    const before = requests.length;
    const del = await long.delete().catch((e: unknown) => e);
    assert.ok(del instanceof LroRequestError && del.cause instanceof LroRoutingError, String(del));
    assert.equal(requests.length, before);
  });

  it('a saved handle resumes through a poller made with no routes: the descriptor brings them', async () => {
    const jobs = createClient(Jobs, transports.rest);
    const saved = JSON.parse(JSON.stringify(await jobs.startJob({ title: 'later', steps: 2 })));
    const from = requests.length;
    const poller = createPoller({ transport: createOperationsTransport(transports.rest), schedule: FAST });
    const again: Lro<JobResult, JobProgress> = poller.resume(descriptorOf(jobs.startJob), saved);
    assert.deepEqual(await again.wait(), { title: 'later', stepsDone: 2 });
    assert.ok(
      requests.slice(from).every((r) => r === `GET /v1/operations/${again.name}`),
      requests.slice(from).join(', '),
    );
    // A routes option still wins over the API's own.
    const custom = createPoller({
      transport: createOperationsTransport(transports.rest, { routes: { get: [{ method: 'GET', path: '/v9/{name=**}' }] } }),
      schedule: FAST,
    });
    const elsewhere = await custom
      .resume(descriptorOf(jobs.startJob), saved)
      .wait()
      .catch((e: unknown) => e);
    assert.ok(elsewhere instanceof VisionError && /GET \/v9\//.test(elsewhere.message), String(elsewhere));
  });

  it('an operation whose name no route covers is refused when the start call returns over REST, naming it and the routes', async () => {
    const images = createClient(ImageAnnotator, transports.visionRest);
    const err = await images.asyncBatchAnnotateImages({ requests: [] }).catch((e: unknown) => e);
    assert.ok(err instanceof LroRoutingError, String(err));
    assert.equal(err.operationName, 'jobs/x/operations/1');
    assert.equal(err.rpc, 'GetOperation');
    assert.deepEqual(err.templates, [
      'GET /v1/{name=projects/*/operations/*}',
      'GET /v1/{name=projects/*/locations/*/operations/*}',
      'GET /v1/{name=operations/*}',
      'GET /v1/{name=locations/*/operations/*}',
    ]);
    assert.match(err.message, /operation name "jobs\/x\/operations\/1" matches no REST route of GetOperation/);
    // gRPC needs no route: the same start gives a handle.
    const handle = await createClient(ImageAnnotator, transports.grpc).asyncBatchAnnotateImages({ requests: [] });
    assert.equal(handle.name, 'jobs/x/operations/1');
  });
});
