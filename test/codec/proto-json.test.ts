import assert from 'node:assert/strict';
import { Code, VisionError } from 'vision-kit';
import {
  createMessage,
  errorFromRestResponse,
  type FieldInfo,
  messageFromJson,
  messageFromJsonText,
  messageInfo,
  messageToJson,
  messageToJsonText,
  normalizeMessage,
  ProtoJsonError,
  packAny,
  SchemaError,
  TYPE_URL_PREFIX,
  unpackAny,
} from 'vision-kit/codec';
import { fieldValueFromString, fieldValueToString } from '../../src/codec/field-text.js';

const V = 'google.cloud.vision.v1p4beta1.';
const OPERATION = 'google.longrunning.Operation';

function field(type: string, name: string): FieldInfo {
  return messageInfo(type).byJsonName.get(name) as FieldInfo;
}

/** Asserts a ProtoJsonError (INVALID_ARGUMENT) whose path is `path` and whose message names it. */
function throwsAt(fn: () => unknown, path: string, reason?: RegExp): void {
  assert.throws(fn, (e: unknown) => {
    assert.ok(e instanceof ProtoJsonError, `expected ProtoJsonError, got ${String(e)}`);
    assert.equal(e.code, Code.INVALID_ARGUMENT);
    assert.equal(e.path, path);
    assert.ok(e.message.includes(path === '' ? '(root)' : path), e.message);
    if (reason) assert.match(e.message, reason);
    return true;
  });
}

describe('proto3 JSON: response vectors', () => {
  it('R01 reads a Product', () => {
    const p = messageFromJson(`${V}Product`, {
      name: 'projects/p1/locations/us-west1/products/x',
      displayName: 'N',
      productCategory: 'apparel-v2',
      productLabels: [{ key: 'color', value: 'red' }],
    });
    assert.deepStrictEqual(p, {
      name: 'projects/p1/locations/us-west1/products/x',
      displayName: 'N',
      description: '',
      productCategory: 'apparel-v2',
      productLabels: [{ key: 'color', value: 'red' }],
    });
  });

  it('R02 reads proto (snake_case) names like lowerCamel ones (bug 9: P3J drops them)', () => {
    const snake = messageFromJson(`${V}Product`, { display_name: 'N', product_category: 'homegoods-v2' });
    const camel = messageFromJson(`${V}Product`, { displayName: 'N', productCategory: 'homegoods-v2' });
    assert.deepStrictEqual(snake, camel);
    assert.equal((snake as { displayName: string }).displayName, 'N');
  });

  it('R03 reads {} and an empty (204) body as Empty', () => {
    assert.deepStrictEqual(messageFromJson('google.protobuf.Empty', {}), {});
    assert.deepStrictEqual(messageFromJsonText('google.protobuf.Empty', ''), {});
    assert.deepStrictEqual(messageToJson('google.protobuf.Empty', {}), {});
  });

  it('R04 unpacks Operation.metadata through @type', () => {
    const op = messageFromJson<{ name: string; done: boolean; metadata: { typeUrl: string; value: Uint8Array } }>(OPERATION, {
      name: 'locations/us/operations/9',
      metadata: {
        '@type': 'type.googleapis.com/google.cloud.vision.v1p4beta1.OperationMetadata',
        state: 'RUNNING',
        createTime: '2019-03-01T10:00:00.123Z',
      },
      done: false,
    });
    assert.equal(op.name, 'locations/us/operations/9');
    assert.equal(op.done, false);
    assert.equal(op.metadata.typeUrl, `${TYPE_URL_PREFIX}${V}OperationMetadata`);
    assert.deepStrictEqual(unpackAny(op.metadata, `${V}OperationMetadata`), {
      state: 2,
      createTime: { seconds: '1551434400', nanos: 123000000 },
      updateTime: undefined,
    });
  });

  it('R05 reads the oneof result = response, with defaults in statuses', () => {
    const op = messageFromJson<{ response: { typeUrl: string; value: Uint8Array }; error: unknown; done: boolean }>(OPERATION, {
      name: 'operations/9',
      done: true,
      response: {
        '@type': `type.googleapis.com/${V}ImportProductSetsResponse`,
        statuses: [{}, { code: 3, message: 'bad row' }],
      },
    });
    assert.equal(op.error, undefined);
    assert.equal(op.done, true);
    const r = unpackAny<{ statuses: { code: number; message: string }[] }>(op.response, `${V}ImportProductSetsResponse`);
    assert.deepStrictEqual(r.statuses, [
      { code: 0, message: '', details: [] },
      { code: 3, message: 'bad row', details: [] },
    ]);
  });

  it('R06 turns a 404 Google error into NOT_FOUND with decoded details', () => {
    const e = errorFromRestResponse(
      404,
      '{"error":{"code":404,"message":"Not found","status":"NOT_FOUND","details":[{"@type":"type.googleapis.com/google.rpc.ErrorInfo","reason":"X","domain":"vision.googleapis.com"}]}}',
    );
    assert.equal(e.code, Code.NOT_FOUND);
    assert.deepStrictEqual(e.details, [
      { type: 'google.rpc.ErrorInfo', value: { reason: 'X', domain: 'vision.googleapis.com', metadata: {} } },
    ]);
  });

  it('R07 reads the unwrapped and the array forms, code from HTTP', () => {
    for (const body of ['{"code":400,"message":"bad"}', '[{"error":{"code":400,"message":"bad"}}]']) {
      const e = errorFromRestResponse(400, body);
      assert.equal(e.code, Code.INVALID_ARGUMENT);
      assert.equal(e.rawMessage, 'bad');
    }
  });

  it('R08 numeric enums, both int64 forms, offset timestamps with exact nanos, negative durations', () => {
    const md = messageFromJson<{ state: number }>(`${V}OperationMetadata`, { state: 2 });
    assert.equal(md.state, 2);
    assert.deepStrictEqual(messageFromJson(`${V}Property`, { uint64Value: 1 }), messageFromJson(`${V}Property`, { uint64Value: '1' }));
    const t = messageFromJson<{ createTime: unknown }>(`${V}OperationMetadata`, { createTime: '2019-03-01T12:00:00.5+02:00' });
    assert.deepStrictEqual(t.createTime, { seconds: '1551434400', nanos: 500000000 });
    const w = messageFromJson<{ timeout: unknown }>('google.longrunning.WaitOperationRequest', { timeout: '-1.5s' });
    assert.deepStrictEqual(w.timeout, { seconds: '-1', nanos: -500000000 });
  });
});

