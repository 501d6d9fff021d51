// Genericity over both wires: a service of our own (the test-only
// visionkit.testing.v1.Things, generated into test/gen/ by the same pipeline)
// served by the emulator's serving layer on a real gRPC server and a real
// HTTP gateway on 127.0.0.1, called through createClient / createRawClient
// with nothing written by hand for it: the gRPC transport gets its ts-proto
// definition (`definitions`), the descriptor comes from its services table
// (`serviceDescriptor(fullName, tables)`), which also registers its messages.
import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  Code,
  createClient,
  createGrpcTransport,
  createOperationsTransport,
  createPoller,
  createRawClient,
  createRestTransport,
  descriptorOf,
  type Lro,
  LroOperationError,
  serviceDescriptor,
  type Transport,
  VisionError,
} from 'vision-kit';
import { type Operation, OperationsDefinition } from 'vision-kit/gen/google/longrunning/operations.js';
import { SERVICES as VISION_SERVICES } from 'vision-kit/gen/schema/services.js';
import { createGrpcHost, createRestHandler, defineService, type GrpcHost } from 'vision-kit/serving';
import { servedBindings } from 'vision-kit/transcoding';
import { ENUMS, MESSAGES } from '../gen/schema/messages.js';
import type { OperationTypes as ThingTypes } from '../gen/schema/operations.js';
import { SERVICES as THING_SERVICES } from '../gen/schema/services.js';
import { type RunThingMetadata, type RunThingResponse, ThingsDefinition } from '../gen/vision_kit/testing/v1/things.js';
import { any } from './support/messages.js';

const THINGS = 'visionkit.testing.v1.Things';
const FAST = { initialDelay: 1, multiplier: 1, maxDelay: 1, jitter: 0 };

/** The public way: a descriptor from the generated tables (messages registered), typed by the generated types. */
const Things = serviceDescriptor<typeof ThingsDefinition, ThingTypes>(THINGS, {
  services: THING_SERVICES,
  messages: MESSAGES,
  enums: ENUMS,
});

/**
 * RunThing's operations: each GetOperation moves a run one step on; after
 * `steps` steps it is done (an error for `things/broken`).
 */
class Runs {
  private next = 0;
  private readonly runs = new Map<string, { thing: string; steps: number; done: number }>();
  readonly calls: string[] = [];

  start(thing: string, steps: number): Partial<Operation> {
    const name = `operations/run-${++this.next}`;
    this.runs.set(name, { thing, steps, done: 0 });
    return this.view(name);
  }

  get(name: string): Partial<Operation> {
    const run = this.runs.get(name);
    if (run === undefined) throw new VisionError(Code.NOT_FOUND, `Operation ${name} not found.`);
    run.done = Math.min(run.steps, run.done + 1);
    return this.view(name);
  }

  private view(name: string): Partial<Operation> {
    const run = this.runs.get(name)!;
    const metadata = any('visionkit.testing.v1.RunThingMetadata', {
      progressPercent: Math.round((100 * run.done) / run.steps),
      startTime: { seconds: '1700000000', nanos: 500 },
      state: run.done === run.steps ? 2 : 1,
    });
    if (run.done < run.steps) return { name, done: false, metadata };
    if (run.thing === 'things/broken') {
      return {
        name,
        done: true,
        metadata,
        error: {
          code: Code.FAILED_PRECONDITION,
          message: 'the thing broke at the last step',
          details: [
            any('google.rpc.ErrorInfo', { reason: 'THING_BROKEN', domain: 'testing.visionkit.dev', metadata: { step: String(run.steps) } }),
          ],
        },
      };
    }
    const log = Array.from({ length: run.steps }, (_, i) => `step ${i + 1}`);
    return {
      name,
      done: true,
      metadata,
      response: any('visionkit.testing.v1.RunThingResponse', { name: run.thing, stepsDone: run.steps, log }),
    };
  }
}

