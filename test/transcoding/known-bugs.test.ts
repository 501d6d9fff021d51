/**
 * Bugs other transcoders shipped, one test each (where it concerns
 * transcoding) showing vision-kit does not have it; each test names the
 * project and the issue or pull request where the bug was reported.
 */
import assert from 'node:assert/strict';
import { Code, VisionError } from 'vision-kit';
import { createGateway, type GatewayMatch, parsePathTemplate, TemplateError, transcodeRequest } from 'vision-kit/transcoding';
import { ALL_SERVICES, GET_OPERATION_SERVICE_CONFIG, IA, methodRow, OPS, PS, THINGS } from './support.js';

const gateway = createGateway(ALL_SERVICES);
const LOC = 'projects/p1/locations/us-west1';

function route(method: string, path: string): GatewayMatch {
  const m = gateway.match(method, path);
  if ('error' in m) assert.fail(`${method} ${path}: ${m.error.message}`);
  return m;
}

function decode(method: string, path: string, query = '', body = ''): Record<string, unknown> {
  return gateway.decodeRequest(route(method, path), query, body).request;
}

function rejects(fn: () => unknown, re: RegExp): void {
  assert.throws(fn, (e: unknown) => e instanceof VisionError && e.code === Code.INVALID_ARGUMENT && re.test(e.message));
}

