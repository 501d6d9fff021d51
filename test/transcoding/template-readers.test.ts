// The two readers of path templates (path-template.ts): the compact
// readPathTemplate the clients, the poller and the gateway use, and the strict
// parsePathTemplate that says where a bad template goes wrong. They must
// accept the same templates and read them the same; the compact one refuses
// through the strict one when it is loaded (every entry but the browser's).
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { OPERATION_ROUTES, SERVICES } from 'vision-kit/gen/schema/services.js';
import { type PathTemplate, parsePathTemplate, TemplateError } from 'vision-kit/transcoding';
import { readPathTemplate, refuseTemplate } from '../../src/transcoding/path-template.js';
import { templateTexts } from '../support/transcoding-fuzz.js';

/** What a reading is, for comparing two: everything but the private matchers. */
function shape(t: PathTemplate): object {
  return { text: t.text, segments: t.segments, variables: t.variables, verb: t.verb, deepIndex: t.deepIndex };
}

/** The strict reading of `text`, or its error. */
function strict(text: string): PathTemplate | TemplateError {
  try {
    return parsePathTemplate(text);
  } catch (e) {
    assert.ok(e instanceof TemplateError, `${JSON.stringify(text)}: the strict parser threw ${String(e)}`);
    return e;
  }
}

/** Holds the compact reader to the strict one on `text`: the same template, or the same error; true when accepted. */
function agree(text: string): boolean {
  const expected = strict(text);
  if (expected instanceof TemplateError) {
    assert.throws(
      () => readPathTemplate(text),
      (e: unknown) => e instanceof TemplateError && e.message === expected.message,
      `${JSON.stringify(text)}: the compact reader must refuse it as the strict one does (${expected.message})`,
    );
    return false;
  }
  {
    let got: PathTemplate;
    try {
      got = readPathTemplate(text);
    } catch (e) {
      assert.fail(`${JSON.stringify(text)}: the strict parser accepts it, the compact reader threw ${String(e)}`);
    }
    assert.deepEqual(shape(got), shape(expected), JSON.stringify(text));
    return true;
  }
}

/** Every template of the generated tables: bindings and Operations routes. */
const GENERATED = [
  ...Object.values(SERVICES).flatMap((methods) => methods.flatMap((m) => m.http.map((b) => b.path))),
  ...Object.values(OPERATION_ROUTES).flatMap((r) => [...r.get, ...r.cancel, ...r.delete].map((b) => b.path)),
];

/** Templates near the edges of the grammar, accepted and refused. */
const EDGES = [
  '/',
  '/v1',
  '/v1/*',
  '/v1/**',
  '/v1/*/x',
  '/{x}',
  '/{x=*}',
  '/{x=**}',
  '/{x=a}',
  '/{a.b_c.D9}',
  '/v/{a=x/**}/{b=q/r}',
  '/v/**/{b=k}',
  '/a/{x=b/*/**/y/z}/foo',
  '/{x=**}/{y=lit}',
  '/a:x:y',
  '/a:%41b',
  '/%41/%2F/%C3%A9',
  "/-._~!$&'()+,;@",
  '/v1/{name=operations/**}:cancel',
  '',
  '//',
  '/{}',
  '/a/',
  '/a//b',
  '/:verb',
  '/a/:verb',
  '/{var}:',
  '/a/{var',
  '/a/{x=var:verb}',
  '/a/{var=/b}',
  '/{var=a/{nested=b}}',
  '/a{x}',
  '/{x}a',
  'a/b',
  '/a?b',
  '/%',
  '/%2',
  '/a%2z',
  '/%FF',
  '/%C3',
  '/{name.}',
  '/{name..nested}',
  '/{field-name}',
  '/{9x}',
  '/a/**/*',
  '/a/**/**',
  '/a/**/foo/**',
  '/{x=**}/{y=*}',
  '/{x=**}/*',
  '/a/{x}/{x}',
  '/a/{x.y}/{x.y}',
  '/a/../b',
  '/a/.',
  '/%2E%2E',
  '/{x=.}',
  '/a/***',
  '/a/b*',
  '/a/{x}:v:',
  '/a/{x}:v/w',
  '/a/{x}:*',
  '/a=b',
  '/{x=a=b}',
  '/}',
  '/a}',
  '/{x}}',
  '/{x=}',
  '/{x=a/}',
  '/{x=a//b}',
  '/ a',
  '/é',
  '/a\n',
];