describe('proto3 JSON: rules', () => {
  it('writes lowerCamel names, reads both, refuses the same field under both names', () => {
    const json = messageToJson(`${V}ProductSet`, normalizeMessage(`${V}ProductSet`, { displayName: 'D' }));
    assert.deepStrictEqual(json, { displayName: 'D' });
    throwsAt(() => messageFromJson(`${V}ProductSet`, { displayName: 'a', display_name: 'b' }), 'display_name', /twice/);
  });

  it('int64 as strings out; numbers, strings and exponent forms in; fractions and range refused', () => {
    const P = `${V}Property`;
    assert.deepStrictEqual(messageToJson(P, { name: '', value: '', uint64Value: '18446744073709551615' }), {
      uint64Value: '18446744073709551615',
    });
    const read = (v: unknown): unknown => (messageFromJson(P, { uint64Value: v }) as { uint64Value: unknown }).uint64Value;
    assert.equal(read(5), '5');
    assert.equal(read('1e2'), '100');
    assert.equal(read('1.0'), '1');
    assert.equal(read('1.5e1'), '15');
    assert.equal(read('18446744073709551615'), '18446744073709551615');
    for (const bad of ['', '1.5', '-1', '18446744073709551616', 'abc', ' 1', 1.5, true, {}]) {
      throwsAt(() => read(bad), 'uint64Value');
    }
    const q = 'google.rpc.QuotaFailure.Violation';
    assert.equal((messageFromJson(q, { quotaValue: '-9223372036854775808' }) as { quotaValue: string }).quotaValue, '-9223372036854775808');
    throwsAt(() => messageFromJson(q, { quotaValue: '9223372036854775808' }), 'quotaValue', /out of range/);
    // int32: quoted accepted, range checked
    const page = (v: unknown): unknown => (messageFromJson(`${V}ListProductsRequest`, { pageSize: v }) as { pageSize: unknown }).pageSize;
    assert.equal(page('5'), 5);
    assert.equal(page(-0), 0);
    assert.ok(Object.is(page(-0), 0));
    throwsAt(() => page(2147483648), 'pageSize', /out of range/);
  });

  it('floats: NaN and ±Infinity as strings both ways; float fields rounded to float32', () => {
    const L = 'google.type.LatLng';
    const j = messageToJson(L, { latitude: Number.NaN, longitude: Number.NEGATIVE_INFINITY });
    assert.deepStrictEqual(j, { latitude: 'NaN', longitude: '-Infinity' });
    assert.deepStrictEqual(messageFromJson(L, j), { latitude: Number.NaN, longitude: Number.NEGATIVE_INFINITY });
    assert.deepStrictEqual(messageFromJson(L, { latitude: '1.25', longitude: 'Infinity' }), {
      latitude: 1.25,
      longitude: Number.POSITIVE_INFINITY,
    });
    const v = messageFromJson<{ x: number }>(`${V}NormalizedVertex`, { x: 0.3 });
    assert.equal(v.x, Math.fround(0.3));
    assert.deepStrictEqual(messageToJson(`${V}NormalizedVertex`, v), { x: 0.3 });
    throwsAt(() => messageFromJson(`${V}NormalizedVertex`, { x: 1e39 }), 'x', /out of range/);
    throwsAt(() => messageFromJson(L, { latitude: 'nan' }), 'latitude');
  });

  it('enums by name out (number with enumAsInt, unknown numbers as numbers); names and numbers in', () => {
    const F = `${V}Feature`;
    assert.deepStrictEqual(messageToJson(F, { type: 4, maxResults: 3, model: '' }), { type: 'LABEL_DETECTION', maxResults: 3 });
    assert.deepStrictEqual(messageToJson(F, { type: 4 }, { enumAsInt: true }), { type: 4 });
    assert.deepStrictEqual(messageToJson(F, { type: 77 }), { type: 77 });
    for (const t of ['LABEL_DETECTION', 4, '4']) assert.equal((messageFromJson(F, { type: t }) as { type: number }).type, 4);
    throwsAt(() => messageFromJson(F, { type: 'LABEL' }), 'type', /unknown value "LABEL"/);
    assert.equal((messageFromJson(F, { type: 'LABEL' }, { ignoreUnknownFields: true }) as { type: number }).type, 0);
  });

  it('bytes: standard padded base64 out; standard or URL-safe, padded or not, in', () => {
    const I = `${V}Image`;
    assert.deepStrictEqual(messageToJson(I, { content: new Uint8Array([0xfb, 0xff, 0xbf]) }), { content: '+/+/' });
    assert.deepStrictEqual(messageToJson(I, { content: new Uint8Array([0xfb, 0xff]) }), { content: '+/8=' });
    for (const text of ['+/8=', '+/8', '-_8=', '-_8']) {
      assert.deepStrictEqual(
        (messageFromJson(I, { content: text }) as { content: Uint8Array }).content,
        new Uint8Array([0xfb, 0xff]),
        text,
      );
    }
    for (const bad of ['+/8==', 'a', 'ab=c', '*abc', 'ab c', 'abc=='])
      throwsAt(() => messageFromJson(I, { content: bad }), 'content', /base64/);
  });

  it('Timestamp: Z-normalised with 0/3/6/9 digits; offsets, exact nanos and the 0001–9999 range', () => {
    const M = `${V}OperationMetadata`;
    const out = (seconds: string, nanos: number): unknown =>
      (messageToJson(M, { createTime: { seconds, nanos } }) as { createTime: unknown }).createTime;
    assert.equal(out('1551434400', 0), '2019-03-01T10:00:00Z');
    assert.equal(out('1551434400', 123000000), '2019-03-01T10:00:00.123Z');
    assert.equal(out('1551434400', 123400000), '2019-03-01T10:00:00.123400Z');
    assert.equal(out('1551434400', 1), '2019-03-01T10:00:00.000000001Z');
    assert.equal(out('-62135596800', 0), '0001-01-01T00:00:00Z');
    assert.equal(out('253402300799', 999999999), '9999-12-31T23:59:59.999999999Z');
    const read = (s: string): unknown => (messageFromJson(M, { createTime: s }) as { createTime: unknown }).createTime;
    assert.deepStrictEqual(read('2019-03-01T10:00:00Z'), { seconds: '1551434400', nanos: 0 });
    assert.deepStrictEqual(read('2019-03-01T05:30:00.000000001-04:30'), { seconds: '1551434400', nanos: 1 });
    assert.deepStrictEqual(read('2019-03-01t10:00:00z'), { seconds: '1551434400', nanos: 0 });
    assert.deepStrictEqual(read('2020-02-29T00:00:00Z'), { seconds: '1582934400', nanos: 0 });
    for (const bad of [
      '2019-02-29T00:00:00Z',
      '2019-03-01 10:00:00Z',
      '2019-03-01T10:00:00',
      '2019-03-01T24:00:00Z',
      '0000-12-31T23:59:59Z',
      '0001-01-01T00:00:00+01:00',
      '10000-01-01T00:00:00Z',
      '2019-03-01T10:00:00.1234567890Z',
    ]) {
      throwsAt(() => read(bad), 'createTime');
    }
    assert.throws(() => out('253402300800', 0), ProtoJsonError);
  });

  it('Duration: "1.5s", negative with matching signs (golang/protobuf #1219: never "0.-00000001s")', () => {
    const W = 'google.longrunning.WaitOperationRequest';
    const out = (seconds: string, nanos: number): unknown =>
      (messageToJson(W, { name: '', timeout: { seconds, nanos } }) as { timeout: unknown }).timeout;
    assert.equal(out('1', 500000000), '1.500s');
    assert.equal(out('1', 340012), '1.000340012s');
    assert.equal(out('0', -1), '-0.000000001s');
    assert.equal(out('0', -500000000), '-0.500s');
    assert.equal(out('-3', 0), '-3s');
    assert.equal(out('0', 0), '0s');
    assert.throws(() => out('-1', 5), ProtoJsonError);
    const read = (s: unknown): unknown => (messageFromJson(W, { timeout: s }) as { timeout: unknown }).timeout;
    assert.deepStrictEqual(read('-0.000000001s'), { seconds: '0', nanos: -1 });
    assert.deepStrictEqual(read('-0.5s'), { seconds: '0', nanos: -500000000 });
    assert.deepStrictEqual(read('3.5s'), { seconds: '3', nanos: 500000000 });
    assert.deepStrictEqual(read('315576000000s'), { seconds: '315576000000', nanos: 0 });
    for (const bad of ['1.5', '0.-00000001s', 'PT1S', '1h', '+1s', '315576000001s', '1.0000000001s', 1])
      throwsAt(() => read(bad), 'timeout');
  });

  it('FieldMask: one lowerCamel string out; camel (or snake) in, stored snake_case', () => {
    const U = `${V}UpdateProductRequest`;
    const m = normalizeMessage(U, { updateMask: ['display_name', 'product_labels', 'product.display_name'] });
    assert.deepStrictEqual(messageToJson(U, m), { updateMask: 'displayName,productLabels,product.displayName' });
    assert.deepStrictEqual((messageFromJson(U, { updateMask: 'displayName,productLabels' }) as { updateMask: unknown }).updateMask, [
      'display_name',
      'product_labels',
    ]);
    assert.deepStrictEqual((messageFromJson(U, { updateMask: 'display_name' }) as { updateMask: unknown }).updateMask, ['display_name']);
    assert.deepStrictEqual((messageFromJson(U, { updateMask: '' }) as { updateMask: unknown }).updateMask, []);
    assert.deepStrictEqual(messageToJson('google.protobuf.FieldMask', { paths: ['a.b_c', 'd'] }), 'a.bC,d');
    throwsAt(() => messageFromJson(U, { updateMask: 'a,,b' }), 'updateMask');
    throwsAt(() => messageFromJson(U, { updateMask: ['a'] }), 'updateMask');
    throwsAt(() => messageToJson(U, { updateMask: ['foo_1'] }), 'updateMask', /lowerCamel/);
  });

  it('Any: {"@type", …fields}, {"@type","value"} for special well-known types, Empty without value', () => {
    const op = (any: unknown): unknown => (messageToJson(OPERATION, { name: 'o', metadata: any }) as { metadata: unknown }).metadata;
    assert.deepStrictEqual(op(packAny(`${V}OperationMetadata`, { state: 2 })), {
      '@type': `${TYPE_URL_PREFIX}${V}OperationMetadata`,
      state: 'RUNNING',
    });
    assert.deepStrictEqual(op(packAny('google.protobuf.Duration', { seconds: '2', nanos: 0 })), {
      '@type': `${TYPE_URL_PREFIX}google.protobuf.Duration`,
      value: '2s',
    });
    assert.deepStrictEqual(op(packAny('google.protobuf.Int32Value', { value: 7 })), {
      '@type': `${TYPE_URL_PREFIX}google.protobuf.Int32Value`,
      value: 7,
    });
    assert.deepStrictEqual(op(packAny('google.protobuf.FieldMask', { paths: ['a_b'] })), {
      '@type': `${TYPE_URL_PREFIX}google.protobuf.FieldMask`,
      value: 'aB',
    });
    assert.deepStrictEqual(op(packAny('google.protobuf.Empty', {})), { '@type': `${TYPE_URL_PREFIX}google.protobuf.Empty` });
    const nested = packAny('google.protobuf.Any', packAny('google.protobuf.Empty', {}));
    assert.deepStrictEqual(op(nested), {
      '@type': `${TYPE_URL_PREFIX}google.protobuf.Any`,
      value: { '@type': `${TYPE_URL_PREFIX}google.protobuf.Empty` },
    });
    for (const j of [
      { '@type': `${TYPE_URL_PREFIX}google.protobuf.Duration`, value: '2s' },
      { '@type': `${TYPE_URL_PREFIX}google.protobuf.Empty` },
      { '@type': `${TYPE_URL_PREFIX}${V}OperationMetadata`, state: 'RUNNING' },
    ]) {
      const m = messageFromJson(OPERATION, { metadata: j });
      assert.deepStrictEqual(messageToJson(OPERATION, m), { metadata: j });
    }
    throwsAt(
      () => messageFromJson(OPERATION, { metadata: { '@type': 'type.googleapis.com/x.Unknown', a: 1 } }),
      'metadata',
      /unknown type/,
    );
    throwsAt(() => messageFromJson(OPERATION, { metadata: { state: 'RUNNING' } }), 'metadata', /@type/);
    throwsAt(
      () => messageFromJson(OPERATION, { metadata: { '@type': `${TYPE_URL_PREFIX}google.protobuf.Duration` } }),
      'metadata',
      /value/,
    );
    throwsAt(
      () => messageFromJson(OPERATION, { metadata: { '@type': `${TYPE_URL_PREFIX}${V}OperationMetadata`, state: 'NOPE' } }),
      'metadata.state',
    );
    throwsAt(
      () => messageToJson(OPERATION, { metadata: { typeUrl: 'type.googleapis.com/x.Unknown', value: new Uint8Array(1) } }),
      'metadata',
      /unknown type/,
    );
    throwsAt(
      () => messageToJson(OPERATION, { metadata: { typeUrl: `${TYPE_URL_PREFIX}google.rpc.Status`, value: new Uint8Array([0x0a, 9]) } }),
      'metadata',
      /cannot decode/,
    );
  });

  it('wrappers are bare values; null leaves them unset; wrapper presence keeps false/0', () => {
    const C = 'google.type.Color';
    assert.deepStrictEqual(messageToJson(C, { red: 1, green: 0, blue: 0, alpha: 0 }), { red: 1, alpha: 0 });
    assert.deepStrictEqual(messageFromJson(C, { alpha: 0.5 }), { red: 0, green: 0, blue: 0, alpha: 0.5 });
    assert.deepStrictEqual(messageFromJson(C, { alpha: null }), createMessage(C));
    assert.deepStrictEqual(messageToJson('google.protobuf.BoolValue', { value: false }), false);
    assert.deepStrictEqual(messageFromJson('google.protobuf.StringValue', 'x'), { value: 'x' });
    throwsAt(() => messageFromJson(C, { alpha: { value: 0.5 } }), 'alpha');
  });

  it('null = unset (proto3-json-serializer throws on null scalars), not allowed inside lists; presence fields written iff set', () => {
    const P = `${V}Product`;
    assert.deepStrictEqual(messageFromJson(P, { name: null, displayName: null, productLabels: null }), createMessage(P));
    throwsAt(() => messageFromJson(P, { productLabels: [null] }), 'productLabels[0]', /null/);
    // oneof member at its default is still written (it is set)
    const purge = `${V}PurgeProductsRequest`;
    assert.deepStrictEqual(messageToJson(purge, normalizeMessage(purge, { deleteOrphanProducts: false })), { deleteOrphanProducts: false });
    assert.deepStrictEqual(messageToJson(purge, createMessage(purge)), {});
  });

  it('bug 10: proto3 optional keeps presence (set to its default is written and read back as set)', () => {
    const Q = 'google.rpc.QuotaFailure.Violation';
    const set = normalizeMessage(Q, { futureQuotaValue: '0' });
    assert.deepStrictEqual(messageToJson(Q, set), { futureQuotaValue: '0' });
    assert.deepStrictEqual(messageFromJson(Q, { futureQuotaValue: '0' }), set);
    assert.deepStrictEqual(messageToJson(Q, createMessage(Q)), {});
    assert.equal((messageFromJson(Q, {}) as { futureQuotaValue: unknown }).futureQuotaValue, undefined);
  });

  it('unknown fields refused by default, skipped with ignoreUnknownFields', () => {
    throwsAt(() => messageFromJson(`${V}Product`, { name: 'x', colour: 'red' }), 'colour', /unknown field/);
    assert.equal(
      (messageFromJson(`${V}Product`, { name: 'x', colour: 'red' }, { ignoreUnknownFields: true }) as { name: string }).name,
      'x',
    );
  });

  it('map keys stay untouched (gax PR 1148) and duplicate oneof members are refused', () => {
    const E = 'google.rpc.ErrorInfo';
    const m = messageFromJson(E, { metadata: { 'a.1': 'x', B_c: 'y' } });
    assert.deepStrictEqual(messageToJson(E, m), { metadata: { 'a.1': 'x', B_c: 'y' } });
    throwsAt(
      () => messageFromJson(`${V}PurgeProductsRequest`, { deleteOrphanProducts: true, productSetPurgeConfig: {} }),
      'productSetPurgeConfig',
      /oneof/,
    );
    throwsAt(
      () => messageFromJson(OPERATION, { error: {}, response: { '@type': `${TYPE_URL_PREFIX}google.protobuf.Empty` } }),
      'response',
      /oneof/,
    );
  });

  it('errors name the whole path: requests[0].features[1].type', () => {
    throwsAt(
      () =>
        messageFromJson(`${V}BatchAnnotateImagesRequest`, { requests: [{ features: [{ type: 'LABEL_DETECTION' }, { type: 'LABEL' }] }] }),
      'requests[0].features[1].type',
    );
    throwsAt(() => messageFromJson(`${V}BatchAnnotateImagesRequest`, { requests: {} }), 'requests', /array/);
    throwsAt(() => messageFromJson(`${V}BatchAnnotateImagesRequest`, []), '', /object/);
    throwsAt(() => messageFromJson('google.rpc.ErrorInfo', { metadata: { k: 5 } }), 'metadata["k"]', /string/);
    throwsAt(() => messageFromJsonText(`${V}Product`, '{"name": '), '', /not valid JSON/);
    throwsAt(() => messageToJson(`${V}Product`, { name: 5 }), 'name', /string/);
  });

  it('refuses strings with lone surrogates (they cannot be sent as UTF-8)', () => {
    throwsAt(() => messageFromJson(`${V}Product`, { name: 'a\ud800b' }), 'name', /surrogate/);
    assert.equal((messageFromJson(`${V}Product`, { name: 'a😀' }) as { name: string }).name, 'a😀');
  });

  it('refuses JSON nested beyond 100 messages without a stack overflow', () => {
    let j: Record<string, unknown> = {};
    for (let i = 0; i < 150; i++) j = { '@type': `${TYPE_URL_PREFIX}google.protobuf.Any`, value: j };
    throwsAt(() => messageFromJson(OPERATION, { metadata: j }), 'metadata', /deep|nest/);
  });
});

