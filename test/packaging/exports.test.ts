/**
 * Packaging: the library's `exports` (a Node entry, a browser entry and the
 * lower-level subpaths, each with types) and the tools package's, as built
 * into dist/; the browser-safe entries bundle with no Node built-in; the
 * library's entries carry no emulator or workflow, and the tools package
 * claims no `vision-kit` bin.
 */
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { build } from 'esbuild';
import { nodeBuiltinsSpy } from '../support/node-builtins-spy.js';

const ROOT = join(import.meta.dirname, '..', '..');
const TOOLS = join(ROOT, 'tools');

interface Manifest {
  name: string;
  exports: Record<string, Record<string, string> | string>;
  bin?: Record<string, string>;
  dependencies?: Record<string, string>;
}
const read = (dir: string): Manifest => JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as Manifest;
const lib = read(ROOT);
const tools = read(TOOLS);

/** The entries of a manifest's `exports` with their conditions (the `./package.json` and pattern entries aside). */
function entries(pkg: Manifest): [string, Record<string, string>][] {
  return Object.entries(pkg.exports).filter((e): e is [string, Record<string, string>] => typeof e[1] === 'object' && !e[0].includes('*'));
}

const BROWSER_SAFE = ['./browser', './codec', './transcoding', './testing'];

describe('package exports', function () {
  this.timeout(30_000);

  for (const [dir, pkg] of [
    [ROOT, lib],
    [TOOLS, tools],
  ] as const) {
    it(`${pkg.name}: every entry's build and types exist after npm run build, and its source under the vision-kit-source condition`, () => {
      for (const [name, conditions] of entries(pkg)) {
        for (const key of ['vision-kit-source', 'types', 'default']) {
          const target = conditions[key];
          assert.ok(target, `${pkg.name} ${name} has a "${key}" condition`);
          assert.ok(existsSync(join(dir, target)), `${pkg.name} ${name}: ${target} exists`);
        }
      }
    });
  }

  it('the generated modules are one subpath pattern, built and typed one file each', () => {
    const gen = lib.exports['./gen/*.js'] as Record<string, string>;
    assert.deepEqual(gen, { 'vision-kit-source': './gen/*.ts', types: './dist/types/gen/*.d.ts', default: './dist/gen/*.js' });
    for (const file of ['google/cloud/vision/v1p4beta1/image_annotator', 'google/longrunning/operations', 'schema/services']) {
      assert.ok(existsSync(join(ROOT, 'dist/gen', `${file}.js`)), `dist/gen/${file}.js`);
      assert.ok(existsSync(join(ROOT, 'dist/types/gen', `${file}.d.ts`)), `dist/types/gen/${file}.d.ts`);
    }
  });

  it('the built entries load, share one copy of each module, and the Node entry carries no emulator or workflow', async () => {
    const load = async (file: string) => (await import(pathToFileURL(join(ROOT, file)).href)) as Record<string, unknown>;
    const node = await load('dist/index.js');
    const web = await load('dist/browser.js');
    const codec = await load('dist/codec.js');
    for (const m of [node, web]) {
      assert.equal(typeof m.createClient, 'function');
      assert.equal(typeof m.VisionError, 'function');
    }
    assert.equal(node.VisionError, web.VisionError, 'one VisionError class behind both entries');
    assert.equal(typeof node.createGrpcTransport, 'function', 'the Node entry has the gRPC transport');
    assert.equal(web.createGrpcTransport, undefined, 'the browser entry does not');
    assert.equal(typeof codec.registerSchema, 'function', 'registerSchema is in vision-kit/codec');
    for (const absent of [
      'startEmulator',
      'runAnnotateJob',
      'colorName',
      'hexColor',
      'systemClock',
      'makeGrpcClientClass',
      'registerSchema',
      'createMemoryTransport',
    ]) {
      assert.equal(node[absent], undefined, `the root entry does not export ${absent}`);
    }
    const generated = await load('dist/gen/google/cloud/vision/v1p4beta1/image_annotator.js');
    assert.equal(typeof (generated.ImageAnnotatorDefinition as { fullName?: unknown }).fullName, 'string');
  });

  it('resolves every subpath by name from inside the package (self-reference)', async () => {
    for (const [name] of entries(lib)) {
      const m = (await import(`vision-kit${name.slice(1)}`)) as Record<string, unknown>;
      assert.ok(Object.keys(m).length > 0, `vision-kit${name.slice(1)} exports something`);
    }
  });

  for (const name of BROWSER_SAFE) {
    it(`vision-kit${name.slice(1)} bundles for the browser with no Node built-in, grpc-js or google-auth-library`, async () => {
      const spy = nodeBuiltinsSpy();
      const result = await build({
        stdin: { contents: `export * from 'vision-kit${name.slice(1)}';`, resolveDir: ROOT, loader: 'js' },
        bundle: true,
        platform: 'browser',
        format: 'esm',
        write: false,
        metafile: true,
        logLevel: 'silent',
        plugins: [spy.plugin],
      });
      assert.deepEqual(spy.found, []);
      const inputs = Object.keys(result.metafile.inputs);
      assert.deepEqual(
        inputs.filter((f) => /@grpc\/grpc-js|google-auth-library|gaxios/.test(f)),
        [],
      );
    });
  }

  it('makes a browser bundler pick the browser build for `vision-kit`', async () => {
    const result = await build({
      stdin: { contents: "export * from 'vision-kit';", resolveDir: ROOT, loader: 'js' },
      bundle: true,
      platform: 'browser',
      format: 'esm',
      write: false,
      metafile: true,
      logLevel: 'silent',
    });
    const inputs = Object.keys(result.metafile.inputs);
    assert.ok(
      inputs.some((f) => f.endsWith('dist/browser.js')),
      'dist/browser.js is the entry bundled',
    );
    assert.deepEqual(
      inputs.filter((f) => /^node:|@grpc\/grpc-js|google-auth-library/.test(f)),
      [],
    );
  });

  it('the library has the vision-kit bin and only client dependencies; the tools package has no bin and depends on the library', () => {
    assert.deepEqual(lib.bin, { 'vision-kit': 'bin/vision-kit.js' });
    assert.deepEqual(Object.keys(lib.dependencies ?? {}).sort(), [
      '@bufbuild/protobuf',
      '@grpc/grpc-js',
      'commander',
      'google-auth-library',
      'leven',
      'undici',
    ]);
    assert.equal(tools.bin, undefined, 'two packages claiming the vision-kit bin would collide');
    const { version } = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string };
    assert.equal(tools.dependencies?.['vision-kit'], version, 'the tools run on the library of their own version');
  });
});
