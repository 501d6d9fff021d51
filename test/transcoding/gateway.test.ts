import assert from 'node:assert/strict';
import { Code, VisionError } from 'vision-kit';
import { messageFromJson } from 'vision-kit/codec';
import type { MethodRow } from 'vision-kit/gen/schema/services.js';
import { createGateway, type GatewayMatch, type GatewayMiss, TemplateError } from 'vision-kit/transcoding';
import { ALL_SERVICES, GET_OPERATION_SERVICE_CONFIG, methodRow, OPS, PS, THINGS } from './support.js';

type Json = { [key: string]: unknown };

const getThing = methodRow(THINGS, 'GetThing');

/** Extra shapes over the test messages: single-segment variables, precedence, verbs with ':'. */
function variant(name: string, input: string, method: string, path: string, body?: string): MethodRow {
  return { ...getThing, name, input, http: [body === undefined ? { method, path } : { method, path, body }] };
}

const EXTRA = 'visionkit.testing.v1.Extra';
const extraMethods: MethodRow[] = [
  variant('Single', getThing.input, 'GET', '/v2/things/{name}'),
  variant('StarThenLiterals', getThing.input, 'GET', '/c/{name}/d/e'),
  variant('StarThenDeep', getThing.input, 'GET', '/c/{name=*/d/**}'),
  variant('AllLiteral', getThing.input, 'GET', '/c/f/d/e'),
  variant('DeepThenLiterals', getThing.input, 'GET', '/v3/{name=a/**}/y/z'),
  variant('ColonVerb', getThing.input, 'POST', '/v2/{name}:bla:baa', '*'),
  variant('ThingQuery', 'visionkit.testing.v1.Thing', 'GET', '/v9/{name=things/*}'),
  // the wildcard custom kind "*" beside an exact method of the same template, and a more specific literal route.
  variant('AnyMethod', getThing.input, '*', '/v4/{name=things/*}'),
  variant('AnyMethodPost', getThing.input, 'POST', '/v4/{name=things/*}'),
  variant('AnyMethodLiteral', getThing.input, 'PUT', '/v4/things/fixed'),
];

const services = { ...ALL_SERVICES, [EXTRA]: extraMethods };
const gateway = createGateway(services);

function rowOf(rpc: string): MethodRow {
  for (const methods of Object.values(services)) {
    const m = methods.find((x) => x.name === rpc);
    if (m !== undefined) return m;
  }
  throw new Error(rpc);
}

function isMiss(r: GatewayMatch | GatewayMiss): r is GatewayMiss {
  return 'error' in r;
}

interface Case {
  name: string;
  method: string;
  path: string;
  query?: string;
  body?: string;
  /** Route: the RPC and the expected request in proto3 JSON (compared in full). */
  rpc?: string;
  request?: Json;
  system?: Json;
  /** Failure: HTTP status, code, message and Allow. */
  status?: 400 | 404 | 405;
  code?: Code;
  message?: RegExp;
  allow?: string[];
}

const P = 'projects/p1/locations/us-west1';

