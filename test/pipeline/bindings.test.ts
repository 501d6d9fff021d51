/**
 * The bindings pipeline: gen/ holds what the issue asks for, and the http
 * rules and operation_info reachable from gen/ (both the ts-proto definitions'
 * raw option bytes and the gen-time tables) equal what an independent parse of
 * proto/ (protobufjs) says.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { promisify } from 'node:util';
import protobuf from 'protobufjs';
import { HttpRule } from 'vision-kit/gen/google/api/http.js';
import { ImageAnnotatorDefinition } from 'vision-kit/gen/google/cloud/vision/v1p4beta1/image_annotator.js';
import { ProductSearchDefinition } from 'vision-kit/gen/google/cloud/vision/v1p4beta1/product_search_service.js';
import { OperationInfo, OperationsDefinition } from 'vision-kit/gen/google/longrunning/operations.js';
import { RESOURCES } from 'vision-kit/gen/schema/resources.js';
import { type HttpBinding, SERVICES } from 'vision-kit/gen/schema/services.js';
import * as errorDetails from '../../gen/google/rpc/error_details.js';
import { SOURCE_FLAGS } from '../support/source-flags.js';
import { listFiles } from './support.js';

const run = promisify(execFile);
const ROOT = join(import.meta.dirname, '..', '..');
const PROTO = join(ROOT, 'proto');

/** The tag ts-proto keys a length-delimited custom option by: field number << 3 | 2. */
const tagOf = (fieldNumber: number) => fieldNumber * 8 + 2;
const HTTP_TAG = tagOf(72295728);
const OPERATION_INFO_TAG = tagOf(1049);
const SIGNATURE_TAG = tagOf(1051);

interface Definition {
  readonly fullName: string;
  readonly methods: Readonly<
    Record<
      string,
      { readonly name: string; readonly options: { readonly _unknownFields?: Readonly<Record<number, readonly Uint8Array[]>> } }
    >
  >;
}

const definitions: Definition[] = [ImageAnnotatorDefinition, ProductSearchDefinition, OperationsDefinition];

/** Strips a length prefix (a varint) from one raw option value. */
function unprefix(bytes: Uint8Array): Uint8Array {
  let len = 0;
  let shift = 0;
  let i = 0;
  for (;;) {
    const b = bytes[i++]!;
    len += (b & 0x7f) * 2 ** shift;
    shift += 7;
    if (b < 0x80) break;
  }
  assert.equal(i + len, bytes.length, 'length prefix covers the option value');
  return bytes.subarray(i);
}

function bindingsFromRule(rule: HttpRule): HttpBinding[] {
  const one = (r: HttpRule): HttpBinding => {
    const entries: [string, string][] = [
      ['GET', r.get ?? ''],
      ['PUT', r.put ?? ''],
      ['POST', r.post ?? ''],
      ['DELETE', r.delete ?? ''],
      ['PATCH', r.patch ?? ''],
    ];
    const hit = entries.find(([, p]) => p !== '');
    const [method, path] = hit ?? [r.custom!.kind, r.custom!.path];
    const b: { method: string; path: string; body?: string; responseBody?: string } = { method, path };
    if (r.body) b.body = r.body;
    if (r.responseBody) b.responseBody = r.responseBody;
    return b;
  };
  return [one(rule), ...rule.additionalBindings.map(one)];
}

type ProtoOpts = Record<string, unknown>;

function protobufjsBindings(method: protobuf.Method): HttpBinding[] {
  const opts = (method.parsedOptions ?? []) as ProtoOpts[];
  const rule = opts.find((o) => '(google.api.http)' in o)?.['(google.api.http)'] as ProtoOpts | undefined;
  if (!rule) return [];
  const one = (r: ProtoOpts): HttpBinding => {
    const verb = ['get', 'put', 'post', 'delete', 'patch'].find((v) => typeof r[v] === 'string');
    const custom = r.custom as { kind: string; path: string } | undefined;
    const b: { method: string; path: string; body?: string; responseBody?: string } = verb
      ? { method: verb.toUpperCase(), path: r[verb] as string }
      : { method: custom!.kind, path: custom!.path };
    if (typeof r.body === 'string' && r.body) b.body = r.body;
    if (typeof r.response_body === 'string' && r.response_body) b.responseBody = r.response_body;
    return b;
  };
  const extra = r2arr(rule.additional_bindings);
  return [one(rule), ...extra.map(one)];
}

