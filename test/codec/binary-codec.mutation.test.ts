/**
 * The binary codec pinned by value where the ts-proto round trips left room
 * (found by mutation testing, MUTATION.md): the exact bytes of every scalar
 * type, of map keys at their defaults, of wrappers and FieldMasks as fields,
 * list elements and map values; what the reader does with fields it does
 * not expect inside them (skips them); map entries missing their key or
 * value; the nesting limit at its edge both ways; and each refusal's code,
 * type and reason. Expected bytes come from `@bufbuild/protobuf/wire`'s
 * writer (the one ts-proto's code uses), written field by field here.
 *
 * Types no Vision or test proto has (every scalar kind, wrapper lists and
 * wrapper-valued maps, a self-nesting message) come from the inline tables
 * of test/schema/test-schema.ts and from the tables registered below.
 */
import assert from 'node:assert/strict';
import { BinaryWriter, WireType } from '@bufbuild/protobuf/wire';
import fc from 'fast-check';
import { Code } from 'vision-kit';
import {
  createMessage,
  decodeMessage,
  encodeMessage,
  messageFromJson,
  packAny,
  registerSchema,
  unpackAny,
  WireError,
} from 'vision-kit/codec';
import { heldMessage } from '../../src/codec/held-any.js';
import { KINDS, TEST_SCHEMA } from '../schema/test-schema.js';
import { arbitraryMessage } from '../support/arbitrary-message.js';
import { protobufjsRoot } from '../support/protobufjs-root.js';

const WRAPPED = 'vkbin.v1.Wrapped';
const ODD = 'vkbin.v1.Odd';
const NODE = 'vk.test.Node';
const STATUS = 'google.rpc.Status';

registerSchema(TEST_SCHEMA);
registerSchema({
  messages: {
    [WRAPPED]: [
      ['i32', 1, 'google.protobuf.Int32Value', 0],
      ['i64', 2, 'google.protobuf.Int64Value', 0],
      ['raw', 3, 'google.protobuf.BytesValue', 0],
      ['list', 4, 'google.protobuf.Int32Value', 1],
      ['byName', 5, 'vkbin.v1.Wrapped.ByNameEntry', 2, 'by_name'],
      ['mask', 6, 'google.protobuf.FieldMask', 0],
      ['text', 7, 'google.protobuf.StringValue', 0],
    ],
    'vkbin.v1.Wrapped.ByNameEntry': [
      ['key', 1, 9, 0],
      ['value', 2, 'google.protobuf.Int32Value', 0],
    ],
    // 11 is no scalar type (a message in descriptor.proto's numbering): a table written by hand by mistake.
    [ODD]: [['x', 1, 11, 0]],
  },
  enums: {},
});

type Obj = Record<string, unknown>;

/** Bytes written by @bufbuild/protobuf's writer. */
function wire(write: (w: BinaryWriter) => void): Uint8Array {
  const w = new BinaryWriter();
  write(w);
  return w.finish();
}

/** A length-delimited field `no` whose body `body` writes. */
function nested(w: BinaryWriter, no: number, body: (w: BinaryWriter) => void): BinaryWriter {
  w.tag(no, WireType.LengthDelimited).fork();
  body(w);
  return w.join();
}

/** The WireError `f` throws. */
function wireError(f: () => unknown): WireError {
  try {
    f();
  } catch (e) {
    assert.ok(e instanceof WireError, String(e));
    return e;
  }
  assert.fail('no WireError');
}

/** A Node message nesting `depth` more Nodes under `next`, as decode gives it. */
function chain(depth: number): Obj {
  return { value: depth, next: depth === 0 ? undefined : chain(depth - 1), children: [] };
}

/** The bytes of {@link chain}. */
function chainBytes(w: BinaryWriter, depth: number): void {
  if (depth === 0) return;
  w.tag(1, WireType.Varint).sint32(depth);
  nested(w, 2, (x) => chainBytes(x, depth - 1));
}

