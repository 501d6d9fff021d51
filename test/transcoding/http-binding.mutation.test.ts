/**
 * compileBinding and pathValues pinned by value: every field of a compiled
 * binding (methods, label, variable chains found by proto or JSON name, the
 * body and response_body fields, the query fields skipped, the lists of
 * path-bound fields left out of a body), each refusal's code, template and
 * reason, the caches per binding and per method row, and the text each path
 * variable's value gives.
 */
import assert from 'node:assert/strict';
import { Code } from 'vision-kit';
import { registerSchema } from 'vision-kit/codec';
import type { HttpBinding, MethodRow } from 'vision-kit/gen/schema/services.js';
import { TemplateError } from 'vision-kit/transcoding';
import { type CompiledBinding, compileBinding, compileMethod, pathValues } from '../../src/transcoding/http-binding.js';

registerSchema({
  messages: {
    'vkbinding.v1.Req': [
      ['thingId', 1, 9, 0, 'thing_id'],
      ['name', 2, 9, 0],
      ['sub', 3, 'vkbinding.v1.Sub', 0],
      ['mask', 4, 'google.protobuf.FieldMask', 0],
      ['tags', 5, 9, 1],
      ['count', 6, 5, 0],
      ['other', 7, 'vkbinding.v1.Sub', 0],
    ],
    'vkbinding.v1.Sub': [
      ['id', 1, 9, 0],
      ['deep', 2, 'vkbinding.v1.Sub', 0],
      ['n', 3, 5, 0],
    ],
    'vkbinding.v1.Res': [
      ['payload', 1, 'vkbinding.v1.Sub', 0],
      ['labelText', 2, 9, 0, 'label_text'],
    ],
  },
  enums: {},
});

function method(http: readonly HttpBinding[] = [], name = 'Do'): MethodRow {
  return { name, input: 'vkbinding.v1.Req', output: 'vkbinding.v1.Res', http, signatures: [] } as unknown as MethodRow;
}

function compile(b: HttpBinding): CompiledBinding {
  return compileBinding(method([b]), b);
}

/** The parts of a compiled binding that are plain values. */
function summary(c: CompiledBinding) {
  return {
    httpMethod: c.httpMethod,
    sendMethod: c.sendMethod,
    label: c.label,
    vars: c.vars.map((v) => ({ name: v.variable.name, chain: v.chain.map((f) => f.protoName), leaf: v.leaf.tsName, jsonPath: v.jsonPath })),
    body: c.body.kind === 'field' ? `field ${c.body.field.protoName}` : c.body.kind,
    responseField: c.responseField?.protoName,
    querySkip: [...c.querySkip].sort(),
    omitAll: c.omitAll,
    omitInBodyField: c.omitInBodyField,
    input: c.input.fullName,
    output: c.output.fullName,
    template: c.template.text,
  };
}

/** The TemplateError compiling `b` throws. */
function refusal(b: HttpBinding): { code: number; template: string; position: number; reason: string } {
  try {
    compile(b);
  } catch (e) {
    assert.ok(e instanceof TemplateError, String(e));
    return { code: e.code, template: e.template, position: e.position, reason: e.reason };
  }
  assert.fail(`${b.method} ${b.path} compiled`);
}