function r2arr(v: unknown): ProtoOpts[] {
  if (v === undefined) return [];
  return (Array.isArray(v) ? v : [v]) as ProtoOpts[];
}

function loadProtoRoot(): protobuf.Root {
  const root = new protobuf.Root();
  root.resolvePath = (_origin, target) => join(PROTO, target);
  root.loadSync(
    [
      'google/cloud/vision/v1p4beta1/image_annotator.proto',
      'google/cloud/vision/v1p4beta1/product_search_service.proto',
      'google/longrunning/operations.proto',
      'google/rpc/error_details.proto',
    ],
    { keepCase: true },
  );
  root.resolveAll();
  return root;
}

describe('bindings pipeline (gen/)', () => {
  const root = loadProtoRoot();

  it('holds the 4 ImageAnnotator, 19 ProductSearch and 5 Operations methods as generic definitions', () => {
    assert.equal(Object.keys(ImageAnnotatorDefinition.methods).length, 4);
    assert.equal(Object.keys(ProductSearchDefinition.methods).length, 19);
    assert.equal(Object.keys(OperationsDefinition.methods).length, 5);
    for (const def of definitions) {
      const service = root.lookupService(def.fullName);
      assert.deepEqual(
        Object.values(def.methods)
          .map((m) => m.name)
          .sort(),
        Object.keys(service.methods).sort(),
        `${def.fullName} methods`,
      );
      assert.deepEqual(SERVICES[def.fullName]!.map((m) => m.name).sort(), Object.keys(service.methods).sort());
    }
  });

  it('holds the typed google.rpc error details', () => {
    for (const name of [
      'ErrorInfo',
      'RetryInfo',
      'DebugInfo',
      'QuotaFailure',
      'PreconditionFailure',
      'BadRequest',
      'RequestInfo',
      'ResourceInfo',
      'Help',
      'LocalizedMessage',
    ]) {
      const codec = (errorDetails as Record<string, unknown>)[name] as { encode?: unknown; decode?: unknown } | undefined;
      assert.ok(codec && typeof codec.encode === 'function' && typeof codec.decode === 'function', `${name} codec`);
    }
    const info = errorDetails.ErrorInfo.fromPartial({ reason: 'R', domain: 'd', metadata: { k: 'v' } });
    assert.deepEqual(errorDetails.ErrorInfo.decode(errorDetails.ErrorInfo.encode(info).finish()), info);
  });

  it('has no file in gen/ that imports @grpc/grpc-js', () => {
    const offenders = listFiles(join(ROOT, 'gen')).filter((f) => /@grpc\/grpc-js/.test(readFileSync(f, 'utf8')));
    assert.deepEqual(
      offenders.map((f) => relative(ROOT, f)),
      [],
    );
  });

  for (const def of definitions) {
    describe(def.fullName, () => {
      const service = root.lookupService(def.fullName);
      for (const method of Object.values(def.methods)) {
        it(`${method.name}: http rule, operation_info and signatures equal proto/`, () => {
          const pMethod = service.methods[method.name]!;
          const expected = protobufjsBindings(pMethod);
          const raw = method.options._unknownFields ?? {};
          const httpRaw = raw[HTTP_TAG];
          const fromDefinition = httpRaw ? bindingsFromRule(HttpRule.decode(unprefix(httpRaw[0]!))) : [];
          const row = SERVICES[def.fullName]!.find((m) => m.name === method.name)!;
          assert.deepEqual(fromDefinition, expected, 'http rule in the generic definition');
          assert.deepEqual(row.http, expected, 'http rule in gen/schema/services.ts');

          const opts = (pMethod.parsedOptions ?? []) as ProtoOpts[];
          const info = opts.find((o) => '(google.longrunning.operation_info)' in o)?.['(google.longrunning.operation_info)'] as
            | { response_type: string; metadata_type: string }
            | undefined;
          const infoRaw = raw[OPERATION_INFO_TAG];
          if (!info) {
            assert.equal(infoRaw, undefined);
            assert.equal(row.operationInfo, undefined);
          } else {
            const decoded = OperationInfo.decode(unprefix(infoRaw![0]!));
            assert.deepEqual(
              { responseType: decoded.responseType, metadataType: decoded.metadataType },
              {
                responseType: info.response_type,
                metadataType: info.metadata_type,
              },
            );
            // The table resolves names the way protobuf scoping does: relative to the package.
            const resolve = (n: string) =>
              root.lookupType(n.includes('.') ? n : `${service.parent!.fullName.slice(1)}.${n}`).fullName.slice(1);
            assert.deepEqual(row.operationInfo, {
              responseType: resolve(info.response_type),
              metadataType: resolve(info.metadata_type),
            });
            assert.equal(row.output, 'google.longrunning.Operation');
          }
          const sigs = opts.filter((o) => '(google.api.method_signature)' in o).map((o) => o['(google.api.method_signature)']);
          assert.deepEqual(row.signatures, sigs);
          assert.equal((raw[SIGNATURE_TAG] ?? []).length, sigs.length);
          assert.equal(row.input, pMethod.resolvedRequestType!.fullName.slice(1));
          assert.equal(row.output, pMethod.resolvedResponseType!.fullName.slice(1));
        });
      }
    });
  }

  it('gives UpdateProduct as PATCH /v1p4beta1/{product.name=projects/*/locations/*/products/*}, body product', () => {
    const row = SERVICES['google.cloud.vision.v1p4beta1.ProductSearch']!.find((m) => m.name === 'UpdateProduct')!;
    assert.deepEqual(row.http, [{ method: 'PATCH', path: '/v1p4beta1/{product.name=projects/*/locations/*/products/*}', body: 'product' }]);
  });

  it('has the resource patterns proto/ declares', () => {
    const expected: Record<string, string[]> = {};
    const visit = (ns: protobuf.NamespaceBase) => {
      for (const nested of ns.nestedArray) {
        if (nested instanceof protobuf.Type) {
          for (const o of (nested.parsedOptions ?? []) as ProtoOpts[]) {
            const res = o['(google.api.resource)'] as { type: string; pattern: string | string[] } | undefined;
            if (res) expected[res.type] = Array.isArray(res.pattern) ? res.pattern : [res.pattern];
          }
        }
        if (nested instanceof protobuf.Namespace) visit(nested);
      }
    };
    visit(root);
    assert.ok(Object.keys(expected).length >= 3);
    assert.deepEqual(Object.fromEntries(Object.entries(RESOURCES).map(([k, v]) => [k, [...v.patterns]])), expected);
  });
});

