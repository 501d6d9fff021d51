import assert from 'node:assert/strict';
import { Code, type Lro, LroDecodeError, LroOperationError } from 'vision-kit';
import { packAny } from 'vision-kit/codec';
import type { AsyncBatchAnnotateImagesResponse, OperationMetadata } from 'vision-kit/gen/google/cloud/vision/v1p4beta1/image_annotator.js';
import { A } from './support/fake-operations.js';
import { any, imagesResponse, opMetadata, T } from './support/messages.js';
import { D, rig, started } from './support/setup.js';

describe('lro lifecycle', () => {
  describe('rule 1: lazy', () => {
    it('creating or resuming 10,000 handles sends nothing and arms no timer', async () => {
      const { clock, ops, poller } = rig();
      const handles: Lro<unknown, unknown>[] = [];
      for (let i = 0; i < 5000; i++) handles.push(poller.fromOperation(D.images, started(`operations/a${i}`)));
      for (let i = 0; i < 5000; i++) handles.push(poller.resume(D.files, `operations/b${i}`));
      await clock.advance(3_600_000);
      assert.equal(ops.calls.length, 0);
      assert.equal(clock.pending, 0);
      assert.deepEqual(poller.stats(), { inFlight: 0, peakInFlight: 0, queued: 0, scheduled: 0, timerArmed: false, signals: 0 });
      assert.equal(handles.length, 10_000);
    });
  });

  describe('rule 2: first poll', () => {
    it('a start response with done:false is first polled after the first delay', async () => {
      const { clock, ops, poller } = rig();
      ops.script('operations/f1', A.done(imagesResponse('gs://b/out/')));
      const lro = poller.fromOperation(D.images, started('operations/f1'));
      await clock.advance(1000);
      assert.equal(ops.calls.length, 0, 'nobody waits yet');
      const r = await clock.run(lro.wait());
      assert.equal(r.ok, true);
      assert.deepEqual(
        ops.of('GetOperation').map((c) => c.at),
        [1000],
        'due since 500 ms: polled as soon as someone waits',
      );

      const second = poller.fromOperation(D.files, started('operations/f2'));
      ops.script('operations/f2', A.done(any(T.filesResponse)));
      const start = clock.now();
      await clock.run(second.wait());
      assert.deepEqual(
        ops.of('GetOperation', 'operations/f2').map((c) => c.at - start),
        [20_000],
        "files' first delay is 20 s",
      );
    });

    it('a handle resumed by name is polled at once', async () => {
      const { clock, ops, poller } = rig();
      ops.script('operations/r1', A.done(imagesResponse('gs://b/')));
      await clock.advance(5000);
      const lro = poller.resume(D.images, 'operations/r1');
      const r = await clock.run(lro.wait());
      assert.equal(r.ok, true);
      assert.deepEqual(
        ops.of('GetOperation').map((c) => c.at),
        [5000],
      );
    });

    it('an operation already done settles with zero calls', async () => {
      const { clock, ops, poller } = rig();
      const lro = poller.fromOperation(D.images, {
        name: 'operations/d',
        done: true,
        metadata: opMetadata(3),
        response: imagesResponse('gs://x/y/'),
        error: undefined,
      });
      assert.equal(lro.done, true);
      const value = await lro.wait();
      assert.equal(value?.outputConfig?.gcsDestination?.uri, 'gs://x/y/');
      assert.equal(ops.calls.length, 0);
      assert.equal(clock.pending, 0);
    });
  });

  describe('rule 7: success', () => {
    it('decodes the response with the method type (typed)', async () => {
      const { clock, ops, poller } = rig();
      ops.script('operations/ok', A.pending(opMetadata(2)), A.done(imagesResponse('gs://bucket/out/'), opMetadata(3)));
      const lro: Lro<AsyncBatchAnnotateImagesResponse, OperationMetadata> = poller.resume(D.images, 'operations/ok');
      const r = await clock.run(lro.wait());
      assert.ok(r.ok);
      assert.deepEqual(r.value, { outputConfig: { gcsDestination: { uri: 'gs://bucket/out/' }, batchSize: 20 } });
      assert.equal(lro.metadata?.state, 3);
    });

    it('a type URL of another type is a decode error naming both types', async () => {
      const { clock, ops, poller } = rig();
      ops.script('operations/wrong', A.done(any(T.importResponse)));
      const r = await clock.run(poller.resume(D.images, 'operations/wrong').wait());
      assert.ok(!r.ok);
      assert.ok(r.error instanceof LroDecodeError);
      assert.equal(r.error.code, Code.INTERNAL);
      assert.equal(r.error.part, 'response');
      assert.match(r.error.message, /AsyncBatchAnnotateImagesResponse/);
      assert.match(r.error.message, /ImportProductSetsResponse/);
      assert.equal(r.error.operationName, 'operations/wrong');
    });

    it('bytes that do not parse are a decode error, and Empty resolves to {}', async () => {
      const { clock, ops, poller } = rig();
      ops.script(
        'operations/garbled',
        A.done({ typeUrl: `type.googleapis.com/${T.imagesResponse}`, value: new Uint8Array([0x0a, 0xff, 0xff]) }),
      );
      const bad = await clock.run(poller.resume(D.images, 'operations/garbled').wait());
      assert.ok(!bad.ok && bad.error instanceof LroDecodeError);
      assert.match(bad.error.message, /cannot be decoded as google\.cloud\.vision\.v1p4beta1\.AsyncBatchAnnotateImagesResponse/);

      ops.script('projects/p/locations/us-west1/operations/purge', A.done(packAny(T.empty, {}), any(T.batchMetadata, { state: 2 })));
      const purge = await clock.run(poller.resume(D.purge, 'projects/p/locations/us-west1/operations/purge').wait());
      assert.ok(purge.ok);
      assert.deepEqual(purge.value, {});
    });
  });

  describe('rule 8: empty result', () => {
    it('done with neither response nor error resolves to undefined instead of hanging', async () => {
      const { clock, ops, poller } = rig();
      ops.script('operations/empty', A.pending(), { kind: 'op', done: true });
      const r = await clock.run(poller.resume(D.images, 'operations/empty').wait(), 60_000);
      assert.deepEqual(r.ok && r.value, undefined);
      assert.ok(r.ok);
      assert.equal(clock.pending, 0);
    });
  });

  describe('rule 9: failure', () => {
    it('done + error rejects with code, name, message and typed details (unknown kept raw)', async () => {
      const { clock, ops, poller } = rig();
      const details = [
        any('google.rpc.ErrorInfo', { reason: 'QUOTA', domain: 'vision.googleapis.com', metadata: { k: 'v' } }),
        any('google.rpc.RetryInfo', { retryDelay: { seconds: '3', nanos: 0 } }),
        any('google.rpc.BadRequest', { fieldViolations: [{ field: 'requests[0]', description: 'bad' }] }),
        { typeUrl: 'type.googleapis.com/example.Unknown', value: new Uint8Array([8, 1]) },
      ];
      ops.script('operations/err', A.failed({ code: Code.RESOURCE_EXHAUSTED, message: 'quota gone', details }));
      const r = await clock.run(poller.resume(D.images, 'operations/err').wait());
      assert.ok(!r.ok);
      const e = r.error;
      assert.ok(e instanceof LroOperationError);
      assert.equal(e.code, Code.RESOURCE_EXHAUSTED);
      assert.equal(e.codeName, 'RESOURCE_EXHAUSTED');
      assert.equal(e.rawMessage, 'quota gone');
      assert.equal(e.cancelled, false);
      assert.deepEqual(
        e.details.map((d) => d.type),
        ['google.rpc.ErrorInfo', 'google.rpc.RetryInfo', 'google.rpc.BadRequest', 'example.Unknown'],
      );
      assert.deepEqual(e.findDetail('google.rpc.ErrorInfo')?.value, {
        reason: 'QUOTA',
        domain: 'vision.googleapis.com',
        metadata: { k: 'v' },
      });
      assert.deepEqual(e.findDetail('google.rpc.RetryInfo')?.value, { retryDelay: { seconds: '3', nanos: 0 } });
      assert.deepEqual(e.findDetail('example.Unknown')?.bytes, new Uint8Array([8, 1]));
      assert.equal(e.operationName, 'operations/err');
    });

    it('error.code 1 is marked cancelled', async () => {
      const { clock, ops, poller } = rig();
      ops.script('operations/c', A.failed({ code: 1, message: 'Operation cancelled.', details: [] }));
      const r = await clock.run(poller.resume(D.images, 'operations/c').wait());
      assert.ok(!r.ok && r.error instanceof LroOperationError);
      assert.equal(r.error.cancelled, true);
      assert.equal(r.error.code, Code.CANCELLED);
    });
  });

  describe('rule 10: progress', () => {
    it('fires the callback only when the metadata changed', async () => {
      const { clock, ops, poller } = rig();
      ops.script(
        'operations/p',
        A.pending(opMetadata(1)),
        A.pending(opMetadata(1)),
        A.pending(opMetadata(2, 5)),
        A.pending(opMetadata(2, 5)),
        A.pending(opMetadata(2, 9)),
        A.done(imagesResponse('gs://o/'), opMetadata(3, 12)),
      );
      const seen: [number, string | undefined][] = [];
      const lro = poller.resume(D.images, 'operations/p');
      await clock.run(lro.wait({ onProgress: (m) => seen.push([m.state, m.updateTime?.seconds]) }));
      assert.equal(ops.calls.length, 6);
      assert.deepEqual(seen, [
        [1, '1700000000'],
        [2, '1700000005'],
        [2, '1700000009'],
        [3, '1700000012'],
      ]);
    });

    it('a metadata decode problem does not stop polling', async () => {
      const { clock, ops, poller } = rig();
      ops.script(
        'operations/md',
        A.pending(opMetadata(1)),
        A.pending(any(T.batchMetadata, { state: 2 })),
        A.pending({ typeUrl: `type.googleapis.com/${T.opMetadata}`, value: new Uint8Array([0xff]) }),
        A.pending(opMetadata(2)),
        A.done(imagesResponse('gs://o/')),
      );
      const lro = poller.resume(D.images, 'operations/md');
      const states: number[] = [];
      const errors: string[] = [];
      const wait = lro.wait({
        onProgress: (m) => {
          states.push(m.state);
        },
      });
      for (let i = 0; i < 40; i++) {
        await clock.advance(100);
        const e = lro.metadataError?.message;
        if (e !== undefined && e !== errors[errors.length - 1]) errors.push(e);
      }
      const r = await clock.run(wait);
      assert.ok(r.ok);
      assert.deepEqual(states, [1, 2]);
      assert.equal(errors.length, 2);
      assert.match(
        errors[0] as string,
        /metadata .* cannot be decoded as google\.cloud\.vision\.v1p4beta1\.OperationMetadata.*BatchOperationMetadata/,
      );
      assert.match(errors[1] as string, /metadata .* cannot be decoded as google\.cloud\.vision\.v1p4beta1\.OperationMetadata/);
      assert.equal(lro.metadataError, undefined, 'cleared by the next good metadata');
      assert.equal(ops.calls.length, 5);
    });

    it('the async iterator yields each change, starting with the current metadata', async () => {
      const { clock, ops, poller } = rig();
      ops.script('operations/it', A.pending(opMetadata(2)), A.pending(opMetadata(2)), A.done(imagesResponse('gs://o/'), opMetadata(3)));
      const lro = poller.fromOperation(D.images, { ...started('operations/it'), metadata: opMetadata(1) });
      const states: number[] = [];
      const loop = (async () => {
        for await (const m of lro.progress()) states.push(m.state);
      })();
      await clock.run(loop);
      assert.deepEqual(states, [1, 2, 3]);
      assert.equal(lro.done, true);
    });

    it('breaking out of the iterator stops polling when nobody else waits', async () => {
      const { clock, ops, poller } = rig();
      ops.script('operations/br', A.pending(opMetadata(1)), A.pending(opMetadata(2)), A.pending(opMetadata(3)));
      const lro = poller.resume(D.images, 'operations/br');
      const loop = (async () => {
        for await (const m of lro.progress()) if (m.state === 2) break;
      })();
      await clock.run(loop);
      const calls = ops.calls.length;
      assert.equal(calls, 2);
      await clock.advance(120_000);
      assert.equal(ops.calls.length, calls, 'no poll after the break');
      assert.equal(clock.pending, 0);
    });

    it('breaking out of the iterator leaves another wait polling', async () => {
      const { clock, ops, poller } = rig();
      ops.script(
        'operations/br2',
        A.pending(opMetadata(1)),
        A.pending(opMetadata(2)),
        A.pending(opMetadata(2)),
        A.done(imagesResponse('gs://o/')),
      );
      const lro = poller.resume(D.images, 'operations/br2');
      const wait = lro.wait();
      const loop = (async () => {
        for await (const m of lro.progress()) if (m.state === 2) break;
      })();
      await clock.run(loop);
      const r = await clock.run(wait);
      assert.ok(r.ok);
      assert.equal(ops.calls.length, 4);
    });
    it('the iterator throws what wait() would reject with: an abort, and an operation error', async () => {
      const { clock, ops, poller } = rig();
      ops.script('operations/ia', A.pending(opMetadata(1)), A.pending(opMetadata(2)), A.pending(opMetadata(2)));
      const ac = new AbortController();
      const states: number[] = [];
      const loop = (async () => {
        for await (const m of poller.resume(D.images, 'operations/ia').progress({ signal: ac.signal })) {
          states.push(m.state);
          if (m.state === 2) ac.abort('enough');
        }
      })();
      const r = await clock.run(loop);
      assert.ok(!r.ok && r.error instanceof Error && r.error.name === 'LroAbortedError');
      assert.deepEqual(states, [1, 2]);
      assert.equal(clock.pending, 0);

      ops.script(
        'operations/ie',
        A.pending(opMetadata(2)),
        A.failed({ code: Code.INTERNAL, message: 'broke', details: [] }, opMetadata(4)),
      );
      const seen: number[] = [];
      const failing = (async () => {
        for await (const m of poller.resume(D.images, 'operations/ie').progress({ timeout: 60_000 })) seen.push(m.state);
      })();
      const f = await clock.run(failing);
      assert.ok(!f.ok && f.error instanceof LroOperationError && f.error.rawMessage === 'broke');
      assert.deepEqual(seen, [2, 4], 'the final metadata comes before the error');
    });
  });

  describe('rule 11: one loop per operation', () => {
    it('concurrent waits share one polling loop; a wait after completion resolves from the cache', async () => {
      const { clock, ops, poller } = rig();
      ops.script('operations/shared', A.pending(), A.pending(), A.pending(), A.done(imagesResponse('gs://s/')));
      const lro = poller.resume(D.images, 'operations/shared');
      const waits = [lro.wait(), lro.wait({ timeout: 60_000 }), lro.wait({ onProgress: () => undefined })];
      const r = await clock.run(Promise.all(waits));
      assert.ok(r.ok);
      assert.equal(ops.calls.length, 4);
      const [a, b, c] = r.value;
      assert.equal(a, b);
      assert.equal(b, c);
      const again = await lro.wait();
      assert.equal(again, a);
      assert.equal(ops.calls.length, 4);
    });

    it('a failed operation rejects every later wait with the same error, without calls', async () => {
      const { clock, ops, poller } = rig();
      ops.script('operations/f', A.failed({ code: Code.INTERNAL, message: 'boom', details: [] }));
      const lro = poller.resume(D.images, 'operations/f');
      const first = await clock.run(lro.wait());
      await assert.rejects(lro.wait(), (e) => e === (first.ok ? undefined : first.error));
      assert.equal(ops.calls.length, 1);
    });
  });

  describe('rule 22: never re-send the start request', () => {
    it('a whole life (poll, wait, cancel, delete) calls only Get, Cancel and Delete', async () => {
      const { clock, ops, poller } = rig();
      ops.script('operations/life', A.pending(), A.pending());
      const lro = poller.fromOperation(D.images, started('operations/life'));
      const wait = lro.wait();
      await clock.advance(2000);
      await lro.poll();
      await lro.cancel();
      const r = await clock.run(wait);
      assert.ok(!r.ok && r.error instanceof LroOperationError && r.error.cancelled);
      await lro.delete();
      assert.deepEqual([...new Set(ops.calls.map((c) => c.rpc))].sort(), ['CancelOperation', 'DeleteOperation', 'GetOperation']);
    });
  });
});
