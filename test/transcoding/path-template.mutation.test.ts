/**
 * Path templates, pinned where the table-driven tests left room: paths that
 * differ from a template only in a literal, `**` first, in the middle and
 * last (empty and dot segments anywhere in its capture), the verb's edges,
 * expansion of values that differ only in a literal, and the exact reason of
 * each parse refusal. Every template is parsed inside its test.
 */
import assert from 'node:assert/strict';
import { Code, VisionError } from 'vision-kit';
import { captureSegments, matchPath, parsePathTemplate, TemplateError } from 'vision-kit/transcoding';

const PRODUCT = '/v1p4beta1/{name=projects/*/locations/*/products/*}';
const BLOB = '/v1/{name=buckets/*/blobs/**}:write';
const DEEP_FIRST = '/{x=**}/a/b';
const DEEP_MIDDLE = '/a/{x=b/*/**/y/z}/foo';

function refusedWith(text: string, position: number, reason: string): void {
  try {
    parsePathTemplate(text);
  } catch (e) {
    assert.ok(e instanceof TemplateError, `${text}: threw ${String(e)}`);
    assert.equal(e.code, Code.INVALID_ARGUMENT);
    assert.deepEqual([e.position, e.reason], [position, reason], text);
    return;
  }
  assert.fail(`${JSON.stringify(text)} was accepted`);
}

function expandFails(template: string, values: Record<string, string>, message: string): void {
  assert.throws(
    () => parsePathTemplate(template).expand(values),
    (e: unknown) => e instanceof VisionError && e.code === Code.INVALID_ARGUMENT && e.message === `[INVALID_ARGUMENT] ${message}`,
    message,
  );
}

