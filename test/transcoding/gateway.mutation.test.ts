/**
 * The gateway's entry checks and system parameters, pinned by value: what a
 * caller passing the wrong types gets back, how `$alt`, `prettyPrint` and
 * the parameters Google's front end consumes are read, and how a long bad
 * path is shortened in the message.
 */
import assert from 'node:assert/strict';
import { Code, VisionError } from 'vision-kit';
import type { MethodRow } from 'vision-kit/gen/schema/services.js';
import { createGateway, type GatewayMatch } from 'vision-kit/transcoding';
import { RouteTrie } from '../../src/transcoding/route-trie.js';
import { SERVICES as TEST_SERVICES } from '../gen/schema/services.js';
import { ALL_SERVICES, ROOT } from './support.js';

const gateway = createGateway(ALL_SERVICES);

function route(method: string, path: string): GatewayMatch {
  const m = gateway.match(method, path);
  if ('error' in m) assert.fail(`${method} ${path}: ${m.error.message}`);
  return m;
}

function missWith(method: unknown, path: unknown, status: number, message: string): void {
  const m = gateway.match(method as string, path as string);
  assert.ok('error' in m, `${String(method)} ${String(path)} matched`);
  assert.deepEqual([m.status, m.error.code, m.error.rawMessage], [status, Code.INVALID_ARGUMENT, message]);
}

function refused(fn: () => unknown, message: string): void {
  assert.throws(fn, (e: unknown) => e instanceof VisionError && e.code === Code.INVALID_ARGUMENT && e.rawMessage === message, message);
}

