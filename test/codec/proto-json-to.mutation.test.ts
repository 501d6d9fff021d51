/**
 * The proto3 JSON writer (src/codec/json/to-json.ts), pinned where its
 * mutation run found the tests silent: the text written for each kind, each
 * refusal's reason and field path, the 100-level nesting bound, the float32
 * shortest form, lenient requests. See MUTATION.md.
 */
import assert from 'node:assert/strict';
import { Code } from 'vision-kit';
import { type FieldInfo, messageInfo, messageToJsonText, ProtoJsonError, packAny, registerSchema, TYPE_URL_PREFIX } from 'vision-kit/codec';
import { fieldValueToString } from '../../src/codec/field-text.js';
import { KINDS, TEST_SCHEMA } from '../schema/test-schema.js';

const V = 'google.cloud.vision.v1p4beta1.';
const OPERATION = 'google.longrunning.Operation';
const QUOTA = 'google.rpc.QuotaFailure.Violation';

function field(type: string, name: string): FieldInfo {
  return messageInfo(type).byJsonName.get(name) as FieldInfo;
}

/** Asserts a ProtoJsonError (INVALID_ARGUMENT) at `path` whose reason matches. */
function refused(fn: () => unknown, path: string, reason: RegExp): void {
  assert.throws(fn, (e: unknown) => {
    assert.ok(e instanceof ProtoJsonError, `expected ProtoJsonError, got ${String(e)}`);
    assert.equal(e.code, Code.INVALID_ARGUMENT);
    assert.equal(e.path, path);
    assert.match(e.message, reason);
    return true;
  });
}

const text = (type: string, m: object, o: { lenient?: boolean; enumAsInt?: boolean } = {}): string => messageToJsonText(type, m, o);
const kinds = (m: object, o: { lenient?: boolean; enumAsInt?: boolean } = {}): string => messageToJsonText(KINDS, m, o);

/** A chain of `n` vk.test.Node messages, each the `next` of the one before. */
function chain(n: number): object {
  let m: object = { value: 1 };
  for (let i = 1; i < n; i++) m = { value: 1, next: m };
  return m;
}

