/**
 * Client-side transcoding pinned by value where the vectors left room: the
 * exact refusal messages, path variables bound deeper than one level (the
 * body then goes without them and the caller's object stays untouched), body
 * fields of every kind left unset, values with no query form (Any, Struct,
 * Value, ListValue, a map that is not an object), the nesting guard at its
 * edge, and FieldMask parameters never mixed up by the encoding cache.
 *
 * Bindings are passed as fresh objects in each call (`bindings`), so they are
 * compiled inside the test. The Struct family is registered here as a
 * program's own tables would bring it (from google/protobuf/struct.proto);
 * vision-kit's tables do not include it.
 */
import assert from 'node:assert/strict';
import { Code, VisionError } from 'vision-kit';
import { registerSchema } from 'vision-kit/codec';
import type { HttpBinding, MethodRow } from 'vision-kit/gen/schema/services.js';
import { transcodeRequest } from 'vision-kit/transcoding';
import { methodRow, THINGS } from './support.js';

registerSchema({
  messages: {
    'google.protobuf.Struct': [['fields', 1, 'google.protobuf.Struct.FieldsEntry', 2]],
    'google.protobuf.Struct.FieldsEntry': [
      ['key', 1, 9, 0],
      ['value', 2, 'google.protobuf.Value', 0],
    ],
    'google.protobuf.Value': [
      ['nullValue', 1, 'google.protobuf.NullValue', 0, 'null_value', 'kind'],
      ['numberValue', 2, 1, 0, 'number_value', 'kind'],
      ['stringValue', 3, 9, 0, 'string_value', 'kind'],
      ['boolValue', 4, 8, 0, 'bool_value', 'kind'],
      ['structValue', 5, 'google.protobuf.Struct', 0, 'struct_value', 'kind'],
      ['listValue', 6, 'google.protobuf.ListValue', 0, 'list_value', 'kind'],
    ],
    'google.protobuf.ListValue': [['values', 1, 'google.protobuf.Value', 1]],
    'vkmutation.v1.Odd': [
      ['name', 1, 9, 0],
      ['any', 2, 'google.protobuf.Any', 0],
      ['struct', 3, 'google.protobuf.Struct', 0],
      ['value', 4, 'google.protobuf.Value', 0],
      ['list', 5, 'google.protobuf.ListValue', 0],
      ['empty', 6, 'google.protobuf.Empty', 0],
      ['node', 7, 'vkmutation.v1.Node', 0],
      ['n', 8, 5, 0],
    ],
    'vkmutation.v1.Node': [
      ['child', 1, 'vkmutation.v1.Node', 0],
      ['n', 2, 5, 0],
      ['mask', 3, 'google.protobuf.FieldMask', 0],
    ],
  },
  enums: { 'google.protobuf.NullValue': [['NULL_VALUE', 0]] },
});

const getThing = methodRow(THINGS, 'GetThing');
const updateThing = methodRow(THINGS, 'UpdateThing');

/** A method on the Odd message, GET with the name in the path. */
function oddMethod(): MethodRow {
  return {
    name: 'GetOdd',
    input: 'vkmutation.v1.Odd',
    output: 'google.protobuf.Empty',
    http: [{ method: 'GET', path: '/v1/{name=odds/*}' }],
    signatures: [],
  };
}

function bind(method: string, path: string, body?: string): HttpBinding[] {
  return [body === undefined ? { method, path } : { method, path, body }];
}

function fails(fn: () => unknown, message: string): void {
  assert.throws(
    fn,
    (e: unknown) => e instanceof VisionError && e.code === Code.INVALID_ARGUMENT && e.message === `[INVALID_ARGUMENT] ${message}`,
    message,
  );
}

let freshCount = 0;
/** Lower-case letters no earlier call returned (in this process), for FieldMask paths the cache has not seen. */
function fresh(): string {
  freshCount++;
  return [...`${Date.now()}${freshCount}`].map((d) => 'abcdefghij'[Number(d)]).join('');
}

