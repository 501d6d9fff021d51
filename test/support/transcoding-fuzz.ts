/**
 * Fuzz properties of transcoding (RELIABILITY.md), shared by `npm test` (a few
 * thousand runs) and `npm run test:soak` (100,000 runs):
 * - the template parser: any string gives a template or a TemplateError;
 * - the REST gateway: random HTTP methods, paths, queries and bodies give
 *   either a VisionError of the right kind (400 → INVALID_ARGUMENT, 404 →
 *   NOT_FOUND, 405 → UNIMPLEMENTED with Allow, a decoding failure →
 *   INVALID_ARGUMENT) or a valid request of the routed method, never
 *   another exception.
 */
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { Code, VisionError } from 'vision-kit';
import { messageInfo, messageToJson, normalizeMessage } from 'vision-kit/codec';
import { createGateway, type DecodedRequest, matchPath, type PathTemplate, parsePathTemplate, TemplateError } from 'vision-kit/transcoding';
import { ALL_SERVICES } from '../transcoding/support.js';
import { arbitraryMessage } from './arbitrary-message.js';

const gateway = createGateway(ALL_SERVICES);
const routes = gateway.routes;

const nasty = fc.constantFrom(
  '',
  '.',
  '..',
  '%2e%2E',
  '%',
  '%2',
  '%zz',
  '%FF',
  '%2F',
  '%2f',
  '%3A',
  ':',
  ':run',
  ':cancel',
  'a:b',
  '+',
  ' ',
  '%20',
  '😀',
  '\ud800',
  '?',
  '#',
  '&',
  '=',
  '{x}',
  '*',
  '**',
  'é',
  'x'.repeat(300),
);
const word = fc.oneof(fc.stringMatching(/^[A-Za-z0-9_-]{1,8}$/), nasty, fc.string({ unit: 'binary', maxLength: 6 }));

/** A path shaped like one of the routes, with random pieces where its wildcards are (and sometimes in its literals). */
const routeShapedPath = fc
  .tuple(
    fc.nat({ max: routes.length - 1 }),
    fc.array(fc.tuple(fc.nat({ max: 9 }), word, fc.array(word, { minLength: 1, maxLength: 3 })), { minLength: 12, maxLength: 12 }),
    fc.nat({ max: 5 }),
    word,
  )
  .map(([r, picks, verbPick, junk]) => {
    const t = routes[r]!.template;
    const segs = t.segments.map((s, i) => {
      const [roll, w, many] = picks[i]!;
      if (s.kind === 'literal') return roll === 0 ? w : s.raw;
      if (s.kind === '**') return roll < 7 ? many.join('/') : w;
      return roll < 2 ? w : encodeURIComponent(w.replace(/[\ud800-\udfff]/g, 'x')) || 'x';
    });
    const verb = verbPick === 0 ? '' : verbPick === 1 ? `:${junk}` : t.verb === undefined ? '' : `:${t.verb}`;
    return [routes[r]!.httpMethod, `/${segs.join('/')}${verb}`] as const;
  });

const path = fc.oneof(
  { weight: 6, arbitrary: routeShapedPath.map(([, p]) => p) },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 30 }) },
  { weight: 1, arbitrary: fc.array(word, { maxLength: 6 }).map((a) => `/${a.join('/')}`) },
);

const anyMethod = fc.oneof(fc.constantFrom('GET', 'POST', 'PATCH', 'DELETE', 'PUT', 'HEAD', 'OPTIONS', 'get'), fc.string({ maxLength: 6 }));

/** Mostly a route's own method with a path shaped like it; sometimes anything. */
const target = fc.oneof({ weight: 3, arbitrary: routeShapedPath }, { weight: 1, arbitrary: fc.tuple(anyMethod, path) });

/** Query names: real field names (camel and snake, dotted), system names, junk. */
const fieldNames = [...new Set(routes.flatMap((r) => r.compiled.input.fields.flatMap((f) => [f.jsonName, f.protoName])))];
const nestedNames = [
  'filter.range.min',
  'filter.range',
  'filter.text',
  'filter.range.min.x',
  'items.a',
  'labels.k',
  'readMask.paths',
  'since.seconds',
  'product.name',
  'productSet.displayName',
  'thing.name',
];
const systemNames = ['$alt', 'alt', '$prettyPrint', 'prettyPrint', 'key', '$key', 'fields', '$fields', '$x'];
const queryName = fc.oneof(fc.constantFrom(...fieldNames, ...nestedNames, ...systemNames), word);
const queryValue = fc.oneof(
  fc.constantFrom(
    'json',
    'json;enum-encoding=int',
    'json;x',
    'proto',
    'true',
    'false',
    '1',
    '0',
    'NaN',
    '-Infinity',
    '1e3',
    '1.5',
    '-1',
    '99999999999999999999',
    'ACTIVE',
    'NOPE',
    '1.5s',
    '-0.5s',
    '2019-03-01T10:00:00Z',
    'null',
    '+/8=',
    '-_8',
    'a,b.c',
    'a_b,C',
  ),
  word,
);
const query = fc.oneof(
  fc
    .array(fc.tuple(queryName, queryValue, fc.boolean()), { maxLength: 6 })
    .map((pairs) =>
      pairs
        .map(([k, v, enc]) =>
          enc
            ? `${encodeURIComponent(k.replace(/[\ud800-\udfff]/g, 'x'))}=${encodeURIComponent(v.replace(/[\ud800-\udfff]/g, 'x'))}`
            : `${k}=${v}`,
        )
        .join('&'),
    ),
  fc.string({ unit: 'binary', maxLength: 30 }),
);