describe('path templates: matching pinned by literals and by where ** stands', () => {
  it('does not match a path that differs from the template only in one literal', () => {
    const t = parsePathTemplate(PRODUCT);
    assert.deepEqual(matchPath(t, '/v1p4beta1/projects/p/locations/l/products/x'), { name: 'projects/p/locations/l/products/x' });
    assert.equal(matchPath(t, '/v1p4beta1/projects/p/regions/l/products/x'), undefined);
    assert.equal(matchPath(t, '/v1p4beta1/project/p/locations/l/products/x'), undefined);
    assert.equal(matchPath(t, '/v1p4beta2/projects/p/locations/l/products/x'), undefined);
    assert.equal(matchPath(t, 'xv1p4beta1/projects/p/locations/l/products/x'), undefined, 'a path starts with "/"');
    assert.equal(matchPath(t, 42 as unknown as string), undefined, 'not a string');
  });

  it('requires the verb: a path whose tail merely has the verb length does not match', () => {
    const t = parsePathTemplate(BLOB);
    assert.deepEqual(matchPath(t, '/v1/buckets/b/blobs/x/y:write'), { name: 'buckets/b/blobs/x/y' });
    assert.equal(matchPath(t, '/v1/buckets/b/blobs/xABCDEF'), undefined);
    assert.equal(matchPath(t, '/v1/buckets/b/blobs/x/y:read!'), undefined);
  });

  it('** refuses an empty, "." or ".." segment anywhere in its capture, not only the first', () => {
    const t = parsePathTemplate(BLOB);
    for (const tail of ['x//y', 'x/../y', 'x/./y', 'x/%2E%2E/y', 'x/y/', '/x/y', 'x/y/..']) {
      assert.equal(matchPath(t, `/v1/buckets/b/blobs/${tail}:write`), undefined, tail);
    }
    assert.deepEqual(matchPath(t, '/v1/buckets/b/blobs/x/y.z/..a:write'), { name: 'buckets/b/blobs/x/y.z/..a' });
  });

  it('** first: captures all but the trailing literals, which must match', () => {
    const t = parsePathTemplate(DEEP_FIRST);
    assert.equal(t.deepIndex, 0);
    assert.deepEqual(matchPath(t, '/p/a/b'), { x: 'p' });
    assert.deepEqual(matchPath(t, '/p/q/r/a/b'), { x: 'p/q/r' });
    assert.equal(matchPath(t, '/p/q/r/a/c'), undefined);
    assert.equal(matchPath(t, '/p/q/r/c/b'), undefined);
    assert.equal(matchPath(t, '/a/b'), undefined, '** takes at least one segment');
    assert.equal(matchPath(t, '/p//a/b'), undefined);
    assert.equal(t.expand({ x: 'p/q' }), '/p/q/a/b');
    assert.equal(t.expand({ x: 'p q/r' }), '/p%20q/r/a/b');
  });

  it('** in the middle: literals before and after it are checked, with and without extra segments', () => {
    const t = parsePathTemplate(DEEP_MIDDLE);
    assert.deepEqual(matchPath(t, '/a/b/1/2/y/z/foo'), { x: 'b/1/2/y/z' });
    assert.deepEqual(matchPath(t, '/a/b/1/2/3/4/y/z/foo'), { x: 'b/1/2/3/4/y/z' });
    for (const wrong of [
      '/a/c/1/2/y/z/foo',
      '/a/b/1/2/y/q/foo',
      '/a/b/1/2/3/y/z/fox',
      '/x/b/1/2/y/z/foo',
      '/a/b/1/y/z/foo',
      '/a/b//2/y/z/foo',
    ]) {
      assert.equal(matchPath(t, wrong), undefined, wrong);
    }
    const two = parsePathTemplate('/v/{a=x/**}/{b=q/r}');
    assert.deepEqual(matchPath(two, '/v/x/1/2/q/r'), { a: 'x/1/2', b: 'q/r' });
    assert.deepEqual(matchPath(two, '/v/x/1/q/r'), { a: 'x/1', b: 'q/r' });
    assert.equal(matchPath(two, '/v/x/1/2/q/s'), undefined);
    assert.equal(matchPath(two, '/v/x/1/2/p/r'), undefined);
    const after = parsePathTemplate('/v/**/{b=k}');
    assert.deepEqual(matchPath(after, '/v/1/2/k'), { b: 'k' });
    assert.equal(matchPath(after, '/v/1/2/j'), undefined);
    const before = parsePathTemplate('/v/{a=x/*}/{b=**}');
    assert.deepEqual(matchPath(before, '/v/x/1/p/q'), { a: 'x/1', b: 'p/q' });
    assert.deepEqual(matchPath(before, '/v/x/1/p'), { a: 'x/1', b: 'p' });
    const tail = parsePathTemplate('/{a}/{b=**}');
    assert.deepEqual(matchPath(tail, '/p/q/r'), { a: 'p', b: 'q/r' });
  });

  it('keeps %2F encoded in a multi-segment capture after **, decodes it in a single-segment one', () => {
    const t = parsePathTemplate('/v/{a=**}/{b=k/j}');
    assert.deepEqual(matchPath(t, '/v/1%2F2/3/k/j'), { a: '1%2F2/3', b: 'k/j' });
    const single = parsePathTemplate('/v/{b}/{a=**}');
    assert.deepEqual(matchPath(single, '/v/4%2F5/1%2F2/3'), { b: '4/5', a: '1%2F2/3' });
  });
});