describe('transcodeRequest: refusals by their exact message', () => {
  it('names what is wrong with the method, the request and each binding tried', () => {
    fails(() => transcodeRequest(undefined as unknown as MethodRow, {}), 'transcodeRequest: method must be an object, got undefined');
    for (const [req, shown] of [
      [null, 'null'],
      ['x', 'the string "x"'],
      [[1], 'an array'],
      [5, 'number 5'],
    ] as const) {
      fails(() => transcodeRequest(getThing, req as unknown as object), `(root): expected a ${getThing.input} object, got ${shown}`);
    }
    fails(
      () => transcodeRequest(getThing, { name: 'things/1' }, { bindings: bind('GET', '/v1/*/x') }),
      'GetThing: cannot build the HTTP request: GET /v1/*/x: the template /v1/*/x has a wildcard outside any variable',
    );
    fails(
      () => transcodeRequest(getThing, { name: 'x' }, { bindings: [...bind('GET', '/v1/*/x'), ...bind('GET', '/v1/{name=things/*}')] }),
      'GetThing: no HTTP binding fits the request (GET /v1/*/x: the template /v1/*/x has a wildcard outside any variable; ' +
        'GET /v1/{name=things/*}: field "name": "x" does not match "things/*")',
    );
  });

  it('names a path field by its JSON path, and counts a missing, null or non-message parent as missing', () => {
    fails(
      () => transcodeRequest(updateThing, { thing: {} }, { bindings: bind('PATCH', '/v1/{thing.display_name=x/*}', 'thing') }),
      'UpdateThing: cannot build the HTTP request: PATCH /v1/{thing.display_name=x/*}: field "thing.displayName": missing (it is bound by the path)',
    );
    const missing =
      'UpdateThing: cannot build the HTTP request: PATCH /v1/{thing.name=shelves/*/things/*}: field "thing.name": missing (it is bound by the path)';
    fails(() => transcodeRequest(updateThing, { thing: null }), missing);
    fails(() => transcodeRequest(updateThing, { thing: () => 0 }), missing);
    fails(() => transcodeRequest(updateThing, { thing: 'shelves/s/things/t' }), missing);
    fails(
      () => transcodeRequest(getThing, { name: null }),
      'GetThing: cannot build the HTTP request: GET /v1/{name=things/*}: field "name": missing (it is bound by the path)',
    );
  });

  it('names the variable that failed when a template has several, even when an earlier one is set', () => {
    const two = () => bind('POST', '/v1/{name=things/*}/{filter.range.min}', '*');
    fails(
      () => transcodeRequest(getThing, { name: 'things/1', filter: { text: 't' } }, { bindings: two() }),
      'GetThing: cannot build the HTTP request: POST /v1/{name=things/*}/{filter.range.min}: field "filter.range.min": missing (it is bound by the path)',
    );
    fails(
      () => transcodeRequest(getThing, { revision: 3 }, { bindings: bind('GET', '/v1/{name=things/*}/{revision}') }),
      'GetThing: cannot build the HTTP request: GET /v1/{name=things/*}/{revision}: field "name": missing (it is bound by the path)',
    );
  });

  it('writes a non-string path field in its JSON form and refuses a wrong type naming the field', () => {
    assert.equal(
      transcodeRequest(getThing, { name: 'things/1', revision: '42' }, { bindings: bind('GET', '/v1/{revision}') }).path,
      '/v1/42',
    );
    assert.equal(
      transcodeRequest(getThing, { name: 'things/1', revision: 42 }, { bindings: bind('GET', '/v1/{revision}') }).path,
      '/v1/42',
    );
    assert.equal(transcodeRequest(getThing, { name: 'things/1', state: 2 }, { bindings: bind('GET', '/v1/{state}') }).path, '/v1/RETIRED');
    fails(
      () => transcodeRequest(getThing, { name: 'things/1', revision: {} }, { bindings: bind('GET', '/v1/{revision}') }),
      'revision: expected int64, got an object',
    );
    fails(() => transcodeRequest(getThing, { name: 5 }), 'name: expected string, got number 5');
    fails(
      () => transcodeRequest(getThing, { name: 'things/1', state: 'ACTIVE' }, { bindings: bind('GET', '/v1/{state}') }),
      'state: expected a visionkit.testing.v1.State number, got the string "ACTIVE"',
    );
    fails(
      () => transcodeRequest(getThing, { filter: { range: { min: 'x' } } }, { bindings: bind('GET', '/v1/{filter.range.min}') }),
      'filter.range.min: expected int32, got the string "x"',
    );
  });

  it('refuses values with no query form, naming the field and the binding', () => {
    const odd = oddMethod();
    const label = 'GET /v1/{name=odds/*}';
    fails(
      () =>
        transcodeRequest(odd, { name: 'odds/1', any: { typeUrl: 'type.googleapis.com/google.protobuf.Empty', value: new Uint8Array() } }),
      `field "any" is a google.protobuf.Any and cannot be sent as a query parameter of ${label}`,
    );
    fails(
      () => transcodeRequest(odd, { name: 'odds/1', struct: { fields: {} } }),
      `field "struct" is a google.protobuf.Struct and cannot be sent as a query parameter of ${label}`,
    );
    fails(
      () => transcodeRequest(odd, { name: 'odds/1', value: { stringValue: 'x' } }),
      `field "value" is a google.protobuf.Value and cannot be sent as a query parameter of ${label}`,
    );
    fails(
      () => transcodeRequest(odd, { name: 'odds/1', list: { values: [] } }),
      `field "list" is a google.protobuf.ListValue and cannot be sent as a query parameter of ${label}`,
    );
    assert.equal(transcodeRequest(odd, { name: 'odds/1', empty: {}, node: { n: 3 } }).query, 'node.n=3');
  });

  it('refuses a map field that is not an object instead of dropping it', () => {
    fails(() => transcodeRequest(getThing, { name: 'things/1', labels: 'a=b' }), 'field "labels" is a map: expected an object');
    fails(() => transcodeRequest(getThing, { name: 'things/1', labels: [] }), 'field "labels" is a map: expected an object');
    assert.equal(transcodeRequest(getThing, { name: 'things/1', labels: {} }).query, '');
  });

  it('refuses a query message nested more than 64 levels, and takes one nested exactly 64', () => {
    const nest = (levels: number): Record<string, unknown> => {
      let node: Record<string, unknown> = { n: 1 };
      for (let i = 1; i < levels; i++) node = { child: node };
      return node;
    };
    // `node` itself is level 1.
    const ok = transcodeRequest(oddMethod(), { name: 'odds/1', node: nest(64) });
    assert.equal(ok.query, `node.${'child.'.repeat(63)}n=1`);
    fails(
      () => transcodeRequest(oddMethod(), { name: 'odds/1', node: nest(65) }),
      `field "node.${'child.'.repeat(63)}child" is nested more than 64 levels deep and cannot be sent as a query parameter of GET /v1/{name=odds/*}`,
    );
  });

  it('names the element of a repeated query field that is wrong, and skips fields set to null', () => {
    fails(
      () => transcodeRequest(getThing, { name: 'things/1', states: [1, 'BOGUS'] }),
      'states[1]: expected a visionkit.testing.v1.State number, got the string "BOGUS"',
    );
    assert.equal(transcodeRequest(getThing, { name: 'things/1', filter: null, state: null, note: null, ids: null }).query, '');
  });
});

