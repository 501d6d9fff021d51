/**
 * Bad input to the public entry points: INVALID_ARGUMENT naming the option
 * and the value, before any I/O (nothing here opens a socket except the
 * loopback calls that check a call's options are refused first).
 */
import assert from 'node:assert/strict';
import {
  type CallOptions,
  Code,
  createClient,
  createGrpcTransport,
  createPoller,
  createRawClient,
  createRestTransport,
  createTransport,
  ImageAnnotator,
  locationName,
  lroDescriptor,
  ProductSearch,
  pages,
  paginate,
  productName,
  referenceImageName,
  resolveTransport,
  VisionError,
} from 'vision-kit';
import { createRestTransport as createBrowserRestTransport } from 'vision-kit/browser';
import { SERVICES } from 'vision-kit/gen/schema/services.js';
import { createMemoryTransport } from 'vision-kit/testing';
import { createGateway, transcodeRequest } from 'vision-kit/transcoding';
import { methodRef } from './support/behaviour-suite.js';

const PS = 'google.cloud.vision.v1p4beta1.ProductSearch';

/** An INVALID_ARGUMENT VisionError whose message matches `why`. */
function invalid(why: RegExp) {
  return (e: unknown): boolean => {
    assert.ok(e instanceof VisionError, `not a VisionError: ${String(e)}`);
    assert.equal(e.code, Code.INVALID_ARGUMENT, e.message);
    assert.match(e.message, why);
    return true;
  };
}

describe('validation: transport endpoints', () => {
  const rest: [string, unknown, RegExp][] = [
    [
      'host:port without a scheme',
      'localhost:8090',
      /^\[INVALID_ARGUMENT\] createRestTransport: baseUrl "localhost:8090" is not an http\(s\) URL/,
    ],
    ['another scheme', 'ftp://127.0.0.1:1', /baseUrl "ftp:\/\/127\.0\.0\.1:1" is not an http\(s\) URL/],
    ['an empty string', '', /baseUrl "" is not an http\(s\) URL/],
    ['a number', 8090, /baseUrl 8090 is not an http\(s\) URL/],
    [
      'http:// off this machine',
      'http://vision.example.com',
      /baseUrl "http:\/\/vision\.example\.com" is off this machine: use https:\/\/.*plaintext/,
    ],
    ['a URL with spaces', 'http://a b', /baseUrl "http:\/\/a b"/],
  ];
  for (const [name, baseUrl, why] of rest) {
    it(`createRestTransport refuses ${name}`, () => {
      assert.throws(() => createRestTransport({ baseUrl: baseUrl as string }), invalid(why));
    });
  }

  it('createRestTransport never prints credentials held in a URL', () => {
    for (const baseUrl of [
      'https://user:s3cret-pw@vision.example.com',
      'https://vision.example.com/?key=s3cret-pw',
      'http://me:s3cret-pw@[::1]',
      'https://user:pa/s3cret@host.example',
      'https://u:a@b/s3cret@host.example',
    ]) {
      assert.throws(
        () => createRestTransport({ baseUrl }),
        (e: unknown) =>
          invalid(/baseUrl ".*" (may not hold user info, a query or spaces|is not an http\(s\) URL)/)(e) &&
          !String((e as Error).message).includes('s3cret'),
      );
    }
  });

  it('createRestTransport takes https anywhere, http on loopback, and http elsewhere with plaintext', () => {
    for (const options of [
      { baseUrl: 'https://vision.example.com' },
      { baseUrl: 'http://127.0.0.1:8090/' },
      { baseUrl: ' http://[::1]:8090 ' },
      { baseUrl: 'http://vision.example.com', plaintext: true },
    ]) {
      createRestTransport(options).close();
    }
  });

  const grpcBad: [string, unknown, RegExp][] = [
    ['an empty string', '', /^\[INVALID_ARGUMENT\] createGrpcTransport: endpoint "" is not host:port/],
    ['a host with a space', 'a b', /endpoint "a b" is not host:port/],
    ['a URL', 'http://127.0.0.1:1', /endpoint "http:\/\/127\.0\.0\.1:1" is not host:port/],
    ['user info', 'me:s3cret@127.0.0.1:1', /endpoint "…127\.0\.0\.1:1" is not host:port/],
    ['user info with a slash', 'me:SE/s3cret@127.0.0.1:1', /endpoint "…127\.0\.0\.1:1" is not host:port/],
    ['a number', 8089, /endpoint 8089 is not host:port/],
  ];
  for (const [name, endpoint, why] of grpcBad) {
    it(`createGrpcTransport refuses ${name}`, () => {
      assert.throws(() => createGrpcTransport({ endpoint: endpoint as string, auth: 'none' }), invalid(why));
    });
  }

  it('createGrpcTransport takes host names with underscores (Docker Compose service names), IPv6 and ports', () => {
    for (const endpoint of ['vision_emulator:8081', 'vision-emulator', '[::1]:8089', '127.0.0.1:8089']) {
      createGrpcTransport({ endpoint, auth: 'none' }).close();
    }
  });

  it('an emulator variable that is not an endpoint is named in the error', () => {
    assert.throws(() => resolveTransport({ env: { VISION_EMULATOR_HOST: 'a b' } }), invalid(/VISION_EMULATOR_HOST "a b" is not host:port/));
    assert.throws(
      () => resolveTransport({ transport: 'rest', env: { VISION_EMULATOR_REST: 'localhost:8090' } }),
      invalid(/VISION_EMULATOR_REST "localhost:8090" is not an http\(s\) URL/),
    );
    assert.equal(resolveTransport({ env: { VISION_EMULATOR_HOST: 'vision_emulator:8081' } }).endpoint, 'vision_emulator:8081');
  });

  it('resolveTransport and createTransport use the same checks', () => {
    assert.throws(() => resolveTransport({ endpoint: 'http://vision.example.com', env: {} }), invalid(/--plaintext/));
    assert.throws(
      () => resolveTransport({ endpoint: 'https://u:s3cret@x.example.com', env: {} }),
      invalid(/endpoint "https:\/\/…x\.example\.com" may not hold user info/),
    );
    assert.throws(() => createTransport({ endpoint: 'a b', env: {} }), invalid(/endpoint "a b" is not host:port/));
    // plaintext lets createTransport hand an http:// URL elsewhere to the REST transport, as before.
    createTransport({ endpoint: 'https://vision.example.com', plaintext: true, apiKey: 'k', env: {} }).close();
  });
});

