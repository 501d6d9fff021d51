/**
 * The proto3 JSON reader (src/codec/json/from-json.ts), pinned where its
 * mutation run found the tests silent: what each accepted form reads as, each
 * refusal's reason and field path, the bounds of numbers, enums, Timestamps
 * and Durations, the 100-level nesting bound, unknown names skipped when
 * asked. See MUTATION.md.
 */
import assert from 'node:assert/strict';
import { Code } from 'vision-kit';
import { messageFromJson, messageFromJsonText, messageToJsonText, ProtoJsonError, registerSchema, TYPE_URL_PREFIX } from 'vision-kit/codec';
import { KINDS, TEST_SCHEMA } from '../schema/test-schema.js';

const V = 'google.cloud.vision.v1p4beta1.';
const OPERATION = 'google.longrunning.Operation';

/** Asserts a ProtoJsonError (INVALID_ARGUMENT) at `path` whose reason matches. */
function refused(fn: () => unknown, path: string, reason: RegExp | string): void {
  assert.throws(fn, (e: unknown) => {
    assert.ok(e instanceof ProtoJsonError, `expected ProtoJsonError, got ${String(e)}`);
    assert.equal(e.code, Code.INVALID_ARGUMENT);
    assert.equal(e.path, path);
    if (typeof reason === 'string') assert.ok(e.message.includes(reason), e.message);
    else assert.match(e.message, reason);
    return true;
  });
}

type Msg = Record<string, unknown>;
const read = (json: unknown, o: { ignoreUnknownFields?: boolean } = {}): Msg => messageFromJson<Msg>(KINDS, json, o);
/** One field of vk.test.Kinds read from `json`. */
const one = (name: string, json: unknown, o: { ignoreUnknownFields?: boolean } = {}): unknown => read({ [name]: json }, o)[name];

/** A chain of `n` vk.test.Node JSON objects, each the `next` of the one before. */
function chain(n: number): object {
  let m: object = { value: 1 };
  for (let i = 1; i < n; i++) m = { value: 1, next: m };
  return m;
}