describe('path templates: expanding pinned by literals', () => {
  it('refuses a value that differs from the pattern only in a literal (plain or escaped pieces)', () => {
    const pattern = '"projects/*/locations/*/products/*"';
    expandFails(
      PRODUCT,
      { name: 'projectz/p/locations/l/products/x' },
      `invalid value for field "name": "projectz/p/locations/l/products/x" does not match ${pattern}`,
    );
    expandFails(
      PRODUCT,
      { name: 'projects/p 1/regions/l/products/x' },
      `invalid value for field "name": "projects/p 1/regions/l/products/x" does not match ${pattern}`,
    );
    expandFails(
      PRODUCT,
      { name: 'projects/v1.2/locations/l/products/x/y' },
      `invalid value for field "name": "projects/v1.2/locations/l/products/x/y" does not match ${pattern}`,
    );
    expandFails(
      PRODUCT,
      { name: 'projects/p/locations/l/products/.' },
      'invalid value for field "name": "projects/p/locations/l/products/." holds a "." or ".." segment',
    );
    const deep = '"b/*/**/y/z"';
    expandFails(DEEP_MIDDLE, { x: 'b/1/2/y/q' }, `invalid value for field "x": "b/1/2/y/q" does not match ${deep}`);
    expandFails(DEEP_MIDDLE, { x: 'b/1/2 3/y/q' }, `invalid value for field "x": "b/1/2 3/y/q" does not match ${deep}`);
    expandFails(DEEP_MIDDLE, { x: 'c/1 2/3/y/z' }, `invalid value for field "x": "c/1 2/3/y/z" does not match ${deep}`);
    expandFails(DEEP_MIDDLE, { x: 'b/1/y/z' }, `invalid value for field "x": "b/1/y/z" does not match ${deep}`);
    expandFails(DEEP_MIDDLE, { x: 'b/1/ /y/z/' }, `invalid value for field "x": "b/1/ /y/z/" does not match ${deep}`);
  });

  it('refuses a value with more pieces than a variable without ** has, wherever ** stands', () => {
    expandFails('/{a=x/*}', { a: 'x/1/2' }, 'invalid value for field "a": "x/1/2" does not match "x/*"');
    expandFails('/v/{a=x/*}/{b=**}', { a: 'x/1/2', b: 'p' }, 'invalid value for field "a": "x/1/2" does not match "x/*"');
    expandFails('/{b=**}/{a=x/y}', { b: 'p', a: 'x/x/y' }, 'invalid value for field "a": "x/x/y" does not match "x/y"');
    assert.equal(parsePathTemplate('/v/{a=x/*}/{b=**}').expand({ a: 'x/1', b: 'p/q' }), '/v/x/1/p/q');
  });

  it('compares literals exactly even when the value looks like the pattern (regex characters, no separators)', () => {
    expandFails('/v/{a=s/*}', { a: ' /x' }, 'invalid value for field "a": " /x" does not match "s/*"');
    expandFails('/v/{a=x.y/*}', { a: 'xy/1' }, 'invalid value for field "a": "xy/1" does not match "x.y/*"');
    expandFails('/v/{a=x.y/*}', { a: 'xzy/1' }, 'invalid value for field "a": "xzy/1" does not match "x.y/*"');
    assert.equal(parsePathTemplate('/v/{a=x.y/*}').expand({ a: 'x.y/1' }), '/v/x.y/1');
    expandFails(
      PRODUCT,
      { name: 'projectsplocationslproductsx' },
      'invalid value for field "name": "projectsplocationslproductsx" does not match "projects/*/locations/*/products/*"',
    );
  });

  it('expands ** with extra pieces, checking the literals after it', () => {
    const t = parsePathTemplate(DEEP_MIDDLE);
    assert.equal(t.expand({ x: 'b/1/2/y/z' }), '/a/b/1/2/y/z/foo');
    assert.equal(t.expand({ x: 'b/1/2/3/4/y/z' }), '/a/b/1/2/3/4/y/z/foo');
    assert.equal(t.expand({ x: 'b/1 2/3/4 5/y/z' }), '/a/b/1%202/3/4%205/y/z/foo');
    const escaped = parsePathTemplate('/v/{a=x/**/k}');
    assert.equal(escaped.expand({ a: 'x/é/è/k' }), '/v/x/%C3%A9/%C3%A8/k');
    expandFails('/v/{a=x/**/k}', { a: 'x/é/è/j' }, 'invalid value for field "a": "x/é/è/j" does not match "x/**/k"');
    expandFails('/v/{a=x/**/k}', { a: 'y/é/è/k' }, 'invalid value for field "a": "y/é/è/k" does not match "x/**/k"');
    const literal = parsePathTemplate('/v/{a=x/y}');
    assert.equal(literal.expand({ a: 'x/y' }), '/v/x/y');
    expandFails('/v/{a=x/y}', { a: 'x/z' }, 'invalid value for field "a": "x/z" does not match "x/y"');
    expandFails('/v/{a=x/y}', { a: 'x y/y' }, 'invalid value for field "a": "x y/y" does not match "x/y"');
    const single = parsePathTemplate('/v/{a=lit}');
    assert.equal(single.expand({ a: 'lit' }), '/v/lit');
    expandFails('/v/{a=lit}', { a: 'lot' }, 'invalid value for field "a": "lot" does not match "lit"');
  });

  it('refuses to expand a template with a wildcard outside any variable, naming the template', () => {
    const t = parsePathTemplate('/v1/*/x');
    assert.deepEqual(t.tryExpand([]), { variable: '', reason: 'the template /v1/*/x has a wildcard outside any variable' });
    expandFails('/v1/*/x', {}, 'the template /v1/*/x has a wildcard outside any variable');
    assert.equal(parsePathTemplate('/v1/x:go').tryExpand([]), '/v1/x:go');
  });
});

