import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { messageToJson } from 'vision-kit/codec';
import { expectedAnswer, methodRef } from '../transport/support/behaviour-suite.js';
import { FIXTURE_HANDLERS } from '../transport/support/fixture-service.js';
import { type GrpcTestServer, startGrpcTestServer } from '../transport/support/grpc-test-server.js';
import { type RestTestServer, startRestTestServer } from '../transport/support/rest-test-server.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const bin = join(root, 'bin/vision-kit.js');
const PS = 'google.cloud.vision.v1p4beta1.ProductSearch';

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs the built CLI (bin/vision-kit.js → dist/vision-kit.js) with a clean environment. */
function cli(args: string[], env: Record<string, string> = {}): Promise<Run> {
  const base: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env)) {
    if (v !== undefined && !k.startsWith('VISION_EMULATOR') && k !== 'GOOGLE_APPLICATION_CREDENTIALS') base[k] = v;
  }
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [bin, ...args],
      { env: { ...base, METADATA_SERVER_DETECTION: 'none', ...env }, timeout: 20_000 },
      (err, stdout, stderr) => {
        const code = err === null ? 0 : typeof err.code === 'number' ? err.code : -1;
        resolve({ code, stdout, stderr });
      },
    );
  });
}

function lastLine(text: string): string {
  const lines = text.trimEnd().split('\n');
  return lines[lines.length - 1] ?? '';
}