describe('proto3 JSON: the text writer', () => {
  it('writes compact JSON text equal to JSON.stringify of the value, escaping what needs it', () => {
    const P = `${V}Product`;
    const m = { name: 'a"b\\c\n\u0001é😀', displayName: '\u2028', productLabels: [{ key: 'k"', value: '' }] };
    const text = messageToJsonText(P, m);
    assert.equal(text, JSON.stringify(JSON.parse(text)));
    assert.deepStrictEqual(JSON.parse(text), { name: m.name, displayName: '\u2028', productLabels: [{ key: 'k"' }] });
    assert.equal(messageToJsonText('google.rpc.ErrorInfo', { metadata: { 'a"\\': 'x' } }), '{"metadata":{"a\\"\\\\":"x"}}');
    assert.equal(messageToJsonText(`${V}Product`, { name: 'a\ud800' }), '{"name":"a\\ud800"}');
  });

  it('leaves out the top-level fields named in omit (what the URL path carries)', () => {
    const U = `${V}UpdateProductRequest`;
    const req = { product: { name: 'projects/p/locations/us-west1/products/x', displayName: 'N' }, updateMask: ['display_name'] };
    assert.equal(
      messageToJsonText(U, req, { omit: ['updateMask'] }),
      '{"product":{"name":"projects/p/locations/us-west1/products/x","displayName":"N"}}',
    );
    assert.equal(messageToJsonText(`${V}Product`, req.product, { omit: ['name'] }), '{"displayName":"N"}');
    assert.equal(messageToJsonText(`${V}Product`, {}, { omit: ['name'] }), '{}');
  });

  it('checks the message while writing: unknown properties, ranges, oneofs, types', () => {
    throwsAt(
      () => messageToJsonText(`${V}BatchAnnotateImagesRequest`, { requests: [{ imageUri: 'x' }] }),
      'requests[0].imageUri',
      /unknown field/,
    );
    throwsAt(() => messageToJsonText(`${V}Feature`, { maxResults: 2 ** 31 }), 'maxResults', /int32/);
    throwsAt(() => messageToJsonText(`${V}Feature`, { maxResults: 1.5 }), 'maxResults', /int32/);
    throwsAt(() => messageToJsonText(`${V}Property`, { uint64Value: '12"' }), 'uint64Value', /uint64/);
    throwsAt(
      () => messageToJsonText(`${V}PurgeProductsRequest`, { deleteOrphanProducts: true, productSetPurgeConfig: {} }),
      'productSetPurgeConfig',
      /oneof/,
    );
    throwsAt(
      () => messageToJsonText(`${V}BatchAnnotateImagesRequest`, { requests: [{ features: [{ type: 'LABEL_DETECTION' }] }] }),
      'requests[0].features[0].type',
    );
    throwsAt(() => messageToJsonText('google.rpc.ErrorInfo', { metadata: { k: null } }), 'metadata["k"]', /null/);
    assert.equal(messageToJsonText(`${V}Product`, { name: undefined, displayName: null }), '{}');
  });
});

