/**
 * The API's enums as values from both entries: deep-equal to ts-proto's
 * TypeScript enums (names to numbers and back), one for every enum of the
 * schema table, the same objects behind `vision-kit` and
 * `vision-kit/browser`; `enumName` gives a value's name in one call; and the
 * types: requests take names where they take members, answers keep the
 * enum types (checked by the type check of this file: a wrong name is a
 * compile error).
 */
import assert from 'node:assert/strict';
import * as node from 'vision-kit';
import {
  type AnnotateImageRequest,
  type AsyncBatchAnnotateImagesRequest,
  createClient,
  enumName,
  Feature_Type,
  ImageAnnotator,
  Likelihood,
  type OperationMetadata,
  OperationMetadata_State,
  type RequestInput,
} from 'vision-kit';
import * as browser from 'vision-kit/browser';
import { ENUMS } from 'vision-kit/gen/schema/messages.js';
import { createMemoryTransport } from 'vision-kit/testing';
import * as annotator from '../../gen/google/cloud/vision/v1p4beta1/image_annotator.js';
import * as searchService from '../../gen/google/cloud/vision/v1p4beta1/product_search_service.js';
import * as text from '../../gen/google/cloud/vision/v1p4beta1/text_annotation.js';

/** ts-proto's enum of a full name: the package dropped, the rest joined by `_`. */
function tsName(fullName: string): string {
  return fullName.replace(/^google\.cloud\.vision\.v1p4beta1\./, '').replaceAll('.', '_');
}

const generated: Record<string, unknown> = { ...annotator, ...searchService, ...text };

describe('client: enums', () => {
  it("every enum of the schema table is a value of both entries, deep-equal to ts-proto's and the same object in both", () => {
    const names = Object.keys(ENUMS);
    assert.ok(names.length >= 7);
    for (const fullName of names) {
      const name = tsName(fullName);
      const ours = (node as Record<string, unknown>)[name];
      assert.ok(ours !== undefined, `vision-kit exports ${name}`);
      assert.equal((browser as Record<string, unknown>)[name], ours, `vision-kit/browser exports the same ${name}`);
      assert.deepEqual({ ...(ours as object) }, { ...(generated[name] as object) }, `${name} is ts-proto's enum`);
      assert.ok(Object.isFrozen(ours), `${name} cannot be changed by a program`);
    }
  });

  it('enumName gives the name of a value, undefined for a number the enum lacks; the reverse mapping works too', () => {
    assert.equal(enumName(OperationMetadata_State, 3), 'DONE');
    assert.equal(enumName(Feature_Type, Feature_Type.IMAGE_PROPERTIES), 'IMAGE_PROPERTIES');
    assert.equal(enumName(Likelihood, 99), undefined);
    assert.equal(enumName(Likelihood, Number.NaN), undefined);
    assert.equal(enumName(annotator.Feature_Type, 7), 'IMAGE_PROPERTIES', "ts-proto's own enums work too");
    assert.equal(OperationMetadata_State[2], 'RUNNING');
    const state: 'STATE_UNSPECIFIED' | 'CREATED' | 'RUNNING' | 'DONE' | 'CANCELLED' | undefined = enumName(OperationMetadata_State, 1);
    assert.equal(state, 'CREATED');
  });

  it('requests take enum names and members; both reach the handler as numbers, answers keep the enum type', async () => {
    const seen: number[] = [];
    const transport = createMemoryTransport({
      'google.cloud.vision.v1p4beta1.ImageAnnotator': {
        BatchAnnotateImages: (req) => {
          for (const r of (req as { requests: AnnotateImageRequest[] }).requests) for (const f of r.features) seen.push(f.type);
          return { responses: [] };
        },
      },
    });
    const images = createClient(ImageAnnotator, transport);
    await images.batchAnnotateImages({
      requests: [{ features: [{ type: 'IMAGE_PROPERTIES' }, { type: Feature_Type.CROP_HINTS }, { type: 3 }] }],
    });
    assert.deepEqual(seen, [Feature_Type.IMAGE_PROPERTIES, Feature_Type.CROP_HINTS, Feature_Type.LOGO_DETECTION]);
    transport.close();

    // Type level (the type check of this file is the assertion):
    const ok: RequestInput<AsyncBatchAnnotateImagesRequest> = {
      requests: [{ features: [{ type: 'CROP_HINTS', maxResults: 3 }], imageContext: { cropHintsParams: { aspectRatios: [1] } } }],
    };
    // @ts-expect-error a name of another enum
    const wrongEnum: RequestInput<AnnotateImageRequest> = { features: [{ type: 'VERY_LIKELY' }] };
    // @ts-expect-error a number field takes no enum name
    const notAnEnum: RequestInput<AnnotateImageRequest> = { features: [{ maxResults: 'CROP_HINTS' }] };
    const metadata = { state: OperationMetadata_State.DONE } as OperationMetadata;
    // @ts-expect-error answers keep the enum type, not names
    const answer: 'DONE' = metadata.state;
    assert.ok(ok && wrongEnum && notAnEnum && answer !== undefined);
  });
});