describe('transcodeRequest: bodies without the path fields, and unset body fields', () => {
  it('body "*" with a nested path field sends the rest, leaving the caller’s object as it was', () => {
    const request = { thing: { name: 'shelves/s/things/t', displayName: 'd', items: [{ a: 1 }] }, updateMask: ['display_name'] };
    const before = structuredClone(request);
    const r = transcodeRequest(updateThing, request, { bindings: bind('POST', '/v1/{thing.name=shelves/*/things/*}', '*') });
    assert.equal(r.path, '/v1/shelves/s/things/t');
    assert.equal(r.body, '{"thing":{"displayName":"d","items":[{"a":1}]},"updateMask":"displayName"}');
    assert.equal(r.query, '');
    assert.deepEqual(request, before);
  });

  it('a body field with a path field two levels below it sends the field without it; other path fields stay out', () => {
    const request = { name: 'things/1', filter: { range: { min: 3, max: 9 }, text: 't' } };
    const before = structuredClone(request);
    const r = transcodeRequest(getThing, request, { bindings: bind('POST', '/v1/{name=things/*}/{filter.range.min}', 'filter') });
    assert.deepEqual([r.path, r.body, r.query], ['/v1/things/1/3', '{"range":{"max":9},"text":"t"}', '']);
    assert.deepEqual(request, before);
    const top = transcodeRequest(
      getThing,
      { name: 'things/1', filter: { text: 't' } },
      { bindings: bind('POST', '/v1/{name=things/*}', 'filter') },
    );
    assert.equal(top.body, '{"text":"t"}');
  });

  it('a body field keeps its own field of the same name as a top-level path field', () => {
    const odd = { ...oddMethod(), http: [] };
    const r = transcodeRequest(
      odd,
      { n: 7, node: { n: 1, child: { n: 2 } } },
      { bindings: bind('POST', '/v1/{n}/{node.child.n}', 'node') },
    );
    assert.deepEqual([r.path, r.body], ['/v1/7/2', '{"child":{},"n":1}']);
  });

  it('body "*" with top-level path fields writes enums by name, or as numbers with enumAsInt', () => {
    const req = { name: 'things/1', state: 1, states: [2] };
    const byName = transcodeRequest(getThing, req, { bindings: bind('POST', '/v1/{name=things/*}', '*') });
    assert.equal(byName.body, '{"state":"ACTIVE","states":["RETIRED"]}');
    const asInt = transcodeRequest(getThing, req, { bindings: bind('POST', '/v1/{name=things/*}', '*'), enumAsInt: true });
    assert.equal(asInt.body, '{"state":1,"states":[2]}');
    assert.equal(asInt.query, '$alt=json%3Benum-encoding=int');
  });

  it('sends an unset or default body field as the JSON of its default', () => {
    const body = (field: string, extra: Record<string, unknown> = {}, enumAsInt = false): string | undefined =>
      transcodeRequest(getThing, { name: 'things/1', ...extra }, { bindings: bind('POST', '/v1/{name=things/*}', field), enumAsInt }).body;
    assert.equal(body('ids'), '[]');
    assert.equal(body('ids', { ids: [] }), '[]');
    assert.equal(body('ids', { ids: ['a'] }), '["a"]');
    assert.equal(body('labels'), '{}');
    assert.equal(body('labels', { labels: {} }), '{}');
    assert.equal(body('filter'), '{}');
    assert.equal(body('state'), '"STATE_UNSPECIFIED"');
    assert.equal(body('state', { state: 0 }, true), '0');
    assert.equal(body('revision'), '"0"');
    assert.equal(body('revision', { revision: '0' }), '"0"');
    assert.equal(body('ratio'), '0');
    assert.equal(body('verbose'), 'false');
    assert.equal(body('verbose', { verbose: true }), 'true');
    assert.equal(body('token'), '""');
    const list = methodRow(THINGS, 'ListThings');
    assert.equal(transcodeRequest(list, {}, { bindings: bind('POST', '/v1/things', 'page_token') }).body, '""');
    assert.equal(body('count', { count: 5 }), '5');
    assert.equal(body('items', { items: [{ a: 1 }] }), '[{"a":1}]');
    assert.equal(body('since', { since: { seconds: '1', nanos: 0 } }), '"1970-01-01T00:00:01Z"');
  });
});