describe('validation: call and retry options', () => {
  const ref = methodRef(PS, 'GetProduct');
  const transport = createMemoryTransport({ [PS]: { GetProduct: () => ({ name: 'x' }) } });
  const bad: [string, CallOptions, RegExp][] = [
    ['timeout NaN', { timeout: NaN }, /GetProduct: timeout must be a number ≥ 0, got NaN/],
    ['a negative timeout', { timeout: -1 }, /timeout must be a number ≥ 0, got -1/],
    ['a string timeout', { timeout: '5' as unknown as number }, /timeout must be a number ≥ 0, got "5"/],
    ['a signal that is not one', { signal: 'stop' as unknown as AbortSignal }, /signal must be an AbortSignal, got "stop"/],
    ['an object that is no AbortSignal', { signal: {} as AbortSignal }, /signal must be an AbortSignal, got object/],
    ['options that are not an object', 5 as unknown as CallOptions, /GetProduct: options must be an object, got 5/],
    ['jitter 5', { retry: { jitter: 5 } }, /retry\.jitter must be a number from 0 to 1, got 5/],
    ['initialBackoffMs NaN', { retry: { initialBackoffMs: NaN } }, /retry\.initialBackoffMs must be a number ≥ 0, got NaN/],
    ['multiplier 0.5', { retry: { multiplier: 0.5 } }, /retry\.multiplier must be a number ≥ 1/],
    ['maxAttempts 0', { retry: { maxAttempts: 0 } }, /retry\.maxAttempts must be a number ≥ 1/],
    ['maxBackoffMs -1', { retry: { maxBackoffMs: -1 } }, /retry\.maxBackoffMs/],
    [
      'codes as a string',
      { retry: { codes: 'UNAVAILABLE' as unknown as Code[] } },
      /retry\.codes must be an array of Code numbers, got "UNAVAILABLE"/,
    ],
    ['codes with an unknown code', { retry: { codes: [14, 99] as Code[] } }, /retry\.codes must be an array of Code numbers/],
    ['a misspelt retry field', { retry: { maxAttempt: 3 } as unknown as CallOptions['retry'] }, /retry\.maxAttempt is not a retry option/],
    ['retry true', { retry: true as unknown as false }, /retry must be an object, got true/],
  ];
  for (const [name, options, why] of bad) {
    it(`a call refuses ${name}`, async () => {
      await assert.rejects(transport.unary(ref, { name: 'x' }, options), invalid(why));
    });
  }

  it('good options still work (Infinity timeout, full retry settings, retry false)', async () => {
    for (const options of [
      { timeout: Infinity },
      {
        timeout: 0.5e3,
        retry: { codes: [Code.UNAVAILABLE], initialBackoffMs: 0, multiplier: 1, maxBackoffMs: 10, jitter: 0, maxAttempts: Infinity },
      },
      { retry: false as const, timeout: undefined },
    ]) {
      assert.equal(((await transport.unary(ref, { name: 'x' }, options)) as { name: string }).name, 'x');
    }
  });

  it('null options read as none, on the transport and through a client', async () => {
    assert.equal(((await transport.unary(ref, { name: 'x' }, null as unknown as CallOptions)) as { name: string }).name, 'x');
    const client = createRawClient(ProductSearch, transport);
    const name = 'projects/p/locations/us-west1/products/x';
    assert.equal((await client.getProduct({ name }, null as unknown as CallOptions)).name, 'x');
  });

  it('a client refuses bad default options when it is made', () => {
    assert.throws(
      () => createRawClient(ProductSearch, transport, { defaults: { timeout: NaN } }),
      invalid(/createRawClient: timeout must be a number/),
    );
    assert.throws(
      () => createClient(ProductSearch, transport, { defaults: { retry: { jitter: -1 } } }),
      invalid(/createClient: retry\.jitter/),
    );
  });
});

