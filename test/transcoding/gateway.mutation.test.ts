/**
 * The gateway's entry checks and system parameters, pinned by value: what a
 * caller passing the wrong types gets back, how `$alt`, `prettyPrint` and
 * the parameters Google's front end consumes are read, and how a long bad
 * path is shortened in the message.
 */
import assert from 'node:assert/strict';
import { Code, VisionError } from 'vision-kit';
import { createGateway, type GatewayMatch } from 'vision-kit/transcoding';
import { ALL_SERVICES } from './support.js';

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
});
