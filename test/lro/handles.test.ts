import assert from 'node:assert/strict';
import { Code, LroDecodeError, LroHandleError, LroProtocolError, LroTimeoutError, parseSavedLro } from 'vision-kit';
import { A } from './support/fake-operations.js';
import { any, imagesResponse, opMetadata, T } from './support/messages.js';
import { D, rig, started } from './support/setup.js';

describe('lro handles (rule 20) and bad input', () => {
  it('toJSON() is plain data: name, method, start time, deadline, and nothing else', async () => {
    const { clock, poller } = rig();
    await clock.advance(1234);
    const lro = poller.fromOperation(D.images, started('operations/json'));
    const saved = lro.toJSON();
    assert.deepEqual(JSON.parse(JSON.stringify(lro)), saved);
    assert.deepEqual(Object.keys(saved).sort(), ['deadline', 'method', 'name', 'startTime']);
    assert.deepEqual(saved, {
      name: 'operations/json',
      method: 'google.cloud.vision.v1p4beta1.ImageAnnotator/AsyncBatchAnnotateImages',
      startTime: new Date(Date.UTC(2026, 0, 1) + 1234).toISOString(),
      deadline: new Date(Date.UTC(2026, 0, 1) + 1234 + 300_000).toISOString(),
    });
    assert.deepEqual(parseSavedLro(JSON.parse(JSON.stringify(saved))), saved);
  });

  it('resuming keeps the saved deadline unless the wait passes a new timeout', async () => {
    const first = rig();
    const lro = first.poller.fromOperation(D.images, started('operations/keep'));
    const saved = JSON.parse(JSON.stringify(lro.toJSON()));

    const second = rig();
    await second.clock.advance(100_000);
    second.ops.script('operations/keep', A.pending());
    const resumed = second.poller.resume(D.images, saved);
    assert.equal(resumed.deadline?.toISOString(), saved.deadline);
    const r = await second.clock.run(resumed.wait());
    assert.ok(!r.ok && r.error instanceof LroTimeoutError);
    assert.equal(r.at, 300_000, 'the saved deadline (start + 300 s) still holds in the new process');

    const third = rig();
    third.ops.script('operations/keep', A.pending());
    const longer = third.poller.resume(D.images, saved);
    const r3 = await third.clock.run(longer.wait({ timeout: 500_000 }));
    assert.ok(!r3.ok && r3.error instanceof LroTimeoutError);
    assert.equal(r3.at, 500_000, 'a timeout on the wait replaces it');
  });

  it('a handle past its deadline looks once: a done operation resolves after one call', async () => {
    const { clock, ops, poller } = rig();
    ops.script('operations/old', A.done(any(T.imagesResponse, { outputConfig: { batchSize: 3 } })));
    const saved = {
      name: 'operations/old',
      method: D.images.method,
      startTime: new Date(clock.wallNow() - 10_000).toISOString(),
      deadline: new Date(clock.wallNow() - 1).toISOString(),
    };
    const r = await clock.run(poller.resume(D.images, saved).wait());
    assert.ok(r.ok);
    assert.equal(r.at, 0);
    assert.equal((r.value as { outputConfig: { batchSize: number } }).outputConfig.batchSize, 3);
    assert.equal(ops.calls.length, 1);
  });

  it('refuses a handle made for another method, or a malformed one, naming the problem', () => {
    const { poller } = rig();
    const saved = poller.fromOperation(D.images, started('operations/other')).toJSON();
    assert.throws(
      () => poller.resume(D.files, saved),
      (e) =>
        e instanceof LroHandleError &&
        e.code === Code.INVALID_ARGUMENT &&
        /made for .*AsyncBatchAnnotateImages, not .*AsyncBatchAnnotateFiles/.test(e.message),
    );
    const bad: [unknown, RegExp][] = [
      [null, /must be an object, got null/],
      [[], /must be an object/],
      [{ method: D.images.method, startTime: saved.startTime }, /"name" must be a non-empty string/],
      [{ ...saved, method: 'AsyncBatchAnnotateImages' }, /"service\/Method"/],
      [{ ...saved, startTime: 'yesterday' }, /"startTime" is not a date/],
      [{ ...saved, deadline: 42 }, /"deadline" must be a non-empty string/],
    ];
    for (const [value, pattern] of bad) {
      assert.throws(
        () => poller.resume(D.images, value as never),
        (e) => e instanceof LroHandleError && pattern.test(e.message),
        String(pattern),
      );
    }
    assert.throws(() => poller.resume(D.images, ''), LroHandleError);
    assert.throws(
      () => poller.fromOperation(D.images, {} as never),
      (e) => e instanceof LroHandleError && /not an Operation/.test(e.message),
    );
  });

  describe('bad answers: a typed error instead of a hang, while the poller serves its other operations', () => {
    const cases: [string, unknown, (e: unknown) => boolean][] = [
      [
        'an answer that is not an object',
        'OK',
        (e) => e instanceof LroProtocolError && /not its Operation: got string/.test((e as Error).message),
      ],
      [
        'an answer for another operation',
        { name: 'operations/else', done: false },
        (e) => e instanceof LroProtocolError && /another operation, "operations\/else"/.test((e as Error).message),
      ],
      [
        'an answer without done',
        { name: 'operations/bad' },
        (e) => e instanceof LroProtocolError && /"done" is not a boolean/.test((e as Error).message),
      ],
      [
        'an answer whose metadata is not an Any',
        { name: 'operations/bad', done: false, metadata: { state: 2 } },
        (e) => e instanceof LroProtocolError && /"metadata" is not a google.protobuf.Any/.test((e as Error).message),
      ],
      [
        'an answer whose error is not a Status',
        { name: 'operations/bad', done: true, error: 'boom' },
        (e) => e instanceof LroProtocolError && /"error" is not a google.rpc.Status/.test((e as Error).message),
      ],
      [
        'a malformed Any',
        {
          name: 'operations/bad',
          done: true,
          response: { typeUrl: `type.googleapis.com/${T.imagesResponse}`, value: new Uint8Array([0x12, 0x05, 0x01]) },
        },
        (e) => e instanceof LroDecodeError && e.part === 'response',
      ],
      [
        'a wrongly typed Any',
        { name: 'operations/bad', done: true, response: any(T.filesResponse) },
        (e) =>
          e instanceof LroDecodeError && /AsyncBatchAnnotateImagesResponse.*AsyncBatchAnnotateFilesResponse/.test((e as Error).message),
      ],
      [
        'an Any without a type URL',
        { name: 'operations/bad', done: true, response: { typeUrl: '', value: new Uint8Array() } },
        (e) => e instanceof LroDecodeError && /without a type URL/.test((e as Error).message),
      ],
    ];
    for (const [label, answer, check] of cases) {
      it(label, async () => {
        const { clock, ops, poller } = rig();
        ops.script('operations/bad', A.raw(answer));
        ops.script('operations/good', A.pending(opMetadata(2)), A.pending(), A.done(imagesResponse('gs://good/')));
        const good = poller.resume(D.images, 'operations/good').wait();
        const r = await clock.run(poller.resume(D.images, 'operations/bad').wait(), 60_000);
        assert.ok(!r.ok);
        assert.ok(check(r.error), String(r.error));
        assert.equal(r.at, 0, 'at once');
        const g = await clock.run(good);
        assert.ok(g.ok);
        assert.equal(g.value?.outputConfig?.gcsDestination?.uri, 'gs://good/');
      });
    }
  });
});