describe('transcodeRequest: FieldMask query parameters', () => {
  it('encodes a mask it has not seen before, and never mixes up masks whose paths join to the same text', () => {
    const u = fresh();
    const first = transcodeRequest(getThing, { name: 'things/1', readMask: [`${u}_a`, 'b'] });
    assert.equal(first.query, `readMask=${u}A%2Cb`);
    const second = transcodeRequest(getThing, { name: 'things/1', readMask: [`${u}_ab`] });
    assert.equal(second.query, `readMask=${u}Ab`);
    const again = transcodeRequest(getThing, { name: 'things/1', readMask: [`${u}_a`, 'b'] });
    assert.equal(again.query, first.query);
  });

  it('names a nested mask by its full path when refusing it', () => {
    const odd = oddMethod();
    const u = fresh();
    fails(
      () => transcodeRequest(odd, { name: 'odds/1', node: { mask: [`${u}.B`] } }),
      `node.mask: FieldMask path "${u}.B" has no lowerCamel JSON form`,
    );
    fails(
      () => transcodeRequest(odd, { name: 'odds/1', node: { mask: 'a' } }),
      'node.mask: expected a FieldMask (array of paths), got the string "a"',
    );
    assert.equal(transcodeRequest(odd, { name: 'odds/1', node: { mask: [`${u}_x`] } }).query, `node.mask=${u}X`);
  });

  it('refuses a mask that is not an array of paths, naming the field', () => {
    const u = fresh();
    fails(
      () => transcodeRequest(getThing, { name: 'things/1', readMask: [`${u}.B`] }),
      `readMask: FieldMask path "${u}.B" has no lowerCamel JSON form`,
    );
    fails(
      () => transcodeRequest(getThing, { name: 'things/1', readMask: 'a_b,c' }),
      'readMask: expected a FieldMask (array of paths), got the string "a_b,c"',
    );
    fails(
      () => transcodeRequest(getThing, { name: 'things/1', readMask: [5] }),
      'readMask: expected a FieldMask path string, got number 5',
    );
  });
});