describe('proto3 JSON: proto3-json-serializer deviations are absent', () => {
  it('FieldMask paths are case-converted both ways', () => {
    const U = `${V}UpdateProductSetRequest`;
    const m = messageFromJson<{ updateMask: string[] }>(U, { updateMask: 'displayName' });
    assert.deepStrictEqual(m.updateMask, ['display_name']);
    assert.deepStrictEqual(messageToJson(U, m), { updateMask: 'displayName' });
  });
  it('negative Durations are read', () => {
    assert.deepStrictEqual(messageFromJson('google.protobuf.Duration', '-1.5s'), { seconds: '-1', nanos: -500000000 });
  });
  it('a fraction with a non-Z offset gives the right nanos (not 5)', () => {
    assert.deepStrictEqual(messageFromJson('google.protobuf.Timestamp', '2019-03-01T12:00:00.5+02:00'), {
      seconds: '1551434400',
      nanos: 500000000,
    });
  });
  it('null for string, bool and number fields does not throw', () => {
    assert.deepStrictEqual(
      messageFromJson(`${V}PurgeProductsRequest`, { parent: null, force: null, deleteOrphanProducts: null }),
      createMessage(`${V}PurgeProductsRequest`),
    );
    assert.deepStrictEqual(messageFromJson(`${V}Feature`, { maxResults: null, type: null }), createMessage(`${V}Feature`));
  });
  it('snake_case response keys are read, not dropped', () => {
    assert.equal((messageFromJson(`${V}ListProductsResponse`, { next_page_token: 't' }) as { nextPageToken: string }).nextPageToken, 't');
  });
});

