/**
 * Unknown request properties are refused by the transcoder exactly as
 * gRPC's `normalizeMessage` refuses them (the same `FieldPathError`: class,
 * code, path from the request root, message), whatever the binding sends:
 * no body (everything in the query), a body field (the rest in the query),
 * or body `*`. Before, the query walk and the body-field writer left them
 * out silently, and an unknown property inside a body field was named from
 * the body field (`display_name` for `product.display_name`).
 */
import assert from 'node:assert/strict';
import { Code, FieldPathError, ProductSearch } from 'vision-kit';
import { normalizeMessage, ProtoJsonError, registerSchema } from 'vision-kit/codec';
import type { HttpBinding, MethodRow } from 'vision-kit/gen/schema/services.js';
import { transcodeRequest } from 'vision-kit/transcoding';

registerSchema({
  messages: {
    'vkunknown.v1.Req': [
      ['name', 1, 9, 0],
      ['node', 2, 'vkunknown.v1.Node', 0],
      ['nodes', 3, 'vkunknown.v1.Node', 1],
      ['n', 4, 5, 0],
    ],
    'vkunknown.v1.Node': [
      ['child', 1, 'vkunknown.v1.Node', 0],
      ['n', 2, 5, 0],
      ['tags', 3, 9, 1],
      ['id', 4, 9, 0],
    ],
  },
  enums: {},
});

const REQ = 'vkunknown.v1.Req';

function method(http: HttpBinding[]): MethodRow {
  return { name: 'Do', input: REQ, output: 'google.protobuf.Empty', http, signatures: [] };
}

const NO_BODY = method([{ method: 'GET', path: '/v1/{name=r/*}' }]);
const BODY_NODE = method([{ method: 'POST', path: '/v1/{name=r/*}', body: 'node' }]);
const BODY_ALL = method([{ method: 'POST', path: '/v1/{name=r/*}', body: '*' }]);
const NESTED_PATH_BODY_NODE = method([{ method: 'PATCH', path: '/v1/{node.child.id=r/*}', body: 'node' }]);

/** What gRPC's normaliser throws for `request` of `input` (every field of the error, by value). */
function grpcError(input: string, request: object): Record<string, unknown> {
  try {
    normalizeMessage(input, request);
  } catch (e) {
    assert.ok(e instanceof FieldPathError, String(e));
    return { class: e.constructor.name, name: e.name, code: e.code, message: e.message, path: e.path, typeName: e.typeName };
  }
  return assert.fail(`normalizeMessage accepted ${JSON.stringify(request)}`);
}

/** What the transcoder throws for `request` (the same fields as {@link grpcError}). */
function restError(m: MethodRow, request: object): Record<string, unknown> {
  try {
    const r = transcodeRequest(m, request, { lenient: true });
    return assert.fail(`transcoded ${JSON.stringify(request)} to ${r.method} ${r.path}?${r.query} ${r.body}`);
  } catch (e) {
    assert.ok(e instanceof FieldPathError, String(e));
    return { class: e.constructor.name, name: e.name, code: e.code, message: e.message, path: e.path, typeName: e.typeName };
  }
}

