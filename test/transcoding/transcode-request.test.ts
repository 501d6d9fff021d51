import assert from 'node:assert/strict';
import { Code, VisionError } from 'vision-kit';
import { messageFromJson } from 'vision-kit/codec';
import { type TranscodeOptions, transcodeRequest } from 'vision-kit/transcoding';
import { GET_OPERATION_NV, GET_OPERATION_SERVICE_CONFIG, IA, methodRow, OPS, PS, THINGS } from './support.js';

type Json = { [key: string]: unknown };

interface Want {
  method: string;
  path: string;
  query?: string;
  /** undefined: no body; a string: exact text; an object: the parsed body. */
  body?: string | Json;
}

interface Vector {
  id: string;
  service: string;
  rpc: string;
  /** The request in proto3 JSON (as the spec gives it), read with messageFromJson. */
  json: Json;
  options?: TranscodeOptions;
  want?: Want;
  error?: { code: Code; message: RegExp };
}

const LOC = 'projects/p1/locations/us-west1';
const PROD = `${LOC}/products`;

// Request vectors C01–C47: Vision's and Operations' bindings, and a generic test service, with the
// cases other transcoders got wrong (docs/transcoding.md).
const vectors: Vector[] = [
  {
    id: 'C01',
    service: IA,
    rpc: 'BatchAnnotateImages',
    json: { requests: [{ image: { source: { imageUri: 'https://e.x/a.jpg' } }, features: [{ type: 'LABEL_DETECTION', maxResults: 3 }] }] },
    want: {
      method: 'POST',
      path: '/v1p4beta1/images:annotate',
      body: {
        requests: [{ image: { source: { imageUri: 'https://e.x/a.jpg' } }, features: [{ type: 'LABEL_DETECTION', maxResults: 3 }] }],
      },
    },
  },
  {
    id: 'C02',
    service: IA,
    rpc: 'BatchAnnotateImages',
    json: { requests: [{ image: { content: '+/+/' } }] },
    want: { method: 'POST', path: '/v1p4beta1/images:annotate', body: '{"requests":[{"image":{"content":"+/+/"}}]}' },
  },
  {
    id: 'C03',
    service: IA,
    rpc: 'AsyncBatchAnnotateFiles',
    json: {
      requests: [
        {
          inputConfig: { gcsSource: { uri: 'gs://b/f.pdf' }, mimeType: 'application/pdf' },
          features: [{ type: 'DOCUMENT_TEXT_DETECTION' }],
          outputConfig: { gcsDestination: { uri: 'gs://b/out/' }, batchSize: 2 },
        },
      ],
    },
    want: {
      method: 'POST',
      path: '/v1p4beta1/files:asyncBatchAnnotate',
      body: {
        requests: [
          {
            inputConfig: { gcsSource: { uri: 'gs://b/f.pdf' }, mimeType: 'application/pdf' },
            features: [{ type: 'DOCUMENT_TEXT_DETECTION' }],
            outputConfig: { gcsDestination: { uri: 'gs://b/out/' }, batchSize: 2 },
          },
        ],
      },
    },
  },
  {
    id: 'C04',
    service: PS,
    rpc: 'CreateProductSet',
    json: { parent: LOC, productSet: { displayName: 'Shoes' }, productSetId: 'shoes-1' },
    want: { method: 'POST', path: `/v1p4beta1/${LOC}/productSets`, query: 'productSetId=shoes-1', body: '{"displayName":"Shoes"}' },
  },
  {
    id: 'C05',
    service: PS,
    rpc: 'CreateProductSet',
    json: { parent: LOC },
    want: { method: 'POST', path: `/v1p4beta1/${LOC}/productSets`, body: '{}' },
  },
  {
    id: 'C06',
    service: PS,
    rpc: 'ListProducts',
    json: { parent: LOC, pageSize: 10, pageToken: 'a/b+c==' },
    want: { method: 'GET', path: `/v1p4beta1/${PROD}`, query: 'pageSize=10&pageToken=a%2Fb%2Bc%3D%3D' },
  },
  { id: 'C07', service: PS, rpc: 'ListProducts', json: { parent: LOC, pageSize: 0 }, want: { method: 'GET', path: `/v1p4beta1/${PROD}` } },
  {
    id: 'C08',
    service: PS,
    rpc: 'GetProduct',
    json: { name: `${PROD}/prod 1` },
    want: { method: 'GET', path: `/v1p4beta1/${PROD}/prod%201` },
  },
  {
    id: 'C09',
    service: PS,
    rpc: 'GetProduct',
    json: { name: `${PROD}/café` },
    want: { method: 'GET', path: `/v1p4beta1/${PROD}/caf%C3%A9` },
  },
  {
    id: 'C10',
    service: PS,
    rpc: 'GetProduct',
    json: { name: `${PROD}/x😀` },
    want: { method: 'GET', path: `/v1p4beta1/${PROD}/x%F0%9F%98%80` },
  },
  {
    id: 'C11',
    service: PS,
    rpc: 'GetProduct',
    json: { name: `${PROD}/a:b?c#d&e=f+g%` },
    want: { method: 'GET', path: `/v1p4beta1/${PROD}/a%3Ab%3Fc%23d%26e%3Df%2Bg%25` },
  },
  {
    id: 'C12',
    service: PS,
    rpc: 'GetProduct',
    json: { name: `${PROD}/it's(1)*!` },
    want: { method: 'GET', path: `/v1p4beta1/${PROD}/it%27s%281%29%2A%21` },
  },
  {
    id: 'C13',
    service: PS,
    rpc: 'GetProduct',
    json: { name: `${PROD}/a/b` },
    error: { code: Code.INVALID_ARGUMENT, message: /field "name".*does not match/ },
  },
  {
    id: 'C14',
    service: PS,
    rpc: 'GetProduct',
    json: { name: `${PROD}/..` },
    error: { code: Code.INVALID_ARGUMENT, message: /field "name".*"\." or "\.\."/ },
  },
  {
    id: 'C14b',
    service: PS,
    rpc: 'GetProduct',
    json: { name: `${PROD}/.` },
    error: { code: Code.INVALID_ARGUMENT, message: /field "name".*"\." or "\.\."/ },
  },
  {
    id: 'C15',
    service: PS,
    rpc: 'GetProduct',
    json: { name: `${PROD}/%2E%2E` },
    want: { method: 'GET', path: `/v1p4beta1/${PROD}/%252E%252E` },
  },
  { id: 'C16', service: PS, rpc: 'GetProduct', json: {}, error: { code: Code.INVALID_ARGUMENT, message: /field "name"/ } },
  {
    id: 'C17',
    service: PS,
    rpc: 'GetProduct',
    json: { name: 'products/x' },
    error: { code: Code.INVALID_ARGUMENT, message: /field "name".*does not match/ },
  },
  { id: 'C18', service: PS, rpc: 'GetProduct', json: { name: '' }, error: { code: Code.INVALID_ARGUMENT, message: /field "name": empty/ } },
  {
    id: 'C19',
    service: PS,
    rpc: 'UpdateProduct',
    json: {
      product: { name: `${PROD}/x`, displayName: 'New', productLabels: [{ key: 'color', value: 'red' }] },
      updateMask: 'displayName,productLabels',
    },
    want: {
      method: 'PATCH',
      path: `/v1p4beta1/${PROD}/x`,
      query: 'updateMask=displayName%2CproductLabels',
      body: '{"displayName":"New","productLabels":[{"key":"color","value":"red"}]}',
    },
  },
  {
    id: 'C20',
    service: PS,
    rpc: 'UpdateProduct',
    json: { product: { displayName: 'New' } },
    error: { code: Code.INVALID_ARGUMENT, message: /field "product\.name"/ },
  },
  {
    id: 'C21',
    service: PS,
    rpc: 'UpdateProductSet',
    json: { productSet: { name: `${LOC}/productSets/s1` } },
    want: { method: 'PATCH', path: `/v1p4beta1/${LOC}/productSets/s1`, body: '{}' },
  },
  { id: 'C22', service: PS, rpc: 'DeleteProduct', json: { name: `${PROD}/x` }, want: { method: 'DELETE', path: `/v1p4beta1/${PROD}/x` } },
  {
    id: 'C23',
    service: PS,
    rpc: 'CreateReferenceImage',
    json: {
      parent: `${PROD}/x`,
      referenceImage: {
        uri: 'gs://b/i.jpg',
        boundingPolys: [
          {
            vertices: [
              { x: 0, y: 0 },
              { x: 10, y: 0 },
            ],
          },
        ],
      },
      referenceImageId: 'r 1',
    },
    want: {
      method: 'POST',
      path: `/v1p4beta1/${PROD}/x/referenceImages`,
      query: 'referenceImageId=r%201',
      body: '{"uri":"gs://b/i.jpg","boundingPolys":[{"vertices":[{},{"x":10}]}]}',
    },
  },
  {
    id: 'C24',
    service: PS,
    rpc: 'AddProductToProductSet',
    json: { name: `${LOC}/productSets/s1`, product: `${PROD}/x` },
    want: { method: 'POST', path: `/v1p4beta1/${LOC}/productSets/s1:addProduct`, body: `{"product":"${PROD}/x"}` },
  },
  {
    id: 'C25',
    service: PS,
    rpc: 'AddProductToProductSet',
    json: { name: `${LOC}/productSets/s:1`, product: `${PROD}/x` },
    want: { method: 'POST', path: `/v1p4beta1/${LOC}/productSets/s%3A1:addProduct`, body: `{"product":"${PROD}/x"}` },
  },
  {
    id: 'C26',
    service: PS,
    rpc: 'ListProductsInProductSet',
    json: { name: `${LOC}/productSets/s1`, pageSize: 5 },
    want: { method: 'GET', path: `/v1p4beta1/${LOC}/productSets/s1/products`, query: 'pageSize=5' },
  },
  {
    id: 'C27',
    service: PS,
    rpc: 'ImportProductSets',
    json: { parent: LOC, inputConfig: { gcsSource: { csvFileUri: 'gs://b/f.csv' } } },
    want: {
      method: 'POST',
      path: `/v1p4beta1/${LOC}/productSets:import`,
      body: '{"inputConfig":{"gcsSource":{"csvFileUri":"gs://b/f.csv"}}}',
    },
  },
  {
    id: 'C28',
    service: PS,
    rpc: 'PurgeProducts',
    json: { parent: LOC, deleteOrphanProducts: true, force: true },
    want: { method: 'POST', path: `/v1p4beta1/${LOC}/products:purge`, body: '{"deleteOrphanProducts":true,"force":true}' },
  },
  { id: 'C29', service: OPS, rpc: 'GetOperation', json: { name: 'operations/123' }, want: { method: 'GET', path: '/v1/operations/123' } },
  {
    id: 'C30',
    service: OPS,
    rpc: 'GetOperation',
    json: { name: 'operations/a b/c:d' },
    want: { method: 'GET', path: '/v1/operations/a%20b/c%3Ad' },
  },
  {
    id: 'C31 (locations)',
    service: OPS,
    rpc: 'GetOperation',
    json: { name: 'locations/us/operations/9' },
    options: { bindings: GET_OPERATION_SERVICE_CONFIG },
    want: { method: 'GET', path: '/v1/locations/us/operations/9' },
  },
  {
    id: 'C31 (projects)',
    service: OPS,
    rpc: 'GetOperation',
    json: { name: 'projects/p1/operations/9' },
    options: { bindings: GET_OPERATION_SERVICE_CONFIG },
    want: { method: 'GET', path: '/v1/projects/p1/operations/9' },
  },
  {
    id: 'C31 (projects/locations)',
    service: OPS,
    rpc: 'GetOperation',
    json: { name: 'projects/p1/locations/us-west1/operations/9' },
    options: { bindings: GET_OPERATION_SERVICE_CONFIG },
    want: { method: 'GET', path: '/v1/projects/p1/locations/us-west1/operations/9' },
  },
  {
    id: 'C31 (the NV pair alone has no binding for projects/…)',
    service: OPS,
    rpc: 'GetOperation',
    json: { name: 'projects/p1/operations/9' },
    options: { bindings: GET_OPERATION_NV },
    error: { code: Code.INVALID_ARGUMENT, message: /no HTTP binding fits.*operations\/\*.*locations\/\*\/operations\/\*/ },
  },
  {
    id: 'C32',
    service: OPS,
    rpc: 'ListOperations',
    json: { name: 'operations', filter: 'done = true', pageSize: 10 },
    want: { method: 'GET', path: '/v1/operations', query: 'filter=done%20%3D%20true&pageSize=10' },
  },
  {
    id: 'C33 (no name)',
    service: OPS,
    rpc: 'ListOperations',
    json: { filter: 'x' },
    error: { code: Code.INVALID_ARGUMENT, message: /field "name"/ },
  },
  {
    id: 'C33 (other name)',
    service: OPS,
    rpc: 'ListOperations',
    json: { name: 'ops' },
    error: { code: Code.INVALID_ARGUMENT, message: /field "name".*does not match "operations"/ },
  },
  {
    id: 'C34',
    service: OPS,
    rpc: 'CancelOperation',
    json: { name: 'operations/123' },
    want: { method: 'POST', path: '/v1/operations/123:cancel', body: '{}' },
  },
  {
    id: 'C35',
    service: OPS,
    rpc: 'DeleteOperation',
    json: { name: 'operations/123' },
    want: { method: 'DELETE', path: '/v1/operations/123' },
  },
  {
    id: 'C36',
    service: OPS,
    rpc: 'WaitOperation',
    json: { name: 'operations/1', timeout: '5s' },
    error: { code: Code.UNIMPLEMENTED, message: /WaitOperation has no HTTP binding/ },
  },
  {
    id: 'C37',
    service: THINGS,
    rpc: 'GetThing',
    json: { name: 'things/1', filter: { range: { min: 1 } } },
    want: { method: 'GET', path: '/v1/things/1', query: 'filter.range.min=1' },
  },
  {
    id: 'C38',
    service: THINGS,
    rpc: 'GetThing',
    json: { name: 'things/1', ids: ['a', 'b c'], tags: [] },
    want: { method: 'GET', path: '/v1/things/1', query: 'ids=a&ids=b%20c' },
  },
  {
    id: 'C39',
    service: THINGS,
    rpc: 'GetThing',
    json: { name: 'things/1', state: 'ACTIVE' },
    want: { method: 'GET', path: '/v1/things/1', query: 'state=ACTIVE' },
  },
  {
    id: 'C39 (numeric enums)',
    service: THINGS,
    rpc: 'GetThing',
    json: { name: 'things/1', state: 'ACTIVE' },
    options: { enumAsInt: true },
    want: { method: 'GET', path: '/v1/things/1', query: 'state=1&$alt=json%3Benum-encoding=int' },
  },
  {
    id: 'C40',
    service: THINGS,
    rpc: 'GetThing',
    json: { name: 'things/1', revision: '9007199254740993' },
    want: { method: 'GET', path: '/v1/things/1', query: 'revision=9007199254740993' },
  },
  {
    id: 'C41',
    service: THINGS,
    rpc: 'GetThing',
    json: { name: 'things/1', since: '1970-01-01T00:00:01.500Z' },
    want: { method: 'GET', path: '/v1/things/1', query: 'since=1970-01-01T00%3A00%3A01.500Z' },
  },
  {
    id: 'C42',
    service: THINGS,
    rpc: 'GetThing',
    json: { name: 'things/1', timeout: '3.500s' },
    want: { method: 'GET', path: '/v1/things/1', query: 'timeout=3.500s' },
  },
  {
    id: 'C43',
    service: THINGS,
    rpc: 'GetThing',
    json: { name: 'things/1', readMask: 'user.displayName,photo' },
    want: { method: 'GET', path: '/v1/things/1', query: 'readMask=user.displayName%2Cphoto' },
  },
  {
    id: 'C44',
    service: THINGS,
    rpc: 'GetThing',
    json: { name: 'things/1', token: '+/8=' },
    want: { method: 'GET', path: '/v1/things/1', query: 'token=%2B%2F8%3D' },
  },
  {
    id: 'C45',
    service: THINGS,
    rpc: 'GetThing',
    json: { name: 'things/1', count: 5, flag: false },
    want: { method: 'GET', path: '/v1/things/1', query: 'count=5&flag=false' },
  },
  {
    id: 'C46',
    service: THINGS,
    rpc: 'GetThing',
    json: { name: 'things/1', items: [{ a: 1 }] },
    error: { code: Code.INVALID_ARGUMENT, message: /field "items" is a repeated message field/ },
  },
  {
    id: 'C47',
    service: THINGS,
    rpc: 'RunThing',
    json: { name: 'things/1', labels: { 'a.1': 'x' }, IPProtocol: 'tcp' },
    want: { method: 'POST', path: '/v1/things/1:run', body: '{"labels":{"a.1":"x"},"IPProtocol":"tcp"}' },
  },
];

