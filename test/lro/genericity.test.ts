import assert from 'node:assert/strict';
import { type Lro, operationDescriptors } from 'vision-kit';
import { packAny, registerSchema } from 'vision-kit/codec';
import { ENUMS, MESSAGES } from '../gen/schema/messages.js';
import type { OperationTypes } from '../gen/schema/operations.js';
import { SERVICES } from '../gen/schema/services.js';
import type { RunThingMetadata, RunThingResponse } from '../gen/vision_kit/testing/v1/things.js';
import { A } from './support/fake-operations.js';
import { rig, started } from './support/setup.js';

describe('lro genericity: the test-only RunThing method', () => {
  before(() => registerSchema({ messages: MESSAGES, enums: ENUMS }));

  it('gets a descriptor and a typed handle from the generated tables alone', async () => {
    const things = operationDescriptors<OperationTypes>(SERVICES);
    assert.deepEqual(Object.keys(things).sort(), ['visionkit.testing.v1.Jobs/StartJob', 'visionkit.testing.v1.Things/RunThing']);
    const d = things['visionkit.testing.v1.Things/RunThing'];
    assert.equal(d.responseType, 'visionkit.testing.v1.RunThingResponse');
    assert.equal(d.metadataType, 'visionkit.testing.v1.RunThingMetadata');
    assert.equal(d.schedule.initialDelay, 1000, 'the general default schedule');

    const { clock, ops, poller } = rig();
    ops.script(
      'things/t1/runs/1',
      A.pending(packAny('visionkit.testing.v1.RunThingMetadata', { progressPercent: 40, startTime: { seconds: '5', nanos: 0 }, state: 1 })),
      A.done(packAny('visionkit.testing.v1.RunThingResponse', { name: 'things/t1', stepsDone: 3, log: ['a', 'b', 'c'] })),
    );
    const lro: Lro<RunThingResponse, RunThingMetadata> = poller.fromOperation(d, started('things/t1/runs/1'));
    const percents: number[] = [];
    const r = await clock.run(lro.wait({ onProgress: (m) => percents.push(m.progressPercent) }));
    assert.ok(r.ok);
    const value: RunThingResponse | undefined = r.value;
    assert.deepEqual(value, { name: 'things/t1', stepsDone: 3, log: ['a', 'b', 'c'] });
    assert.deepEqual(percents, [40]);
    assert.deepEqual(
      ops.calls.map((c) => c.at),
      [1000, 2500],
    );
  });
});
