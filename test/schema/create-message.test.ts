import assert from 'node:assert/strict';
import { Code, FieldPathError } from 'vision-kit';
import { createMessage, normalizeMessage, registerSchema, SchemaError } from 'vision-kit/codec';
import { TEST_SCHEMA } from './test-schema.js';

const V = 'google.cloud.vision.v1p4beta1.';

function throwsAt(fn: () => unknown, path: string, reason?: RegExp): void {
  assert.throws(fn, (e: unknown) => {
    assert.ok(e instanceof FieldPathError, String(e));
    assert.equal(e.code, Code.INVALID_ARGUMENT);
    assert.equal(e.path, path);
    assert.ok(e.message.includes(path === '' ? '(root)' : path), e.message);
    if (reason) assert.match(e.message, reason);
    return true;
  });
}

describe('createMessage / normalizeMessage', () => {
  it('fills defaults deeply (ts-proto shape)', () => {
    const r = normalizeMessage(`${V}BatchAnnotateImagesRequest`, {
      requests: [{ image: { source: { imageUri: 'https://e.x/a.jpg' } }, features: [{ type: 4 }] }],
    });
    assert.deepStrictEqual(r, {
      requests: [
        {
          image: { content: new Uint8Array(0), source: { gcsImageUri: '', imageUri: 'https://e.x/a.jpg' } },
          features: [{ type: 4, maxResults: 0, model: '' }],
          imageContext: undefined,
        },
      ],
    });
  });

  it('is lenient only where unambiguous: enum names, int64 from number/bigint, Buffers', () => {
    assert.equal(normalizeMessage<{ type: number }>(`${V}Feature`, { type: 'LABEL_DETECTION' }).type, 4);
    assert.equal(normalizeMessage<{ uint64Value: string }>(`${V}Property`, { uint64Value: 12 }).uint64Value, '12');
    assert.equal(normalizeMessage<{ uint64Value: string }>(`${V}Property`, { uint64Value: 2n ** 63n }).uint64Value, '9223372036854775808');
    assert.equal(normalizeMessage<{ uint64Value: string }>(`${V}Property`, { uint64Value: '007' }).uint64Value, '7');
    const img = normalizeMessage<{ content: Uint8Array }>(`${V}Image`, { content: Buffer.from([1, 2]) });
    assert.equal(Object.getPrototypeOf(img.content), Uint8Array.prototype);
    assert.deepStrictEqual(img.content, new Uint8Array([1, 2]));
    assert.deepStrictEqual(normalizeMessage(`${V}Product`, { name: null, productLabels: undefined }), createMessage(`${V}Product`));
  });

  it('returns a fresh object and never shares arrays or nested messages with the input', () => {
    const input = { productLabels: [{ key: 'k', value: 'v' }] };
    const out = normalizeMessage<typeof input>(`${V}Product`, input);
    assert.notEqual(out.productLabels, input.productLabels);
    assert.notEqual(out.productLabels[0], input.productLabels[0]);
  });

  it('names the path of what is wrong', () => {
    const B = `${V}BatchAnnotateImagesRequest`;
    throwsAt(
      () => normalizeMessage(B, { requests: [{ features: [{}, { type: 'LABEL' }] }] }),
      'requests[0].features[1].type',
      /unknown value "LABEL"/,
    );
    throwsAt(() => normalizeMessage(B, { requests: [{ imageUri: 'x' }] }), 'requests[0].imageUri', /unknown field/);
    throwsAt(() => normalizeMessage(B, { requests: [null] }), 'requests[0]', /null/);
    throwsAt(() => normalizeMessage(B, { requests: {} }), 'requests', /array/);
    throwsAt(() => normalizeMessage(B, []), '', /object/);
    throwsAt(() => normalizeMessage(`${V}Feature`, { maxResults: 1.5 }), 'maxResults', /int32/);
    throwsAt(() => normalizeMessage(`${V}Feature`, { maxResults: 2 ** 31 }), 'maxResults', /out of range/);
    throwsAt(() => normalizeMessage(`${V}Property`, { uint64Value: -1 }), 'uint64Value', /out of range/);
    throwsAt(() => normalizeMessage(`${V}Property`, { uint64Value: '1x' }), 'uint64Value', /uint64/);
    throwsAt(() => normalizeMessage(`${V}Image`, { content: 'AAA=' }), 'content', /bytes/);
    throwsAt(() => normalizeMessage(`${V}Product`, { displayName: 5 }), 'displayName', /string/);
    throwsAt(() => normalizeMessage('google.rpc.ErrorInfo', { metadata: { a: 1 } }), 'metadata["a"]', /string/);
    throwsAt(() => normalizeMessage(`${V}UpdateProductRequest`, { updateMask: 'a,b' }), 'updateMask', /array/);
    throwsAt(() => normalizeMessage(`${V}UpdateProductRequest`, { updateMask: ['a', 3] }), 'updateMask[1]', /path/);
    throwsAt(() => normalizeMessage('google.type.Color', { alpha: { value: 1 } }), 'alpha', /float/);
    throwsAt(
      () => normalizeMessage(`${V}PurgeProductsRequest`, { deleteOrphanProducts: true, productSetPurgeConfig: {} }),
      'deleteOrphanProducts',
      /oneof/,
    );
  });

  it('throws SchemaError for an unknown type', () => {
    assert.throws(() => createMessage('no.Such'), SchemaError);
    assert.throws(() => normalizeMessage('no.Such', {}), SchemaError);
  });

  it('refuses cyclic input with a path error, not a stack overflow', () => {
    registerSchema(TEST_SCHEMA);
    const node: Record<string, unknown> = { value: 1 };
    node.next = node;
    assert.throws(
      () => normalizeMessage('vk.test.Node', node),
      (e: unknown) => e instanceof FieldPathError && /nested more than 100/.test(e.message) && e.path.startsWith('next.next.'),
    );
  });
});