describe('proto3 JSON writer (mutation-pinned)', () => {
  before(() => registerSchema(TEST_SCHEMA));

  describe('floats', () => {
    it('writes a float32 in the shortest form that reads back to it (7 to 9 digits when needed)', () => {
      assert.equal(kinds({ fFloat: Math.fround(0.1) }), '{"fFloat":0.1}');
      assert.equal(kinds({ fFloat: Math.fround(1 / 3) }), '{"fFloat":0.33333334}');
      assert.equal(kinds({ fFloat: Math.fround(16777217 / 3) }), `{"fFloat":${String(Math.fround(16777217 / 3))}}`);
      assert.equal(kinds({ fFloat: 0.5 }), '{"fFloat":0.5}');
      assert.equal(kinds({ fFloat: 0.1 }), '{"fFloat":0.1}', 'a value that is no float32 prints as given');
      assert.equal(kinds({ fFloat: 0.123456789 }), '{"fFloat":0.123456789}', 'a long one too');
    });

    it('writes a double as it is (no float32 shortening); NaN and Infinity quoted; refuses a string', () => {
      assert.equal(kinds({ fDouble: Math.fround(0.3) }), '{"fDouble":0.30000001192092896}');
      assert.equal(kinds({ fDouble: -Infinity, fFloat: Number.NaN }), '{"fDouble":"-Infinity","fFloat":"NaN"}');
      refused(() => kinds({ fDouble: '1' }), 'fDouble', /expected double, got the string "1"/);
      refused(() => kinds({ fFloat: true }), 'fFloat', /expected float, got boolean true/);
    });

    it('string forms (query parameters): double as given, float shortest, refusing other types', () => {
      assert.equal(fieldValueToString(field(KINDS, 'fDouble'), Math.fround(0.3)), '0.30000001192092896');
      assert.equal(fieldValueToString(field(KINDS, 'fFloat'), Math.fround(0.3)), '0.3');
      refused(() => fieldValueToString(field(KINDS, 'fDouble'), 'x'), 'fDouble', /expected double, got the string "x"/);
      refused(() => fieldValueToString(field(KINDS, 'fFloat'), 'x'), 'fFloat', /expected float, got the string "x"/);
      refused(() => fieldValueToString(field(KINDS, 'fString'), 5), 'fString', /expected string, got number 5/);
      refused(() => fieldValueToString(field(KINDS, 'fBool'), 1), 'fBool', /expected bool, got number 1/);
      refused(() => fieldValueToString(field(KINDS, 'fInt32'), '5'), 'fInt32', /expected int32, got the string "5"/);
      refused(() => fieldValueToString(field(KINDS, 'shade'), 'DARK'), 'shade', /expected a vk\.test\.Shade number, got the string "DARK"/);
      refused(() => fieldValueToString(field(KINDS, 'when'), null), 'when', /expected a Timestamp object, got null/);
    });

    it('string forms of 64-bit integers are strings, whatever the caller gave', () => {
      assert.strictEqual(fieldValueToString(field(KINDS, 'fInt64'), 5), '5');
      assert.strictEqual(fieldValueToString(field(KINDS, 'fInt64'), -5n), '-5');
      assert.strictEqual(fieldValueToString(field(KINDS, 'fUint64'), '007'), '007');
      assert.strictEqual(fieldValueToString(field(KINDS, 'fUint64'), '7e1', { lenient: true }), '70');
    });
  });

  describe('scalars', () => {
    it('strings made only of characters JSON escapes are escaped', () => {
      assert.equal(kinds({ fString: '"\\\n' }), '{"fString":"\\"\\\\\\n"}');
      assert.equal(kinds({ fString: 'a"b' }), '{"fString":"a\\"b"}');
      assert.equal(kinds({ fString: 'plain text' }), '{"fString":"plain text"}');
    });

    it('bools: true written, false left out, other types refused', () => {
      assert.equal(kinds({ fBool: true }), '{"fBool":true}');
      assert.equal(kinds({ fBool: false }), '{}');
      assert.equal(text(OPERATION, { done: true }), '{"done":true}');
      refused(() => kinds({ fBool: 'true' }), 'fBool', /expected bool, got the string "true"/);
    });

    it('32-bit integers: bounds of each kind, bigints only when lenient', () => {
      assert.equal(kinds({ fUint32: 4294967295, fSfixed32: -2147483648 }), '{"fUint32":4294967295,"fSfixed32":-2147483648}');
      assert.equal(kinds({ fFixed32: 7 }), '{"fFixed32":7}');
      assert.equal(kinds({ fFixed32: 4294967295 }), '{"fFixed32":4294967295}');
      refused(() => kinds({ fInt32: 1.5 }, { lenient: true }), 'fInt32', /expected int32, got number 1\.5/);
      refused(() => kinds({ fInt64: [0] }, { lenient: true }), 'fInt64', /expected int64, got an array/);
      refused(() => kinds({ fUint32: -1 }), 'fUint32', /expected uint32, got number -1/);
      refused(() => kinds({ fFixed32: 4294967296 }), 'fFixed32', /expected fixed32, got number 4294967296/);
      refused(() => kinds({ fUint32: '5' }), 'fUint32', /expected uint32, got the string "5"/);
      refused(() => kinds({ fInt32: 2147483648 }), 'fInt32', /expected int32, got number 2147483648/);
      refused(() => kinds({ fInt32: 5n }), 'fInt32', /expected int32, got bigint 5/);
      refused(() => kinds({ fUint32: 5n }), 'fUint32', /expected uint32, got bigint 5/);
      assert.equal(kinds({ fUint32: 5n, fInt32: -3n }, { lenient: true }), '{"fInt32":-3,"fUint32":5}');
      refused(() => kinds({ fUint32: 4294967296n }, { lenient: true }), 'fUint32', /4294967296 is out of range for uint32/);
      assert.equal(text('google.protobuf.UInt32Value', { value: 4294967295 }), '4294967295');
      refused(() => text('google.protobuf.UInt32Value', { value: 1.5 }), '', /expected uint32, got number 1\.5/);
    });

    it('64-bit integers: numbers while safe, bigints, decimal strings; the rest refused by kind', () => {
      assert.equal(text(QUOTA, { quotaValue: 5 }), '{"quotaValue":"5"}');
      assert.equal(text(QUOTA, { quotaValue: 5n }), '{"quotaValue":"5"}');
      assert.equal(text(QUOTA, { quotaValue: '-9223372036854775808' }), '{"quotaValue":"-9223372036854775808"}');
      refused(() => text(QUOTA, { quotaValue: 2 ** 53 }), 'quotaValue', /expected int64, got number 9007199254740992/);
      refused(() => text(QUOTA, { quotaValue: 1e20 }), 'quotaValue', /expected int64, got number 100000000000000000000/);
      refused(() => text(QUOTA, { quotaValue: 'x1' }), 'quotaValue', /expected int64, got the string "x1"/);
      refused(() => text(QUOTA, { quotaValue: '1x' }), 'quotaValue', /expected int64, got the string "1x"/);
      refused(() => text(QUOTA, { quotaValue: '9223372036854775808' }), 'quotaValue', /9223372036854775808 is out of range for int64/);
      refused(() => text(QUOTA, { quotaValue: true }), 'quotaValue', /expected int64, got boolean true/);
      refused(() => text(`${V}Property`, { uint64Value: -5 }), 'uint64Value', /-5 is out of range for uint64/);
      refused(() => text(`${V}Property`, { uint64Value: '-5' }), 'uint64Value', /-5 is out of range for uint64/);
      assert.equal(text(`${V}Property`, { uint64Value: '18446744073709551615' }), '{"uint64Value":"18446744073709551615"}');
      assert.equal(text(QUOTA, { quotaValue: '1e2' }, { lenient: true }), '{"quotaValue":"100"}');
      assert.equal(text(QUOTA, { quotaValue: '0' }, { lenient: true }), '{}');
      assert.equal(text(QUOTA, { quotaValue: 0n }), '{}', 'a zero bigint is the default, left out as 0 and "0" are');
      assert.equal(kinds({ fUint64: 0n, fSint64: 0n, fInt32: 0 }), '{}');
      assert.equal(kinds({ fUint64: 0n, fInt64: '0e3', fSint64: 7 }, { lenient: true }), '{"fSint64":"7"}');
      assert.equal(kinds({ fString: '0', fInt32: 0n, fBool: true }, { lenient: true }), '{"fBool":true,"fString":"0"}');
    });

    it('bytes: base64 out, other types refused', () => {
      assert.equal(text(`${V}Image`, { content: new Uint8Array([0xfb, 0xff]) }), '{"content":"+/8="}');
      refused(() => text(`${V}Image`, { content: 'abc' }), 'content', /expected bytes, got the string "abc"/);
    });
  });

  describe('enums', () => {
    it('names quoted, unknown numbers bare, zero left out; wrong types refused', () => {
      assert.equal(kinds({ shade: 2 }), '{"shade":"DARK"}');
      assert.equal(kinds({ shade: 7 }), '{"shade":7}');
      assert.equal(kinds({ shade: 0 }), '{}');
      assert.equal(kinds({ shade: 2 }, { enumAsInt: true }), '{"shade":2}');
      refused(() => kinds({ shade: 1.5 }), 'shade', /expected a vk\.test\.Shade number, got number 1\.5/);
      refused(() => kinds({ shade: 2n }), 'shade', /expected a vk\.test\.Shade number, got bigint 2/);
      refused(() => kinds({ shade: 'DARK' }), 'shade', /expected a vk\.test\.Shade number, got the string "DARK"/);
      refused(() => kinds({ shade: '' }), 'shade', /expected a vk\.test\.Shade number, got the string ""/);
      refused(() => kinds({ shade: false }), 'shade', /expected a vk\.test\.Shade number, got boolean false/);
    });

    it('lenient: names taken (quoted, or their number with enumAsInt), a zero name left out, unknown names refused', () => {
      assert.equal(kinds({ shade: 'DARK' }, { lenient: true }), '{"shade":"DARK"}');
      assert.equal(kinds({ shade: 'DARK' }, { lenient: true, enumAsInt: true }), '{"shade":2}');
      assert.equal(kinds({ shade: 'SHADE_UNSPECIFIED' }, { lenient: true }), '{}');
      assert.equal(kinds({ rShade: ['LIGHT', 2] }, { lenient: true }), '{"rShade":["LIGHT","DARK"]}');
      refused(() => kinds({ shade: 'PINK' }, { lenient: true }), 'shade', /unknown value "PINK" for enum vk\.test\.Shade/);
      refused(() => kinds({ shade: 1.5 }, { lenient: true }), 'shade', /expected a vk\.test\.Shade number, got number 1\.5/);
    });
  });

  describe('well-known types', () => {
    it('Timestamp: refuses a non-object, fractional seconds, bad nanos and the range, by name', () => {
      const ps = `${V}ProductSet`;
      refused(() => text(ps, { indexTime: 'x' }), 'indexTime', /expected a Timestamp object, got the string "x"/);
      refused(() => text(ps, { indexTime: 5 }), 'indexTime', /expected a Timestamp object, got number 5/);
      refused(() => text(ps, { indexTime: [] }), 'indexTime', /expected a Timestamp object, got an array/);
      refused(() => text(ps, { indexTime: { seconds: 1.5 } }), 'indexTime', /Timestamp seconds number 1\.5 is not an integer/);
      refused(() => text(ps, { indexTime: { seconds: 1, nanos: 1.5 } }), 'indexTime', /Timestamp nanos number 1\.5 is out of range/);
      refused(() => text(ps, { indexTime: { seconds: 1, nanos: '5' } }), 'indexTime', /Timestamp nanos the string "5" is out of range/);
      refused(() => text(ps, { indexTime: { seconds: 1, nanos: 1e9 } }), 'indexTime', /Timestamp nanos number 1000000000 is out of range/);
      refused(
        () => text(ps, { indexTime: { seconds: 1, nanos: -1 } }),
        'indexTime',
        /Timestamp 1s -1ns is outside 0001-01-01\.\.9999-12-31/,
      );
      refused(() => text(ps, { indexTime: { seconds: -62135596801 } }), 'indexTime', /Timestamp -62135596801s 0ns is outside/);
      refused(() => text(ps, { indexTime: { seconds: 253402300800 } }), 'indexTime', /Timestamp 253402300800s 0ns is outside/);
      assert.equal(text(ps, { indexTime: { seconds: -62135596800, nanos: 999999999 } }), '{"indexTime":"0001-01-01T00:00:00.999999999Z"}');
      assert.equal(text(ps, { indexTime: { seconds: '253402300799' } }), '{"indexTime":"9999-12-31T23:59:59Z"}');
    });

    it('Duration: bounds of seconds and nanos, signs that must agree, by name', () => {
      const w = 'google.longrunning.WaitOperationRequest';
      assert.equal(text(w, { timeout: { seconds: 0, nanos: 5 } }), '{"timeout":"0.000000005s"}');
      assert.equal(text(w, { timeout: { seconds: 0, nanos: -999999999 } }), '{"timeout":"-0.999999999s"}');
      assert.equal(text(w, { timeout: { seconds: '-315576000000' } }), '{"timeout":"-315576000000s"}');
      assert.equal(text(w, { timeout: { seconds: 315576000000, nanos: 0 } }), '{"timeout":"315576000000s"}');
      refused(
        () => text(w, { timeout: { seconds: 315576000001 } }),
        'timeout',
        /Duration of 315576000001s is out of range \(±315576000000s\)/,
      );
      refused(() => text(w, { timeout: { seconds: -315576000001 } }), 'timeout', /Duration of -315576000001s is out of range/);
      refused(() => text(w, { timeout: { nanos: -1e9 } }), 'timeout', /Duration nanos number -1000000000 is out of range/);
      refused(() => text(w, { timeout: { nanos: 1e9 } }), 'timeout', /Duration nanos number 1000000000 is out of range/);
      refused(() => text(w, { timeout: { seconds: 1, nanos: -1 } }), 'timeout', /Duration seconds 1 and nanos -1 have different signs/);
      refused(() => text(w, { timeout: { seconds: -1, nanos: 1 } }), 'timeout', /Duration seconds -1 and nanos 1 have different signs/);
      refused(() => text(w, { timeout: '1s' }), 'timeout', /expected a Duration object, got the string "1s"/);
      refused(() => text(w, { timeout: { seconds: 'x' } }), 'timeout', /Duration seconds the string "x" is not an integer/);
    });

    it('FieldMask: an array of snake_case path strings, each refused by itself', () => {
      const u = `${V}UpdateProductRequest`;
      assert.equal(text(u, { updateMask: ['display_name', 'a.b_c'] }), '{"updateMask":"displayName,a.bC"}');
      assert.equal(text('google.protobuf.FieldMask', {}), '""');
      refused(() => text(u, { updateMask: 'display_name' }), 'updateMask', /expected a FieldMask \(array of paths\), got the string/);
      refused(() => text(u, { updateMask: ['a', 5] }), 'updateMask', /expected a FieldMask path string, got number 5/);
      refused(() => text(u, { updateMask: ['a_B'] }), 'updateMask', /FieldMask path "a_B" has no lowerCamel JSON form/);
    });

    it('Any: an empty one is {}; a missing or wrong typeUrl or value is refused', () => {
      assert.equal(text(OPERATION, { metadata: {} }), '{"metadata":{}}');
      assert.equal(text(OPERATION, { metadata: { typeUrl: '', value: new Uint8Array(0) } }), '{"metadata":{}}');
      refused(() => text(OPERATION, { metadata: 'x' }), 'metadata', /expected an Any object, got the string "x"/);
      refused(() => text(OPERATION, { metadata: [] }), 'metadata', /expected an Any object, got an array/);
      refused(() => text(OPERATION, { metadata: { value: new Uint8Array([1]) } }), 'metadata', /unknown type "" in Any/);
      refused(() => text(OPERATION, { metadata: { typeUrl: 5 } }), 'metadata', /expected an Any with a string typeUrl and bytes value/);
      refused(
        () => text(OPERATION, { metadata: { typeUrl: `${TYPE_URL_PREFIX}google.protobuf.Empty`, value: 'x' } }),
        'metadata',
        /expected an Any with a string typeUrl and bytes value/,
      );
      const empty = packAny('google.protobuf.Empty', {});
      assert.equal(text(OPERATION, { metadata: empty }), `{"metadata":{"@type":"${TYPE_URL_PREFIX}google.protobuf.Empty"}}`);
    });
  });

  it('a type written for the first time finds its enum and message types', () => {
    // A fresh type name each run, so that no earlier write has filled the plan's caches.
    const name = `vk.test.Fresh${Math.random().toString(36).slice(2)}`;
    registerSchema({
      messages: {
        [name]: [
          ['shade', 1, 'vk.test.Shade', 0],
          ['node', 2, 'vk.test.Node', 0],
        ],
      },
      enums: {},
    });
    assert.equal(text(name, { shade: 2, node: { value: 3 } }), '{"shade":"DARK","node":{"value":3}}');
    const other = `${name}X`;
    registerSchema({ messages: { [other]: [['shade', 1, 'vk.test.Shade', 0]] }, enums: {} });
    assert.equal(text(other, { shade: 'LIGHT' }, { lenient: true }), '{"shade":"LIGHT"}');
  });

  describe('messages, lists, maps', () => {
    it('refuses a message field that is not an object, naming its type', () => {
      refused(() => kinds({ node: 'x' }), 'node', /expected a vk\.test\.Node object, got the string "x"/);
      refused(() => kinds({ node: [] }), 'node', /expected a vk\.test\.Node object, got an array/);
      refused(() => kinds({ node: 5 }), 'node', /expected a vk\.test\.Node object, got number 5/);
      refused(() => text(KINDS, 'x' as unknown as object), '', /expected a vk\.test\.Kinds object, got the string "x"/);
      refused(() => text(KINDS, null as unknown as object), '', /expected a vk\.test\.Kinds object, got null/);
      refused(() => text(KINDS, [] as unknown as object), '', /expected a vk\.test\.Kinds object, got an array/);
      refused(() => text('google.protobuf.Any', [] as unknown as object), '', /expected a google\.protobuf\.Any object, got an array/);
    });

    it('writes 100 nested messages and refuses 101 (at the 101st level)', () => {
      const ok = text('vk.test.Node', chain(100));
      assert.equal(ok, `${'{"value":1,"next":'.repeat(99)}{"value":1}${'}'.repeat(99)}`);
      refused(() => text('vk.test.Node', chain(101)), `${'next.'.repeat(99)}next`, /messages nested more than 100 deep/);
    });

    it('an Any holding an Any counts one level: 100 of them (around a Duration) are written, 101 refused', () => {
      const nest = (k: number): object => {
        let a: object = packAny('google.protobuf.Duration', { seconds: '1', nanos: 0 });
        for (let i = 1; i < k; i++) a = packAny('google.protobuf.Any', a);
        return a;
      };
      const ok = text('google.protobuf.Any', nest(100));
      const any = `{"@type":"${TYPE_URL_PREFIX}google.protobuf.Any","value":`;
      assert.equal(ok, `${any.repeat(99)}{"@type":"${TYPE_URL_PREFIX}google.protobuf.Duration","value":"1s"}${'}'.repeat(99)}`);
      refused(() => text('google.protobuf.Any', nest(101)), '', /messages nested more than 100 deep/);
    });

    it('the nesting count goes back down after each message and each Any (long lists of them)', () => {
      const children = Array.from({ length: 150 }, () => ({ value: 2 }));
      assert.equal(text('vk.test.Node', { children }), `{"children":[${Array(150).fill('{"value":2}').join(',')}]}`);
      const details = Array.from({ length: 120 }, () => packAny('google.protobuf.Empty', {}));
      const written = text('google.rpc.Status', { code: 3, details });
      assert.equal((JSON.parse(written) as { details: unknown[] }).details.length, 120);
    });

    it('lists: commas between items, [] left out, not arrays and null/undefined items refused at their index', () => {
      assert.equal(kinds({ rBool: [true, false, true] }), '{"rBool":[true,false,true]}');
      assert.equal(kinds({ rBool: [] }), '{}');
      refused(() => kinds({ rBool: true }), 'rBool', /expected an array, got boolean true/);
      refused(() => kinds({ rBool: [true, null] }), 'rBool[1]', /null is not allowed in a repeated field/);
      refused(() => kinds({ rBool: [undefined] }), 'rBool[0]', /null is not allowed in a repeated field/);
      refused(() => kinds({ rBool: [true, 'x'] }), 'rBool[1]', /expected bool, got the string "x"/);
    });

    it('maps: {} left out, not objects and null/undefined values refused at their key', () => {
      assert.equal(kinds({ mInt: {} }), '{}');
      assert.equal(kinds({ mInt: { 1: 'a', 2: 'b' } }), '{"mInt":{"1":"a","2":"b"}}');
      refused(() => kinds({ mInt: 'x' }), 'mInt', /expected a map object, got the string "x"/);
      refused(() => kinds({ mInt: [] }), 'mInt', /expected a map object, got an array/);
      refused(() => kinds({ mInt: { 1: null } }), 'mInt["1"]', /null is not allowed as a map value/);
      refused(() => kinds({ mInt: { 1: 'a', 2: undefined } }), 'mInt["2"]', /null is not allowed as a map value/);
      refused(() => kinds({ mInt: { 1: 5 } }), 'mInt["1"]', /expected string, got number 5/);
    });

    it('a null oneof member does not count as set', () => {
      assert.equal(kinds({ choiceText: null, choiceShade: 2 }), '{"choiceShade":"DARK"}');
      assert.equal(
        text(OPERATION, { error: null, response: packAny('google.protobuf.Empty', {}) }),
        `{"response":{"@type":"${TYPE_URL_PREFIX}google.protobuf.Empty"}}`,
      );
      refused(() => kinds({ choiceText: 'a', choiceShade: 2 }), 'choiceText', /oneof member choiceShade is set too/);
    });

    it('names the property that is no field, not a field set before it; undefined properties do not count', () => {
      refused(() => kinds({ fString: 'a', bogus: 1 }), 'bogus', /unknown field "bogus" of vk\.test\.Kinds/);
      refused(() => kinds({ gone: undefined, fString: 'a', extra: 1 }), 'extra', /unknown field "extra" of vk\.test\.Kinds/);
      assert.equal(kinds({ gone: undefined, fString: 'a' }), '{"fString":"a"}');
      const inherited = Object.create({ bogus: 1 }) as { fString?: string };
      inherited.fString = 'a';
      assert.equal(kinds(inherited), '{"fString":"a"}', 'inherited properties are not the message’s');
    });

    it('paths of plain fields carry no index; list items carry a number, map values a quoted key', () => {
      refused(() => kinds({ fString: 5 }), 'fString', /expected string/);
      refused(() => kinds({ node: { next: { value: 'x' } } }), 'node.next.value', /expected sint32/);
      refused(() => kinds({ node: { children: [{}, { value: 'x' }] } }), 'node.children[1].value', /expected sint32/);
      refused(() => kinds({ mSint64: { '-1': { value: 'x' } } }), 'mSint64["-1"].value', /expected sint32/);
    });
  });
});