describe('transcoding: unknown request fields are refused as gRPC refuses them', () => {
  // The last column: the name the Node entry's refusal offers (a one-letter name is offered nothing but its case).
  const cases: [string, object, string, string, string?][] = [
    ['top level', { name: 'r/1', bogus: 1 }, 'bogus', REQ],
    ['top level, snake_case spelling', { name: 'r/1', n_: 1 }, 'n_', REQ, 'n'],
    ['top level, set to null', { name: 'r/1', bogus: null }, 'bogus', REQ],
    ['inside a message', { name: 'r/1', node: { n: 1, m: 2 } }, 'node.m', 'vkunknown.v1.Node'],
    ['two levels down', { name: 'r/1', node: { child: { tag: ['a'] } } }, 'node.child.tag', 'vkunknown.v1.Node', 'tags'],
    ['inside a repeated message', { name: 'r/1', nodes: [{ n: 1 }, { x: 1 }] }, 'nodes[1].x', 'vkunknown.v1.Node'],
  ];
  for (const [label, m] of [
    ['no body', NO_BODY],
    ['body "node"', BODY_NODE],
    ['body "*"', BODY_ALL],
  ] as const) {
    for (const [what, request, path, owner, offered] of cases) {
      // A non-empty repeated message has no query form: outside body `*` that refusal comes first.
      if (m !== BODY_ALL && path.startsWith('nodes')) continue;
      it(`${label}: ${what} (${path})`, () => {
        const rest = restError(m, request);
        assert.deepEqual(rest, grpcError(REQ, request));
        const key = path.slice(path.lastIndexOf('.') + 1);
        assert.deepEqual(rest, {
          class: 'FieldPathError',
          name: 'FieldPathError',
          code: Code.INVALID_ARGUMENT,
          message: `[INVALID_ARGUMENT] ${path}: unknown field "${key}" of ${owner}${offered === undefined ? '' : `; did you mean "${offered}"?`}`,
          path,
          typeName: REQ,
        });
      });
    }
  }

  it('takes unset (undefined) unknown properties and known fields set to null, on every binding', () => {
    const request = { name: 'r/1', bogus: undefined, n: null, node: { child: null, m: undefined } };
    assert.deepEqual(transcodeRequest(NO_BODY, request), {
      method: 'GET',
      path: '/v1/r/1',
      query: '',
      body: undefined,
      binding: NO_BODY.http[0],
    });
    assert.equal(transcodeRequest(BODY_NODE, request).body, '{}');
    assert.equal(transcodeRequest(BODY_ALL, request).body, '{"node":{}}');
    assert.equal(
      transcodeRequest(NO_BODY, { name: 'r/1', n: 3, node: { n: 2, tags: ['a', 'b'] } }).query,
      'node.n=2&node.tags=a&node.tags=b&n=3',
    );
  });

  it('the fields a path or body field carries are fields, not unknown ones', () => {
    const r = transcodeRequest(NESTED_PATH_BODY_NODE, { name: 'x', n: 4, node: { n: 1, child: { id: 'r/1' } } });
    assert.deepEqual([r.path, r.query, r.body], ['/v1/r/1', 'name=x&n=4', '{"child":{},"n":1}']);
    assert.deepEqual(
      restError(NESTED_PATH_BODY_NODE, { node: { child: { id: 'r/1', tagz: 1 } } }),
      grpcError(REQ, { node: { child: { id: 'r/1', tagz: 1 } } }),
    );
  });

  it('a wrong value inside a body field is named from the request root (ProtoJsonError, as before)', () => {
    for (const m of [BODY_NODE, NESTED_PATH_BODY_NODE]) {
      assert.throws(() => transcodeRequest(m, { name: 'r/1', node: { child: { id: 'r/1' }, n: 'one' } }), {
        name: 'ProtoJsonError',
        code: Code.INVALID_ARGUMENT,
        path: 'node.n',
        typeName: REQ,
        rawMessage: 'node.n: expected int32, got the string "one"',
      });
    }
    assert.throws(
      () => transcodeRequest(BODY_NODE, { name: 'r/1', node: { nodes: [] } }),
      (e: unknown) => e instanceof ProtoJsonError === false && e instanceof FieldPathError && e.path === 'node.nodes',
    );
  });

  it('a body field that is not an object is named by the field, from the request root', () => {
    assert.throws(() => transcodeRequest(BODY_NODE, { name: 'r/1', node: 5 }), {
      name: 'ProtoJsonError',
      path: 'node',
      typeName: REQ,
      rawMessage: 'node: expected a vkunknown.v1.Node object, got number 5',
    });
  });

  it('names the first unknown property that is set (an unset one before it is skipped)', () => {
    for (const m of [NO_BODY, BODY_NODE]) {
      assert.deepEqual(restError(m, { name: 'r/1', a: undefined, b: 1, c: 2 }), grpcError(REQ, { name: 'r/1', a: undefined, b: 1, c: 2 }));
      assert.equal(restError(m, { name: 'r/1', a: undefined, b: 1, c: 2 }).path, 'b');
    }
  });

  it('inherited enumerable properties are not the request’s own: left out, as the JSON writer leaves them', () => {
    const request = Object.assign(Object.create({ inherited: 1 }) as object, { name: 'r/1', n: 2 });
    assert.equal(transcodeRequest(NO_BODY, request).query, 'n=2');
    assert.equal(transcodeRequest(BODY_ALL, request).body, '{"n":2}');
  });

  it('the review case: CreateProduct with productID, ListProducts with page_size or bogus', () => {
    const parent = 'projects/p/locations/l';
    const row = (name: string): MethodRow => ProductSearch.methods.find((x) => x.name === name)!;
    const create = row('CreateProduct');
    const list = row('ListProducts');
    const requests: [MethodRow, object, string][] = [
      [create, { parent, productID: 'x', product: { displayName: 'S' } }, 'productID'],
      [create, { parent, product: { display_name: 'S' } }, 'product.display_name'],
      [list, { parent, page_size: 1 }, 'page_size'],
      [list, { parent, bogus: 1 }, 'bogus'],
    ];
    for (const [m, request, path] of requests) {
      const rest = restError(m, request);
      assert.deepEqual(rest, grpcError(m.input, request));
      assert.equal(rest.path, path);
    }
    assert.equal(transcodeRequest(create, { parent, productId: 'x', product: { displayName: 'S' } }).query, 'productId=x');
  });
});
