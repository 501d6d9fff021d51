/**
 * The route trie pinned by value: which route a path picks (a literal before
 * `*` before `**`, `**` taking its longest span first, the exact method before
 * the wildcard kind), what it reports as allowed when the method has none,
 * empty segments never matching, verbs kept apart, and the refusal of a
 * second route of the same shape (its code, template and message).
 */
import assert from 'node:assert/strict';
import { Code } from 'vision-kit';
import { parsePathTemplate, TemplateError } from 'vision-kit/transcoding';
import { ANY_METHOD, RouteTrie } from '../../src/transcoding/route-trie.js';

const t = parsePathTemplate;

function trieOf(routes: readonly (readonly [method: string, template: string, entry: string, sendMethod?: string])[]): RouteTrie<string> {
  const trie = new RouteTrie<string>();
  for (const [m, text, entry, send] of routes) trie.insert(m, t(text), entry, entry, send);
  return trie;
}

function find(trie: RouteTrie<string>, method: string, path: string, verb = ''): { entry: string | undefined; allowed: string[] } {
  const r = trie.find(method, path === '' ? [] : path.split('/'), verb);
  return { entry: r.entry, allowed: [...r.allowed].sort() };
}

describe('transcoding: the route trie, by value', () => {
  it('the wildcard kind is "*"', () => {
    assert.equal(ANY_METHOD, '*');
  });

  it('a literal beats "*", which beats "**", segment by segment from the left', () => {
    const trie = trieOf([
      ['GET', '/v1/{a=things/*}', 'star'],
      ['GET', '/v1/things/special', 'literal'],
      ['GET', '/v1/{a=things/**}', 'deep'],
      ['GET', '/v1/{a=*}/special', 'star-first'],
    ]);
    assert.deepEqual(find(trie, 'GET', 'v1/things/special'), { entry: 'literal', allowed: [] });
    assert.deepEqual(find(trie, 'GET', 'v1/things/other'), { entry: 'star', allowed: [] });
    assert.deepEqual(find(trie, 'GET', 'v1/things/a/b'), { entry: 'deep', allowed: [] });
    assert.deepEqual(find(trie, 'GET', 'v1/others/special'), { entry: 'star-first', allowed: [] });
    assert.deepEqual(find(trie, 'GET', 'v1/others/plain'), { entry: undefined, allowed: [] });
  });

  it('falls back from a literal to "*" and from "*" to "**" when the more specific branch ends nowhere', () => {
    const trie = trieOf([
      ['GET', '/v1/things/x/end', 'literal'],
      ['GET', '/v1/things/{a}/other', 'star'],
      ['GET', '/v1/things/{a=**}', 'deep'],
    ]);
    assert.equal(find(trie, 'GET', 'v1/things/x/end').entry, 'literal');
    assert.equal(find(trie, 'GET', 'v1/things/x/other').entry, 'star', 'the literal branch x has no "other"');
    assert.equal(find(trie, 'GET', 'v1/things/x/third').entry, 'deep', 'neither x nor "*" has "third"');
    assert.equal(find(trie, 'GET', 'v1/things/x').entry, 'deep');
  });

  it('"**" tries its longest span first, and shorter spans after', () => {
    const trie = trieOf([
      ['GET', '/{a=**}', 'all'],
      ['GET', '/{a=**}/b', 'then-b'],
      ['GET', '/{a=**}/b/c', 'then-b-c'],
    ]);
    assert.equal(find(trie, 'GET', 'x/b').entry, 'all', 'the longest span reaches the end first');
    const only = trieOf([
      ['GET', '/{a=**}/b', 'then-b'],
      ['GET', '/{a=**}/b/c', 'then-b-c'],
    ]);
    assert.equal(find(only, 'GET', 'x/y/b').entry, 'then-b');
    assert.equal(find(only, 'GET', 'x/b/c').entry, 'then-b-c');
    assert.equal(find(only, 'GET', 'b/b').entry, 'then-b', 'a span of one segment, "b" itself');
    assert.equal(find(only, 'GET', 'b').entry, undefined, '"**" needs at least one segment');
    const nested = trieOf([
      ['GET', '/a/{x=**}', 'lit-deep'],
      ['GET', '/{y}/b', 'star-b'],
    ]);
    assert.equal(find(nested, 'GET', 'a/b').entry, 'lit-deep', 'a "**" match under a literal ends the search');
  });

  it('empty segments match nothing: in the middle, at the end, and inside a "**" span', () => {
    const trie = trieOf([
      ['GET', '/a/{x}', 'star'],
      ['GET', '/d/{x=**}', 'deep'],
      ['GET', '/e/{x=**}/z', 'deep-z'],
    ]);
    assert.equal(find(trie, 'GET', 'a/').entry, undefined);
    assert.equal(find(trie, 'GET', 'a/x').entry, 'star');
    assert.equal(find(trie, 'GET', 'd/x/').entry, undefined, 'a trailing empty segment');
    assert.equal(find(trie, 'GET', 'd//x').entry, undefined);
    assert.equal(find(trie, 'GET', 'd/x/y').entry, 'deep');
    assert.equal(find(trie, 'GET', 'e/x//z').entry, undefined, 'the span stops at the empty segment');
    assert.equal(find(trie, 'GET', 'e/x/y/z').entry, 'deep-z');
    const lit = trieOf([['GET', '/a/b', 'ab']]);
    assert.equal(find(lit, 'GET', '/a/b').entry, undefined, 'a leading empty segment');
  });

  it('routes per method: another method gives the allowed set, the wildcard kind the rest', () => {
    const trie = trieOf([
      ['GET', '/v1/{name=things/*}', 'get'],
      ['DELETE', '/v1/{name=things/*}', 'delete'],
      ['PATCH', '/v1/{name=things/*}:undo', 'patch-undo'],
    ]);
    assert.deepEqual(find(trie, 'GET', 'v1/things/a'), { entry: 'get', allowed: [] });
    assert.deepEqual(find(trie, 'POST', 'v1/things/a'), { entry: undefined, allowed: ['DELETE', 'GET'] });
    assert.deepEqual(find(trie, 'POST', 'v1/things/a', 'undo'), { entry: undefined, allowed: ['PATCH'] });
    assert.deepEqual(find(trie, 'PATCH', 'v1/things/a', 'undo'), { entry: 'patch-undo', allowed: [] });
    assert.deepEqual(find(trie, 'PATCH', 'v1/things/a', 'redo'), { entry: undefined, allowed: [] });
    assert.deepEqual(find(trie, 'POST', 'v1/other/a'), { entry: undefined, allowed: [] });
    assert.deepEqual([...trie.verbs], ['undo']);

    const any = trieOf([
      ['GET', '/v1/{name=things/*}', 'get'],
      [ANY_METHOD, '/v1/{name=things/*}', 'any', 'POST'],
    ]);
    assert.equal(find(any, 'GET', 'v1/things/a').entry, 'get', 'the exact method before the wildcard');
    assert.equal(find(any, 'PUT', 'v1/things/a').entry, 'any');
    assert.equal(find(any, 'POST', 'v1/things/a').entry, 'any');
  });

  it('collects allowed methods from every template the path matches', () => {
    const trie = trieOf([
      ['GET', '/v1/things/{a}', 'get-lit'],
      ['DELETE', '/v1/{a}/{b}', 'delete-star'],
      ['PUT', '/v1/{a=**}', 'put-deep'],
    ]);
    assert.deepEqual(find(trie, 'POST', 'v1/things/a'), { entry: undefined, allowed: ['DELETE', 'GET', 'PUT'] });
    assert.deepEqual(find(trie, 'DELETE', 'v1/things/a'), { entry: 'delete-star', allowed: ['GET'] });
  });

  it('refuses a second route of the same shape and method, naming both, and keeps the first', () => {
    const trie = trieOf([['GET', '/v1/{name=things/*}', 'first']]);
    const err = (() => {
      try {
        trie.insert('GET', t('/v1/{id=things/*}'), 'second', 'Second');
      } catch (e) {
        return e;
      }
      return undefined;
    })();
    assert.ok(err instanceof TemplateError);
    assert.equal(err.code, Code.INVALID_ARGUMENT);
    assert.equal(err.template, '/v1/{id=things/*}');
    assert.equal(err.position, 0);
    assert.equal(err.reason, 'GET /v1/{id=things/*} (Second) matches the same paths as a route of first');
    assert.equal(find(trie, 'GET', 'v1/things/a').entry, 'first');
    // Other shapes, methods and verbs are not the same paths.
    trie.insert('POST', t('/v1/{name=things/*}'), 'post', 'post');
    trie.insert('GET', t('/v1/{name=things/*}:x'), 'verb', 'verb');
    trie.insert('GET', t('/v1/{name=things/**}'), 'deep', 'deep');
    trie.insert('GET', t('/v1/things/{name}/x'), 'lit', 'lit');
    trie.insert('GET', t('/v1/{name=other/*}'), 'other', 'other');
    trie.insert('GET', t('/v1/{name=things/*}/{b}'), 'longer', 'longer');
    assert.equal(find(trie, 'GET', 'v1/things/a', 'x').entry, 'verb');
    assert.equal(find(trie, 'GET', 'v1/other/a').entry, 'other');
    assert.equal(find(trie, 'GET', 'v1/things/a/b').entry, 'longer');
    assert.equal(find(trie, 'POST', 'v1/things/a').entry, 'post');
    assert.throws(() => trie.insert('GET', t('/v1/{a=things/**}'), 'again', 'Again'), {
      reason: 'GET /v1/{a=things/**} (Again) matches the same paths as a route of deep',
    });
  });

  it('a wildcard route claims the method its clients send, both ways round', () => {
    const first = trieOf([[ANY_METHOD, '/v1/{name=things/*}', 'any', 'GET']]);
    assert.throws(() => first.insert('GET', t('/v1/{n=things/*}'), 'get', 'Get'), {
      reason: 'GET /v1/{n=things/*} (Get) matches the same paths as a route of any',
    });
    first.insert('POST', t('/v1/{n=things/*}'), 'post', 'Post');
    assert.throws(() => first.insert(ANY_METHOD, t('/v1/{n=things/*}'), 'any2', 'Any2', 'POST'), {
      reason: '* /v1/{n=things/*} (Any2) matches the same paths as a route of any',
    });

    const second = trieOf([['POST', '/v1/{name=things/*}', 'post']]);
    assert.throws(() => second.insert(ANY_METHOD, t('/v1/{n=things/*}'), 'any', 'Any', 'POST'), {
      reason: 'POST /v1/{n=things/*} (Any) matches the same paths as a route of post',
    });
    // The refused route claimed nothing: a GET route of that shape still goes in.
    second.insert('GET', t('/v1/{n=things/*}'), 'get', 'Get');
    assert.equal(find(second, 'GET', 'v1/things/a').entry, 'get');
    assert.equal(find(second, 'PUT', 'v1/things/a').entry, undefined, 'the refused wildcard route was not added');
  });

  it('a route inserted as the wildcard kind with a send method is found for that method and others', () => {
    const trie = trieOf([[ANY_METHOD, '/v1/{name=things/*}:run', 'any', 'POST']]);
    assert.deepEqual(find(trie, 'POST', 'v1/things/a', 'run'), { entry: 'any', allowed: [] });
    assert.deepEqual(find(trie, 'GET', 'v1/things/a', 'run'), { entry: 'any', allowed: [] });
    assert.deepEqual(find(trie, 'GET', 'v1/things/a'), { entry: undefined, allowed: [] });
    assert.deepEqual([...trie.verbs], ['run']);
  });
});