describe('binary codec, pinned by value', () => {
  describe('scalars', () => {
    const m = {
      fDouble: 1.5,
      fFloat: -2.5,
      fInt64: '-3',
      fUint64: '18446744073709551615',
      fInt32: -4,
      fFixed64: '18446744073709551614',
      fFixed32: 4294967295,
      fBool: true,
      fString: 'é',
      fBytes: new Uint8Array([1, 2]),
      fUint32: 4294967294,
      fSfixed32: -5,
      fSfixed64: '-6',
      fSint32: -7,
      fSint64: '-9223372036854775808',
    };
    const bytes = wire((w) =>
      w
        .tag(1, WireType.Bit64)
        .double(1.5)
        .tag(2, WireType.Bit32)
        .float(-2.5)
        .tag(3, WireType.Varint)
        .int64('-3')
        .tag(4, WireType.Varint)
        .uint64('18446744073709551615')
        .tag(5, WireType.Varint)
        .int32(-4)
        .tag(6, WireType.Bit64)
        .fixed64('18446744073709551614')
        .tag(7, WireType.Bit32)
        .fixed32(4294967295)
        .tag(8, WireType.Varint)
        .bool(true)
        .tag(9, WireType.LengthDelimited)
        .string('é')
        .tag(12, WireType.LengthDelimited)
        .bytes(new Uint8Array([1, 2]))
        .tag(13, WireType.Varint)
        .uint32(4294967294)
        .tag(15, WireType.Bit32)
        .sfixed32(-5)
        .tag(16, WireType.Bit64)
        .sfixed64('-6')
        .tag(17, WireType.Varint)
        .sint32(-7)
        .tag(18, WireType.Varint)
        .sint64('-9223372036854775808'),
    );

    it('writes every scalar type in its own encoding', () => {
      assert.deepStrictEqual(encodeMessage(KINDS, m), bytes);
    });

    it('reads every scalar type from its own encoding', () => {
      assert.deepStrictEqual(decodeMessage(KINDS, bytes), { ...createMessage(KINDS), ...m });
    });

    it('leaves out fields set to null, like unset ones', () => {
      const nulls = { fString: null, fInt64: null, fBool: null, node: null, rSint32: null, mInt: null, count: null, mask: null };
      assert.deepStrictEqual(encodeMessage(KINDS, nulls), new Uint8Array(0));
    });
  });

  describe('map keys', () => {
    it('writes a key at its default (0, false) as no key at all, and other keys as their type', () => {
      const m = {
        mInt: { '0': 'zero', '-1': 'neg' },
        mBool: { true: '1', false: '2' },
        mUint32: { '7': 0 },
        mFixed64: { '0': new Uint8Array([9]) },
      };
      const expected = wire((w) => {
        nested(w, 30, (e) => e.tag(2, WireType.LengthDelimited).string('zero'));
        nested(w, 30, (e) => e.tag(1, WireType.Varint).int32(-1).tag(2, WireType.LengthDelimited).string('neg'));
        nested(w, 31, (e) => e.tag(1, WireType.Varint).bool(true).tag(2, WireType.Varint).int64('1'));
        nested(w, 31, (e) => e.tag(2, WireType.Varint).int64('2'));
        nested(w, 33, (e) => e.tag(1, WireType.Varint).uint32(7));
        nested(w, 34, (e) => e.tag(2, WireType.LengthDelimited).bytes(new Uint8Array([9])));
      });
      assert.deepStrictEqual(encodeMessage(KINDS, m), expected);
      assert.deepStrictEqual(decodeMessage(KINDS, expected), { ...createMessage(KINDS), ...m });
    });

    it('reads a missing key as the key type’s default ("0" for int64 kinds, false for bool)', () => {
      const bytes = wire((w) => {
        nested(w, 32, (e) => nested(e, 2, (n) => n.tag(1, WireType.Varint).sint32(3)));
        nested(w, 31, (e) => e.tag(2, WireType.Varint).int64('4'));
      });
      const m = decodeMessage<Obj>(KINDS, bytes);
      assert.deepStrictEqual(m.mSint64, { '0': { value: 3, next: undefined, children: [] } });
      assert.deepStrictEqual(m.mBool, { false: '4' });
    });

    it('reads a map field sent with another wire type as an unknown field (skipped)', () => {
      const bytes = wire((w) => w.tag(31, WireType.Varint).int32(5).tag(30, WireType.Bit32).fixed32(1));
      const m = decodeMessage<Obj>(KINDS, bytes);
      assert.deepStrictEqual([m.mBool, m.mInt], [{}, {}]);
    });

    it('skips fields of a map entry other than key and value', () => {
      const bytes = wire((w) =>
        nested(w, 30, (e) =>
          e.tag(1, WireType.Varint).int32(1).tag(2, WireType.LengthDelimited).string('x').tag(3, WireType.Varint).int32(5),
        ),
      );
      assert.deepStrictEqual(decodeMessage<Obj>(KINDS, bytes).mInt, { '1': 'x' });
    });
  });

  describe('message-valued map entries', () => {
    it('writes an entry whose message is undefined with its key alone', () => {
      const bytes = encodeMessage(KINDS, { mSint64: { '5': undefined } });
      assert.deepStrictEqual(
        bytes,
        wire((w) => nested(w, 32, (e) => e.tag(1, WireType.Varint).sint64(5))),
      );
    });

    it('drops an entry read without its message, as ts-proto does', () => {
      const bytes = wire((w) => {
        nested(w, 32, (e) => e.tag(1, WireType.Varint).sint64(5));
        nested(w, 32, (e) => e.tag(1, WireType.Varint).sint64(6).tag(2, WireType.LengthDelimited).bytes(new Uint8Array(0)));
      });
      assert.deepStrictEqual(decodeMessage<Obj>(KINDS, bytes).mSint64, { '6': { value: 0, next: undefined, children: [] } });
    });
  });

  describe('wrappers and FieldMasks', () => {
    const m = {
      i32: 5,
      i64: '0',
      raw: new Uint8Array(0),
      list: [1, 0],
      byName: { a: 2, b: 0 },
      mask: ['a.b', 'c'],
      text: '',
    };
    const bytes = wire((w) => {
      nested(w, 1, (x) => x.tag(1, WireType.Varint).int32(5));
      nested(w, 2, () => {});
      nested(w, 3, () => {});
      nested(w, 4, (x) => x.tag(1, WireType.Varint).int32(1));
      nested(w, 4, () => {});
      nested(w, 5, (e) => nested(e.tag(1, WireType.LengthDelimited).string('a'), 2, (x) => x.tag(1, WireType.Varint).int32(2)));
      nested(w, 5, (e) => nested(e.tag(1, WireType.LengthDelimited).string('b'), 2, () => {}));
      nested(w, 6, (x) => x.tag(1, WireType.LengthDelimited).string('a.b').tag(1, WireType.LengthDelimited).string('c'));
      nested(w, 7, () => {});
    });

    it('writes each as a message, a default value as an empty one (fields, list elements, map values)', () => {
      assert.deepStrictEqual(encodeMessage(WRAPPED, m), bytes);
    });

    it('reads them back, an empty one as the wrapped type’s default ("0", empty bytes, "")', () => {
      assert.deepStrictEqual(decodeMessage(WRAPPED, bytes), m);
    });

    it('skips fields of a wrapper other than its value, whatever their wire type', () => {
      const bytes = wire((w) =>
        nested(w, 1, (x) =>
          x
            .tag(1, WireType.Varint)
            .int32(5)
            .tag(1, WireType.LengthDelimited)
            .string('')
            .tag(2, WireType.Varint)
            .int32(7)
            .tag(1, WireType.Bit32)
            .fixed32(1),
        ),
      );
      assert.equal(decodeMessage<Obj>(WRAPPED, bytes).i32, 5);
    });

    it('skips fields of a FieldMask other than its paths', () => {
      const bytes = wire((w) =>
        nested(w, 6, (x) =>
          x.tag(1, WireType.LengthDelimited).string('a').tag(1, WireType.Varint).int32(1).tag(2, WireType.LengthDelimited).string('b'),
        ),
      );
      assert.deepStrictEqual(decodeMessage<Obj>(WRAPPED, bytes).mask, ['a']);
    });

    it('drops a wrapper-valued map entry read without its value', () => {
      const bytes = wire((w) => nested(w, 5, (e) => e.tag(1, WireType.LengthDelimited).string('a')));
      assert.deepStrictEqual(decodeMessage<Obj>(WRAPPED, bytes).byName, {});
    });

    it('round trips random values, and protobufjs reads the same bytes back', () => {
      const root = protobufjsRoot([WRAPPED]);
      const T = root.lookupType(WRAPPED);
      fc.assert(
        fc.property(arbitraryMessage(WRAPPED, { maxLength: 3 }), (v) => {
          const ours = encodeMessage(WRAPPED, v);
          assert.deepStrictEqual(decodeMessage(WRAPPED, ours), v);
          assert.deepStrictEqual(decodeMessage(WRAPPED, T.encode(T.decode(ours)).finish()), v);
        }),
        { seed: 19, numRuns: 100 },
      );
    });
  });

  describe('fields sent with an unexpected wire type', () => {
    it('skips them as unknown fields and reads the rest', () => {
      const bytes = wire((w) => w.tag(1, WireType.Bit32).fixed32(1).tag(2, WireType.LengthDelimited).string('hi'));
      assert.deepStrictEqual(decodeMessage(STATUS, bytes), { code: 0, message: 'hi', details: [] });
    });
  });

  describe('nesting limit', () => {
    it('writes and reads messages nested 100 deep', () => {
      const bytes = wire((w) => chainBytes(w, 100));
      assert.deepStrictEqual(encodeMessage(NODE, chain(100)), bytes);
      assert.deepStrictEqual(decodeMessage(NODE, bytes), chain(100));
    });

    it('refuses to write messages nested 101 deep', () => {
      const e = wireError(() => encodeMessage(NODE, chain(101)));
      assert.equal(e.rawMessage, `cannot encode ${NODE}: messages nested more than 100 deep`);
    });

    it('refuses to read messages nested 101 deep', () => {
      const e = wireError(() =>
        decodeMessage(
          NODE,
          wire((w) => chainBytes(w, 101)),
        ),
      );
      assert.equal(e.rawMessage, `cannot decode ${NODE}: messages nested more than 100 deep`);
    });
  });

  describe('refusals', () => {
    const refusals: [string, number[], string][] = [
      ['a nested length past the end, before its content is read', [0x1a, 0x05, 0x00], 'premature EOF'],
      ['an end-group tag of a known field', [0x0c], 'invalid tag 12'],
      ['an end-group tag of an unknown field', [0xa4, 0x06], 'invalid tag 804'],
      ['wire type 6', [0x0e], 'invalid tag 14'],
      ['wire type 7 of an unknown field', [0xa7, 0x06], 'invalid tag 807'],
      [
        'a field that runs past the end of its message',
        [0x1a, 0x02, 0x0a, 0x03, 0x61, 0x62, 0x63],
        'a length-delimited field overruns its parent',
      ],
    ];
    for (const [what, bytes, reason] of refusals) {
      it(`refuses ${what}: "${reason}"`, () => {
        const e = wireError(() => decodeMessage(STATUS, new Uint8Array(bytes), { code: Code.INTERNAL }));
        assert.deepStrictEqual(
          [e.code, e.typeName, e.rawMessage, e.name],
          [Code.INTERNAL, STATUS, `cannot decode ${STATUS}: ${reason}`, 'WireError'],
        );
        assert.ok(e.cause instanceof Error);
        assert.equal(e.cause.message, reason);
      });
    }

    it('refuses a packed list that runs past its length', () => {
      // rSint32 (20), packed: a length of 1 around a two-byte varint
      const e = wireError(() => decodeMessage(KINDS, new Uint8Array([0xa2, 0x01, 0x01, 0x80, 0x01])));
      assert.equal(e.rawMessage, `cannot decode ${KINDS}: a length-delimited field overruns its parent`);
    });

    it('refuses a value the writer cannot encode, naming the type, with the code asked for and the cause', () => {
      const e = wireError(() => encodeMessage(KINDS, { fInt64: '9223372036854775808' }));
      assert.deepStrictEqual(
        [e.code, e.typeName, e.rawMessage, e.name],
        [Code.INVALID_ARGUMENT, KINDS, `cannot encode ${KINDS}: invalid int64: 9223372036854775808`, 'WireError'],
      );
      assert.ok(e.cause instanceof Error);
      assert.equal(e.cause.message, 'invalid int64: 9223372036854775808');
      assert.equal(wireError(() => encodeMessage(KINDS, { fInt64: '9223372036854775808' }, { code: Code.INTERNAL })).code, Code.INTERNAL);
    });

    it('refuses 32-bit values out of their range (sint32 is no sint64)', () => {
      assert.equal(
        wireError(() => encodeMessage(KINDS, { fSint32: 2147483648 })).rawMessage,
        `cannot encode ${KINDS}: invalid int32: 2147483648`,
      );
      assert.equal(
        wireError(() => encodeMessage(KINDS, { rSint32: [-2147483649] })).rawMessage,
        `cannot encode ${KINDS}: invalid int32: -2147483649`,
      );
    });

    it('refuses a table field whose type number is no scalar type, both ways', () => {
      assert.equal(wireError(() => encodeMessage(ODD, { x: 5 })).rawMessage, `cannot encode ${ODD}: unknown scalar type 11`);
      assert.equal(
        wireError(() => decodeMessage(ODD, new Uint8Array([0x08, 0x01]))).rawMessage,
        `cannot decode ${ODD}: unknown scalar type 11`,
      );
    });

    it('a WireError made without a cause has none', () => {
      const e = new WireError('a.B', 'bad');
      assert.deepStrictEqual([e.code, e.typeName, e.name, 'cause' in e], [Code.INVALID_ARGUMENT, 'a.B', 'WireError', false]);
    });
  });

  describe('types registered late', () => {
    let fresh = 0;
    /** A new pair of types, never planned before (the plans of nested types are filled in on first use). */
    function freshOuter(): string {
      const ns = `vkbin.fresh${++fresh}`;
      registerSchema({
        messages: {
          [`${ns}.Outer`]: [['inner', 1, `${ns}.Inner`, 0]],
          [`${ns}.Inner`]: [['n', 1, 5, 0]],
        },
        enums: {},
      });
      return `${ns}.Outer`;
    }
    const bytes = new Uint8Array([0x0a, 0x02, 0x08, 0x07]);

    it('write their nested messages on first use', () => {
      assert.deepStrictEqual(encodeMessage(freshOuter(), { inner: { n: 7 } }), bytes);
    });

    it('read their nested messages on first use', () => {
      assert.deepStrictEqual(decodeMessage(freshOuter(), bytes), { inner: { n: 7 } });
    });
  });

  describe('Anys read from JSON', () => {
    const METADATA = 'google.cloud.vision.v1p4beta1.OperationMetadata';
    const json = { name: 'operations/1', metadata: { '@type': `type.googleapis.com/${METADATA}`, state: 'RUNNING' } };

    it('give the bytes of their message through this codec', () => {
      const op = messageFromJson<{ metadata: { typeUrl: string; value: Uint8Array } }>('google.longrunning.Operation', json);
      assert.notEqual(heldMessage(op.metadata), undefined);
      assert.deepStrictEqual(op.metadata.value, new Uint8Array([0x08, 0x02]));
    });

    it('an Any of bytes is read through this codec', () => {
      const any = packAny(METADATA, { state: 2 });
      assert.deepStrictEqual(any.value, new Uint8Array([0x08, 0x02]));
      assert.deepStrictEqual(unpackAny(any), { state: 2, createTime: undefined, updateTime: undefined });
    });
  });
});