describe('validation: an option no entry point knows (a misspelt name) is refused, not ignored', () => {
  const memory = createMemoryTransport({ [PS]: { GetProduct: () => ({ name: 'x' }) } });
  /** Options with a name the entry point does not know, as JavaScript lets anyone write them. */
  const loose = (o: object): never => o as never;
  const cases: [string, () => unknown, RegExp][] = [
    [
      "createRestTransport (Node's: ca and proxy too)",
      () => createRestTransport(loose({ baseURL: 'http://127.0.0.1:1' })),
      /^\[INVALID_ARGUMENT\] createRestTransport: baseURL is not an option; the options are baseUrl, apiKeyIn, .*, ca, proxy$/,
    ],
    [
      "the browser entry's createRestTransport",
      () => createBrowserRestTransport(loose({ baseUrl: 'http://127.0.0.1:1', apikey: 'k' })),
      /^\[INVALID_ARGUMENT\] createRestTransport: apikey is not an option; the options are baseUrl, apiKeyIn, enumAsInt, plaintext, maxReceiveBytes, fetch, connectRetryMs, apiKey, token$/,
    ],
    [
      'createGrpcTransport',
      () => createGrpcTransport(loose({ endpoint: '127.0.0.1:1', plainText: true })),
      /createGrpcTransport: plainText is not an option; the options are endpoint, plaintext,/,
    ],
    [
      'createTransport',
      () => createTransport(loose({ transprot: 'rest' })),
      /createTransport: transprot is not an option; the options are transport,/,
    ],
    [
      'createPoller',
      () => createPoller(loose({ transport: {}, maxInflight: 3 })),
      /createPoller: maxInflight is not an option; the options are transport, maxInFlight,/,
    ],
    [
      'createClient',
      () => createClient(ProductSearch, memory, loose({ checkPathField: false })),
      /createClient: options\.checkPathField is not an option; the options are options\.defaults, options\.checkPathFields, options\.poller, options\.routes, options\.lro$/,
    ],
    [
      'createRawClient (which has no poller)',
      () => createRawClient(ProductSearch, memory, loose({ poller: {} })),
      /createRawClient: options\.poller is not an option; the options are options\.defaults, options\.checkPathFields, options\.operation$/,
    ],
    [
      "a client's default call options",
      () => createRawClient(ProductSearch, memory, { defaults: loose({ timeOut: 5 }) }),
      /createRawClient: timeOut is not an option/,
    ],
  ];
  for (const [name, make, why] of cases) {
    it(name, () => {
      assert.throws(make, invalid(why));
    });
  }

  it('a call, before any I/O', async () => {
    const client = createClient(ProductSearch, memory);
    const name = 'projects/p/locations/us-west1/products/x';
    await assert.rejects(
      client.getProduct({ name }, loose({ timeOut: 5 })),
      invalid(/GetProduct: timeOut is not an option; the options are signal, timeout, retry, headers, lro$/),
    );
    await assert.rejects(
      memory.unary(methodRef(PS, 'GetProduct'), { name }, loose({ singal: undefined, header: {} })),
      invalid(/header is not an option/),
    );
  });

  it("options set to undefined, symbol keys and the client's lro option pass", async () => {
    const client = createClient(ProductSearch, memory, loose({ poler: undefined }));
    const name = 'projects/p/locations/us-west1/products/x';
    const got = await client.getProduct({ name }, loose({ lro: { deadline: undefined }, [Symbol('mine')]: 1, timeOut: undefined }));
    assert.equal(got.name, 'x');
    assert.doesNotThrow(() => createRestTransport(loose({ baseUrl: 'http://127.0.0.1:1', baseURL: undefined })).close());
  });
});