describe('lro genericity over both wires: a service of our own on real gRPC and HTTP servers (127.0.0.1)', () => {
  const runs = new Runs();
  const impls = [
    defineService(ThingsDefinition, {
      async RunThing(req, ctx) {
        runs.calls.push(`${ctx.transport} RunThing ${req.name}`);
        return runs.start(req.name, req.steps);
      },
    }),
    defineService(OperationsDefinition, {
      async GetOperation(req, ctx) {
        runs.calls.push(`${ctx.transport} GetOperation ${req.name}`);
        return runs.get(req.name);
      },
    }),
  ];
  let host: GrpcHost;
  let server: http.Server;
  const transports = {} as Record<'grpc' | 'rest', Transport>;
  let grpcAddress = '';

  before(async () => {
    host = createGrpcHost(impls);
    const port = await host.listen('127.0.0.1', 0);
    const rest = createRestHandler(impls, { schema: { ...VISION_SERVICES, ...THING_SERVICES }, bindings: servedBindings });
    server = http.createServer((req, res) => void rest.handle(req, res));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    grpcAddress = `127.0.0.1:${port}`;
    transports.grpc = createGrpcTransport({ endpoint: grpcAddress, definitions: [ThingsDefinition] });
    transports.rest = createRestTransport({ baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}` });
  });
  after(async () => {
    for (const t of Object.values(transports)) t.close();
    await host.close(100);
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  const outcomes: Record<string, unknown> = {};
  for (const kind of ['grpc', 'rest'] as const) {
    describe(`over ${kind}`, () => {
      it('RunThing through createClient gives a typed handle; wait() resolves with the typed response, progress decoded', async () => {
        const things = createClient(Things, transports[kind], { lro: { schedule: FAST } });
        const run: Lro<RunThingResponse, RunThingMetadata> = await things.runThing({ name: 'things/t1', steps: 3 });
        assert.match(run.name, /^operations\/run-\d+$/);
        assert.equal(run.method, `${THINGS}/RunThing`);
        const started: RunThingMetadata | undefined = run.metadata;
        assert.deepEqual(
          started,
          { progressPercent: 0, startTime: { seconds: '1700000000', nanos: 500 }, state: 1 },
          'the start response metadata, decoded',
        );
        const seen: RunThingMetadata[] = [];
        const value: RunThingResponse | undefined = await run.wait({ onProgress: (m) => seen.push(m) });
        assert.deepEqual(value, { name: 'things/t1', stepsDone: 3, log: ['step 1', 'step 2', 'step 3'] });
        assert.deepEqual(
          seen.map((m) => [m.progressPercent, m.state]),
          [
            [0, 1],
            [33, 1],
            [67, 1],
            [100, 2],
          ],
        );
        assert.deepEqual(seen[1]?.startTime, { seconds: '1700000000', nanos: 500 }, 'a Timestamp in ts-proto shape');
        const polls = runs.calls.filter((c) => c === `${kind} GetOperation ${run.name}`);
        assert.equal(polls.length, 3, `three polls over ${kind}: ${runs.calls.join(', ')}`);
        outcomes[`${kind} ok`] = { value, seen };
      });

      it('an operation that ends in error rejects with LroOperationError and typed details', async () => {
        const things = createClient(Things, transports[kind], { lro: { schedule: FAST } });
        const run = await things.runThing({ name: 'things/broken', steps: 2 });
        const err = await run.wait().catch((e: unknown) => e);
        assert.ok(err instanceof LroOperationError, String(err));
        assert.equal(err.code, Code.FAILED_PRECONDITION);
        assert.equal(err.rawMessage, 'the thing broke at the last step');
        assert.equal(err.operationName, run.name);
        assert.deepEqual(err.details, [
          { type: 'google.rpc.ErrorInfo', value: { reason: 'THING_BROKEN', domain: 'testing.visionkit.dev', metadata: { step: '2' } } },
        ]);
        assert.equal(err.cancelled, false);
        outcomes[`${kind} error`] = { code: err.code, message: err.message, details: err.details };
      });

      it('createRawClient gives the raw Operation; a saved handle resumes through a poller of its own', async () => {
        const raw = createRawClient(Things, transports[kind]);
        const op: Operation = await raw.runThing({ name: 'things/t2', steps: 1 });
        assert.equal(op.done, false);
        assert.equal(op.metadata?.typeUrl, 'type.googleapis.com/visionkit.testing.v1.RunThingMetadata');

        const things = createClient(Things, transports[kind]);
        const saved = JSON.parse(JSON.stringify((await things.runThing({ name: 'things/t3', steps: 2 })).toJSON()));
        const poller = createPoller({ transport: createOperationsTransport(transports[kind]), schedule: FAST });
        const again: Lro<RunThingResponse, RunThingMetadata> = poller.resume(descriptorOf(things.runThing), saved);
        assert.deepEqual(await again.wait(), { name: 'things/t3', stepsDone: 2, log: ['step 1', 'step 2'] });
      });
    });
  }

  // A suite of its own: mocha runs a suite's tests before its child suites.
  describe('compared', () => {
    it('both wires give deep-equal results (rule 19)', () => {
      assert.ok(outcomes['grpc ok'] !== undefined && outcomes['grpc error'] !== undefined);
      assert.deepStrictEqual(outcomes['rest ok'], outcomes['grpc ok']);
      assert.deepStrictEqual(outcomes['rest error'], outcomes['grpc error']);
    });
  });

  it('without `definitions`, the gRPC transport refuses the method before any I/O, saying what to pass', async () => {
    const bare = createGrpcTransport({ endpoint: '127.0.0.1:1' });
    try {
      const before = runs.calls.length;
      const err = await createRawClient(Things, bare)
        .runThing({ name: 'things/t4' })
        .catch((e: unknown) => e);
      assert.ok(err instanceof VisionError && err.code === Code.UNIMPLEMENTED, String(err));
      assert.match(err.message, /no gRPC definition for visionkit\.testing\.v1\.Things\.RunThing.*definitions: \[ThingsDefinition\]/);
      assert.equal(runs.calls.length, before);
    } finally {
      bare.close();
    }
  });

  it("a definition from another generator encodes with its own writer (ts-proto 1's encode calls protobufjs's ldelim())", async () => {
    // What a user's older generated code does with a writer it did not make: only its own writer type works.
    const runThing = ThingsDefinition.methods.runThing;
    const foreign = {
      ...ThingsDefinition,
      methods: {
        ...ThingsDefinition.methods,
        runThing: {
          ...runThing,
          requestType: {
            ...runThing.requestType,
            encode(message: Parameters<typeof runThing.requestType.encode>[0], into?: unknown) {
              if (into !== undefined) (into as { ldelim(): void }).ldelim();
              return runThing.requestType.encode(message);
            },
          },
        },
      },
    } as typeof ThingsDefinition;
    const t = createGrpcTransport({ endpoint: grpcAddress, definitions: [foreign] });
    try {
      const op = await createRawClient(Things, t).runThing({ name: 'things/foreign', steps: 1 });
      assert.match(op.name, /^operations\//);
    } finally {
      t.close();
    }
  });

  it('serviceDescriptor refuses a service the table does not have', () => {
    assert.throws(
      () => serviceDescriptor('visionkit.testing.v1.Nope', { services: THING_SERVICES }),
      (e) => e instanceof VisionError && e.code === Code.NOT_FOUND && /Nope/.test(e.message),
    );
    assert.equal(
      serviceDescriptor(THINGS, { services: THING_SERVICES }).methods,
      THING_SERVICES[THINGS],
      'tables already registered may be left out',
    );
  });
});