function check(v: Vector, request: object): void {
  const row = methodRow(v.service, v.rpc);
  if (v.error !== undefined) {
    assert.throws(
      () => transcodeRequest(row, request, v.options),
      (e: unknown) => {
        assert.ok(e instanceof VisionError, String(e));
        assert.equal(e.code, v.error!.code, e.message);
        assert.match(e.message, v.error!.message);
        return true;
      },
    );
    return;
  }
  const got = transcodeRequest(row, request, v.options);
  const want = v.want!;
  assert.equal(got.method, want.method);
  assert.equal(got.path, want.path);
  assert.equal(got.query, want.query ?? '');
  if (want.body === undefined) assert.equal(got.body, undefined);
  else if (typeof want.body === 'string') assert.equal(got.body, want.body);
  else assert.deepEqual(JSON.parse(got.body!), want.body);
  assert.ok((v.options?.bindings ?? row.http).includes(got.binding));
}

describe('transcodeRequest: vectors C01–C47', () => {
  for (const v of vectors) {
    it(`${v.id}: ${v.rpc} ${JSON.stringify(v.json).slice(0, 90)}`, () => {
      const row = methodRow(v.service, v.rpc);
      check(v, messageFromJson(row.input, v.json));
    });
  }
});

describe('transcodeRequest: behaviour beyond the vectors', () => {
  const getProduct = methodRow(PS, 'GetProduct');
  const getThing = methodRow(THINGS, 'GetThing');
  const listThings = methodRow(THINGS, 'ListThings');

  it('accepts deep partials (no defaults filled in)', () => {
    const r = transcodeRequest(methodRow(PS, 'UpdateProduct'), { product: { name: `${PROD}/x`, displayName: 'N' } });
    assert.equal(r.path, `/v1p4beta1/${PROD}/x`);
    assert.equal(r.body, '{"displayName":"N"}');
    assert.equal(r.query, '');
  });

  it('leaves the caller’s request untouched when removing path fields from the body', () => {
    const req = { product: { name: `${PROD}/x`, displayName: 'N' } };
    const copy = structuredClone(req);
    transcodeRequest(methodRow(PS, 'UpdateProduct'), req);
    assert.deepEqual(req, copy);
    const run = { name: 'things/1', steps: 2 };
    assert.equal(transcodeRequest(methodRow(THINGS, 'RunThing'), run).body, '{"steps":2}');
    assert.deepEqual(run, { name: 'things/1', steps: 2 });
  });

  it('picks the first binding that fits (additional bindings in order)', () => {
    assert.equal(transcodeRequest(listThings, { parent: 'shelves/s1' }).path, '/v1/shelves/s1/things');
    const r = transcodeRequest(listThings, { parent: '' });
    assert.equal(r.path, '/v1/things');
    assert.equal(r.binding, listThings.http[1]);
    // A parent that does not fit the first binding falls to the second, which has no path variable:
    // the parent then travels in the query.
    const q = transcodeRequest(listThings, { parent: 'a/b', pageSize: 3 });
    assert.equal(q.path, '/v1/things');
    assert.equal(q.query, 'parent=a%2Fb&pageSize=3');
  });

  it('refuses wrong types and non-objects with INVALID_ARGUMENT, before any I/O', () => {
    const bad: [object, RegExp][] = [
      [{ name: 5 }, /name/],
      [{ name: 'things/1', ids: 'a' }, /ids/],
      [{ name: 'things/1', verbose: 'yes' }, /verbose/],
      [{ name: 'things/1', state: 'ACTIVE' }, /state/],
      [{ name: 'things/1', since: 5 }, /since/],
      [{ name: 'things/1', filter: 'x' }, /filter/],
      [{ name: 'things/1', ids: ['\ud800'] }, /ids.*lone surrogate|ids/],
    ];
    for (const [req, re] of bad) {
      assert.throws(
        () => transcodeRequest(getThing, req),
        (e: unknown) => e instanceof VisionError && e.code === Code.INVALID_ARGUMENT && re.test(e.message),
        JSON.stringify(req),
      );
    }
    for (const req of [null, 'x', [1]] as unknown as object[]) {
      assert.throws(
        () => transcodeRequest(getProduct, req),
        (e: unknown) => e instanceof VisionError && e.code === Code.INVALID_ARGUMENT,
      );
    }
  });

  it('refuses a non-empty map in the query, accepts an empty one', () => {
    assert.throws(() => transcodeRequest(getThing, { name: 'things/1', labels: { a: 'b' } }), /field "labels" is a map field/);
    assert.equal(transcodeRequest(getThing, { name: 'things/1', labels: {}, items: [] }).query, '');
  });

  it('writes every query kind in its proto3 JSON string form', () => {
    const r = transcodeRequest(getThing, {
      name: 'things/1',
      states: [1, 2],
      ratio: 0.5,
      verbose: true,
      serial: '18446744073709551615',
      note: '',
      timeout: { seconds: '0', nanos: -1 },
      readMask: [],
    });
    assert.equal(
      r.query,
      'timeout=-0.000000001s&readMask=&states=ACTIVE&states=RETIRED&ratio=0.5&verbose=true&serial=18446744073709551615&note=',
    );
    const nan = transcodeRequest(getThing, { name: 'things/1', ratio: Number.NaN });
    assert.equal(nan.query, 'ratio=NaN');
  });

  it('puts enums as numbers in the body too with enumAsInt', () => {
    const r = transcodeRequest(
      methodRow(IA, 'BatchAnnotateImages'),
      { requests: [{ features: [{ type: 4, maxResults: 0, model: '' }] }] },
      { enumAsInt: true },
    );
    assert.equal(r.body, '{"requests":[{"features":[{"type":4}]}]}');
    assert.equal(r.query, '$alt=json%3Benum-encoding=int');
  });

  it('keeps path-bound fields out of the query and of a body field', () => {
    const r = transcodeRequest(methodRow(THINGS, 'UpdateThing'), {
      thing: { name: 'shelves/s/things/t', displayName: 'D', rank: 0 },
      updateMask: ['display_name', 'rank'],
    });
    assert.equal(r.method, 'PATCH');
    assert.equal(r.path, '/v1/shelves/s/things/t');
    assert.equal(r.query, 'updateMask=displayName%2Crank');
    assert.equal(r.body, '{"displayName":"D","rank":0}', 'proto3 optional set to 0 is kept (google-cloud-node-core#623)');
  });

  it('sends the body field {} when it is null or unset, never ""', () => {
    for (const productSet of [undefined, null]) {
      const r = transcodeRequest(methodRow(PS, 'CreateProductSet'), { parent: LOC, productSet } as object);
      assert.equal(r.body, '{}');
    }
    const blob = transcodeRequest(methodRow(THINGS, 'WriteBlob'), { name: 'buckets/b/blobs/a/b/c' });
    assert.equal(blob.path, '/v1/buckets/b/blobs/a/b/c:write');
    assert.equal(blob.body, '{}');
  });

  it('a custom binding sends its kind as the method (CheckBlob: HEAD, no body, the rest in the query)', () => {
    const row = methodRow(THINGS, 'CheckBlob');
    assert.deepEqual(row.http, [{ method: 'HEAD', path: '/v1/{name=blobs/**}' }]);
    const r = transcodeRequest(row, { name: 'blobs/a/b c', etag: 'e/1' });
    assert.deepEqual(
      { method: r.method, path: r.path, query: r.query, body: r.body },
      { method: 'HEAD', path: '/v1/blobs/a/b%20c', query: 'etag=e%2F1', body: undefined },
    );
    const lower = transcodeRequest(row, { name: 'blobs/x' }, { bindings: [{ method: 'head', path: '/v1/{name=blobs/**}' }] });
    assert.equal(lower.method, 'HEAD', 'kinds are upper-cased');
  });

  it('the wildcard kind "*" goes as POST with a body, as GET without', () => {
    const row = methodRow(THINGS, 'GetThing');
    const get = transcodeRequest(row, { name: 'things/1', verbose: true }, { bindings: [{ method: '*', path: '/v4/{name=things/*}' }] });
    assert.deepEqual([get.method, get.path, get.query, get.body], ['GET', '/v4/things/1', 'verbose=true', undefined]);
    const post = transcodeRequest(
      row,
      { name: 'things/1', verbose: true },
      { bindings: [{ method: '*', path: '/v4/{name=things/*}', body: '*' }] },
    );
    assert.deepEqual([post.method, post.path, post.query, post.body], ['POST', '/v4/things/1', '', '{"verbose":true}']);
  });

  it('names every binding tried when none fits', () => {
    assert.throws(
      () => transcodeRequest(methodRow(OPS, 'GetOperation'), { name: 'x' }, { bindings: GET_OPERATION_SERVICE_CONFIG }),
      (e: unknown) =>
        e instanceof VisionError &&
        GET_OPERATION_SERVICE_CONFIG.every((b) => e.message.includes(b.path)) &&
        e.code === Code.INVALID_ARGUMENT,
    );
  });

  it('refuses a binding whose template is malformed with a TemplateError', () => {
    assert.throws(
      () => transcodeRequest(getProduct, { name: 'x' }, { bindings: [{ method: 'GET', path: '/v1/{name=x/' }] }),
      (e: unknown) => e instanceof VisionError && e.name === 'TemplateError' && /position/.test(e.message),
    );
    assert.throws(
      () => transcodeRequest(getProduct, { name: 'x' }, { bindings: [{ method: 'GET', path: '/v1/{nope}' }] }),
      /has no field "nope"/,
    );
  });
});