const cases: Case[] = [
  // ------------------------------------------------------------ paths
  {
    name: 'single-segment captures are fully decoded (%2F → /)',
    method: 'GET',
    path: '/v2/things/p%20q%2Fr+',
    rpc: 'Single',
    request: { name: 'p q/r+' },
  },
  {
    name: 'multi-segment captures keep %2F encoded',
    method: 'GET',
    path: '/v1/blobs/a/b%2fc/d%20e',
    rpc: 'ReadBlob',
    request: { name: 'blobs/a/b%2Fc/d e' },
  },
  { name: 'literals compare decoded', method: 'GET', path: '/v1/%74hings/1', rpc: 'GetThing', request: { name: 'things/1' } },
  { name: '"+" in a path is literal', method: 'GET', path: '/v1/things/a+b', rpc: 'GetThing', request: { name: 'things/a+b' } },
  {
    name: 'UTF-8 escapes decode',
    method: 'GET',
    path: `/v1p4beta1/${P}/products/caf%C3%A9%F0%9F%98%80`,
    rpc: 'GetProduct',
    request: { name: `${P}/products/café😀` },
  },
  {
    name: 'a lone "%" is 400',
    method: 'GET',
    path: '/v1/things/%',
    status: 400,
    code: Code.INVALID_ARGUMENT,
    message: /malformed percent-encoding in path segment 3/,
  },
  {
    name: '"%2" is 400',
    method: 'GET',
    path: '/v1/things/a%2',
    status: 400,
    code: Code.INVALID_ARGUMENT,
    message: /malformed percent-encoding/,
  },
  {
    name: '"%zz" is 400',
    method: 'GET',
    path: '/v1/things/%zz',
    status: 400,
    code: Code.INVALID_ARGUMENT,
    message: /malformed percent-encoding/,
  },
  {
    name: 'bytes that are not UTF-8 are 400',
    method: 'GET',
    path: '/v1/things/%FF',
    status: 400,
    code: Code.INVALID_ARGUMENT,
    message: /malformed percent-encoding/,
  },
  { name: 'a bad escape on an unknown path is still 400', method: 'GET', path: '/nope/%', status: 400, code: Code.INVALID_ARGUMENT },
  { name: 'literal beats * (all-literal route)', method: 'GET', path: '/c/f/d/e', rpc: 'AllLiteral', request: {} },
  { name: '* then literals beats * then **', method: 'GET', path: '/c/x/d/e', rpc: 'StarThenLiterals', request: { name: 'x' } },
  { name: '** takes what the others cannot', method: 'GET', path: '/c/x/d/e/g', rpc: 'StarThenDeep', request: { name: 'x/d/e/g' } },
  { name: 'literals after ** match', method: 'GET', path: '/v3/a/b/c/y/z', rpc: 'DeepThenLiterals', request: { name: 'a/b/c' } },
  {
    name: 'ListOperations (literal) beats GetOperation (**) on /v1/operations',
    method: 'GET',
    path: '/v1/operations',
    rpc: 'ListOperations',
    request: { name: 'operations' },
  },
  {
    name: 'a partial match is 404',
    method: 'GET',
    path: '/v1/things/1/extra',
    status: 404,
    code: Code.NOT_FOUND,
    message: /no route for GET \/v1\/things\/1\/extra/,
  },
  { name: 'an over-specified path is 404', method: 'GET', path: `/v1p4beta1/${P}/products/x/y`, status: 404, code: Code.NOT_FOUND },
  { name: 'an empty middle segment is 404', method: 'GET', path: '/v1//things/1', status: 404, code: Code.NOT_FOUND },
  { name: 'a trailing slash is 404, never an empty capture', method: 'GET', path: '/v1/things/', status: 404, code: Code.NOT_FOUND },
  { name: 'a trailing slash after a full path is 404', method: 'GET', path: '/v1/things/1/', status: 404, code: Code.NOT_FOUND },
  { name: '"/" is 404', method: 'GET', path: '/', status: 404, code: Code.NOT_FOUND },
  { name: '** does not match zero segments', method: 'GET', path: '/v1/blobs', status: 404, code: Code.NOT_FOUND },
  {
    name: '/v1/operations with DELETE is 405 (not DeleteOperation of "operations")',
    method: 'DELETE',
    path: '/v1/operations',
    status: 405,
    code: Code.UNIMPLEMENTED,
    allow: ['GET'],
  },
  {
    name: 'another method on a known path is 405 with Allow',
    method: 'PUT',
    path: `/v1p4beta1/${P}/products/x`,
    status: 405,
    code: Code.UNIMPLEMENTED,
    allow: ['DELETE', 'GET', 'PATCH'],
    message: /PUT is not allowed/,
  },
  {
    name: 'the method is matched case-insensitively',
    method: 'get',
    path: '/v1/things/1',
    rpc: 'GetThing',
    request: { name: 'things/1' },
  },
  { name: 'an unknown path is 404', method: 'GET', path: '/v2/nothing/here', status: 404, code: Code.NOT_FOUND },
  {
    name: 'a path without a leading "/" is 400',
    method: 'GET',
    path: 'v1/things/1',
    status: 400,
    code: Code.INVALID_ARGUMENT,
    message: /does not start with "\/"/,
  },
  { name: 'an empty path is 400', method: 'GET', path: '', status: 400, code: Code.INVALID_ARGUMENT },
  { name: '".." is 400', method: 'GET', path: '/v1/things/..', status: 400, code: Code.INVALID_ARGUMENT, message: /"\.\." segment/ },
  { name: '"." is 400', method: 'GET', path: '/v1/./things/1', status: 400, code: Code.INVALID_ARGUMENT, message: /"\." segment/ },
  {
    name: '"%2e%2E" is 400',
    method: 'GET',
    path: '/v1/operations/%2e%2E',
    status: 400,
    code: Code.INVALID_ARGUMENT,
    message: /"\.\." segment/,
  },
  {
    name: '".." before a verb is not a verb route',
    method: 'POST',
    path: '/v1/operations/..:cancel',
    status: 400,
    code: Code.INVALID_ARGUMENT,
  },
  {
    name: 'a query part in the raw path is ignored by match',
    method: 'GET',
    path: '/v1/things/1?name=x',
    rpc: 'GetThing',
    request: { name: 'things/1' },
  },
  // ------------------------------------------------------------ verbs
  { name: 'a registered verb routes', method: 'POST', path: '/v1/things/x:run', rpc: 'RunThing', request: { name: 'things/x' } },
  {
    name: 'the verb of a ** route',
    method: 'POST',
    path: '/v1/operations/a/b:cancel',
    rpc: 'CancelOperation',
    request: { name: 'operations/a/b' },
  },
  {
    name: 'a registered verb on another method is 405',
    method: 'GET',
    path: '/v1/things/x:run',
    status: 405,
    code: Code.UNIMPLEMENTED,
    allow: ['POST'],
  },
  {
    name: 'GET …:cancel is 405, not GetOperation of "…:cancel"',
    method: 'GET',
    path: '/v1/operations/1:cancel',
    status: 405,
    code: Code.UNIMPLEMENTED,
    allow: ['POST'],
  },
  { name: 'an unregistered ":x" is data', method: 'GET', path: '/v1/things/a:b', rpc: 'GetThing', request: { name: 'things/a:b' } },
  {
    name: 'a ":" in a middle segment is data',
    method: 'GET',
    path: '/v1/operations/a:run/b',
    rpc: 'GetOperation',
    request: { name: 'operations/a:run/b' },
  },
  { name: 'a verb holding ":"', method: 'POST', path: '/v2/n:bla:baa', rpc: 'ColonVerb', request: { name: 'n' } },
  {
    name: 'an empty segment before a verb is not a verb route',
    method: 'POST',
    path: '/v1/things/:run',
    status: 405,
    code: Code.UNIMPLEMENTED,
    allow: ['GET'],
  },
  {
    name: 'verbs are case-sensitive',
    method: 'POST',
    path: '/v1/operations/1:CANCEL',
    status: 405,
    code: Code.UNIMPLEMENTED,
    allow: ['DELETE', 'GET'],
  },
  {
    name: 'an encoded ":" is always data',
    method: 'GET',
    path: '/v1/things/x%3Arun',
    rpc: 'GetThing',
    request: { name: 'things/x:run' },
  },
  {
    name: 'addProduct vs the productSet routes',
    method: 'POST',
    path: `/v1p4beta1/${P}/productSets/s1:addProduct`,
    body: `{"product":"${P}/products/x"}`,
    rpc: 'AddProductToProductSet',
    request: { name: `${P}/productSets/s1`, product: `${P}/products/x` },
  },
  {
    name: 'productSets:import vs productSets',
    method: 'POST',
    path: `/v1p4beta1/${P}/productSets:import`,
    body: '{}',
    rpc: 'ImportProductSets',
    request: { parent: P },
  },
  {
    name: 'productSets (POST) is CreateProductSet',
    method: 'POST',
    path: `/v1p4beta1/${P}/productSets`,
    body: '{"displayName":"S"}',
    rpc: 'CreateProductSet',
    request: { parent: P, productSet: { displayName: 'S' } },
  },
  // ------------------------------------------------------------ body/path/query
  {
    name: 'a custom kind routes (CheckBlob: HEAD), the query bound',
    method: 'HEAD',
    path: '/v1/blobs/a/b%20c',
    query: 'etag=e%2F1',
    rpc: 'CheckBlob',
    request: { name: 'blobs/a/b c', etag: 'e/1' },
  },
  {
    name: 'a custom kind matches case-insensitively',
    method: 'head',
    path: '/v1/blobs/a',
    rpc: 'CheckBlob',
    request: { name: 'blobs/a' },
  },
  {
    name: 'GET on the same template stays ReadBlob',
    method: 'GET',
    path: '/v1/blobs/a',
    rpc: 'ReadBlob',
    request: { name: 'blobs/a' },
  },
  {
    name: 'a custom kind is listed in Allow',
    method: 'PUT',
    path: '/v1/blobs/a',
    status: 405,
    code: Code.UNIMPLEMENTED,
    allow: ['GET', 'HEAD'],
  },
  {
    name: 'a custom kind serves only its own template',
    method: 'HEAD',
    path: '/v1/things/1',
    status: 405,
    code: Code.UNIMPLEMENTED,
    allow: ['GET'],
  },
  {
    name: 'the wildcard kind "*" takes a method with no route of its own',
    method: 'DELETE',
    path: '/v4/things/1',
    query: 'verbose=true',
    rpc: 'AnyMethod',
    request: { name: 'things/1', verbose: true },
  },
  {
    name: 'the wildcard kind takes custom methods too',
    method: 'OPTIONS',
    path: '/v4/things/1',
    rpc: 'AnyMethod',
    request: { name: 'things/1' },
  },
  {
    name: 'an exact method beats "*" on the same template',
    method: 'POST',
    path: '/v4/things/1',
    rpc: 'AnyMethodPost',
    request: { name: 'things/1' },
  },
  {
    name: '"*" without a body takes GET, the method its clients send',
    method: 'GET',
    path: '/v4/things/1',
    rpc: 'AnyMethod',
    request: { name: 'things/1' },
  },
  { name: 'a more specific template beats "*"', method: 'PUT', path: '/v4/things/fixed', rpc: 'AnyMethodLiteral', request: {} },
  {
    name: '"*" takes what the literal route does not',
    method: 'DELETE',
    path: '/v4/things/fixed',
    rpc: 'AnyMethod',
    request: { name: 'things/fixed' },
  },
  {
    name: 'body "*": every field from the body, the query ignored',
    method: 'POST',
    path: '/v1/things/1:run',
    query: 'steps=9&IPProtocol=udp',
    body: '{"labels":{"a.1":"x"},"IPProtocol":"tcp","steps":2}',
    rpc: 'RunThing',
    request: { name: 'things/1', labels: { 'a.1': 'x' }, IPProtocol: 'tcp', steps: 2 },
  },
  {
    name: 'body "*" with an empty body is fine (grpc-gateway #464)',
    method: 'POST',
    path: '/v1/operations/1:cancel',
    body: '',
    rpc: 'CancelOperation',
    request: { name: 'operations/1' },
  },
  {
    name: 'body "*" with whitespace only is fine',
    method: 'POST',
    path: '/v1/things/1:run',
    body: ' \n',
    rpc: 'RunThing',
    request: { name: 'things/1' },
  },
  {
    name: 'body field: the JSON is that field; the rest from the query',
    method: 'POST',
    path: `/v1p4beta1/${P}/productSets`,
    query: 'productSetId=shoes-1',
    body: '{"displayName":"Shoes"}',
    rpc: 'CreateProductSet',
    request: { parent: P, productSet: { displayName: 'Shoes' }, productSetId: 'shoes-1' },
  },
  {
    name: 'path-bound sub-field of the body field comes from the path',
    method: 'PATCH',
    path: `/v1p4beta1/${P}/products/x`,
    query: 'updateMask=displayName%2CproductLabels',
    body: '{"displayName":"New","productLabels":[{"key":"color","value":"red"}]}',
    rpc: 'UpdateProduct',
    request: {
      product: { name: `${P}/products/x`, displayName: 'New', productLabels: [{ key: 'color', value: 'red' }] },
      updateMask: 'displayName,productLabels',
    },
  },
  {
    name: 'the same value in body and path is fine',
    method: 'PATCH',
    path: '/v1/shelves/s/things/t',
    body: '{"name":"shelves/s/things/t","displayName":"D"}',
    rpc: 'UpdateThing',
    request: { thing: { name: 'shelves/s/things/t', displayName: 'D' } },
  },
  {
    name: 'a different value in body and path is 400',
    method: 'PATCH',
    path: '/v1/shelves/s/things/t',
    body: '{"name":"shelves/s/things/u"}',
    status: 400,
    code: Code.INVALID_ARGUMENT,
    message: /thing\.name: the path gives/,
  },
  {
    name: 'the same for body "*"',
    method: 'POST',
    path: '/v1/things/1:run',
    body: '{"name":"things/2"}',
    status: 400,
    code: Code.INVALID_ARGUMENT,
    message: /name: the path gives "things\/1"/,
  },
  {
    name: 'an empty body leaves the body field unset',
    method: 'POST',
    path: `/v1p4beta1/${P}/productSets`,
    body: '',
    rpc: 'CreateProductSet',
    request: { parent: P },
  },
  {
    name: 'a query parameter for the body field is skipped',
    method: 'POST',
    path: `/v1p4beta1/${P}/productSets`,
    query: 'productSet.displayName=Q&product_set.display_name=Q',
    body: '{}',
    rpc: 'CreateProductSet',
    request: { parent: P, productSet: {} },
  },
  {
    name: 'no body: the body text is ignored',
    method: 'GET',
    path: '/v1/things/1',
    body: 'not json',
    rpc: 'GetThing',
    request: { name: 'things/1' },
  },
  {
    name: 'unknown JSON body fields are 400 naming the field',
    method: 'PATCH',
    path: `/v1p4beta1/${P}/products/x`,
    body: '{"displayName":"N","bogus":1}',
    status: 400,
    code: Code.INVALID_ARGUMENT,
    message: /product\.bogus/,
  },
  {
    name: 'invalid JSON is 400',
    method: 'POST',
    path: '/v1/things/1:run',
    body: '{"steps":',
    status: 400,
    code: Code.INVALID_ARGUMENT,
    message: /not valid JSON/,
  },
  {
    name: 'a body "*" that is not an object is 400',
    method: 'POST',
    path: '/v1/things/1:run',
    body: '[1]',
    status: 400,
    code: Code.INVALID_ARGUMENT,
  },
  {
    name: 'a wrong JSON type is 400 naming the field',
    method: 'POST',
    path: '/v1/things/1:run',
    body: '{"steps":"x"}',
    status: 400,
    code: Code.INVALID_ARGUMENT,
    message: /steps/,
  },
  {
    name: 'both JSON names are accepted in the body',
    method: 'POST',
    path: `/v1p4beta1/${P}/products:purge`,
    body: '{"delete_orphan_products":true,"force":true}',
    rpc: 'PurgeProducts',
    request: { parent: P, deleteOrphanProducts: true, force: true },
  },
  // ------------------------------------------------------------ query
  {
    name: 'primitives, repeated keys, dotted messages',
    method: 'GET',
    path: '/v1/things/1',
    query: 'filter.range.min=1&filter.text=t&ids=a&ids=b%20c&verbose=true',
    rpc: 'GetThing',
    request: { name: 'things/1', filter: { range: { min: 1 }, text: 't' }, ids: ['a', 'b c'], verbose: true },
  },
  {
    name: 'a repeated message in the query is 400',
    method: 'GET',
    path: '/v1/things/1',
    query: 'items.a=1',
    status: 400,
    code: Code.INVALID_ARGUMENT,
    message: /items is a repeated field/,
  },
  {
    name: 'a repeated message as a leaf is 400',
    method: 'GET',
    path: '/v1/things/1',
    query: 'items=1',
    status: 400,
    code: Code.INVALID_ARGUMENT,
    message: /items is a repeated message field/,
  },
  {
    name: 'a map in the query is 400',
    method: 'GET',
    path: '/v1/things/1',
    query: 'labels=a',
    status: 400,
    code: Code.INVALID_ARGUMENT,
    message: /labels is a map field/,
  },
  {
    name: 'a map entry in the query is 400',
    method: 'GET',
    path: '/v1/things/1',
    query: 'labels.a=b',
    status: 400,
    code: Code.INVALID_ARGUMENT,
    message: /labels is a map field/,
  },
  {
    name: 'a plain message as a leaf is 400',
    method: 'GET',
    path: '/v1/things/1',
    query: 'filter=x',
    status: 400,
    code: Code.INVALID_ARGUMENT,
    message: /filter is a message field/,
  },
  {
    name: 'snake_case and lowerCamel names, mixed per component',
    method: 'GET',
    path: '/v1/things/1',
    query: 'read_mask=display_name&filter.range.max=4',
    rpc: 'GetThing',
    request: { name: 'things/1', readMask: 'displayName', filter: { range: { max: 4 } } },
  },
  {
    name: 'int64 exact, enums by name and number, bools 1/0, NaN, url-safe base64',
    method: 'GET',
    path: '/v1/things/1',
    query: 'revision=9007199254740993&state=2&states=ACTIVE&states=2&states=0&verbose=1&ratio=NaN&token=-_8&serial=18446744073709551615',
    rpc: 'GetThing',
    request: {
      name: 'things/1',
      revision: '9007199254740993',
      state: 'RETIRED',
      states: ['ACTIVE', 'RETIRED', 'STATE_UNSPECIFIED'],
      verbose: true,
      ratio: 'NaN',
      token: '+/8=',
      serial: '18446744073709551615',
    },
  },
  {
    name: 'well-known types: Timestamp with offset, negative Duration, bare wrappers, one FieldMask',
    method: 'GET',
    path: '/v1/things/1',
    query: 'since=2019-03-01T12%3A00%3A00.5%2B02%3A00&timeout=-1.5s&count=5&flag=false&note=&readMask=user.displayName%2Cphoto',
    rpc: 'GetThing',
    request: {
      name: 'things/1',
      since: '2019-03-01T10:00:00.500Z',
      timeout: '-1.5s',
      count: 5,
      flag: false,
      note: '',
      readMask: 'user.displayName,photo',
    },
  },
  {
    name: 'a bad Timestamp is 400 naming the parameter',
    method: 'GET',
    path: '/v1/things/1',
    query: 'since=null',
    status: 400,
    code: Code.INVALID_ARGUMENT,
    message: /since/,
  },
  {
    name: 'a FieldMask sub-path is 400 (readMask.paths)',
    method: 'GET',
    path: '/v1/things/1',
    query: 'readMask.paths=a',
    status: 400,
    code: Code.INVALID_ARGUMENT,
    message: /readMask is not a message/,
  },
  {
    name: 'a Timestamp sub-path is 400',
    method: 'GET',
    path: '/v1/things/1',
    query: 'since.seconds=1',
    status: 400,
    code: Code.INVALID_ARGUMENT,
    message: /since is not a message/,
  },
  {
    name: 'FieldMask paths in snake_case are accepted',
    method: 'GET',
    path: '/v1/things/1',
    query: 'readMask=user.display_name',
    rpc: 'GetThing',
    request: { name: 'things/1', readMask: 'user.displayName' },
  },
  {
    name: 'a second value for a singular field is 400',
    method: 'GET',
    path: '/v1/things/1',
    query: 'state=ACTIVE&state=RETIRED',
    status: 400,
    code: Code.INVALID_ARGUMENT,
    message: /too many values for the field state/,
  },
  {
    name: 'the same field under both names is 400',
    method: 'GET',
    path: '/v1/things/1',
    query: 'readMask=a&read_mask=b',
    status: 400,
    code: Code.INVALID_ARGUMENT,
    message: /too many values/,
  },
  {
    name: 'a second member of a oneof is 400',
    method: 'GET',
    path: '/v9/things/1',
    query: 'maker=m&source.a=1',
    status: 400,
    code: Code.INVALID_ARGUMENT,
    message: /oneof \(origin\)/,
  },
  {
    name: 'one member of a oneof is fine',
    method: 'GET',
    path: '/v9/things/1',
    query: 'source.a=1&source.b=x',
    rpc: 'ThingQuery',
    request: { name: 'things/1', source: { a: 1, b: 'x' } },
  },
  {
    name: 'a scalar with a sub-path is 400',
    method: 'GET',
    path: '/v1/things/1',
    query: 'ratio.nested=x',
    status: 400,
    code: Code.INVALID_ARGUMENT,
    message: /ratio is not a message/,
  },
  {
    name: 'a bad value is 400 naming the parameter',
    method: 'GET',
    path: '/v1/things/1',
    query: 'filter.range.min=x',
    status: 400,
    code: Code.INVALID_ARGUMENT,
    message: /filter\.range\.min/,
  },
  {
    name: 'an unknown enum name is 400',
    method: 'GET',
    path: '/v1/things/1',
    query: 'state=NOPE',
    status: 400,
    code: Code.INVALID_ARGUMENT,
    message: /state/,
  },
  {
    name: 'unknown parameters are ignored',
    method: 'GET',
    path: '/v1/things/1',
    query: 'nope=1&filter.nope=2&a.b.c=3',
    rpc: 'GetThing',
    request: { name: 'things/1' },
  },
  {
    name: 'system parameters are stripped and read',
    method: 'GET',
    path: '/v1/things/1',
    query: '$alt=json%3Benum-encoding=int&$prettyPrint=0&key=K&fields=a&$fields=b&quotaUser=u&access_token=t&callback=c&$other=1',
    rpc: 'GetThing',
    request: { name: 'things/1' },
    system: { enumAsInt: true, prettyPrint: false, apiKey: 'K' },
  },
  {
    name: 'alt and prettyPrint without "$"',
    method: 'GET',
    path: '/v1/things/1',
    query: 'alt=json&prettyPrint=false',
    rpc: 'GetThing',
    request: { name: 'things/1' },
    system: { enumAsInt: false, prettyPrint: false },
  },
  {
    name: 'defaults: string enums, pretty JSON',
    method: 'GET',
    path: '/v1/things/1',
    rpc: 'GetThing',
    request: { name: 'things/1' },
    system: { enumAsInt: false, prettyPrint: true },
  },
  {
    name: '$alt other than json is 400',
    method: 'GET',
    path: '/v1/things/1',
    query: '$alt=proto',
    status: 400,
    code: Code.INVALID_ARGUMENT,
    message: /unsupported \$alt/,
  },
  {
    name: 'a bad prettyPrint is 400',
    method: 'GET',
    path: '/v1/things/1',
    query: 'prettyPrint=maybe',
    status: 400,
    code: Code.INVALID_ARGUMENT,
    message: /prettyPrint/,
  },
  {
    name: 'system parameters work with body "*" too',
    method: 'POST',
    path: '/v1/things/1:run',
    query: '$alt=json;enum-encoding=int&key=K',
    body: '{}',
    rpc: 'RunThing',
    request: { name: 'things/1' },
    system: { enumAsInt: true, prettyPrint: true, apiKey: 'K' },
  },
  {
    name: '"+" in a query value is a literal "+"',
    method: 'GET',
    path: '/v1/things/1',
    query: 'ids=Hello+world&ids=%2B+%20',
    rpc: 'GetThing',
    request: { name: 'things/1', ids: ['Hello+world', '++ '] },
  },
  {
    name: 'a parameter without "=" or with an empty name is ignored',
    method: 'GET',
    path: '/v1/things/1',
    query: 'verbose&=x&&ids=a',
    rpc: 'GetThing',
    request: { name: 'things/1', ids: ['a'] },
  },
  {
    name: 'a leading "?" is tolerated',
    method: 'GET',
    path: '/v1/things/1',
    query: '?ids=a',
    rpc: 'GetThing',
    request: { name: 'things/1', ids: ['a'] },
  },
  {
    name: 'a malformed escape in the query is 400',
    method: 'GET',
    path: '/v1/things/1',
    query: 'ids=%zz',
    status: 400,
    code: Code.INVALID_ARGUMENT,
    message: /malformed percent-encoding in query parameter 1/,
  },
  {
    name: 'a query parameter for a path-bound field is skipped',
    method: 'GET',
    path: '/v1/things/1',
    query: 'name=things/2',
    rpc: 'GetThing',
    request: { name: 'things/1' },
  },
  {
    name: 'an empty value for a string is ""',
    method: 'GET',
    path: '/v1/operations',
    query: 'filter=&pageSize=2',
    rpc: 'ListOperations',
    request: { name: 'operations', pageSize: 2 },
  },
];

