import assert from 'node:assert/strict';
import fc from 'fast-check';
import { messageToJsonText } from '../../src/http/json-text.js';
import { messageToJson, ProtoJsonError } from '../../src/http/proto-json.js';
import { messageNames } from '../../src/schema/registry.js';
import { arbitraryMessage } from '../support/arbitrary-message.js';
import './support.js';

function reference(typeName: string, m: object, enumAsInt: boolean): string | ProtoJsonError {
  try {
    return JSON.stringify(messageToJson(typeName, m, { enumAsInt }));
  } catch (e) {
    assert.ok(e instanceof ProtoJsonError, String(e));
    return e;
  }
}

function fast(typeName: string, m: object, enumAsInt: boolean): string | ProtoJsonError {
  try {
    return messageToJsonText(typeName, m, { enumAsInt });
  } catch (e) {
    assert.ok(e instanceof ProtoJsonError, String(e));
    return e;
  }
}

function same(typeName: string, m: object, enumAsInt: boolean): void {
  const want = reference(typeName, m, enumAsInt);
  const got = fast(typeName, m, enumAsInt);
  if (typeof want === 'string') assert.equal(got, want, typeName);
  else {
    assert.ok(got instanceof ProtoJsonError, `${typeName}: wanted ${want.message}, got ${String(got)}`);
    assert.equal(got.message, want.message);
    assert.equal(got.path, want.path);
  }
}

describe('messageToJsonText: the same text as JSON.stringify(messageToJson) (every schema type)', function () {
  this.timeout(60_000);

  for (const enumAsInt of [false, true]) {
    it(`random valid messages${enumAsInt ? ', enums as numbers' : ''}`, () => {
      for (const name of messageNames()) {
        fc.assert(
          fc.property(arbitraryMessage(name, { maxDepth: 3, maxLength: 3 }), (m) => same(name, m, enumAsInt)),
          { seed: enumAsInt ? 11 : 12, numRuns: 15 },
        );
      }
    });
  }

  it('floats in their shortest float32 form, and non-finite numbers', () => {
    const name = 'google.cloud.vision.v1p4beta1.CropHintsParams';
    for (const x of [0, 1, 1.5, -2.25, 0.1, Math.fround(0.1), 1e-7, 1e21, 3.4028234663852886e38, 123456, 1234567, Math.fround(1234567.1), Number.NaN, Infinity, -Infinity]) {
      same(name, { aspectRatios: [x] }, false);
    }
  });

  it('deep partials and bad values: the same text, or the same ProtoJsonError with its path', () => {
    const cases: [string, object][] = [
      ['google.cloud.vision.v1p4beta1.AsyncBatchAnnotateImagesRequest', { requests: [{ features: [{ type: 4 }] }] }],
      ['google.cloud.vision.v1p4beta1.AsyncBatchAnnotateImagesRequest', { requests: [{ features: [{ type: 'LABEL' }] }] }],
      ['google.cloud.vision.v1p4beta1.AsyncBatchAnnotateImagesRequest', { requests: [null] }],
      ['google.cloud.vision.v1p4beta1.AsyncBatchAnnotateImagesRequest', { requests: 'x' }],
      ['google.cloud.vision.v1p4beta1.Product', { name: 5 }],
      ['google.cloud.vision.v1p4beta1.Product', { productLabels: [{ key: 'a', value: 'b' }, { key: 1 }] }],
      ['visionkit.testing.v1.Thing', { labels: { a: null } }],
      ['visionkit.testing.v1.Thing', { labels: { 'a.1': 'x', __proto__: 'y' } }],
      ['visionkit.testing.v1.Thing', { slots: { 2: { a: 1 }, 1: { b: 'x' } } }],
      ['visionkit.testing.v1.Thing', { createTime: { seconds: '1', nanos: 5 }, revision: 7, serial: 9n, token: new Uint8Array([0xfb, 0xff]) }],
      ['visionkit.testing.v1.Thing', { createTime: { seconds: 'x' } }],
      ['visionkit.testing.v1.Thing', { rank: 0, maker: '', state: 99, weight: -0 }],
      ['visionkit.testing.v1.Thing', { items: [{ a: 1 }, undefined] }],
      ['visionkit.testing.v1.GetThingRequest', { readMask: ['a_b', 'c'], count: 0, flag: false, note: '', timeout: { seconds: '-1', nanos: -5 } }],
      ['visionkit.testing.v1.GetThingRequest', { readMask: ['A'] }],
      ['google.longrunning.Operation', { name: 'o', done: true, response: { typeUrl: 'type.googleapis.com/google.protobuf.Empty', value: new Uint8Array(0) } }],
      ['google.protobuf.Timestamp', { seconds: '1', nanos: 0 }],
      ['google.protobuf.FieldMask', { paths: ['a_b'] }],
    ];
    for (const [name, m] of cases) for (const enumAsInt of [false, true]) same(name, m, enumAsInt);
  });

  it('refuses a non-object like the reference', () => {
    for (const m of [null, 'x', [1]] as unknown as object[]) same('visionkit.testing.v1.Thing', m, false);
  });
});
