/**
 * A server that cannot be reached fails a call within seconds, naming the
 * endpoint, on every transport; a server that was reached keeps the call's
 * deadline; the poller keeps polling through connection failures within
 * its wait's deadline.
 */
import assert from 'node:assert/strict';
import {
  Code,
  ConnectionError,
  createGrpcTransport,
  createOperationsTransport,
  createPoller,
  createRestTransport,
  createTransport,
  DEFAULT_CONNECT_RETRY_MS,
  type Transport,
  VISION_OPERATIONS,
  VisionError,
} from 'vision-kit';
import { packAny } from 'vision-kit/codec';
import type { MemoryHandlers } from 'vision-kit/testing';
import { expectedAnswer, failure, methodRef } from './support/behaviour-suite.js';
import { FIXTURE_HANDLERS, REQUESTS } from './support/fixture-service.js';
import { closedPort, type Listening, startGrpcOn, startRestOn } from './support/network-fixtures.js';

const PS = 'google.cloud.vision.v1p4beta1.ProductSearch';
const GET = methodRef(PS, 'GetProduct');
const CREATE = methodRef(PS, 'CreateProduct');
const getRequest = REQUESTS[PS]!.GetProduct!;
const createRequest = REQUESTS[PS]!.CreateProduct!;

interface Way {
  readonly label: string;
  readonly make: (port: number, options?: { connectRetryMs?: number }) => Transport;
  readonly shown: (port: number) => string;
  readonly start: (port: number, handlers: MemoryHandlers) => Promise<Listening>;
}

const WAYS: Way[] = [
  {
    label: 'gRPC',
    make: (port, o) => createGrpcTransport({ endpoint: `127.0.0.1:${port}`, ...o }),
    shown: (port) => `127.0.0.1:${port}`,
    start: startGrpcOn,
  },
  {
    label: 'REST',
    make: (port, o) => createRestTransport({ baseUrl: `http://127.0.0.1:${port}`, ...o }),
    shown: (port) => `http://127.0.0.1:${port}`,
    start: startRestOn,
  },
  {
    label: 'createTransport() from VISION_EMULATOR_HOST',
    make: (port, o) => createTransport({ env: { VISION_EMULATOR_HOST: `127.0.0.1:${port}` }, ...o }),
    shown: (port) => `127.0.0.1:${port}`,
    start: startGrpcOn,
  },
];