describe('gateway: routing and request decoding', () => {
  for (const c of cases) {
    it(`${c.name}: ${c.method} ${c.path}${c.query ? `?${c.query}` : ''}`, () => {
      const m = gateway.match(c.method, c.path);
      let failure: GatewayMiss | VisionError | undefined;
      let decoded: ReturnType<typeof gateway.decodeRequest> | undefined;
      if (isMiss(m)) failure = m;
      else {
        try {
          decoded = gateway.decodeRequest(m, c.query ?? '', c.body ?? '');
        } catch (e) {
          assert.ok(e instanceof VisionError, `threw ${String(e)}`);
          failure = e;
        }
      }
      if (c.status !== undefined) {
        assert.ok(
          failure !== undefined,
          `expected ${c.status}, routed to ${isMiss(m) ? '' : m.route.method.name} with ${JSON.stringify(decoded)}`,
        );
        const error = failure instanceof VisionError ? failure : failure.error;
        const status = failure instanceof VisionError ? 400 : failure.status;
        assert.equal(status, c.status, error.message);
        assert.ok(error instanceof VisionError);
        assert.equal(error.code, c.code, error.message);
        if (c.message) assert.match(error.message, c.message);
        if (c.allow) assert.deepEqual(failure instanceof VisionError ? undefined : failure.allow, c.allow);
        if (c.status === 405) assert.equal(error.httpStatus, 405);
        return;
      }
      assert.ok(!isMiss(m), `expected ${c.rpc}, got ${isMiss(m) ? `${m.status} ${m.error.message}` : ''}`);
      assert.ok(failure === undefined, failure instanceof VisionError ? failure.message : '');
      assert.equal(m.route.method.name, c.rpc);
      const row = rowOf(c.rpc!);
      assert.deepEqual(decoded!.request, messageFromJson(row.input, c.request!));
      if (c.system) assert.deepEqual(decoded!.system, c.system);
    });
  }
});