describe('path templates: what parsing records, and each refusal by its exact reason', () => {
  it('records segments, variables and the ** position as documented', () => {
    const t = parsePathTemplate('/a/*/{x=b/**}:v');
    assert.deepEqual(t.segments, [
      { kind: 'literal', literal: 'a', raw: 'a', variable: -1 },
      { kind: '*', literal: '', raw: '', variable: -1 },
      { kind: 'literal', literal: 'b', raw: 'b', variable: 0 },
      { kind: '**', literal: '', raw: '', variable: 0 },
    ]);
    assert.equal(t.deepIndex, 3);
    assert.deepEqual(parsePathTemplate('/{n}').segments, [{ kind: '*', literal: '', raw: '', variable: 0 }]);
    assert.equal(parsePathTemplate('/{n}').deepIndex, -1);
    const literalAfterDeep = parsePathTemplate('/{x=**}/{y=lit}');
    assert.deepEqual(
      literalAfterDeep.variables.map((v) => [v.name, v.start, v.end, v.multiSegment]),
      [
        ['x', 0, 1, true],
        ['y', 1, 2, false],
      ],
    );
    assert.deepEqual(matchPath(literalAfterDeep, '/p/q/lit'), { x: 'p/q', y: 'lit' });
    assert.equal(parsePathTemplate('/a:%41b').verb, '%41b');
    assert.equal(parsePathTemplate('/a:x:y').verb, 'x:y');
  });

  it('names the exact reason and position of each refusal', () => {
    refusedWith('/a}', 2, 'unexpected "}" (expected "/", ":" or the end)');
    refusedWith('/}', 1, 'an unmatched "}"');
    refusedWith('/{x=}', 4, 'an empty segment');
    refusedWith('/{x=a/}', 6, 'an empty segment');
    refusedWith('/{x=:a}', 4, '":" is allowed only before the verb, at the end');
    refusedWith('/{x=a', 5, 'unterminated variable (missing "}")');
    refusedWith('/{x=*b}', 5, 'unexpected "b" in a variable pattern');
    refusedWith('/{x=a:b}', 5, '":" is allowed only before the verb, at the end');
    refusedWith('/{', 2, 'expected a field name');
    refusedWith('/{x', 3, 'unterminated variable (missing "}")');
    refusedWith('/{x?}', 3, 'unexpected "?" in a field path (expected ".", "=" or "}")');
    refusedWith('/*=x', 2, '"=" is allowed only in a variable, after its field path');
    refusedWith('/a/=b', 3, '"=" is allowed only in a variable, after its field path');
    refusedWith('/a{x}', 2, 'a variable must be a whole segment');
    refusedWith('/*{x}', 2, 'a variable must be a whole segment');
    refusedWith('/{x}{y}', 4, 'a variable must be a whole segment');
    refusedWith('/%FF', 1, 'the literal "%FF" is not UTF-8 once decoded');
    refusedWith('/%', 1, 'a malformed percent escape');
    refusedWith('/a:v::w', 5, 'an empty part in the verb');
    refusedWith('/a:', 3, 'an empty verb');
    refusedWith('/a::x', 3, 'an empty part in the verb');
    refusedWith('/{x=a{y}}', 5, 'a variable must be a whole segment');
    refusedWith('/{x=*{y}}', 5, 'a variable must be a whole segment');
    refusedWith('/{x={y}}', 4, 'variables cannot nest');
    refusedWith('/a:?', 3, 'unexpected "?" in the verb');
    refusedWith('/a:v?', 4, 'unexpected "?" in the verb');
    refusedWith('/**/a/**', 6, 'only one "**" is allowed in a template');
    refusedWith('/**/*', 4, 'a "*" cannot follow "**"');
    refusedWith('/{x=**}/{y}', 8, 'a "*" cannot follow "**"');
    refusedWith('/.', 1, 'a "." or ".." segment');
    refusedWith('/a/%2E%2E', 3, 'a "." or ".." segment');
  });

  it('refuses a template that is not a string, as a TemplateError', () => {
    assert.throws(
      () => parsePathTemplate(42 as unknown as string),
      (e: unknown) => e instanceof TemplateError && e.template === '42' && e.position === 0 && e.reason === 'a template is a string',
    );
  });
});