describe('transcoding: compileBinding and pathValues, by value', () => {
  it('compiles a body field, a nested variable, a variable named in JSON and a response_body field', () => {
    assert.deepEqual(
      summary(compile({ method: 'patch', path: '/v1/{sub.id=subs/*}/{thingId}', body: 'sub', responseBody: 'label_text' })),
      {
        httpMethod: 'PATCH',
        sendMethod: 'PATCH',
        label: 'PATCH /v1/{sub.id=subs/*}/{thingId}',
        vars: [
          { name: 'sub.id', chain: ['sub', 'id'], leaf: 'id', jsonPath: 'sub.id' },
          { name: 'thingId', chain: ['thing_id'], leaf: 'thingId', jsonPath: 'thingId' },
        ],
        body: 'field sub',
        responseField: 'label_text',
        querySkip: ['sub', 'sub.id', 'thingId'],
        omitAll: undefined,
        omitInBodyField: ['id'],
        input: 'vkbinding.v1.Req',
        output: 'vkbinding.v1.Res',
        template: '/v1/{sub.id=subs/*}/{thingId}',
      },
    );
  });

  it('body "*" with top-level variables only: omitAll lists them, omitInBodyField is unset', () => {
    assert.deepEqual(summary(compile({ method: 'POST', path: '/v1/{name}/{thing_id}:run', body: '*' })), {
      httpMethod: 'POST',
      sendMethod: 'POST',
      label: 'POST /v1/{name}/{thing_id}:run',
      vars: [
        { name: 'name', chain: ['name'], leaf: 'name', jsonPath: 'name' },
        { name: 'thing_id', chain: ['thing_id'], leaf: 'thingId', jsonPath: 'thingId' },
      ],
      body: 'all',
      responseField: undefined,
      querySkip: ['name', 'thingId'],
      omitAll: ['name', 'thingId'],
      omitInBodyField: undefined,
      input: 'vkbinding.v1.Req',
      output: 'vkbinding.v1.Res',
      template: '/v1/{name}/{thing_id}:run',
    });
  });

  it('omitInBodyField lists only the variables under the body field, and none when one is deeper', () => {
    const under = compile({ method: 'PUT', path: '/v1/{sub.id}/{other.n}', body: 'sub' });
    assert.deepEqual(under.omitInBodyField, ['id']);
    assert.equal(under.omitAll, undefined);
    assert.deepEqual([...under.querySkip].sort(), ['other.n', 'sub', 'sub.id']);
    const deeper = compile({ method: 'PUT', path: '/v1/{sub.id}/{sub.deep.id}', body: 'sub' });
    assert.equal(deeper.omitInBodyField, undefined);
    assert.deepEqual(
      deeper.vars[1]?.chain.map((f) => f.protoName),
      ['sub', 'deep', 'id'],
    );
    const none = compile({ method: 'PUT', path: '/v1/{name}', body: 'sub' });
    assert.deepEqual(none.omitInBodyField, []);
    assert.deepEqual(none.omitAll, ['name']);
    const noVars = compile({ method: 'PUT', path: '/v1/things', body: 'sub' });
    assert.deepEqual(noVars.omitInBodyField, []);
    assert.deepEqual(noVars.omitAll, []);
    assert.deepEqual([...noVars.querySkip], ['sub']);
  });

  it('no body ("" or unset) and no response_body ("" or unset): none; the wildcard kind sends GET or POST', () => {
    for (const body of ['', undefined]) {
      const c = compile({ method: 'get', path: '/v1/{sub.n}', body, responseBody: '' } as HttpBinding);
      assert.equal(c.body.kind, 'none');
      assert.equal(c.responseField, undefined);
      assert.equal(c.omitInBodyField, undefined);
      assert.equal(c.omitAll, undefined);
      assert.deepEqual([...c.querySkip], ['sub.n']);
      assert.equal(c.sendMethod, 'GET');
    }
    assert.equal(compile({ method: '*', path: '/v1/x' }).sendMethod, 'GET');
    assert.equal(compile({ method: '*', path: '/v1/x', body: '*' }).sendMethod, 'POST');
    assert.equal(compile({ method: '*', path: '/v1/x', body: 'sub' }).sendMethod, 'POST');
    assert.equal(compile({ method: '*', path: '/v1/x', body: 'sub' }).httpMethod, '*');
    assert.equal(compile({ method: 'head', path: '/v1/x' }).sendMethod, 'HEAD');
  });

  it('refuses what the schema does not have or cannot bind, naming the method, the binding and the field', () => {
    const expect = (path: string, reason: string, b: Partial<HttpBinding> = {}) =>
      assert.deepEqual(refusal({ method: 'get', path, ...b }), {
        code: Code.INVALID_ARGUMENT,
        template: path,
        position: 0,
        reason: `Do ${b.method ?? 'get'} ${path}: ${reason}`,
      });
    expect('/v1/{nope}', 'vkbinding.v1.Req has no field "nope"');
    expect('/v1/{sub.nope}', 'vkbinding.v1.Sub has no field "nope"');
    expect('/v1/{tags}', '"tags" goes through a repeated or map field');
    expect('/v1/{name.x}', '"name" is not a message field');
    expect('/v1/{mask.paths}', '"mask" is not a message field');
    expect('/v1/{sub}', '"sub" is a message field, not a scalar');
    expect('/v1/{sub.deep}', '"sub.deep" is a message field, not a scalar');
    expect('/v1/{name}', 'the body field "nope" is not a top-level field of vkbinding.v1.Req', { method: 'post', body: 'nope' });
    expect('/v1/{name}', 'the body field "sub.id" is not a top-level field of vkbinding.v1.Req', { method: 'post', body: 'sub.id' });
    expect('/v1/{name}', 'the response_body field "nope" is not a top-level field of vkbinding.v1.Res', { responseBody: 'nope' });
  });

  it("caches a compiled binding per binding and method row, and a method row's list", () => {
    const b: HttpBinding = { method: 'GET', path: '/v1/{name}' };
    const m1 = method([b], 'One');
    const m2 = method([b], 'Two');
    const first = compileBinding(m1, b);
    assert.equal(compileBinding(m1, b), first);
    const second = compileBinding(m2, b);
    assert.notEqual(second, first);
    assert.equal(compileBinding(m1, b), first, 'the other method row did not replace the first');
    assert.equal(compileBinding(m2, b), second);
    const list = compileMethod(m1);
    assert.deepEqual(list, [first]);
    assert.equal(list[0], first);
    assert.equal(compileMethod(m1), list);
    const b2: HttpBinding = { method: 'POST', path: '/v1/{name}:go', body: '*' };
    const two = compileMethod(method([b, b2]));
    assert.deepEqual(
      two.map((c) => c.label),
      ['GET /v1/{name}', 'POST /v1/{name}:go'],
    );
  });

  it('pathValues: strings as they are, other kinds as text, unset or unreachable as undefined', () => {
    const c = compile({ method: 'GET', path: '/v1/{name}/{count}/{sub.deep.id}/{other.n}' });
    assert.deepEqual(pathValues(c, { name: 'a/b', count: 42, sub: { deep: { id: 'x' } }, other: { n: -3 } }), ['a/b', '42', 'x', '-3']);
    assert.deepEqual(pathValues(c, {}), [undefined, undefined, undefined, undefined]);
    assert.deepEqual(pathValues(c, { name: null, count: 0, sub: { deep: null }, other: 'not an object' }), [
      undefined,
      '0',
      undefined,
      undefined,
    ]);
    assert.deepEqual(pathValues(c, { name: '', sub: null, other: { n: null } }), ['', undefined, undefined, undefined]);
  });

  it('pathValues: a value of the wrong type throws the codec error naming the field', () => {
    const c = compile({ method: 'GET', path: '/v1/{sub.n}' });
    assert.throws(() => pathValues(c, { sub: { n: '7' } }), {
      name: 'ProtoJsonError',
      code: Code.INVALID_ARGUMENT,
      rawMessage: 'sub.n: expected int32, got the string "7"',
      path: 'sub.n',
      typeName: 'vkbinding.v1.Req',
    });
    assert.throws(() => pathValues(compile({ method: 'GET', path: '/v1/{name}' }), { name: 5 }), {
      rawMessage: 'name: expected string, got number 5',
      path: 'name',
      typeName: 'vkbinding.v1.Req',
    });
  });
});