describe('proto3 JSON: single values in string form (query parameters)', () => {
  const cases: [string, string, unknown, string][] = [
    [`${V}ListProductsRequest`, 'pageSize', 5, '5'],
    [`${V}PurgeProductsRequest`, 'force', false, 'false'],
    [`${V}Feature`, 'type', 4, 'LABEL_DETECTION'],
    [`${V}Property`, 'uint64Value', '9007199254740993', '9007199254740993'],
    [`${V}Image`, 'content', new Uint8Array([0xfb, 0xff]), '+/8='],
    [`${V}OperationMetadata`, 'createTime', { seconds: '1', nanos: 500000000 }, '1970-01-01T00:00:01.500Z'],
    ['google.longrunning.WaitOperationRequest', 'timeout', { seconds: '3', nanos: 500000000 }, '3.500s'],
    [`${V}UpdateProductRequest`, 'updateMask', ['user.display_name', 'photo'], 'user.displayName,photo'],
    ['google.type.Color', 'alpha', 0.5, '0.5'],
    ['google.type.LatLng', 'latitude', Number.NaN, 'NaN'],
    [`${V}ListProductsRequest`, 'pageToken', 'a/b+c==', 'a/b+c=='],
  ];
  for (const [type, name, value, text] of cases) {
    it(`${name} ⇄ ${JSON.stringify(text)}`, () => {
      const f = field(type, name);
      assert.equal(fieldValueToString(f, value), text);
      assert.deepStrictEqual(fieldValueFromString(f, text), value);
    });
  }

  it('reads enum numbers, URL-safe base64, offsets, camel or snake masks and 1/0 bools', () => {
    assert.equal(fieldValueToString(field(`${V}Feature`, 'type'), 4, { enumAsInt: true }), '4');
    assert.equal(fieldValueFromString(field(`${V}Feature`, 'type'), '4'), 4);
    assert.deepStrictEqual(fieldValueFromString(field(`${V}Image`, 'content'), '-_8'), new Uint8Array([0xfb, 0xff]));
    assert.deepStrictEqual(fieldValueFromString(field(`${V}OperationMetadata`, 'createTime'), '1970-01-01T01:00:01+01:00'), {
      seconds: '1',
      nanos: 0,
    });
    assert.deepStrictEqual(fieldValueFromString(field(`${V}UpdateProductRequest`, 'updateMask'), 'display_name,productLabels'), [
      'display_name',
      'product_labels',
    ]);
    assert.equal(fieldValueFromString(field(`${V}PurgeProductsRequest`, 'force'), '1'), true);
    assert.equal(fieldValueFromString(field(`${V}ListProductsRequest`, 'pageSize'), '1e1'), 10);
  });

  it('names the path in errors and refuses message-typed fields', () => {
    throwsAt(() => fieldValueFromString(field(`${V}ListProductsRequest`, 'pageSize'), 'ten'), 'pageSize');
    throwsAt(() => fieldValueFromString(field(`${V}PurgeProductsRequest`, 'force'), 'yes', { path: 'force' }), 'force', /true or false/);
    throwsAt(() => fieldValueFromString(field(`${V}UpdateProductRequest`, 'product'), 'x', { path: 'product' }), 'product', /message/);
    throwsAt(() => fieldValueToString(field(`${V}ListProductsRequest`, 'pageSize'), 'x', { path: 'a.pageSize' }), 'a.pageSize');
  });
});

describe('Any', () => {
  it('packs and unpacks, refusing another type by naming both', () => {
    const any = packAny('google.rpc.RetryInfo', { retryDelay: { seconds: '1', nanos: 0 } });
    assert.equal(any.typeUrl, 'type.googleapis.com/google.rpc.RetryInfo');
    assert.deepStrictEqual(unpackAny(any), { retryDelay: { seconds: '1', nanos: 0 } });
    assert.throws(
      () => unpackAny(any, 'google.rpc.ErrorInfo'),
      (e: unknown) => e instanceof SchemaError && /google\.rpc\.ErrorInfo/.test(e.message) && /google\.rpc\.RetryInfo/.test(e.message),
    );
    assert.throws(() => unpackAny({ typeUrl: 'type.googleapis.com/no.Such', value: new Uint8Array(0) }), SchemaError);
    assert.throws(
      () =>
        unpackAny(any, undefined, { code: Code.INTERNAL }) &&
        unpackAny({ typeUrl: any.typeUrl, value: new Uint8Array([0x0a, 9]) }, undefined, { code: Code.INTERNAL }),
      (e: unknown) => e instanceof VisionError && e.code === Code.INTERNAL,
    );
  });
});