describe('bindings pipeline (test/gen/, the test-only protos)', () => {
  it('generates the test protos with their own tables, importing gen/ by package name instead of copying it', async () => {
    const { SERVICES: TEST_SERVICES } = await import('../gen/schema/services.js');
    const { MESSAGES: TEST_MESSAGES } = await import('../gen/schema/messages.js');
    const run = TEST_SERVICES['visionkit.testing.v1.Things']!.find((m) => m.name === 'RunThing')!;
    assert.deepEqual(run.operationInfo, {
      responseType: 'visionkit.testing.v1.RunThingResponse',
      metadataType: 'visionkit.testing.v1.RunThingMetadata',
    });
    assert.ok('visionkit.testing.v1.Thing' in TEST_MESSAGES);
    assert.ok(!('google.longrunning.Operation' in TEST_MESSAGES), 'dependencies stay in gen/schema');
    const things = readFileSync(join(ROOT, 'test', 'gen', 'vision_kit', 'testing', 'v1', 'things.ts'), 'utf8');
    assert.match(things, /from "vision-kit\/gen\/google\/longrunning\/operations\.js"/);
    assert.doesNotMatch(things, /from "\.\.\/\.\.\/\.\.\/\.\.\//, 'no relative path out of test/gen');
    assert.deepEqual(readdirSync(join(ROOT, 'test', 'gen')).sort(), ['index.ts', 'schema', 'vision_kit']);
  });
});

describe('bindings pipeline (test/gen/): http rules equal test/protos/', () => {
  // The test protos use what Vision's do not (response_body, additional
  // bindings, a `custom` HEAD binding), so the tables are checked on them too.
  it('has, for every Things method, the http rule an independent parse of things.proto gives, custom included', async () => {
    const { SERVICES: TEST_SERVICES } = await import('../gen/schema/services.js');
    const { ThingsDefinition } = await import('../gen/vision_kit/testing/v1/things.js');
    const root = new protobuf.Root();
    root.resolvePath = (_origin, target) => (target.startsWith('vision_kit/') ? join(ROOT, 'test', 'protos', target) : join(PROTO, target));
    root.loadSync('vision_kit/testing/v1/things.proto', { keepCase: true });
    root.resolveAll();
    const service = root.lookupService('visionkit.testing.v1.Things');
    const def = ThingsDefinition as unknown as Definition;
    assert.deepEqual(
      Object.values(def.methods)
        .map((m) => m.name)
        .sort(),
      Object.keys(service.methods).sort(),
    );
    for (const method of Object.values(def.methods)) {
      const expected = protobufjsBindings(service.methods[method.name]!);
      const httpRaw = method.options._unknownFields?.[HTTP_TAG];
      const fromDefinition = httpRaw ? bindingsFromRule(HttpRule.decode(unprefix(httpRaw[0]!))) : [];
      const row = TEST_SERVICES['visionkit.testing.v1.Things']!.find((m) => m.name === method.name)!;
      assert.deepEqual(fromDefinition, expected, `${method.name}: http rule in the generic definition`);
      assert.deepEqual(row.http, expected, `${method.name}: http rule in test/gen/schema/services.ts`);
    }
    const check = TEST_SERVICES['visionkit.testing.v1.Things']!.find((m) => m.name === 'CheckBlob')!;
    assert.deepEqual(check.http, [{ method: 'HEAD', path: '/v1/{name=blobs/**}' }]);
  });
});

describe('npm run gen: bad input', function () {
  this.timeout(60000);
  // Each run writes into a scratch folder holding a copy of gen/, never into the working tree.
  let out: string;
  before(() => {
    out = mkdtempSync(join(tmpdir(), 'vision-kit-gen-test-'));
    cpSync(join(ROOT, 'gen'), join(out, 'gen'), { recursive: true });
    cpSync(join(ROOT, 'test', 'gen'), join(out, 'test', 'gen'), { recursive: true });
  });
  after(() => rmSync(out, { recursive: true, force: true }));
  const genDigest = () =>
    listFiles(join(out, 'gen'))
      .map((f) => `${relative(out, f)}:${readFileSync(f, 'utf8')}`)
      .sort()
      .join('\n');

  async function runGen(env: Record<string, string>): Promise<{ code: number; stderr: string }> {
    try {
      await run(process.execPath, [...SOURCE_FLAGS, 'scripts/gen/run.ts'], {
        cwd: ROOT,
        env: { ...process.env, VISION_KIT_GEN_OUT: out, ...env },
      });
      return { code: 0, stderr: '' };
    } catch (err) {
      const e = err as { code: number; stderr: string };
      return { code: e.code, stderr: e.stderr };
    }
  }

  it('stops on a missing proto package with one line naming the step, and leaves gen/ as it was', async () => {
    const before = genDigest();
    const { code, stderr } = await runGen({ VISION_KIT_PROTO_PACKAGE: 'no-such-proto-package' });
    assert.notEqual(code, 0);
    assert.equal(stderr.trim().split('\n').length, 1, stderr);
    assert.match(stderr, /step "locate".*no-such-proto-package/);
    assert.equal(genDigest(), before);
  });

  it('writes proto/ and gen/ equal to the committed ones when nothing is wrong', async () => {
    const { code, stderr } = await runGen({});
    assert.equal(code, 0, stderr);
    for (const name of ['proto', 'gen', 'test/gen']) {
      const a = listFiles(join(out, name))
        .map((f) => relative(out, f))
        .sort();
      const b = listFiles(join(ROOT, name))
        .map((f) => relative(ROOT, f))
        .sort();
      assert.deepEqual(a, b);
      for (const f of a) assert.equal(readFileSync(join(out, f), 'utf8'), readFileSync(join(ROOT, f), 'utf8'), f);
    }
  });

  it('stops on a package without the Vision protos, naming the step', async () => {
    const { code, stderr } = await runGen({ VISION_KIT_PROTO_PACKAGE: 'protobufjs' });
    assert.notEqual(code, 0);
    assert.match(stderr, /step "locate".*google\/cloud\/vision\/v1p4beta1/);
  });

  it('stops on a plugin error naming the generate step, and leaves gen/ as it was', async () => {
    const before = genDigest();
    const { code, stderr } = await runGen({ VISION_KIT_GEN_PLUGIN: join(ROOT, 'test/pipeline/fixtures/failing-plugin.mjs') });
    assert.notEqual(code, 0);
    assert.match(stderr, /^gen: step "generate" failed: .*refused on purpose/);
    assert.equal(stderr.trim().split('\n').length, 1, stderr);
    assert.equal(genDigest(), before);
  });
});
