import assert from 'node:assert/strict';
import {
  createClient,
  createOperationsTransport,
  createPoller,
  descriptorOf,
  ImageAnnotator,
  type Lro,
  LroHandleError,
  Operations,
  ProductSearch,
  type ServiceDescriptor,
  serviceDescriptor,
} from 'vision-kit';
import type { AsyncBatchAnnotateImagesResponse, OperationMetadata } from 'vision-kit/gen/google/cloud/vision/v1p4beta1/image_annotator.js';
import type { BatchOperationMetadata, Product } from 'vision-kit/gen/google/cloud/vision/v1p4beta1/product_search_service.js';
import type { Operation } from 'vision-kit/gen/google/longrunning/operations.js';
import type { Empty } from 'vision-kit/gen/google/protobuf/empty.js';
import { createMemoryTransport } from 'vision-kit/testing';
import { ENUMS, MESSAGES } from '../gen/schema/messages.js';
import type { OperationTypes as ThingTypes } from '../gen/schema/operations.js';
import { SERVICES as THING_SERVICES } from '../gen/schema/services.js';
import type { RunThingMetadata, RunThingResponse, ThingsDefinition } from '../gen/vision_kit/testing/v1/things.js';
import { any, imagesResponse, opMetadata, T } from './support/messages.js';
import { OperationHistories } from './support/operation-server.js';

const IA = 'google.cloud.vision.v1p4beta1.ImageAnnotator';
const FAST = { initialDelay: 1, multiplier: 1, maxDelay: 1, jitter: 0 };

describe('lro typed clients', () => {
  it('operation-returning methods resolve to typed handles; the rest are unchanged', async () => {
    const histories = new OperationHistories();
    histories.set(
      'operations/c1',
      { metadata: opMetadata(2) },
      { done: true, metadata: opMetadata(3), response: imagesResponse('gs://client/') },
    );
    const transport = createMemoryTransport({
      ...histories.handlers(),
      [IA]: { AsyncBatchAnnotateImages: () => ({ name: 'operations/c1', done: false, metadata: opMetadata(1) }) },
      'google.cloud.vision.v1p4beta1.ProductSearch': {
        GetProduct: (r) => ({ name: (r as { name: string }).name }),
        PurgeProducts: () => ({ name: 'projects/p/locations/us-west1/operations/purge1', done: true, response: any(T.empty) }),
      },
    });
    const images = createClient(ImageAnnotator, transport, { lro: { schedule: FAST } });
    const lro: Lro<AsyncBatchAnnotateImagesResponse, OperationMetadata> = await images.asyncBatchAnnotateImages({ requests: [] });
    assert.equal(lro.name, 'operations/c1');
    assert.equal(lro.metadata?.state, 1, 'the start response metadata');
    const value: AsyncBatchAnnotateImagesResponse | undefined = await lro.wait();
    assert.equal(value?.outputConfig?.gcsDestination?.uri, 'gs://client/');

    const products = createClient(ProductSearch, transport);
    const purge: Lro<Empty, BatchOperationMetadata> = await products.purgeProducts({ parent: 'projects/p/locations/us-west1' });
    assert.deepEqual(await purge.wait(), {});
    const product: Product = await products.getProduct({ name: 'projects/p/locations/us-west1/products/x' });
    assert.equal(product.name, 'projects/p/locations/us-west1/products/x');

    const ops = createClient(Operations, transport);
    const raw: Operation = await ops.getOperation({ name: 'operations/c1' });
    assert.equal(raw.name, 'operations/c1', 'GetOperation itself has no operation_info: a plain Operation');
  });

  it('takes per-call handle settings, and resumes by name through descriptorOf', async () => {
    const histories = new OperationHistories();
    histories.set('operations/c2', { metadata: opMetadata(2) });
    const transport = createMemoryTransport({
      ...histories.handlers(),
      [IA]: { AsyncBatchAnnotateImages: () => ({ name: 'operations/c2', done: false }) },
    });
    const poller = createPoller({ transport: createOperationsTransport(transport) });
    const images = createClient(ImageAnnotator, transport, { poller });
    const deadline = Date.now() + 123_456;
    const lro = await images.asyncBatchAnnotateImages({}, { lro: { deadline, schedule: { initialDelay: 7 } } });
    assert.equal(lro.deadline?.getTime(), deadline);
    const again = poller.resume(descriptorOf(images.asyncBatchAnnotateImages), lro.toJSON());
    assert.equal(again.name, 'operations/c2');
    assert.equal(again.deadline?.toISOString(), new Date(deadline).toISOString());
    assert.throws(() => descriptorOf(createClient(Operations, transport).getOperation as never), LroHandleError);
  });

  it('genericity: the test-only Things service gets typed RunThing handles with no hand-written code', async () => {
    const Things: ServiceDescriptor<ThingsDefinition, ThingTypes> = serviceDescriptor('visionkit.testing.v1.Things', {
      services: THING_SERVICES,
      messages: MESSAGES,
      enums: ENUMS,
    });
    const histories = new OperationHistories();
    histories.set(
      'things/t9/runs/1',
      { metadata: any('visionkit.testing.v1.RunThingMetadata', { progressPercent: 50 }) },
      { done: true, response: any('visionkit.testing.v1.RunThingResponse', { name: 'things/t9', stepsDone: 2 }) },
    );
    const transport = createMemoryTransport({
      ...histories.handlers(),
      'visionkit.testing.v1.Things': { RunThing: () => ({ name: 'things/t9/runs/1', done: false }) },
    });
    const things = createClient(Things, transport, { lro: { schedule: FAST } });
    const run: Lro<RunThingResponse, RunThingMetadata> = await things.runThing({ name: 'things/t9', steps: 2 });
    const seen: number[] = [];
    const result = await run.wait({ onProgress: (m) => seen.push(m.progressPercent) });
    assert.deepEqual(result, { name: 'things/t9', stepsDone: 2, log: [] });
    assert.deepEqual(seen, [50]);
  });
});