describe('gateway: entry checks and system parameters, by value', () => {
  it('refuses services that are not an object of method-row arrays, naming the service', () => {
    refused(() => createGateway(null as never), 'createGateway: services must be an object, got null');
    refused(() => createGateway({ 'a.B': 'rows' } as never), 'createGateway: services["a.B"] must be an array of method rows, got "rows"');
    assert.deepEqual(createGateway({}).routes, []);
  });

  it('answers 400 to a method or path that is not a string, or a path not starting with "/"', () => {
    missWith(5, '/v1/things/1', 400, 'the HTTP method and path must be strings');
    missWith('GET', undefined, 400, 'the HTTP method and path must be strings');
    missWith('GET', '?a=b', 400, 'the path "" does not start with "/"');
    missWith('GET', `x${'y'.repeat(250)}`, 400, `the path "x${'y'.repeat(199)}…" does not start with "/"`);
    missWith('GET', `x${'y'.repeat(199)}`, 400, `the path "x${'y'.repeat(199)}" does not start with "/"`);
  });

  it('refuses a query or body that is not a string', () => {
    const m = route('GET', '/v1/things/1');
    refused(() => gateway.decodeRequest(m, 5 as never, ''), 'the query and the body must be strings');
    refused(() => gateway.decodeRequest(m, '', null as never), 'the query and the body must be strings');
  });

  it('reads $alt, prettyPrint and key, and takes the other front-end parameters out of the request', () => {
    const m = route('GET', '/v1/things/1');
    const system = (query: string) => gateway.decodeRequest(m, query, '').system;
    assert.deepEqual(system(''), { enumAsInt: false, prettyPrint: true });
    assert.equal(system('$alt=json;enum-encoding=int').enumAsInt, true);
    assert.equal(system('$alt=json;enum-encoding=int;enum-encoding=string').enumAsInt, false);
    assert.equal(system('prettyPrint=0').prettyPrint, false);
    assert.equal(system('prettyPrint=false&prettyPrint=1').prettyPrint, true);
    assert.equal(system('$prettyPrint=false&$prettyPrint=true').prettyPrint, true);
    assert.equal(system('key=k1').apiKey, 'k1');
    refused(() => system('$alt=json;enum-encoding=bogus'), 'unsupported $alt parameter "enum-encoding=bogus"');
    refused(() => system('alt=proto'), 'unsupported alt value "proto": only json is served');
    refused(() => system('prettyPrint=maybe'), 'prettyPrint must be true or false, got "maybe"');
    const request = gateway.decodeRequest(m, 'fields=a&access_token=t&quotaUser=q&callback=c&$fields=b', '').request;
    assert.deepEqual(request, gateway.decodeRequest(m, '', '').request);
  });

  it('skips query pieces without a name, and names a badly encoded one by position', () => {
    const m = route('GET', '/v1/things/1');
    assert.deepEqual(gateway.decodeRequest(m, '?&=x&ids=a&novalue', '').request['ids'], ['a']);
    refused(() => gateway.decodeRequest(m, 'ids=a&ids=%zz', ''), 'malformed percent-encoding in query parameter 2 ("ids=%zz")');
  });

  it('writes an unset response_body field as the JSON of its default: 64-bit integers as strings', () => {
    const row = (responseBody: string): MethodRow => ({
      name: 'Peek',
      input: 'visionkit.testing.v1.GetThingRequest',
      output: 'visionkit.testing.v1.Thing',
      http: [{ method: 'GET', path: '/v9/{name=things/*}', responseBody }],
      signatures: [],
    });
    const body = (responseBody: string, message: object, enumAsInt = false): string => {
      const g = createGateway({ 'x.Svc': [row(responseBody)] });
      const m = g.match('GET', '/v9/things/1');
      assert.ok(!('error' in m));
      return g.encodeResponse(m.route, message, { enumAsInt, prettyPrint: false });
    };
    assert.equal(body('revision', {}), '"0"');
    assert.equal(body('serial', {}), '"0"');
    assert.equal(body('revision', { revision: '5' }), '"5"');
    assert.equal(body('weight', {}), '0');
    assert.equal(body('state', {}), '"STATE_UNSPECIFIED"');
    assert.equal(body('state', {}, true), '0');
    assert.equal(body('state', { state: 2 }), '"RETIRED"');
    assert.equal(body('display_name', {}), '""');
    assert.equal(body('token', {}), '""');
    assert.equal(body('items', {}), '[]');
    assert.equal(body('labels', {}), '{}');
    assert.equal(body('source', {}), '{}');
    assert.equal(body('source', { source: { a: 1 } }), '{"a":1}');
  });

  it('writes the response compact or indented as prettyPrint says', () => {
    const m = route('GET', '/v1/things/1');
    const thing = { name: 'things/1', displayName: 'd' };
    assert.equal(gateway.encodeResponse(m.route, thing, { enumAsInt: false, prettyPrint: false }), '{"name":"things/1","displayName":"d"}');
    assert.equal(
      gateway.encodeResponse(m.route, thing, { enumAsInt: false, prettyPrint: true }),
      '{\n  "name": "things/1",\n  "displayName": "d"\n}',
    );
  });

  it('refuses query parameters that cannot set a field, naming the parameter and why', () => {
    const row: MethodRow = {
      name: 'Peek',
      input: 'visionkit.testing.v1.Thing',
      output: 'visionkit.testing.v1.Thing',
      http: [{ method: 'GET', path: '/v9/{name=things/*}' }],
      signatures: [],
    };
    const g = createGateway({ 'x.Svc': [row] });
    const m = g.match('GET', '/v9/things/1');
    assert.ok(!('error' in m));
    const decode = (query: string) => g.decodeRequest(m, query, '').request;
    refused(() => decode('labels.x=1'), 'query parameter labels.x: labels is a map field; maps cannot be set from the query');
    refused(() => decode('items.a=1'), 'query parameter items.a: items is a repeated field, not a message');
    refused(() => decode('displayName.x=1'), 'query parameter displayName.x: displayName is not a message, it has no field x');
    refused(
      () => decode('createTime.seconds=1'),
      'query parameter createTime.seconds: createTime is not a message, it has no field seconds',
    );
    refused(() => decode('labels=x'), 'query parameter labels: labels is a map field; maps cannot be set from the query');
    refused(
      () => decode('source=x'),
      'query parameter source: source is a message field; set its fields by their own names (source.<field>=…)',
    );
    refused(
      () => decode('items=x'),
      'query parameter items: items is a repeated message field; set its fields by their own names (items.<field>=…)',
    );
    refused(() => decode('displayName=a&display_name=b'), 'query parameter display_name: too many values for the field displayName');
    refused(() => decode('maker=m&source.a=1'), 'source.a: field maker of the same oneof (origin) is already set');
    refused(() => decode('source.a=1&maker=m'), 'query parameter maker: field source of the same oneof (origin) is already set');
    const ok = decode('name=ignored&source.a=3&source.b=x&revision=7&bogus=1');
    assert.deepEqual([ok['name'], ok['source'], ok['revision']], ['things/1', { a: 3, b: 'x' }, '7']);
  });

  it('takes the path value over an equal body value, and refuses a different one', () => {
    const row: MethodRow = {
      name: 'Peek',
      input: 'visionkit.testing.v1.GetThingRequest',
      output: 'visionkit.testing.v1.Thing',
      http: [{ method: 'POST', path: '/v9/{name=things/*}/{ratio}', body: '*' }],
      signatures: [],
    };
    const g = createGateway({ 'x.Svc': [row] });
    const m = g.match('POST', '/v9/things/1/NaN');
    assert.ok(!('error' in m));
    assert.ok(Number.isNaN(g.decodeRequest(m, '', '{"ratio":"NaN"}').request['ratio']));
    assert.equal(g.decodeRequest(m, '', '{"name":"things/1","ratio":0}').request['name'], 'things/1');
    refused(() => g.decodeRequest(m, '', '{"name":"things/2"}'), 'name: the path gives "things/1" but the body gives "things/2"');
    refused(() => g.decodeRequest(m, '', '{"ratio":1.5}'), 'ratio: the path gives "NaN" but the body gives 1.5');
  });

  it('tries the longest verb first, and names a dot segment by its position', () => {
    const rows: MethodRow[] = [
      {
        name: 'Short',
        input: 'visionkit.testing.v1.GetThingRequest',
        output: 'google.protobuf.Empty',
        http: [{ method: 'POST', path: '/v9/{name}:baa', body: '*' }],
        signatures: [],
      },
      {
        name: 'Long',
        input: 'visionkit.testing.v1.GetThingRequest',
        output: 'google.protobuf.Empty',
        http: [{ method: 'POST', path: '/v9/{name}:bla:baa', body: '*' }],
        signatures: [],
      },
    ];
    const g = createGateway({ 'x.Svc': rows });
    const m = g.match('POST', '/v9/x:bla:baa');
    assert.ok(!('error' in m));
    assert.deepEqual([m.route.method.name, m.vars], ['Long', { name: 'x' }]);
    const short = g.match('POST', '/v9/x:baa');
    assert.ok(!('error' in short));
    assert.deepEqual([short.route.method.name, short.vars], ['Short', { name: 'x' }]);
    missWith('GET', '/v1/./things/1', 400, 'the path holds a "." segment (segment 2); dot segments are refused');
    missWith('POST', '/v1/operations/..:cancel', 400, 'the path holds a ".." segment before the verb; dot segments are refused');
    missWith('POST', '/v1/operations/.:cancel', 400, 'the path holds a "." segment before the verb; dot segments are refused');
  });

  it('answers 405 naming every method allowed on the path', () => {
    const m = gateway.match('PUT', '/v1/shelves/s/things/t');
    assert.ok('error' in m);
    assert.deepEqual(
      [m.status, m.allow, m.error.code, m.error.rawMessage],
      [405, ['DELETE', 'PATCH'], Code.UNIMPLEMENTED, 'method PUT is not allowed on /v1/shelves/s/things/t (allowed: DELETE, PATCH)'],
    );
  });

  it('reads a query piece without "=" as nothing, and refuses a badly encoded name', () => {
    const m = route('GET', '/v1/things/1');
    assert.deepEqual(gateway.decodeRequest(m, 'idsX&ids=a', '').request['ids'], ['a']);
    refused(() => gateway.decodeRequest(m, '%zz=1', ''), 'malformed percent-encoding in query parameter 1 ("%zz=1")');
    refused(() => gateway.decodeRequest({ route: m.route, vars: {} }, '', ''), 'missing path parameter name');
  });

  it('names nested query and path fields by their full path', () => {
    const m = route('GET', '/v1/things/1');
    refused(
      () => gateway.decodeRequest(m, 'filter.range.min.x=1', ''),
      'query parameter filter.range.min.x: filter.range.min is not a message, it has no field x',
    );
    refused(
      () => gateway.decodeRequest(m, 'filter.range.min=1&filter.range.min=2', ''),
      'query parameter filter.range.min: too many values for the field filter.range.min',
    );
    const nested: MethodRow = {
      name: 'Peek',
      input: 'visionkit.testing.v1.GetThingRequest',
      output: 'google.protobuf.Empty',
      http: [{ method: 'GET', path: '/v9/{name=things/*}/{filter.range.min}' }],
      signatures: [],
    };
    const g = createGateway({ 'x.Svc': [nested] });
    const bad = g.match('GET', '/v9/things/1/abc');
    assert.ok(!('error' in bad));
    assert.throws(
      () => g.decodeRequest(bad, '', ''),
      (e: unknown) => e instanceof VisionError && e.code === Code.INVALID_ARGUMENT && e.rawMessage.startsWith('filter.range.min: '),
    );
    const ok = g.match('GET', '/v9/things/1/4');
    assert.ok(!('error' in ok));
    // A query parameter on a path-bound field, or on a message above one, is ignored.
    const request = g.decodeRequest(ok, 'filter=x&filter.range.min=9&name=zzz', '').request;
    assert.deepEqual([request['name'], request['filter']], ['things/1', { range: { min: 4, max: 0 }, text: '' }]);
  });

  it('says which body is not JSON, and lets a default body value give way to the path', () => {
    const run = route('POST', '/v1/things/1:run');
    assert.throws(
      () => gateway.decodeRequest(run, '', '{'),
      (e: unknown) =>
        e instanceof VisionError && e.rawMessage.startsWith('the request body of visionkit.testing.v1.RunThingRequest is not valid JSON: '),
    );
    const update = route('PATCH', '/v1/shelves/s/things/t');
    assert.throws(
      () => gateway.decodeRequest(update, '', '{'),
      (e: unknown) =>
        e instanceof VisionError &&
        e.rawMessage.startsWith('the request body of visionkit.testing.v1.UpdateThingRequest (field thing) is not valid JSON: '),
    );
    const row: MethodRow = {
      name: 'Peek',
      input: 'visionkit.testing.v1.Thing',
      output: 'google.protobuf.Empty',
      http: [{ method: 'POST', path: '/v9/{state}/{maker}', body: '*' }],
      signatures: [],
    };
    const g = createGateway({ 'x.Svc': [row] });
    const m = g.match('POST', '/v9/ACTIVE/m');
    assert.ok(!('error' in m));
    assert.deepEqual(
      [
        g.decodeRequest(m, '', '{"state":"STATE_UNSPECIFIED","maker":"m"}').request['state'],
        g.decodeRequest(m, '', '{"maker":"m"}').request['maker'],
      ],
      [1, 'm'],
    );
    refused(() => g.decodeRequest(m, '', '{"state":"RETIRED"}'), 'state: the path gives "ACTIVE" but the body gives 2');
  });

  it('writes a wrapper or bool response_body field, set or not, and a null message one as {}', () => {
    const row = (responseBody: string): MethodRow => ({
      name: 'Peek',
      input: 'visionkit.testing.v1.GetThingRequest',
      output: 'visionkit.testing.v1.GetThingRequest',
      http: [{ method: 'GET', path: '/v9/{name=things/*}', responseBody }],
      signatures: [],
    });
    const body = (responseBody: string, message: object): string => {
      const g = createGateway({ 'x.Svc': [row(responseBody)] });
      const m = g.match('GET', '/v9/things/1');
      assert.ok(!('error' in m));
      return g.encodeResponse(m.route, message, { enumAsInt: false, prettyPrint: false });
    };
    assert.equal(body('count', {}), 'null');
    assert.equal(body('count', { count: 5 }), '5');
    assert.equal(body('flag', {}), 'null');
    assert.equal(body('verbose', {}), 'false');
    assert.equal(body('filter', { filter: null }), '{}');
    assert.equal(body('filter', {}), '{}');
  });

  it('reports a response it cannot encode as INTERNAL, with the cause', () => {
    const m = route('GET', '/v1/things/1');
    assert.throws(
      () => gateway.encodeResponse(m.route, { name: 5 }, { enumAsInt: false, prettyPrint: false }),
      (e: unknown) =>
        e instanceof VisionError &&
        e.code === Code.INTERNAL &&
        e.rawMessage.startsWith('cannot encode the response of GetThing: ') &&
        e.cause instanceof Error,
    );
  });
});