/** Bodies: empty, junk, random JSON, and valid request JSON of a random route (sometimes with a stray key). */
const validJson = fc.nat({ max: routes.length - 1 }).chain((r) => {
  const input = routes[r]!.compiled.input.fullName;
  return fc.tuple(arbitraryMessage(input, { maxDepth: 2, maxLength: 2 }), fc.boolean()).map(([m, stray]) => {
    const json = messageToJson(input, m) as Record<string, unknown>;
    if (stray) json.bogusField = 1;
    return JSON.stringify(json);
  });
});
const body = fc.oneof(fc.constant(''), fc.string({ unit: 'binary', maxLength: 30 }), fc.json({ maxDepth: 3 }), validJson);

const STATUS_CODE: Record<number, Code> = { 400: Code.INVALID_ARGUMENT, 404: Code.NOT_FOUND, 405: Code.UNIMPLEMENTED };

/**
 * Runs the gateway property `runs` times (seeded) and returns how often each
 * outcome came up (`ok`, `decode 400`, `400`, `404`, `405`).
 */
export function gatewayFuzz(runs: number, seed = 42): Map<string, number> {
  const outcomes = new Map<string, number>();
  const count = (k: string): void => {
    outcomes.set(k, (outcomes.get(k) ?? 0) + 1);
  };
  fc.assert(
    fc.property(target, query, body, ([m, p], q, b) => {
      const hit = gateway.match(m, p);
      if ('error' in hit) {
        assert.ok(hit.error instanceof VisionError);
        assert.equal(hit.error.code, STATUS_CODE[hit.status], `${hit.status}: ${hit.error.message}`);
        if (hit.status === 405) {
          assert.ok(hit.allow !== undefined && hit.allow.length > 0 && !hit.allow.includes(m.toUpperCase()));
          assert.equal(hit.error.httpStatus, 405);
        }
        count(String(hit.status));
        return;
      }
      let decoded: DecodedRequest;
      try {
        decoded = gateway.decodeRequest(hit, q, b);
      } catch (e) {
        assert.ok(e instanceof VisionError, `${m} ${p}?${q} ${b}: threw ${String(e)}`);
        assert.equal(e.code, Code.INVALID_ARGUMENT, e.message);
        count('decode 400');
        return;
      }
      const input = hit.route.compiled.input.fullName;
      // A valid request: already in full shape, every value of the right type.
      assert.deepStrictEqual(normalizeMessage(input, decoded.request), decoded.request);
      for (const v of hit.route.compiled.vars) assert.notEqual(hit.vars[v.variable.name], undefined);
      assert.ok(messageInfo(input));
      const answer = gateway.encodeResponse(hit.route, {}, decoded.system);
      assert.equal(typeof answer, 'string');
      count('ok');
    }),
    { seed, numRuns: runs },
  );
  return outcomes;
}

const templateAlphabet = fc.constantFrom(
  '/',
  '{',
  '}',
  '=',
  '*',
  '**',
  ':',
  '.',
  'a',
  'b',
  'v1',
  'x_y',
  '%',
  '%2F',
  '%zz',
  '-',
  '?',
  ' ',
  'é',
  '😀',
  '\ud800',
);

/** Template-shaped strings (grammar tokens glued at random) and any strings. */
export const templateTexts = fc.oneof(
  fc.array(templateAlphabet, { maxLength: 14 }).map((parts) => parts.join('')),
  fc.string({ unit: 'binary', maxLength: 40 }),
);

/** Runs the parser property `runs` times (seeded): a template or a TemplateError, nothing else. */
export function templateFuzz(runs: number, seed = 42): void {
  fc.assert(
    fc.property(templateTexts, (text) => {
      let t: PathTemplate;
      try {
        t = parsePathTemplate(text);
      } catch (e) {
        assert.ok(e instanceof TemplateError, `${JSON.stringify(text)} threw ${String(e)}`);
        assert.equal(e.template, text);
        assert.ok(e.position >= 0 && e.position <= text.length, `position ${e.position} of ${JSON.stringify(text)}`);
        return;
      }
      // An accepted template is usable: matching and expanding never throw.
      assert.ok(text.startsWith('/'));
      matchPath(t, text);
      t.tryExpand(t.variables.map(() => 'x'));
    }),
    { seed, numRuns: runs },
  );
}

/** The request generators, for fuzzing the gateway over real HTTP too (test/reliability). */
export { body as gatewayBody, query as gatewayQuery, target as gatewayTarget, word as fuzzWord };
