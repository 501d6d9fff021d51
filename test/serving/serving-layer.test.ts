// The generic serving layer (src/emulator/rpc) hosting a test-only service
// (visionkit.testing.v1.Things) on both transports: the same handlers over
// gRPC and REST, interceptors, error mapping (details, INTERNAL for bugs,
// UNIMPLEMENTED for missing handlers), call context and cancellation.
import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as grpc from '@grpc/grpc-js';
import { Code, VisionError } from 'vision-kit';
import { errorFromStatusBytes, registerSchema } from 'vision-kit/codec';
import { Empty } from 'vision-kit/gen/google/protobuf/empty.js';
import { type CallContext, createGrpcHost, createRestHandler, defineService, type GrpcHost, type Interceptor } from 'vision-kit/serving';
import { transcodeRequest } from 'vision-kit/transcoding';
import { invalidArgument } from '../../tools/src/emulator/errors.js';
import { ENUMS, MESSAGES } from '../gen/schema/messages.js';
import { SERVICES as TEST_SERVICES } from '../gen/schema/services.js';
import { DeleteThingRequest, GetThingRequest, Thing, ThingsDefinition } from '../gen/vision_kit/testing/v1/things.js';

registerSchema({ messages: MESSAGES, enums: ENUMS });

describe('Serving layer (ServiceImpl over gRPC and REST)', () => {
  const seen: { method: string; transport: string; header: string | undefined }[] = [];
  let aborted = 0;
  const impl = defineService(ThingsDefinition, {
    async GetThing(req, ctx: CallContext) {
      seen.push({ method: 'GetThing', transport: ctx.transport, header: ctx.headers['x-test'] });
      if (req.name === 'things/bad') throw invalidArgument('name', 'is bad');
      if (req.name === 'things/bug') throw new TypeError('oops');
      if (req.name === 'things/slow') {
        await new Promise<void>((resolve) =>
          ctx.signal.addEventListener(
            'abort',
            () => {
              aborted++;
              resolve();
            },
            { once: true },
          ),
        );
        throw new VisionError(Code.CANCELLED, 'gone');
      }
      return { name: req.name, displayName: `thing ${req.name}`, revision: '7' };
    },
    async CheckBlob(req, ctx: CallContext) {
      seen.push({ method: `CheckBlob ${req.name} ${req.etag}`, transport: ctx.transport, header: ctx.headers['x-test'] });
      if (req.name === 'blobs/missing') throw new VisionError(Code.NOT_FOUND, `${req.name} does not exist`);
      return {};
    },
  });
  const interceptor: Interceptor = async (call, next) => {
    if (call.ctx.headers['x-refuse'] === 'yes') throw new VisionError(Code.PERMISSION_DENIED, `refused ${call.method}`);
    return next();
  };
  let host: GrpcHost;
  let server: http.Server;
  let grpcPort = 0;
  let base = '';
  let client: grpc.Client;
  const bugs: string[] = [];
  const logUnexpected = (err: unknown, where: string): void => void bugs.push(`${where}: ${String(err)}`);

  before(async () => {
    host = createGrpcHost([impl], { interceptors: [interceptor], logUnexpected });
    grpcPort = await host.listen('127.0.0.1', 0);
    const rest = createRestHandler([impl], { interceptors: [interceptor], schema: TEST_SERVICES, logUnexpected });
    server = http.createServer((req, res) => void rest.handle(req, res));
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    client = new grpc.Client(`127.0.0.1:${grpcPort}`, grpc.credentials.createInsecure());
  });
  after(async () => {
    client.close();
    await host.close(100);
    server.closeAllConnections();
    await new Promise((r) => server.close(r));
  });

  function grpcCall<Req, Res>(
    method: string,
    req: { encode(m: Req): { finish(): Uint8Array }; fromPartial(o: never): Req },
    res: { decode(b: Uint8Array): Res },
    message: object,
    md = new grpc.Metadata(),
    opts: grpc.CallOptions = {},
  ): Promise<Res> {
    return new Promise((resolve, reject) =>
      client.makeUnaryRequest(
        `/visionkit.testing.v1.Things/${method}`,
        (m: Req) => Buffer.from(req.encode(m).finish()),
        (b: Buffer) => res.decode(b),
        req.fromPartial(message as never),
        md,
        opts,
        (e, v) => (e ? reject(e) : resolve(v as Res)),
      ),
    );
  }

  it('serves the same handler over both transports with full response messages', async () => {
    const md = new grpc.Metadata();
    md.set('x-test', 'g');
    const viaGrpc = await grpcCall('GetThing', GetThingRequest, Thing, { name: 'things/a' }, md);
    const res = await fetch(`${base}/v1/things/a`, { headers: { 'x-test': 'r' } });
    const viaRest = (await res.json()) as { name: string; displayName: string; revision: string };
    assert.equal(viaGrpc.displayName, 'thing things/a');
    assert.deepEqual(viaRest, { name: 'things/a', displayName: 'thing things/a', revision: '7' });
    assert.deepEqual(seen.slice(-2), [
      { method: 'GetThing', transport: 'grpc', header: 'g' },
      { method: 'GetThing', transport: 'rest', header: 'r' },
    ]);
  });

  it('routes a custom binding (CheckBlob: HEAD, A5.6) built by the client transcoder, answering without a body', async () => {
    const row = TEST_SERVICES['visionkit.testing.v1.Things']!.find((m) => m.name === 'CheckBlob')!;
    const t = transcodeRequest(row, { name: 'blobs/a/b c', etag: 'e1' });
    assert.equal(t.method, 'HEAD');
    const res = await fetch(`${base}${t.path}?${t.query}`, { method: t.method, headers: { 'x-test': 'h' } });
    assert.equal(res.status, 200);
    assert.equal(await res.text(), '');
    assert.deepEqual(seen.at(-1), { method: 'CheckBlob blobs/a/b c e1', transport: 'rest', header: 'h' });
    const missing = transcodeRequest(row, { name: 'blobs/missing' });
    assert.equal((await fetch(`${base}${missing.path}`, { method: missing.method })).status, 404);
    const other = await fetch(`${base}/v1/blobs/a`, { method: 'PUT' });
    assert.equal(other.status, 405);
    assert.equal(other.headers.get('allow'), 'GET, HEAD');
  });

  it('sends VisionErrors with their details: grpc-status-details-bin and Google JSON', async () => {
    const e = (await grpcCall('GetThing', GetThingRequest, Thing, { name: 'things/bad' }).catch((x: unknown) => x)) as grpc.ServiceError;
    assert.equal(e.code, grpc.status.INVALID_ARGUMENT);
    const decoded = errorFromStatusBytes(e.metadata.get('grpc-status-details-bin')[0] as Buffer);
    assert.equal(decoded.rawMessage, 'name: is bad');
    assert.equal(decoded.details[0]?.type, 'google.rpc.BadRequest');
    const res = await fetch(`${base}/v1/things/bad`);
    assert.equal(res.status, 400);
    const body = (await res.json()) as { error: { status: string; message: string; details: { '@type': string }[] } };
    assert.equal(body.error.status, 'INVALID_ARGUMENT');
    assert.equal(body.error.details[0]?.['@type'], 'type.googleapis.com/google.rpc.BadRequest');
  });

  it('turns a handler bug into INTERNAL and keeps serving', async () => {
    const e = (await grpcCall('GetThing', GetThingRequest, Thing, { name: 'things/bug' }).catch((x: unknown) => x)) as grpc.ServiceError;
    assert.equal(e.code, grpc.status.INTERNAL);
    assert.match(e.details, /oops/);
    assert.equal((await fetch(`${base}/v1/things/bug`)).status, 500);
    assert.equal((await fetch(`${base}/v1/things/ok`)).status, 200);
    assert.deepEqual(bugs, [
      'visionkit.testing.v1.Things/GetThing: TypeError: oops',
      'visionkit.testing.v1.Things/GetThing: TypeError: oops',
    ]);
  });

  it('answers UNIMPLEMENTED for methods without a handler, on both transports', async () => {
    const e = (await grpcCall('DeleteThing', DeleteThingRequest, Empty, { name: 'shelves/s/things/t' }).catch(
      (x: unknown) => x,
    )) as grpc.ServiceError;
    assert.equal(e.code, grpc.status.UNIMPLEMENTED);
    const res = await fetch(`${base}/v1/shelves/s/things/t`, { method: 'DELETE' });
    assert.equal(res.status, 501);
  });

  it('runs interceptors on both transports', async () => {
    const md = new grpc.Metadata();
    md.set('x-refuse', 'yes');
    const e = (await grpcCall('GetThing', GetThingRequest, Thing, { name: 'things/a' }, md).catch((x: unknown) => x)) as grpc.ServiceError;
    assert.equal(e.code, grpc.status.PERMISSION_DENIED);
    const res = await fetch(`${base}/v1/things/a`, { headers: { 'x-refuse': 'yes' } });
    assert.equal(res.status, 403);
  });

  it('aborts the handler signal when the client gives up (deadline, closed connection)', async () => {
    const before = aborted;
    const e = (await grpcCall('GetThing', GetThingRequest, Thing, { name: 'things/slow' }, new grpc.Metadata(), {
      deadline: Date.now() + 100,
    }).catch((x: unknown) => x)) as grpc.ServiceError;
    assert.equal(e.code, grpc.status.DEADLINE_EXCEEDED);
    await assert.rejects(fetch(`${base}/v1/things/slow`, { signal: AbortSignal.timeout(100) }));
    const end = Date.now() + 2000;
    while (aborted < before + 2 && Date.now() < end) await new Promise((r) => setTimeout(r, 10));
    assert.equal(aborted, before + 2);
  });
});
