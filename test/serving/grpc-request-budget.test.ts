// createGrpcHost's requestBudget: a call reserves the largest message allowed before its message is read, holds the
// message's size while its handler runs, and gives it back when it ends (also when the client cancels); a call the
// budget refuses gets the budget's error with its details, and its handler never runs.
import assert from 'node:assert/strict';
import * as grpc from '@grpc/grpc-js';
import { Code, VisionError } from 'vision-kit';
import { errorFromStatusBytes, registerSchema } from 'vision-kit/codec';
import { type BudgetReservation, createGrpcHost, defineService, type GrpcHost, type RequestBudget } from 'vision-kit/serving';
import { ENUMS, MESSAGES } from '../gen/schema/messages.js';
import { GetThingRequest, Thing, ThingsDefinition } from '../gen/vision_kit/testing/v1/things.js';

registerSchema({ messages: MESSAGES, enums: ENUMS });

const MAX = 64 * 1024;

/** A budget that records what it is asked and refuses while `refusing` is set. */
class RecordingBudget implements RequestBudget {
  readonly log: string[] = [];
  held = 0;
  refusing = false;
  async reserve(bytes: number): Promise<BudgetReservation> {
    this.log.push(`reserve ${bytes}`);
    if (this.refusing) {
      throw new VisionError(Code.RESOURCE_EXHAUSTED, 'no room', {
        details: [{ type: 'google.rpc.RetryInfo', value: { retryDelay: { seconds: '1', nanos: 0 } } }],
      });
    }
    let mine = bytes;
    let released = false;
    this.held += bytes;
    const budget = this;
    return {
      get bytes() {
        return mine;
      },
      resize(n) {
        budget.log.push(`resize ${n}`);
        budget.held += n - mine;
        mine = n;
      },
      release() {
        if (released) return;
        released = true;
        budget.log.push('release');
        budget.held -= mine;
      },
    };
  }
}

describe('serving: createGrpcHost with a requestBudget', () => {
  const budget = new RecordingBudget();
  let heldDuringHandler = -1;
  let handlerRuns = 0;
  const impl = defineService(ThingsDefinition, {
    async GetThing(req, ctx) {
      handlerRuns++;
      heldDuringHandler = budget.held;
      if (req.name === 'things/slow') {
        await new Promise((r) => ctx.signal.addEventListener('abort', r, { once: true }));
        throw new VisionError(Code.CANCELLED, 'gone');
      }
      return { name: req.name };
    },
  });
  let host: GrpcHost;
  let client: grpc.Client;

  before(async () => {
    host = createGrpcHost([impl], { requestBudget: budget, maxReceiveBytes: MAX });
    const port = await host.listen('127.0.0.1', 0);
    client = new grpc.Client(`127.0.0.1:${port}`, grpc.credentials.createInsecure());
  });
  after(async () => {
    client.close();
    await host.close(100);
  });
  beforeEach(() => {
    budget.log.length = 0;
    budget.refusing = false;
    handlerRuns = 0;
  });

  const getThing = (name: string, options: grpc.CallOptions = {}) => {
    let call: grpc.ClientUnaryCall | undefined;
    const done = new Promise<{ err: grpc.ServiceError | null; thing?: Thing }>((resolve) => {
      call = client.makeUnaryRequest(
        '/visionkit.testing.v1.Things/GetThing',
        (m: GetThingRequest) => Buffer.from(GetThingRequest.encode(m).finish()),
        (b: Buffer) => Thing.decode(b),
        GetThingRequest.fromPartial({ name }),
        new grpc.Metadata(),
        options,
        (err, thing) => resolve({ err, ...(thing ? { thing } : {}) }),
      );
    });
    return { done, cancel: () => call?.cancel() };
  };

  it('reserves the largest message before reading, holds the message while the handler runs, releases at the end', async () => {
    const { err, thing } = await getThing('things/a').done;
    assert.equal(err, null);
    assert.equal(thing?.name, 'things/a');
    const size = GetThingRequest.encode(GetThingRequest.fromPartial({ name: 'things/a' })).finish().length;
    assert.deepEqual(budget.log, [`reserve ${MAX}`, `resize ${size}`, 'release']);
    assert.equal(heldDuringHandler, size);
    assert.equal(budget.held, 0);
  });

  it('releases a call the client cancels', async () => {
    const call = getThing('things/slow');
    while (handlerRuns === 0) await new Promise((r) => setTimeout(r, 5));
    call.cancel();
    assert.equal((await call.done).err?.code, grpc.status.CANCELLED);
    for (let i = 0; i < 100 && budget.held !== 0; i++) await new Promise((r) => setTimeout(r, 5));
    assert.equal(budget.held, 0);
    assert.deepEqual(budget.log.at(-1), 'release');
  });

  it('answers a refused call with the budget’s error and details, without running its handler', async () => {
    budget.refusing = true;
    const { err } = await getThing('things/a').done;
    assert.equal(err?.code, grpc.status.RESOURCE_EXHAUSTED);
    assert.equal(err?.details, 'no room');
    const status = errorFromStatusBytes(err!.metadata.get('grpc-status-details-bin')[0] as Buffer);
    assert.equal(status.details[0]?.type, 'google.rpc.RetryInfo');
    assert.equal(handlerRuns, 0);
    assert.deepEqual(budget.log, [`reserve ${MAX}`]);
  });
});