describe('proto3 JSON reader (mutation-pinned)', () => {
  before(() => registerSchema(TEST_SCHEMA));

  describe('numbers', () => {
    it('doubles from JSON number strings of every form; other strings and types refused', () => {
      for (const [s, n] of [
        ['12', 12],
        ['12.5', 12.5],
        ['-0.25', -0.25],
        ['1e5', 1e5],
        ['1E+5', 1e5],
        ['1e-2', 0.01],
        ['1e10', 1e10],
        ['0', 0],
      ] as const)
        assert.equal(one('fDouble', s), n, s);
      for (const s of ['x1', '1x', ' 1', '1.', '01', '1e', '1e+', '.5', '1ex'])
        refused(() => one('fDouble', s), 'fDouble', `expected double, got the string ${JSON.stringify(s)}`);
      refused(() => one('fDouble', true), 'fDouble', /expected double, got boolean true/);
      refused(() => one('fDouble', [1]), 'fDouble', /expected double, got an array/);
      refused(() => one('fFloat', '1e39'), 'fFloat', /1e39 is out of range for float/);
      refused(() => one('fDouble', '1e309'), 'fDouble', /1e309 is out of range for double/);
    });

    it('doubles keep their precision, floats round to float32; -0 reads as 0', () => {
      assert.equal(one('fDouble', 0.1), 0.1);
      assert.equal(one('fFloat', 0.1), Math.fround(0.1));
      assert.ok(Object.is(one('fDouble', -0), 0));
      assert.ok(Object.is(one('fFloat', '-0'), 0));
      assert.ok(Number.isNaN(one('fDouble', 'NaN')));
      assert.equal(one('fFloat', '-Infinity'), Number.NEGATIVE_INFINITY);
    });

    it('integers: whole numbers and decimal strings in range; the reasons of each refusal', () => {
      assert.equal(one('fInt64', 5), '5');
      assert.equal(one('fInt32', '-7'), -7);
      refused(() => one('fInt64', 1.5), 'fInt64', /1\.5 is not a whole number for int64/);
      refused(() => one('fInt32', 'abc'), 'fInt32', /the string "abc" is not a int32 value/);
      refused(() => one('fInt32', true), 'fInt32', /expected int32 \(a number or a decimal string\), got boolean true/);
      refused(() => one('fInt32', [5]), 'fInt32', /expected int32 \(a number or a decimal string\), got an array/);
      refused(() => one('fUint32', -1), 'fUint32', /-1 is out of range for uint32/);
    });
  });

  describe('bytes and strings', () => {
    it('base64 with padding read exactly; a non-string refused', () => {
      assert.deepStrictEqual(one('fBytes', 'YQ=='), new Uint8Array([0x61]));
      assert.deepStrictEqual(one('fBytes', 'YWI='), new Uint8Array([0x61, 0x62]));
      assert.deepStrictEqual(one('fBytes', 'YQ'), new Uint8Array([0x61]));
      refused(() => one('fBytes', 5), 'fBytes', /expected base64 bytes, got number 5/);
      refused(() => one('fBytes', 'Y=Q='), 'fBytes', /the string "Y=Q=" is not valid base64/);
      refused(() => one('fBytes', 'YQ='), 'fBytes', /the string "YQ=" is not valid base64/);
    });

    it('strings: a lone surrogate alone is refused, a pair taken', () => {
      refused(() => one('fString', '\uD800'), 'fString', /lone surrogate/);
      refused(() => one('fString', '\uDC00'), 'fString', /lone surrogate/);
      assert.equal(one('fString', '\uD83D\uDE00'), '\uD83D\uDE00');
      refused(() => one('fString', 5), 'fString', /expected string, got number 5/);
      refused(() => one('fBool', 'true'), 'fBool', /expected bool, got the string "true"/);
    });
  });

  describe('enums', () => {
    it('numbers within int32 (-0 as 0), not beyond; fractions refused', () => {
      assert.equal(one('shade', 2147483647), 2147483647);
      assert.equal(one('shade', -2147483648), -2147483648);
      assert.ok(Object.is(one('shade', -0), 0));
      refused(() => one('shade', 2147483648), 'shade', /expected a vk\.test\.Shade name or number, got number 2147483648/);
      refused(() => one('shade', -2147483649), 'shade', /expected a vk\.test\.Shade name or number, got number -2147483649/);
      refused(() => one('shade', 1.5), 'shade', /expected a vk\.test\.Shade name or number, got number 1\.5/);
      refused(() => one('shade', true), 'shade', /expected a vk\.test\.Shade name or number, got boolean true/);
    });

    it('numeric strings within int32 (-0 as 0); longer, larger or mixed strings refused as unknown names', () => {
      assert.equal(one('shade', '10'), 10);
      assert.equal(one('shade', '-2147483648'), -2147483648);
      assert.equal(one('shade', '2147483647'), 2147483647);
      assert.ok(Object.is(one('shade', '-0'), 0));
      for (const s of ['2147483648', '9999999999', '12345678901', 'x5', '5x', '-2147483649', ' 5', '5 ', '1e3', '0x10', '1.0', ''])
        refused(() => one('shade', s), 'shade', `unknown value ${JSON.stringify(s)} for enum vk.test.Shade`);
      assert.equal(one('shade', 'x5', { ignoreUnknownFields: true }), 0);
    });

    it('unknown names skipped in lists and maps with ignoreUnknownFields', () => {
      assert.deepStrictEqual(one('rShade', ['DARK', 'PINK', 1], { ignoreUnknownFields: true }), [2, 1]);
      assert.deepStrictEqual(one('mUint32', { 1: 'PINK', 2: 'DARK' }, { ignoreUnknownFields: true }), { 2: 2 });
      refused(() => one('rShade', ['DARK', 'PINK']), 'rShade[1]', /unknown value "PINK"/);
    });
  });

  it('a type read for the first time finds its enum and message types', () => {
    // A fresh type name each run, so that no earlier read has filled the plan's caches.
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
    assert.deepStrictEqual(messageFromJson(name, { shade: 'DARK', node: { value: 3 } }), {
      shade: 2,
      node: { value: 3, next: undefined, children: [] },
    });
  });

  describe('Timestamp', () => {
    const ts = (s: unknown): unknown => one('when', s);
    it('reads the bounds of the range, with offsets', () => {
      assert.deepStrictEqual(ts('0001-01-01T00:00:00Z'), { seconds: '-62135596800', nanos: 0 });
      assert.deepStrictEqual(ts('9999-12-31T23:59:59.5z'), { seconds: '253402300799', nanos: 500000000 });
      assert.deepStrictEqual(ts('2020-01-01T23:59:59+23:59'), { seconds: String(1577923199 - 86340), nanos: 0 });
      assert.deepStrictEqual(ts('2020-01-01T00:00:00-01:30'), { seconds: String(1577836800 + 5400), nanos: 0 });
      assert.deepStrictEqual(ts('2020-02-29T00:00:00Z'), { seconds: '1582934400', nanos: 0 });
    });

    it('refuses texts around the format, impossible dates and times, and instants outside the range', () => {
      for (const s of ['x2020-01-01T00:00:00Z', '2020-01-01T00:00:00Zx', '2020-01-01 00:00:00Z', '2020-01-01T00:00:00'])
        refused(() => ts(s), 'when', /expected an RFC 3339 timestamp, got the string/);
      refused(() => ts(['2020-01-01T00:00:00Z']), 'when', /expected an RFC 3339 timestamp, got an array/);
      for (const s of [
        '2021-02-29T00:00:00Z',
        '2021-13-05T00:00:00Z',
        '2021-04-31T00:00:00Z',
        '2021-01-01T24:00:00Z',
        '2021-01-01T00:60:00Z',
        '2021-01-01T00:00:60Z',
        '2021-01-01T00:00:00+24:00',
        '2021-01-01T00:00:00+00:60',
      ])
        refused(() => ts(s), 'when', `the string "${s}" is not a valid date and time`);
      refused(() => ts('0001-01-01T00:00:00+00:01'), 'when', /is outside 0001-01-01\.\.9999-12-31/);
      refused(() => ts('9999-12-31T23:59:59-00:01'), 'when', /is outside 0001-01-01\.\.9999-12-31/);
      assert.deepStrictEqual(ts('2021-01-01T23:59:59Z'), { seconds: '1609545599', nanos: 0 });
      assert.deepStrictEqual(ts('2021-01-01T00:00:00+23:00'), { seconds: String(1609459200 - 82800), nanos: 0 });
    });
  });

  describe('Duration and FieldMask', () => {
    const W = 'google.longrunning.WaitOperationRequest';
    const dur = (s: unknown): unknown => messageFromJson<Msg>(W, { timeout: s }).timeout;
    it('Duration: "-0s" is zero; the bound; text around it and non-strings refused', () => {
      const z = dur('-0s') as { seconds: string; nanos: number };
      assert.equal(z.seconds, '0');
      assert.ok(Object.is(z.nanos, 0));
      assert.deepStrictEqual(dur('-315576000000.5s'), { seconds: '-315576000000', nanos: -500000000 });
      refused(() => dur('315576000001s'), 'timeout', /the string "315576000001s" is out of range \(±315576000000s\)/);
      refused(() => dur('1sx'), 'timeout', /expected a duration such as "1\.5s", got the string "1sx"/);
      refused(() => dur(['1s']), 'timeout', /expected a duration such as "1\.5s", got an array/);
    });

    it('FieldMask: reasons for a non-string, a bad path and a mixed-case one; the root form', () => {
      const U = `${V}UpdateProductRequest`;
      refused(
        () => messageFromJson(U, { updateMask: ['a'] }),
        'updateMask',
        /expected a FieldMask string such as "displayName,description", got an array/,
      );
      refused(() => messageFromJson(U, { updateMask: 'a,,b' }), 'updateMask', /"" is not a FieldMask path/);
      refused(
        () => messageFromJson(U, { updateMask: 'foo_Bar' }),
        'updateMask',
        /FieldMask path "foo_Bar" is neither lowerCamel nor snake_case/,
      );
      refused(() => messageFromJson(U, { updateMask: 'foo_' }), 'updateMask', /FieldMask path "foo_" is neither lowerCamel nor snake_case/);
      assert.deepStrictEqual(messageFromJson('google.protobuf.FieldMask', 'displayName,a.bC'), { paths: ['display_name', 'a.b_c'] });
      assert.deepStrictEqual(messageFromJson('google.protobuf.FieldMask', ''), { paths: [] });
    });
  });

  describe('Any', () => {
    it('{} is the empty Any; other objects without "@type" or with an empty one are refused', () => {
      assert.deepStrictEqual(messageFromJson<Msg>(OPERATION, { metadata: {} }).metadata, { typeUrl: '', value: new Uint8Array(0) });
      refused(() => messageFromJson(OPERATION, { metadata: { value: 'x' } }), 'metadata', /an Any needs a non-empty "@type"/);
      refused(() => messageFromJson(OPERATION, { metadata: { '@type': '' } }), 'metadata', /an Any needs a non-empty "@type"/);
      refused(() => messageFromJson(OPERATION, { metadata: { '@type': 5 } }), 'metadata', /an Any needs a non-empty "@type"/);
      refused(() => messageFromJson(OPERATION, { metadata: 'x' }), 'metadata', /expected an Any object with "@type", got the string "x"/);
      refused(() => messageFromJson(OPERATION, { metadata: [] }), 'metadata', /expected an Any object with "@type", got an array/);
    });

    it('an Any of a well-known type takes only "@type" and "value" (others skipped when asked)', () => {
      const j = { '@type': `${TYPE_URL_PREFIX}google.protobuf.Duration`, value: '1s', extra: 1 };
      refused(
        () => messageFromJson(OPERATION, { metadata: j }),
        'metadata',
        /unknown field "extra" in an Any of google\.protobuf\.Duration/,
      );
      const m = messageFromJson<Msg>(OPERATION, { metadata: j }, { ignoreUnknownFields: true });
      assert.equal((m.metadata as { typeUrl: string }).typeUrl, `${TYPE_URL_PREFIX}google.protobuf.Duration`);
    });

    it('an Any of a message refuses its unknown fields; "@type" is taken only at an Any’s own level', () => {
      const md = `${TYPE_URL_PREFIX}${V}OperationMetadata`;
      refused(() => messageFromJson(OPERATION, { metadata: { '@type': md, bogus: 1 } }), 'metadata.bogus', /unknown field "bogus"/);
      refused(() => read({ node: { '@type': 'x' } }), 'node.@type', /unknown field "@type" of vk\.test\.Node/);
      refused(() => read({ '@type': 'x' }), '@type', /unknown field "@type" of vk\.test\.Kinds/);
    });

    it('an Any holding an Any counts one level: 100 of them (around a Duration) are read, 101 refused', () => {
      const nest = (k: number): object => {
        let a: object = { '@type': `${TYPE_URL_PREFIX}google.protobuf.Duration`, value: '1s' };
        for (let i = 1; i < k; i++) a = { '@type': `${TYPE_URL_PREFIX}google.protobuf.Any`, value: a };
        return a;
      };
      const m = messageFromJson<{ typeUrl: string }>('google.protobuf.Any', nest(100));
      assert.equal(m.typeUrl, `${TYPE_URL_PREFIX}google.protobuf.Any`);
      assert.equal(messageToJsonText('google.protobuf.Any', m), JSON.stringify(nest(100)));
      refused(() => messageFromJson('google.protobuf.Any', nest(101)), '', /messages nested more than 100 deep/);
    });

    it('the nesting count goes back down after each Any (a long list of them)', () => {
      const details = Array.from({ length: 120 }, () => ({ '@type': `${TYPE_URL_PREFIX}google.protobuf.Empty` }));
      assert.equal(messageFromJson<{ details: unknown[] }>('google.rpc.Status', { details }).details.length, 120);
    });
  });

  describe('messages, lists, maps', () => {
    it('a field given under both names is refused at its proto name, in either order, null or not', () => {
      const PS = `${V}ProductSet`;
      refused(() => messageFromJson(PS, { display_name: 'b', displayName: 'a' }), 'display_name', /field displayName is given twice/);
      refused(() => messageFromJson(PS, { displayName: 'a', display_name: null }), 'display_name', /field displayName is given twice/);
      assert.equal(messageFromJson<Msg>(PS, { name: 'n', display_name: 'b' }).displayName, 'b');
    });

    it('reads 100 nested messages and refuses 101 (at the 101st level); the count goes back down', () => {
      let m = messageFromJson<Msg>('vk.test.Node', chain(100));
      for (let i = 1; i < 100; i++) m = m.next as Msg;
      assert.deepStrictEqual(m, { value: 1, next: undefined, children: [] });
      refused(() => messageFromJson('vk.test.Node', chain(101)), `${'next.'.repeat(99)}next`, /messages nested more than 100 deep/);
      const children = Array.from({ length: 150 }, () => ({ value: 2 }));
      assert.equal(messageFromJson<{ children: unknown[] }>('vk.test.Node', { children }).children.length, 150);
    });

    it('refuses a message field, or a root, that is no object, naming the type', () => {
      refused(() => read({ node: 'x' }), 'node', /expected a vk\.test\.Node object, got the string "x"/);
      refused(() => read({ node: [] }), 'node', /expected a vk\.test\.Node object, got an array/);
      refused(() => read('x'), '', /expected a vk\.test\.Kinds JSON object, got the string "x"/);
      refused(() => read(null), '', /expected a vk\.test\.Kinds JSON object, got null/);
      refused(() => read([]), '', /expected a vk\.test\.Kinds JSON object, got an array/);
      refused(() => messageFromJson('google.protobuf.Int32Value', null), '', /expected a google\.protobuf\.Int32Value value, got null/);
      refused(() => messageFromJson('google.protobuf.Duration', null), '', /expected a google\.protobuf\.Duration value, got null/);
    });

    it('null inside lists and maps refused by that reason, at the index or key', () => {
      refused(() => read({ rBool: [true, null] }), 'rBool[1]', /null is not allowed in a repeated field/);
      refused(() => read({ node: { children: [null] } }), 'node.children[0]', /null is not allowed in a repeated field/);
      refused(() => read({ mInt: { 1: null } }), 'mInt["1"]', /null is not allowed as a map value/);
      refused(() => read({ mSint64: { 1: null } }), 'mSint64["1"]', /null is not allowed as a map value/);
      refused(() => read({ mInt: 'x' }), 'mInt', /expected a map object, got the string "x"/);
      refused(() => read({ mInt: [] }), 'mInt', /expected a map object, got an array/);
      refused(() => read({ rBool: true }), 'rBool', /expected an array, got boolean true/);
    });

    it('an unknown key "" is named by its parent’s path', () => {
      refused(() => read({ node: { '': 1 } }), 'node', /unknown field "" of vk\.test\.Node/);
      refused(() => read({ '': 1 }), '', /unknown field "" of vk\.test\.Kinds/);
    });

    it('an all-whitespace text reads as {}', () => {
      assert.deepStrictEqual(messageFromJsonText('google.protobuf.Empty', ' \n\t '), {});
      assert.deepStrictEqual(messageFromJsonText<Msg>(KINDS, ' ').fString, '');
    });
  });
});