describe('gateway: the root path and the body nesting guard, by value', () => {
  it('routes the path "/" to a root template, and "//" (one empty segment) nowhere', () => {
    const g = createGateway({ [ROOT]: TEST_SERVICES[ROOT]! });
    const m = g.match('GET', '/');
    assert.ok('route' in m, JSON.stringify(m));
    assert.deepEqual([m.route.method.name, m.vars], ['GetRoot', {}]);
    const empty = g.match('GET', '//');
    assert.ok('error' in empty);
    assert.equal(empty.status, 404);
  });

  it('refuses a body nested past the limit before parsing it, naming the offset', () => {
    const m = route('PATCH', '/v1/shelves/s/things/t');
    const deep = `${'['.repeat(101)}${']'.repeat(101)}`;
    refused(
      () => gateway.decodeRequest(m, '', deep),
      'the request body of visionkit.testing.v1.UpdateThingRequest nests objects and arrays more than 100 deep (at offset 100); the limit is 100',
    );
    const atLimit = `{"labels":${'['.repeat(99)}${']'.repeat(99)}}`;
    refused(() => gateway.decodeRequest(m, '', atLimit), 'thing.labels: expected a map object, got an array');
  });
});

describe('gateway: a bug in routing is answered, never thrown', () => {
  // No request makes routing throw (match refuses bad paths by value), so the
  // guard that keeps the server's request handler from rejecting is reached
  // here by a fault put into the route trie, as a bug there would throw.
  function withFaultyTrie(thrown: unknown, run: () => void): void {
    const find = Object.getOwnPropertyDescriptor(RouteTrie.prototype, 'find')!;
    Object.defineProperty(RouteTrie.prototype, 'find', {
      ...find,
      value: () => {
        throw thrown;
      },
    });
    try {
      run();
    } finally {
      Object.defineProperty(RouteTrie.prototype, 'find', find);
    }
  }

  it('answers 400 with an INTERNAL error keeping the cause for anything but a VisionError', () => {
    const bug = new TypeError('segments[i] is undefined');
    withFaultyTrie(bug, () => {
      const m = gateway.match('GET', '/v1/things/1');
      assert.ok('error' in m);
      assert.deepEqual(
        [m.status, m.allow, m.error.code, m.error.rawMessage, m.error.cause],
        [400, undefined, Code.INTERNAL, 'segments[i] is undefined', bug],
      );
    });
  });

  it('answers 400 with a VisionError as it was thrown', () => {
    const thrown = new VisionError(Code.FAILED_PRECONDITION, 'not routable now');
    withFaultyTrie(thrown, () => {
      const m = gateway.match('POST', '/v1/things/1:run');
      assert.ok('error' in m);
      assert.equal(m.status, 400);
      assert.equal(m.error, thrown);
    });
    assert.deepEqual(route('GET', '/v1/things/1').vars, { name: 'things/1' });
  });
});