describe('cli: vision-kit call (child process)', function () {
  this.timeout(60_000);
  let grpcServer: GrpcTestServer;
  let restServer: RestTestServer;

  before(async () => {
    if (!existsSync(join(root, 'dist/vision-kit.js'))) throw new Error('dist/vision-kit.js is missing: run `npm run build` first');
    grpcServer = await startGrpcTestServer(FIXTURE_HANDLERS);
    restServer = await startRestTestServer(FIXTURE_HANDLERS);
  });
  after(async () => {
    await grpcServer.close();
    await restServer.close();
  });

  const name = 'projects/p/locations/us-west1/products/shoe';
  const targets = (): { label: string; args: string[]; env: Record<string, string> }[] => [
    { label: 'gRPC by --endpoint', args: ['--endpoint', grpcServer.address], env: {} },
    { label: 'REST by --endpoint', args: ['--endpoint', restServer.baseUrl], env: {} },
    { label: 'gRPC by VISION_EMULATOR_HOST', args: [], env: { VISION_EMULATOR_HOST: grpcServer.address } },
    {
      label: 'REST by VISION_EMULATOR_REST',
      args: ['--transport', 'rest'],
      env: { VISION_EMULATOR_REST: restServer.baseUrl, VISION_EMULATOR_HOST: grpcServer.address },
    },
  ];

  it('prints exactly one JSON document, the response in proto3 JSON, and exits 0 (every way of choosing the target)', async () => {
    const want = messageToJson('google.cloud.vision.v1p4beta1.Product', await expectedAnswer(methodRef(PS, 'GetProduct'), { name }));
    for (const t of targets()) {
      const run = await cli(['call', 'GetProduct', '--json', JSON.stringify({ name }), ...t.args], t.env);
      assert.equal(run.code, 0, `${t.label}: ${run.stderr}`);
      assert.deepEqual(JSON.parse(run.stdout), want, t.label);
    }
  });

  it('reads --json @file, with a FieldMask as a string and enums by name', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'vk-call-'));
    const file = join(dir, 'req.json');
    // Written with a byte order mark, as some editors save JSON: the mark is not part of the document.
    writeFileSync(file, `\uFEFF${JSON.stringify({ product: { name, description: 'new' }, updateMask: 'description,productLabels' })}`);
    for (const t of targets().slice(0, 2)) {
      const run = await cli(['call', 'UpdateProduct', '--json', `@${file}`, ...t.args], t.env);
      assert.equal(run.code, 0, run.stderr);
      assert.equal(JSON.parse(run.stdout).description, 'new (description,product_labels)', t.label);
    }
    // The file named without its `@`: a usage error that says how to read it.
    const bare = await cli(['call', 'UpdateProduct', '--json', file, ...targets()[0]!.args], targets()[0]!.env);
    assert.equal(bare.code, 2, bare.stderr);
    assert.ok(bare.stderr.trimEnd().endsWith(`(to read the file ${file}, write --json @${file})`), bare.stderr);
  });

  it('an API error exits 1 with the google.rpc.Status as the last stderr line, the same on both transports', async () => {
    const missing = 'projects/p/locations/us-west1/products/missing';
    const lines: string[] = [];
    for (const t of targets()) {
      const run = await cli(['call', 'GetProduct', '--json', JSON.stringify({ name: missing }), ...t.args], t.env);
      assert.equal(run.code, 1, t.label);
      assert.equal(run.stdout, '', 'nothing on stdout');
      lines.push(lastLine(run.stderr));
    }
    const status = JSON.parse(lines[0] ?? '');
    assert.deepEqual(status, {
      code: 5,
      message: `Product not found: ${missing}`,
      details: [
        {
          '@type': 'type.googleapis.com/google.rpc.ErrorInfo',
          reason: 'PRODUCT_NOT_FOUND',
          domain: 'vision.googleapis.com',
          metadata: { product: missing },
        },
      ],
    });
    assert.deepEqual(new Set(lines).size, 1, `every transport prints the same line:\n${lines.join('\n')}`);
  });

  const usage: { name: string; args: (rest: string, grpc: string) => string[]; says: RegExp }[] = [
    { name: 'an unknown method', args: (r) => ['call', 'GetProdukt', '--endpoint', r], says: /unknown method "GetProdukt"/ },
    {
      name: 'JSON that does not parse',
      args: (r) => ['call', 'GetProduct', '--json', '{"name":', '--endpoint', r],
      says: /--json is not valid JSON/,
    },
    {
      name: 'a field the request does not have',
      args: (r) => ['call', 'GetProduct', '--json', '{"nmae":"x"}', '--endpoint', r],
      says: /nmae/,
    },
    {
      name: 'a missing path field over REST',
      args: (r) => ['call', 'GetProduct', '--json', '{}', '--endpoint', r],
      says: /GetProduct.*"name"/,
    },
    {
      name: 'a missing path field over gRPC (judged before either transport, as over REST)',
      args: (_r, g) => ['call', 'GetProduct', '--json', '{}', '--endpoint', g],
      says: /^vision-kit: GetProduct: field "name" must match projects\/\*\/locations\/\*\/products\/\* \(it is empty\)$/,
    },
    {
      name: 'a name off its pattern over gRPC',
      args: (_r, g) => ['call', 'getProduct', '--json', '{"name":"products/x"}', '--endpoint', g],
      says: /^vision-kit: GetProduct: field "name" must match projects\/\*\/locations\/\*\/products\/\* \(got "products\/x"\)$/,
    },
    {
      name: 'a misspelt method',
      args: (_r, g) => ['call', 'GetProdct', '--endpoint', g],
      says: /^vision-kit: unknown method "GetProdct": did you mean GetProduct(, \w+)*\? \(vision-kit call --list lists them all\)$/,
    },
    {
      name: 'no method',
      args: (_r, g) => ['call', '--endpoint', g],
      says: /missing the method.*vision-kit call --list/,
    },
    {
      name: 'WaitOperation over REST',
      args: (r) => ['call', 'WaitOperation', '--json', '{"name":"operations/1"}', '--endpoint', r],
      says: /no HTTP binding/,
    },
    {
      name: 'a transport that disagrees with the endpoint',
      args: (_r, g) => ['call', 'GetProduct', '--transport', 'rest', '--endpoint', g],
      says: /does not agree/,
    },
    {
      name: '--wait on a method without operation',
      args: (_r, g) => ['call', 'GetProduct', '--wait', '--endpoint', g],
      says: /does not return an operation/,
    },
    {
      name: 'a misspelt request field (the nearest one offered)',
      args: (_r, g) => ['call', 'AsyncBatchAnnotateImages', '--json', '{"request":[]}', '--endpoint', g],
      says: /^vision-kit: --json is not a valid google\.cloud\.vision\.v1p4beta1\.AsyncBatchAnnotateImagesRequest: request: unknown field "request" of google\.cloud\.vision\.v1p4beta1\.AsyncBatchAnnotateImagesRequest; did you mean "requests"\?$/,
    },
    {
      name: 'an unreadable @file',
      args: (_r, g) => ['call', 'GetProduct', '--json', '@/nonexistent/req.json', '--endpoint', g],
      says: /cannot read/,
    },
  ];
  for (const u of usage) {
    it(`${u.name} is a usage error: exit 2, one clear line, no request sent`, async () => {
      const before = restServer.requests.length + grpcServer.metadata.length;
      const run = await cli(u.args(restServer.baseUrl, grpcServer.address));
      assert.equal(run.code, 2, run.stderr);
      assert.equal(run.stdout, '');
      assert.match(run.stderr.trim(), u.says);
      assert.equal(run.stderr.trim().split('\n').length, 1, run.stderr);
      assert.equal(restServer.requests.length + grpcServer.metadata.length, before);
    });
  }

  it('a path-field error is the same line on both transports', async () => {
    const runs = await Promise.all(
      [grpcServer.address, restServer.baseUrl].map((endpoint) =>
        cli(['call', 'DeleteProductSet', '--json', '{"name":"projects/p/productSets/s"}', '--endpoint', endpoint]),
      ),
    );
    assert.deepEqual(
      runs.map((r) => r.code),
      [2, 2],
    );
    assert.equal(runs[0]?.stderr, runs[1]?.stderr);
  });

  it("finds a method by the client's camelCase spelling, in any case, and qualified", async () => {
    const want = JSON.parse(
      (await cli(['call', 'GetProduct', '--json', JSON.stringify({ name }), '--endpoint', grpcServer.address])).stdout,
    );
    for (const spelling of [
      'getProduct',
      'GETPRODUCT',
      'ProductSearch/getproduct',
      'google.cloud.vision.v1p4beta1.productsearch.GetProduct',
    ]) {
      const run = await cli(['call', spelling, '--json', JSON.stringify({ name }), '--endpoint', grpcServer.address]);
      assert.equal(run.code, 0, `${spelling}: ${run.stderr}`);
      assert.deepEqual(JSON.parse(run.stdout), want, spelling);
    }
  });

  it('call --list prints every method of the three services with its request type, and calls nothing', async () => {
    const before = restServer.requests.length + grpcServer.metadata.length;
    const run = await cli(['call', '--list']);
    assert.equal(run.code, 0, run.stderr);
    const rows = run.stdout.trimEnd().split('\n');
    assert.match(rows[0] ?? '', /^METHOD\s+SERVICE\s+REQUEST$/);
    const { SERVICES } = await import('vision-kit/gen/schema/services.js');
    const every = Object.values(SERVICES).flat();
    assert.equal(rows.length, every.length + 1);
    for (const m of every) {
      assert.ok(
        rows.some((r) => new RegExp(`^${m.name}\\s+\\w+\\s+${m.input.replaceAll('.', '\\.')}(\\s|$)`).test(r)),
        `${m.name} with ${m.input}`,
      );
    }
    assert.match(rows.find((r) => r.startsWith('WaitOperation ')) ?? '', /gRPC only/);
    assert.match(rows.find((r) => r.startsWith('ImportProductSets ')) ?? '', /returns an operation/);
    assert.equal(restServer.requests.length + grpcServer.metadata.length, before);
  });

  it("commander's usage errors are one line (its suggestion folded in) and one line pointing at --help, never the whole help", async () => {
    for (const [args, says] of [
      [['call', 'GetProduct', '--jsn', '{}'], /^vision-kit: unknown option '--jsn' \(Did you mean --json\?\)$/],
      [['call', 'GetProduct', 'extra'], /^vision-kit: too many arguments for 'call'/],
      [['cal', 'GetProduct'], /^vision-kit: unknown command 'cal' \(Did you mean call\?\)$/],
    ] as const) {
      const run = await cli([...args]);
      assert.equal(run.code, 2, run.stderr);
      assert.equal(run.stdout, '');
      const [first, ...rest] = run.stderr.trimEnd().split('\n');
      assert.match(first ?? '', says);
      assert.deepEqual(rest, [`(vision-kit${args[0] === 'cal' ? '' : ' call'} --help for usage)`]);
    }
  });

  it('sends --api-key and never prints it', async () => {
    const key = 'AIza-cli-secret-key';
    const run = await cli([
      'call',
      'GetProduct',
      '--json',
      JSON.stringify({ name: 'projects/p/locations/us-west1/products/missing' }),
      '--endpoint',
      restServer.baseUrl,
      '--api-key',
      key,
    ]);
    assert.equal(run.code, 1);
    assert.equal(restServer.requests.at(-1)?.headers['x-goog-api-key'], key);
    assert.ok(!run.stdout.includes(key) && !run.stderr.includes(key));
  });
});