describe('transcodeRequest: query values by kind, strict and lenient', () => {
  const query = (request: object, options: { lenient?: boolean; enumAsInt?: boolean } = {}): string =>
    transcodeRequest(getThing, { name: 'things/a', ...request }, options).query;

  it('refuses a query field of the wrong JS type by its exact message (repeated, message, lone surrogate)', () => {
    fails(() => query({ tags: 'x' }), 'field "tags" is repeated: expected an array');
    fails(() => query({ filter: 5 }), 'field "filter" is a message: expected an object');
    fails(() => query({ tags: ['\uD800'] }), 'field "tags" is not well-formed Unicode (a lone surrogate)');
  });

  it('strict: an enum given "" or false is refused, not taken for its default', () => {
    fails(() => query({ state: '' }), 'state: expected a visionkit.testing.v1.State number, got the string ""');
    fails(() => query({ state: false }), 'state: expected a visionkit.testing.v1.State number, got boolean false');
    fails(() => query({ state: 'ACTIVE' }), 'state: expected a visionkit.testing.v1.State number, got the string "ACTIVE"');
  });

  it('strict: a zero bigint in an int64 field is sent (only the lenient reader takes it for the default)', () => {
    assert.equal(query({ revision: 0n }), 'revision=0');
    assert.equal(query({ revision: 0 }), '');
  });

  it('lenient: enum names and bigints are taken, and their zero values left out like the defaults they are', () => {
    assert.equal(query({ revision: 5n, state: 'ACTIVE' }, { lenient: true }), 'state=ACTIVE&revision=5');
    assert.equal(query({ revision: 0n, state: 'STATE_UNSPECIFIED', states: ['RETIRED'] }, { lenient: true }), 'states=RETIRED');
    assert.equal(query({ state: 'ACTIVE' }, { lenient: true, enumAsInt: true }), 'state=1&$alt=json%3Benum-encoding=int');
    assert.equal(query({ state: 2 }, { lenient: false, enumAsInt: true }), 'state=2&$alt=json%3Benum-encoding=int');
  });
});

// The unknown-field refusals (unknown-fields.test.ts) pin transcode-request.ts too: loaded here so the
// mutation run of this module (scripts/mutation/modules.ts lists this file) runs them as well.
import './unknown-fields.test.js';
