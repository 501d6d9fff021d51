import assert from 'node:assert/strict';
import fc from 'fast-check';
import {
  createMessage,
  decodeMessage,
  encodeMessage,
  enumInfo,
  type FieldInfo,
  messageFromJson,
  messageInfo,
  messageToJson,
  registerSchema,
  SchemaError,
} from 'vision-kit/codec';
import { hasEnum, hasMessage, ScalarType } from '../../src/schema/registry.js';
import { arbitraryMessage } from '../support/arbitrary-message.js';
import { protobufjsRoot } from '../support/protobufjs-root.js';
import { KINDS, TEST_SCHEMA } from './test-schema.js';

const V = 'google.cloud.vision.v1p4beta1.';

describe('schema registry', () => {
  before(() => registerSchema(TEST_SCHEMA));

  it('resolves fields by JSON name, proto name, ts name and number', () => {
    const info = messageInfo(`${V}Product`);
    const f = info.byJsonName.get('productLabels') as FieldInfo;
    assert.equal(info.byProtoName.get('product_labels'), f);
    assert.equal(info.byTsName.get('productLabels'), f);
    assert.equal(info.byNumber.get(5), f);
    assert.equal(info.findField('product_labels'), f);
    assert.equal(info.findField('productLabels'), f);
    assert.equal(info.findField('nope'), undefined);
    assert.equal(f.kind, 'message');
    assert.equal(f.repeated, true);
    assert.equal(f.typeName, `${V}Product.KeyValue`);
    assert.deepEqual(
      info.fields.map((x) => x.number),
      [1, 2, 3, 4, 5],
    );
  });

  it('describes maps, oneofs, optional, wrappers, FieldMask and field behaviour', () => {
    const meta = messageInfo('google.rpc.ErrorInfo').byJsonName.get('metadata') as FieldInfo;
    assert.equal(meta.repeated, false);
    assert.deepStrictEqual(meta.map, {
      key: ScalarType.STRING,
      value: { kind: 'scalar', scalar: ScalarType.STRING, typeName: undefined, shape: undefined },
      entryType: 'google.rpc.ErrorInfo.MetadataEntry',
    });
    const op = messageInfo('google.longrunning.Operation');
    assert.deepEqual(
      op.oneofs.get('result')?.map((x) => x.jsonName),
      ['error', 'response'],
    );
    assert.equal(op.byJsonName.get('done')?.hasPresence, false);
    assert.equal(op.byJsonName.get('error')?.hasPresence, true);
    const q = messageInfo('google.rpc.QuotaFailure.Violation').byJsonName.get('futureQuotaValue') as FieldInfo;
    assert.equal(q.optional, true);
    assert.equal(q.hasPresence, true);
    const alpha = messageInfo('google.type.Color').byJsonName.get('alpha') as FieldInfo;
    assert.equal(alpha.shape, 'wrapper');
    assert.equal(alpha.scalar, ScalarType.FLOAT);
    assert.equal(messageInfo(`${V}UpdateProductRequest`).byJsonName.get('updateMask')?.shape, 'fieldMask');
    assert.equal(messageInfo(`${V}ReferenceImage`).byJsonName.get('uri')?.required, true);
    assert.equal(messageInfo(`${V}ProductSet`).byJsonName.get('indexTime')?.outputOnly, true);
    assert.equal(messageInfo(`${V}Product`).byJsonName.get('productCategory')?.immutable, true);
    assert.equal(messageInfo(`${V}Feature`).byJsonName.get('type')?.kind, 'enum');
  });

  it('maps enum names and numbers both ways', () => {
    const e = enumInfo(`${V}Feature.Type`);
    assert.equal(e.byName.get('DOCUMENT_TEXT_DETECTION'), 11);
    assert.equal(e.byNumber.get(19), 'OBJECT_LOCALIZATION');
    assert.equal(hasEnum(`${V}Feature.Type`), true);
  });

  it('throws SchemaError for unknown names and conflicting registrations', () => {
    assert.equal(hasMessage('no.Such'), false);
    assert.throws(
      () => messageInfo('no.Such'),
      (e: unknown) => e instanceof SchemaError && e.typeName === 'no.Such' && /no\.Such/.test(e.message),
    );
    assert.throws(() => enumInfo('no.Such'), SchemaError);
    registerSchema(TEST_SCHEMA); // same tables again: fine
    assert.throws(() => registerSchema({ messages: { 'vk.test.Node': [['value', 1, 9, 0]] }, enums: {} }), SchemaError);
    assert.throws(
      () => registerSchema({ messages: { 'vk.test.Broken': [['x', 1, 'vk.test.Missing', 0]] }, enums: {} }),
      (e: unknown) => e instanceof SchemaError && /vk\.test\.Missing/.test(e.message),
    );
    assert.equal(hasMessage('vk.test.Broken'), false);
  });

  it('registered test types get ts-proto defaults (int64 kinds "0", maps {}, optional/oneof undefined)', () => {
    const m = createMessage<Record<string, unknown>>(KINDS);
    assert.equal(m.fSint64, '0');
    assert.equal(m.fFixed64, '0');
    assert.equal(m.fSfixed32, 0);
    assert.deepStrictEqual(m.mInt, {});
    assert.equal('optSint32' in m && m.optSint32 === undefined, true);
    assert.equal('choiceNode' in m && m.choiceNode === undefined, true);
    assert.deepStrictEqual(m.fBytes, new Uint8Array(0));
  });

  it('every scalar kind, int/bool/int64-keyed and message-valued maps round trip through binary, protobufjs and JSON', () => {
    const root = protobufjsRoot([KINDS]);
    const T = root.lookupType(KINDS);
    fc.assert(
      fc.property(arbitraryMessage(KINDS, { maxDepth: 3, maxLength: 3 }), (m) => {
        const bytes = encodeMessage(KINDS, m);
        assert.deepStrictEqual(decodeMessage(KINDS, bytes), m);
        // protobufjs reads our bytes and writes bytes we read back equal (except
        // int64-keyed maps, which it keys by an internal hash it cannot re-encode,
        // and bool-keyed maps, whose "false" key it re-encodes as true)
        const plain = { ...m, mSint64: {}, mFixed64: {}, mBool: {} };
        assert.deepStrictEqual(decodeMessage(KINDS, T.encode(T.decode(encodeMessage(KINDS, plain))).finish()), plain);
        assert.deepStrictEqual(messageFromJson(KINDS, JSON.parse(JSON.stringify(messageToJson(KINDS, m)))), m);
        assert.deepStrictEqual(messageFromJson(KINDS, JSON.parse(JSON.stringify(messageToJson(KINDS, m, { enumAsInt: true })))), m);
      }),
      { seed: 42, numRuns: 400 },
    );
  });

  it('JSON of the test type: capitalised names kept, int keys, negative enum values', () => {
    const m = messageFromJson<Record<string, unknown>>(KINDS, {
      IPProtocol: 'tcp',
      mInt: { '-5': 'x' },
      mBool: { true: '7' },
      shade: 'NEGATIVE',
      rShade: [1, 'DARK'],
    });
    assert.equal(m.IPProtocol, 'tcp');
    assert.deepStrictEqual(m.mInt, { '-5': 'x' });
    assert.equal(m.shade, -1);
    assert.deepStrictEqual(m.rShade, [1, 2]);
    assert.deepStrictEqual(messageToJson(KINDS, m), {
      shade: 'NEGATIVE',
      rShade: ['LIGHT', 'DARK'],
      mInt: { '-5': 'x' },
      mBool: { true: '7' },
      IPProtocol: 'tcp',
    });
    assert.throws(() => messageFromJson(KINDS, { mInt: { x: 'y' } }), /mInt\["x"\]/);
    assert.throws(() => messageFromJson(KINDS, { mBool: { yes: '1' } }), /mBool\["yes"\]/);
    assert.throws(() => messageFromJson(KINDS, { mInt: { '2147483648': 'y' } }), /mInt\["2147483648"\]/);
  });

  it('recursive messages: 100 levels decode, deeper is refused', () => {
    const nest = (n: number): Record<string, unknown> => (n === 0 ? { value: 1 } : { next: nest(n - 1) });
    assert.doesNotThrow(() => messageFromJson('vk.test.Node', nest(98)));
    assert.throws(() => messageFromJson('vk.test.Node', nest(150)), /nested more than 100/);
  });
});