describe('gateway: construction and responses', () => {
  it('refuses two routes of one method whose templates match the same paths', () => {
    assert.throws(
      () =>
        createGateway({
          A: [variant('One', getThing.input, 'GET', '/v1/{name=things/*}')],
          B: [variant('Two', getThing.input, 'GET', '/v1/things/{name}')],
        }),
      (e: unknown) => e instanceof TemplateError && /matches the same paths/.test(e.message) && e.message.includes('A.One'),
    );
    // A "*" route is sent as GET (no body) or POST (a body): an exact route of that method on the same paths would take its calls.
    for (const [exact, body] of [
      ['GET', undefined],
      ['POST', '*'],
    ] as const) {
      assert.throws(
        () =>
          createGateway({
            A: [variant('Any', getThing.input, '*', '/v1/{name=things/*}', body)],
            B: [variant('Exact', getThing.input, exact, '/v1/{name=things/*}')],
          }),
        (e: unknown) =>
          e instanceof TemplateError &&
          e.message.includes(`${exact} /v1/{name=things/*} (B.Exact) matches the same paths as a route of A.Any`),
        `"*" ${body ? 'with' : 'without'} a body beside ${exact}`,
      );
    }
    createGateway({
      A: [variant('Any', getThing.input, '*', '/v1/{name=things/*}'), variant('Post', getThing.input, 'POST', '/v1/{name=things/*}')],
    });
    // The same template for different HTTP methods is fine.
    createGateway({
      A: [variant('One', getThing.input, 'GET', '/v1/{name=things/*}'), variant('Two', getThing.input, 'DELETE', '/v1/{name=things/*}')],
    });
  });

  it('refuses malformed templates and bindings the schema cannot satisfy', () => {
    assert.throws(() => createGateway({ A: [variant('One', getThing.input, 'GET', '/v1/{name=things/*')] }), TemplateError);
    assert.throws(() => createGateway({ A: [variant('One', getThing.input, 'GET', '/v1/{ids}')] }), /repeated or map field/);
    assert.throws(() => createGateway({ A: [variant('One', getThing.input, 'GET', '/v1/{filter}')] }), /message field/);
    assert.throws(() => createGateway({ A: [variant('One', getThing.input, 'POST', '/v1/x', 'nope')] }), /body field "nope"/);
  });

  it("serves the service config's GetOperation bindings beside the proto ones", () => {
    const get = methodRow(OPS, 'GetOperation');
    const g = createGateway({ [OPS]: [{ ...get, http: [...GET_OPERATION_SERVICE_CONFIG] }] });
    for (const name of [
      'projects/p/operations/1',
      'projects/p/locations/us-west1/operations/2',
      'operations/3',
      'locations/us-west1/operations/4',
    ]) {
      const m = g.match('GET', `/v1/${name}`);
      assert.ok(!isMiss(m), name);
      assert.deepEqual(g.decodeRequest(m, '', '').request, { name });
    }
  });

  it('encodes responses with string or numeric enums, pretty or compact (R08)', () => {
    const m = gateway.match('GET', '/v1/things/1') as GatewayMatch;
    const thing = messageFromJson('visionkit.testing.v1.Thing', { name: 'things/1', state: 'RETIRED', revision: '7' });
    assert.equal(
      gateway.encodeResponse(m.route, thing, { enumAsInt: false, prettyPrint: false }),
      '{"name":"things/1","state":"RETIRED","revision":"7"}',
    );
    assert.equal(
      gateway.encodeResponse(m.route, thing, { enumAsInt: true, prettyPrint: false }),
      '{"name":"things/1","state":2,"revision":"7"}',
    );
    assert.equal(
      gateway.encodeResponse(m.route, thing, { enumAsInt: false, prettyPrint: true }),
      JSON.stringify({ name: 'things/1', state: 'RETIRED', revision: '7' }, null, 2),
    );
  });

  it('answers Empty as {} (R03) and an Operation with its Any metadata, enums by name or number (R04)', () => {
    const del = gateway.match('DELETE', `/v1p4beta1/${P}/products/x`) as GatewayMatch;
    assert.equal(gateway.encodeResponse(del.route, {}, { enumAsInt: false, prettyPrint: false }), '{}');
    const get = gateway.match('GET', '/v1/operations/9') as GatewayMatch;
    const op = messageFromJson('google.longrunning.Operation', {
      name: 'locations/us/operations/9',
      metadata: {
        '@type': 'type.googleapis.com/google.cloud.vision.v1p4beta1.OperationMetadata',
        state: 'RUNNING',
        createTime: '2019-03-01T10:00:00.123Z',
      },
      done: false,
    });
    const named = JSON.parse(gateway.encodeResponse(get.route, op, { enumAsInt: false, prettyPrint: false }));
    assert.deepEqual(named, {
      name: 'locations/us/operations/9',
      metadata: {
        '@type': 'type.googleapis.com/google.cloud.vision.v1p4beta1.OperationMetadata',
        state: 'RUNNING',
        createTime: '2019-03-01T10:00:00.123Z',
      },
    });
    const numbered = JSON.parse(gateway.encodeResponse(get.route, op, { enumAsInt: true, prettyPrint: true }));
    assert.equal(numbered.metadata.state, 2);
  });

  it('answers the response_body field alone (ReadBlob), {} when unset', () => {
    const m = gateway.match('GET', '/v1/blobs/a/b') as GatewayMatch;
    const blob = { name: 'blobs/a/b', data: { content: new Uint8Array([1, 2]), contentType: 'text/plain' } };
    assert.equal(
      gateway.encodeResponse(m.route, blob, { enumAsInt: false, prettyPrint: false }),
      '{"content":"AQI=","contentType":"text/plain"}',
    );
    assert.equal(gateway.encodeResponse(m.route, { name: 'x', data: undefined }, { enumAsInt: false, prettyPrint: false }), '{}');
  });

  it('turns a response with no JSON form into INTERNAL', () => {
    const m = gateway.match('GET', '/v1/things/1') as GatewayMatch;
    assert.throws(
      () => gateway.encodeResponse(m.route, { name: 5 }, { enumAsInt: false, prettyPrint: false }),
      (e: unknown) => e instanceof VisionError && e.code === Code.INTERNAL && /GetThing/.test(e.message),
    );
  });

  it('lists every route', () => {
    const total = Object.values(services).reduce((n, ms) => n + ms.reduce((k, m) => k + m.http.length, 0), 0);
    assert.equal(gateway.routes.length, total);
    assert.ok(gateway.routes.some((r) => r.service === PS && r.method.name === 'UpdateProduct' && r.httpMethod === 'PATCH'));
  });
});