describe('validation: missing arguments give INVALID_ARGUMENT, not a TypeError', () => {
  const transport = createMemoryTransport({});
  const cases: [string, () => unknown, RegExp][] = [
    [
      'createClient without a service',
      () => createClient(undefined as never, transport),
      /createClient: service must be an object, got undefined/,
    ],
    [
      'createClient without a transport',
      () => createClient(ImageAnnotator, undefined as never),
      /createClient: transport must be an object, got undefined/,
    ],
    [
      'createRawClient without a service',
      () => createRawClient(undefined as never, transport),
      /createRawClient: service must be an object/,
    ],
    ['createPoller without options', () => createPoller(undefined as never), /createPoller: options must be an object, got undefined/],
    [
      'createPoller without a transport',
      () => createPoller({} as never),
      /createPoller: options\.transport must be an object, got undefined/,
    ],
    [
      'resume without a descriptor',
      () =>
        createPoller({
          transport: { kind: 't', get: () => Promise.reject(new Error('no')), cancel: async () => {}, delete: async () => {} },
        }).resume(undefined as never, 'operations/1'),
      /resume: descriptor \(from descriptorOf\(client\.method\) or VISION_OPERATIONS\) must be an object, got undefined/,
    ],
    [
      'transcodeRequest without a method',
      () => transcodeRequest(undefined as never, {}),
      /transcodeRequest: method must be an object, got undefined/,
    ],
    ['createGateway without services', () => createGateway(undefined as never), /createGateway: services must be an object, got undefined/],
    [
      'createGateway with a service that is not a list',
      () => createGateway({ a: 5 } as never),
      /createGateway: services\["a"\] must be an array of method rows, got 5/,
    ],
  ];
  for (const [name, run, why] of cases) {
    it(name, () => {
      assert.throws(run, invalid(why));
    });
  }

  it('an Lro handle refuses a wait timeout that is not a number ≥ 0 (it used to hang on "5")', async function () {
    this.timeout(3000);
    const IA = 'google.cloud.vision.v1p4beta1.ImageAnnotator';
    const row = SERVICES[IA]!.find((m) => m.name === 'AsyncBatchAnnotateImages')!;
    const poller = createPoller({
      transport: { kind: 't', get: () => new Promise(() => {}), cancel: async () => {}, delete: async () => {} },
    });
    const lro = poller.resume(lroDescriptor(IA, row)!, 'operations/1');
    for (const [timeout, shown] of [
      ['5', '"5"'],
      [NaN, 'NaN'],
      [-1, '-1'],
    ] as const) {
      await assert.rejects(
        lro.wait({ timeout: timeout as number }),
        invalid(new RegExp(`wait: timeout must be a number ≥ 0, got ${shown}`)),
      );
    }
  });

  it('paginate and pages without a method reject their first step', async () => {
    await assert.rejects(paginate(undefined as never, {} as never).next(), invalid(/paginate: method must be a function, got undefined/));
    await assert.rejects(pages(undefined as never, {} as never).next(), invalid(/pages: method must be a function, got undefined/));
    const client = createRawClient(ProductSearch, transport);
    await assert.rejects(
      paginate(client.listProducts, undefined as never).next(),
      invalid(/paginate: request must be an object, got undefined/),
    );
  });
});

describe('validation: resource names refuse dot segments', () => {
  it('format refuses "." and ".." naming the variable', () => {
    for (const product of ['.', '..']) {
      assert.throws(
        () => productName.format({ project: 'p', location: 'l', product }),
        invalid(
          new RegExp(
            `\\{product\\} of projects/\\{project\\}/locations/\\{location\\}/products/\\{product\\} is missing or empty, or "\\." or "\\.\\." \\(got "${product.replace(/\./g, '\\.')}"\\)`,
          ),
        ),
      );
    }
    assert.throws(() => locationName.format({ project: '..', location: 'l' }), invalid(/\{project\}/));
  });

  it('parse and matches refuse "." and ".." (and empty) segments naming the variable', () => {
    assert.throws(() => productName.parse('projects/p/locations/us-west1/products/..'), invalid(/\{product\} \(segment 6\) is "\.\."/));
    assert.throws(
      () => referenceImageName.parse('projects/p/locations/./products/x/referenceImages/r'),
      invalid(/\{location\} \(segment 4\) is "\."/),
    );
    assert.throws(() => productName.parse('projects//locations/us-west1/products/x'), invalid(/\{project\} \(segment 2\) is empty/));
    assert.equal(productName.matches('projects/p/locations/us-west1/products/..'), false);
    assert.equal(productName.matches('projects/p/locations/us-west1/products/...'), true, 'three dots are an ordinary id');
  });
});