describe('known bugs of other transcoders', () => {
  it('gax #1312, PR #953; vanguard-go #131: query keys are lowerCamel; the server takes both', () => {
    const r = transcodeRequest(methodRow(PS, 'ListProducts'), { parent: LOC, pageSize: 3, pageToken: 't' });
    assert.equal(r.query, 'pageSize=3&pageToken=t');
    for (const q of ['pageSize=3&pageToken=t', 'page_size=3&page_token=t']) {
      assert.deepEqual(decode('GET', `/v1p4beta1/${LOC}/products`, q), { parent: LOC, pageSize: 3, pageToken: 't' });
    }
  });

  it('gax PR #1103: a capitalised field name (IPProtocol) is kept as it is, both ways', () => {
    const r = transcodeRequest(methodRow(THINGS, 'RunThing'), { name: 'things/1', IPProtocol: 'tcp' });
    assert.equal(r.body, '{"IPProtocol":"tcp"}');
    assert.equal(decode('POST', '/v1/things/1:run', '', r.body).IPProtocol, 'tcp');
  });

  it('gax PR #1148: map keys with "." are not mangled, both ways', () => {
    const r = transcodeRequest(methodRow(THINGS, 'RunThing'), { name: 'things/1', labels: { 'a.1': 'x', 'B.c_d': 'y' } });
    assert.equal(r.body, '{"labels":{"a.1":"x","B.c_d":"y"}}');
    assert.deepEqual(decode('POST', '/v1/things/1:run', '', r.body).labels, { 'a.1': 'x', 'B.c_d': 'y' });
  });

  it('gax PR #1276, google-cloud-php #1863: service-config Operations bindings reach projects/*/operations/*', () => {
    const get = methodRow(OPS, 'GetOperation');
    assert.equal(
      transcodeRequest(get, { name: 'projects/p1/operations/9' }, { bindings: GET_OPERATION_SERVICE_CONFIG }).path,
      '/v1/projects/p1/operations/9',
    );
    const g = createGateway({ [OPS]: [{ ...get, http: [...GET_OPERATION_SERVICE_CONFIG] }] });
    const m = g.match('GET', '/v1/projects/p1/operations/9');
    assert.ok(!('error' in m));
    assert.deepEqual(g.decodeRequest(m, '', '').request, { name: 'projects/p1/operations/9' });
  });

  it('gax PR #1335: numeric enums: $alt=json;enum-encoding=int sent, honoured in the answer, numbers accepted', () => {
    const r = transcodeRequest(methodRow(THINGS, 'GetThing'), { name: 'things/1', state: 2 }, { enumAsInt: true });
    assert.equal(r.query, 'state=2&$alt=json%3Benum-encoding=int');
    const m = route('GET', r.path);
    const d = gateway.decodeRequest(m, r.query, '');
    assert.equal(d.request.state, 2);
    assert.equal(d.system.enumAsInt, true);
    assert.equal(gateway.encodeResponse(m.route, { name: 'things/1', state: 2 }, d.system), '{\n  "name": "things/1",\n  "state": 2\n}');
    const body = transcodeRequest(methodRow(IA, 'BatchAnnotateImages'), { requests: [{ features: [{ type: 4 }] }] }, { enumAsInt: true })
      .body!;
    assert.equal(body, '{"requests":[{"features":[{"type":4}]}]}');
    assert.deepEqual(
      decode('POST', '/v1p4beta1/images:annotate', '', body),
      decode('POST', '/v1p4beta1/images:annotate', '', '{"requests":[{"features":[{"type":"LABEL_DETECTION"}]}]}'),
    );
  });

  it("google-cloud-node PR #9151 and its kin: dot segments refused both ways, !'()* encoded, %2e%2e checked decoded", () => {
    const get = methodRow(PS, 'GetProduct');
    for (const last of ['..', '.']) rejects(() => transcodeRequest(get, { name: `${LOC}/products/${last}` }), /"\." or "\.\."/);
    assert.equal(transcodeRequest(get, { name: `${LOC}/products/!'()*` }).path, `/v1p4beta1/${LOC}/products/%21%27%28%29%2A`);
    assert.equal(transcodeRequest(get, { name: `${LOC}/products/%2e%2e` }).path, `/v1p4beta1/${LOC}/products/%252e%252e`);
    for (const p of [`/v1p4beta1/${LOC}/products/..`, `/v1p4beta1/${LOC}/products/%2e%2e`, `/v1p4beta1/${LOC}/products/.%2E`]) {
      const m = gateway.match('GET', p);
      assert.ok('error' in m && m.status === 400, p);
    }
    // '?' and '#' in values are encoded, never cut the URL (gax-dotnet PR #914).
    assert.equal(transcodeRequest(get, { name: `${LOC}/products/a?b#c` }).path, `/v1p4beta1/${LOC}/products/a%3Fb%23c`);
  });

  it('gax, by reading code: nested query prefixes kept, emoji encoded, repeated messages refused, {} not "", FieldMask case converted', () => {
    const getThing = methodRow(THINGS, 'GetThing');
    assert.equal(transcodeRequest(getThing, { name: 'things/1', filter: { range: { min: 1 } } }).query, 'filter.range.min=1');
    assert.equal(
      transcodeRequest(methodRow(PS, 'GetProduct'), { name: `${LOC}/products/😀` }).path,
      `/v1p4beta1/${LOC}/products/%F0%9F%98%80`,
    );
    assert.equal(transcodeRequest(getThing, { name: 'things/😀', ids: ['😀'] }).query, 'ids=%F0%9F%98%80');
    rejects(() => transcodeRequest(getThing, { name: 'things/1', items: [{ a: 1 }] }), /repeated message/);
    assert.equal(transcodeRequest(methodRow(PS, 'CreateProductSet'), { parent: LOC }).body, '{}');
    assert.equal(transcodeRequest(methodRow(PS, 'UpdateProductSet'), { productSet: { name: `${LOC}/productSets/s` } }).body, '{}');
    assert.equal(transcodeRequest(getThing, { name: 'things/1', readMask: ['user.display_name'] }).query, 'readMask=user.displayName');
    // Negative Durations and offset Timestamps (P3J deviations) travel in the query.
    assert.equal(transcodeRequest(getThing, { name: 'things/1', timeout: { seconds: '-1', nanos: -500000000 } }).query, 'timeout=-1.500s');
    assert.deepEqual(decode('GET', '/v1/things/1', 'since=2019-03-01T12:00:00.5%2B02:00').since, {
      seconds: '1551434400',
      nanos: 500000000,
    });
  });

  it('grpc-gateway #4134, #2239: FieldMask query parameters in lowerCamel or snake_case are stored snake_case', () => {
    assert.deepEqual(decode('GET', '/v1/things/1', 'readMask=user.displayName%2Cphoto').readMask, ['user.display_name', 'photo']);
    assert.deepEqual(decode('GET', '/v1/things/1', 'read_mask=user.display_name').readMask, ['user.display_name']);
  });

  it('grpc-gateway #3263, #566, #308: %2F in path values: kept in multi-segment captures, decoded in single-segment ones', () => {
    assert.deepEqual(decode('GET', '/v1/blobs/a%2Fb/c'), { name: 'blobs/a%2Fb/c' });
    const single = { ...methodRow(THINGS, 'GetThing'), name: 'Single', http: [{ method: 'GET', path: '/v2/things/{name}' }] };
    const g = createGateway({ X: [single] });
    const m = g.match('GET', '/v2/things/a%2Fb');
    assert.ok(!('error' in m));
    assert.equal(g.decodeRequest(m, '', '').request.name, 'a/b');
    assert.equal(transcodeRequest(single, { name: 'a/b' }).path, '/v2/things/a%2Fb');
  });

  it('grpc-gateway #224, #760, PR #2727; vanguard-go #170: colons in ids vs custom verbs', () => {
    assert.equal(
      transcodeRequest(methodRow(PS, 'AddProductToProductSet'), { name: `${LOC}/productSets/s:1`, product: 'p' }).path,
      `/v1p4beta1/${LOC}/productSets/s%3A1:addProduct`,
    );
    assert.deepEqual(decode('POST', `/v1p4beta1/${LOC}/productSets/s%3A1:addProduct`, '', '{"product":"p"}'), {
      name: `${LOC}/productSets/s:1`,
      product: 'p',
    });
    assert.deepEqual(decode('GET', '/v1/things/a:b'), decode('GET', '/v1/things/a%3Ab'));
    assert.equal(route('POST', '/v1/operations/x:y:cancel').route.method.name, 'CancelOperation');
    assert.equal(decode('POST', '/v1/operations/x:y:cancel').name, 'operations/x:y');
  });

  it('grpc-gateway #472, #370; flipt PR #1151; envoy #24027: trailing slashes never reach Get with an empty key; a trailing-slash template is a TemplateError', () => {
    for (const p of ['/v1/things/', `/v1p4beta1/${LOC}/products/`]) {
      const m = gateway.match('GET', p);
      assert.ok('error' in m && m.status === 404, p);
    }
    assert.throws(() => parsePathTemplate('/v1/things/'), TemplateError);
  });

  it('grpc-gateway #492: repeated messages in a GET query are refused both ways', () => {
    rejects(() => transcodeRequest(methodRow(THINGS, 'GetThing'), { name: 'things/1', items: [{ a: 1, b: 'x' }] }), /items/);
    rejects(() => decode('GET', '/v1/things/1', 'items.a=1'), /items/);
  });

  it('grpc-gateway #2971, gapic-generator-go #1160, envoy #32143: repeated values are repeated keys, read back in order', () => {
    const r = transcodeRequest(methodRow(THINGS, 'GetThing'), { name: 'things/1', ids: ['a', 'b'], states: [1, 2] });
    assert.equal(r.query, 'ids=a&ids=b&states=ACTIVE&states=RETIRED');
    const d = decode('GET', r.path, r.query);
    assert.deepEqual(
      [d.ids, d.states],
      [
        ['a', 'b'],
        [1, 2],
      ],
    );
  });

  it('grpc-gateway #234: with body "*", query parameters do not bind fields (system parameters still work)', () => {
    const m = route('POST', '/v1/things/1:run');
    const d = gateway.decodeRequest(m, 'steps=5&key=K', '{"steps":2}');
    assert.equal(d.request.steps, 2);
    assert.equal(d.system.apiKey, 'K');
  });

  it('grpc-gateway #464: an empty POST with body "*" is fine', () => {
    assert.deepEqual(decode('POST', '/v1p4beta1/images:annotate', '', ''), { requests: [] });
  });

  it('grpc-gateway #23, #122: values with "/" through {name=blobs/**}', () => {
    const r = transcodeRequest(methodRow(THINGS, 'ReadBlob'), { name: 'blobs/a/b c/d' });
    assert.equal(r.path, '/v1/blobs/a/b%20c/d');
    assert.equal(decode('GET', r.path).name, 'blobs/a/b c/d');
  });

  it('aspnetcore #45753: a FieldMask is one query parameter, never readMask.paths', () => {
    assert.equal(transcodeRequest(methodRow(THINGS, 'GetThing'), { name: 'things/1', readMask: ['a', 'b_c'] }).query, 'readMask=a%2CbC');
    rejects(() => decode('GET', '/v1/things/1', 'readMask.paths=a'), /readMask is not a message/);
  });

  it('golang/protobuf #883, #1219: small negative Durations are "-0.000000001s"', () => {
    assert.equal(
      transcodeRequest(methodRow(THINGS, 'GetThing'), { name: 'things/1', timeout: { seconds: '0', nanos: -1 } }).query,
      'timeout=-0.000000001s',
    );
    assert.deepEqual(decode('GET', '/v1/things/1', 'timeout=-0.000000001s').timeout, { seconds: '0', nanos: -1 });
  });

  it('gax-dotnet PR #586: a body field present but null is sent as {}', () => {
    assert.equal(transcodeRequest(methodRow(PS, 'CreateProduct'), { parent: LOC, product: null } as object).body, '{}');
    assert.deepEqual(decode('POST', `/v1p4beta1/${LOC}/products`, '', 'null').product, undefined);
  });
});