describe('path templates: the compact reader and the strict parser agree', () => {
  it('on every template of the generated tables (each accepted)', () => {
    assert.ok(GENERATED.length > 20, 'the tables hold templates');
    for (const text of GENERATED) {
      assert.ok(agree(text), `${text} is accepted`);
    }
  });

  it('on templates near the edges of the grammar, accepted and refused', () => {
    let refused = 0;
    for (const text of EDGES) {
      if (!agree(text)) refused++;
    }
    assert.ok(refused > 30 && refused < EDGES.length - 15, `both kinds are tried (${refused} refused)`);
  });

  it("on random strings of template pieces (the fuzzers' alphabet)", () => {
    let accepted = 0;
    fc.assert(
      fc.property(templateTexts, fc.boolean(), (text, rooted) => {
        if (agree((rooted ? '/' : '') + text)) accepted++;
      }),
      { numRuns: 3000 },
    );
    assert.ok(accepted > 20, `some random strings are templates (${accepted})`);
  });

  it('on random well-formed templates (variables, wildcards, verbs)', () => {
    const literal = fc.constantFrom('v1', 'a', 'things', '%41', '%2F', 'x.y', '.', '%2E', '-_~');
    const segment = fc.oneof(literal, fc.constantFrom('*', '**'));
    const ident = fc.constantFrom('name', 'a', 'b', 'x.y', 'parent.name');
    const variable = fc
      .tuple(ident, fc.option(fc.array(segment, { minLength: 1, maxLength: 3 }), { nil: undefined }))
      .map(([name, pattern]) => `{${name}${pattern === undefined ? '' : `=${pattern.join('/')}`}}`);
    const template = fc
      .tuple(
        fc.array(fc.oneof(segment, variable), { maxLength: 5 }),
        fc.option(fc.array(literal, { minLength: 1, maxLength: 2 }), { nil: undefined }),
      )
      .map(([segments, verb]) => `/${segments.join('/')}${verb === undefined ? '' : `:${verb.join(':')}`}`);
    let accepted = 0;
    fc.assert(
      fc.property(template, (text) => {
        if (agree(text)) accepted++;
      }),
      { numRuns: 3000 },
    );
    // Dot segments, a second "**", a "*" after one and fields bound twice are refused: both kinds come out.
    assert.ok(accepted > 600 && accepted < 2700, `accepted ${accepted} of 3000`);
  });
});

describe('path templates: the compact reader without the strict parser', () => {
  it('refuses without a position, saying where to learn it', () => {
    assert.throws(
      () => refuseTemplate('/a//b', null),
      (e: unknown) =>
        e instanceof TemplateError &&
        e.template === '/a//b' &&
        e.position === 0 &&
        /not a path template of the google\.api\.http grammar/.test(e.reason) &&
        /vision-kit\/transcoding/.test(e.reason),
    );
  });

  it('refuses a template that is not a string, even one that reads as a template', () => {
    const lookalike = { toString: () => '/v1/{name}' } as unknown as string;
    assert.throws(() => readPathTemplate(lookalike), TemplateError);
    assert.throws(() => readPathTemplate(42 as unknown as string), TemplateError);
  });

  it('names a template that is not a string as its text', () => {
    assert.throws(
      () => refuseTemplate(42, null),
      (e: unknown) => e instanceof TemplateError && e.template === '42',
    );
  });

  it('with the strict parser, refuses with its error (what and where)', () => {
    assert.throws(
      () => refuseTemplate('/a//b'),
      (e: unknown) => e instanceof TemplateError && e.position === 3 && /empty segment/.test(e.reason),
    );
  });
});