describe('path templates: the root template "/"', () => {
  it('matches the path "/" only, capturing nothing', () => {
    const root = parsePathTemplate('/');
    assert.deepEqual(matchPath(root, '/'), {});
    assert.equal(matchPath(root, ''), undefined);
    assert.equal(matchPath(root, '//'), undefined);
    assert.equal(matchPath(root, '/a'), undefined);
    assert.equal(matchPath(root, 'a'), undefined);
  });

  it('expands to "/" whatever values it is given', () => {
    const root = parsePathTemplate('/');
    assert.equal(root.tryExpand([]), '/');
    assert.equal(root.tryExpand(['x']), '/');
    assert.equal(root.expand({}), '/');
  });
});

describe('path templates: matching and expanding at the edges', () => {
  it('a template without ** matches only paths of its own length', () => {
    const t = parsePathTemplate('/v1/{name=things/*}');
    assert.deepEqual(matchPath(t, '/v1/things/a'), { name: 'things/a' });
    assert.equal(matchPath(t, '/v1/things/a/b'), undefined);
    assert.equal(matchPath(t, '/v1/things/a/'), undefined);
    assert.equal(captureSegments(t, ['v1', 'things', 'a', 'b'], ['v1', 'things', 'a', 'b']), undefined);
    assert.deepEqual(captureSegments(t, ['v1', 'things', 'a'], ['v1', 'things', 'a']), ['things/a']);
  });

  it('match never throws on a path that is not a string', () => {
    for (const text of ['/v1/{name=things/*}', '/v1/{name=things/*}:do']) {
      const t = parsePathTemplate(text);
      assert.equal(matchPath(t, ['/', 'v1'] as unknown as string), undefined, text);
      assert.equal(matchPath(t, 7 as unknown as string), undefined, text);
    }
  });

  it('a value off its pattern is "does not match", even when the piece that differs is not well-formed Unicode', () => {
    const t = parsePathTemplate('/v1/{name=things/*}');
    assert.deepEqual(t.tryExpand(['\uD800/a']), { variable: 'name', reason: '"\\ud800/a" does not match "things/*"' });
    assert.deepEqual(t.tryExpand(['things/\uD800']), {
      variable: 'name',
      reason: 'the value is not well-formed Unicode (a lone surrogate)',
    });
  });
});