describe('transport: fail fast when the server cannot be reached', function () {
  this.timeout(30_000);

  for (const way of WAYS) {
    describe(way.label, () => {
      it('a closed port on 127.0.0.1: UNAVAILABLE in under 10 s with default options, naming the endpoint and the emulator', async () => {
        const port = await closedPort();
        const transport = way.make(port);
        try {
          const { error, ms } = await failure(transport.unary(GET, getRequest));
          assert.ok(error instanceof ConnectionError, String(error));
          assert.equal(error.code, Code.UNAVAILABLE);
          assert.equal(error.failure, 'refused');
          assert.equal(error.endpoint, way.shown(port));
          assert.ok(error.message.includes(`cannot reach ${way.shown(port)}`), error.message);
          assert.match(error.message, /npx vision-kit emulator/);
          assert.match(error.message, /gave up after \d+\.\d s, \d+ attempts/);
          assert.ok(ms < 10_000, `${Math.round(ms)} ms`);
          assert.ok(ms >= DEFAULT_CONNECT_RETRY_MS - 100, `retried for the budget first (${Math.round(ms)} ms)`);
        } finally {
          transport.close();
        }
      });

      it('a server that comes up within the budget gets the call, idempotent or not (the request never left)', async () => {
        const port = await closedPort();
        const transport = way.make(port);
        const later = new Promise<{ close(): Promise<void> }>((resolve, reject) => {
          setTimeout(() => way.start(port, FIXTURE_HANDLERS).then(resolve, reject), 700);
        });
        try {
          const [got, created] = await Promise.all([transport.unary(GET, getRequest), transport.unary(CREATE, createRequest)]);
          assert.deepEqual(got, await expectedAnswer(GET, getRequest));
          assert.deepEqual(created, await expectedAnswer(CREATE, createRequest));
        } finally {
          transport.close();
          await (await later).close();
        }
      });

      it('connectRetryMs: 0 fails at the first refusal; retry: false too', async () => {
        // Two ports: transports to one gRPC target share grpc-js's connection (and its backoff).
        const transport = way.make(await closedPort(), { connectRetryMs: 0 });
        const plain = way.make(await closedPort());
        try {
          const a = await failure(transport.unary(GET, getRequest));
          assert.ok(a.error instanceof ConnectionError && a.error.failure === 'refused', String(a.error));
          assert.doesNotMatch(a.error.message, /gave up after/);
          assert.ok(a.ms < 1000, `${Math.round(a.ms)} ms`);
          const b = await failure(plain.unary(GET, getRequest, { retry: false }));
          assert.ok(b.error instanceof ConnectionError && b.error.failure === 'refused', String(b.error));
          assert.ok(b.ms < 1000, `${Math.round(b.ms)} ms`);
        } finally {
          transport.close();
          plain.close();
        }
      });

      it('a call that reached the server keeps its deadline: server UNAVAILABLE answers are retried past the budget', async () => {
        const t0 = Date.now();
        let calls = 0;
        const handlers: MemoryHandlers = {
          [PS]: {
            GetProduct: (r, context) => {
              calls++;
              if (Date.now() - t0 < DEFAULT_CONNECT_RETRY_MS + 700) throw new VisionError(Code.UNAVAILABLE, 'warming up');
              return FIXTURE_HANDLERS[PS]!.GetProduct!(r, context);
            },
          },
        };
        const server = await way.start(0, handlers);
        const transport = way.make(server.port);
        try {
          const got = await transport.unary(GET, getRequest, { retry: { initialBackoffMs: 100, multiplier: 1, maxBackoffMs: 200 } });
          assert.deepEqual(got, await expectedAnswer(GET, getRequest));
          assert.ok(Date.now() - t0 > DEFAULT_CONNECT_RETRY_MS, 'past the connection budget');
          assert.ok(calls > 2, `${calls} calls`);
        } finally {
          transport.close();
          await server.close();
        }
      });
    });
  }

  it('a name that does not resolve is a `dns` failure naming the endpoint, without the emulator hint (gRPC)', async () => {
    // The test setup answers every lookup off loopback with ENOTFOUND: nothing leaves the machine.
    const transport = createGrpcTransport({ endpoint: 'no-such-host.test:443', apiKey: 'k', connectRetryMs: 300 });
    try {
      const { error, ms } = await failure(transport.unary(GET, getRequest));
      assert.ok(error instanceof ConnectionError, String(error));
      assert.equal(error.failure, 'dns');
      assert.match(error.message, /cannot reach no-such-host\.test:443 over gRPC: its name does not resolve/);
      assert.doesNotMatch(error.message, /emulator/);
      assert.ok(ms < 5000, `${Math.round(ms)} ms`);
    } finally {
      transport.close();
    }
  });

  it('the poller keeps polling through connection failures within its wait (its own schedule, not the budget)', async () => {
    const port = await closedPort();
    const descriptor = VISION_OPERATIONS['google.cloud.vision.v1p4beta1.ImageAnnotator/AsyncBatchAnnotateImages']!;
    let polls = 0;
    const handlers: MemoryHandlers = {
      'google.longrunning.Operations': {
        GetOperation: (r) => {
          polls++;
          return {
            name: (r as { name: string }).name,
            done: true,
            response: packAny('google.cloud.vision.v1p4beta1.AsyncBatchAnnotateImagesResponse', {
              outputConfig: { gcsDestination: { uri: 'gs://out/' }, batchSize: 0 },
            }),
          };
        },
      },
    };
    const transport = createGrpcTransport({ endpoint: `127.0.0.1:${port}`, connectRetryMs: 0 });
    const poller = createPoller({ transport: createOperationsTransport(transport) });
    // Unreachable for longer than the connection budget and than a few polls: the poller must not give up.
    const later = new Promise<{ close(): Promise<void> }>((resolve, reject) => {
      setTimeout(() => startGrpcOn(port, handlers).then(resolve, reject), DEFAULT_CONNECT_RETRY_MS + 500);
    });
    try {
      const lro = poller.resume(descriptor, 'operations/late', {
        schedule: { initialDelay: 300, multiplier: 1, maxDelay: 300, jitter: 0, maxConsecutiveFailures: 1000 },
      });
      const result = await lro.wait({ timeout: 20_000 });
      assert.equal(result?.outputConfig?.gcsDestination?.uri, 'gs://out/');
      assert.equal(polls, 1, 'one poll reached the server: the ones before could not connect');
    } finally {
      transport.close();
      await (await later).close();
    }
  });
});
