/**
 * The packed library, installed as a user installs it (test/support/packed-install.ts):
 * alone with `--omit=dev`, what is in node_modules and in the tarball, that
 * every entry loads from ESM and the root from CommonJS, that the shipped
 * declarations type-check a strict program (and reject a wrong one), and the
 * `vision-kit` bin; with the tools package beside it, `vision-kit emulator`
 * answering `vision-kit call`. Every process runs in the install folder with
 * plain `node` (no tsx, no `vision-kit-source` condition) and a user's
 * environment (no credentials, no metadata-server probe), on 127.0.0.1.
 */
import assert from 'node:assert/strict';
import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { readFileSync, realpathSync, writeFileSync } from 'node:fs';
import { join, posix } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import {
  FORBIDDEN_PACKAGES,
  type InstalledRun,
  inspectNodeModules,
  installedEnv,
  type NodeModulesFacts,
  type PackedInstall,
  packedInstall,
  ROOT,
  runInstalled,
  temporaryFolder,
  unshippableFiles,
} from '../support/packed-install.js';

/** Runs `file args…` in `cwd` with a user's environment (the shared helper, with this file's timeout). */
const run = (file: string, args: readonly string[], cwd: string, timeoutMs = 60_000) => runInstalled(file, args, cwd, timeoutMs);

/** Runs `node file` in `cwd` (plain node: no loader, no custom conditions). */
const node = (file: string, cwd: string): Promise<InstalledRun> => run(process.execPath, [file], cwd);
/** Runs the installed `vision-kit` bin (node_modules/.bin) in `cwd`. */
const bin = (args: readonly string[], cwd: string): Promise<InstalledRun> =>
  run(join(cwd, 'node_modules', '.bin', 'vision-kit'), args, cwd);
/** The lines of `text` without the trailing empty one. */
const lines = (text: string): string[] => (text === '' ? [] : text.replace(/\n$/, '').split('\n'));
/** Parses a child's stdout as JSON, saying what it printed when it is not. */
function json<T>(r: InstalledRun): T {
  assert.equal(r.code, 0, `the child failed:\n${r.stderr.slice(-3000)}`);
  return JSON.parse(r.stdout) as T;
}

/** The typed program a user writes against the root entry. */
const TYPED_PROGRAM = `import { createClient, createGrpcTransport, ProductSearch, VisionError } from 'vision-kit';
import type { Product } from 'vision-kit/gen/google/cloud/vision/v1p4beta1/product_search_service.js';

const client = createClient(ProductSearch, createGrpcTransport({ endpoint: '127.0.0.1:1' }));

export async function describeProduct(name: string): Promise<string> {
  try {
    const product: Product = await client.getProduct({ name }, { timeout: 1000 });
    const displayName: string = product.displayName;
    const labels: number = product.productLabels.length;
    return \`\${displayName} (\${labels} labels)\`;
  } catch (err) {
    if (err instanceof VisionError) {
      const code: number = err.code;
      return \`\${err.codeName} (\${code}): \${err.message}\`;
    }
    throw err;
  }
}
`;

/** Node's engines ranges of the shapes `^X.Y.Z` and `>=X.Y.Z` joined by `||`; anything else throws. */
function satisfies(version: string, range: string): boolean {
  const parse = (v: string): number[] => {
    const m = /^v?(\d+)\.(\d+)\.(\d+)$/.exec(v.trim());
    if (!m) throw new Error(`not a version: ${v}`);
    return [Number(m[1]), Number(m[2]), Number(m[3])];
  };
  const cmp = (a: number[], b: number[]): number => a[0]! - b[0]! || a[1]! - b[1]! || a[2]! - b[2]!;
  const v = parse(version);
  return range.split('||').some((clause) => {
    const c = clause.trim();
    if (c.startsWith('>=')) return cmp(v, parse(c.slice(2))) >= 0;
    if (c.startsWith('^')) {
      const low = parse(c.slice(1));
      return v[0] === low[0] && cmp(v, low) >= 0;
    }
    throw new Error(`engines clause "${c}" is neither ^X.Y.Z nor >=X.Y.Z`);
  });
}

describe('packed install: the library alone (npm pack, then npm ci --omit=dev in an empty folder)', function () {
  this.timeout(120_000);
  let install: PackedInstall;
  let facts: NodeModulesFacts;

  before(async () => {
    // Start the second install now so it overlaps these tests; its own before() awaits it.
    packedInstall('library+tools').catch(() => undefined);
    install = await packedInstall('library');
    facts = inspectNodeModules(install.dir);
  });

  it('installs no native addon, shared library or WebAssembly file, and none of the tools packages', () => {
    assert.ok(
      facts.packages.some((p) => p.startsWith('vision-kit@')),
      'vision-kit itself is installed',
    );
    assert.ok(
      facts.packages.some((p) => p.startsWith('@grpc/grpc-js@')),
      'its dependencies are installed',
    );
    assert.deepEqual(facts.nativeFiles, []);
    assert.deepEqual(facts.forbiddenPackages, [], `none of ${FORBIDDEN_PACKAGES.join(', ')}`);
  });

  it('the tarball holds only what users run, type-check against and read (the README and the Markdown it links to)', () => {
    const files = install.library.files;
    assert.deepEqual(unshippableFiles(files), []);
    for (const absent of [/^src\//, /^test\//, /^scripts\//, /^tools\//, /^gen\//, /\.map$/, /(?<!\.d)\.ts$/]) {
      assert.deepEqual(
        files.filter((f) => absent.test(f)),
        [],
        `nothing matching ${String(absent)}`,
      );
    }
    for (const needed of [
      'package.json',
      'README.md',
      'bin/vision-kit.js',
      'dist/index.js',
      'dist/vision-kit.js',
      'dist/types/src/index.d.ts',
    ]) {
      assert.ok(files.includes(needed), `${needed} is in the tarball`);
    }
    assert.ok(
      files.some((f) => /^dist\/gen\/.+\.js$/.test(f)) && files.some((f) => /^dist\/types\/gen\/.+\.d\.ts$/.test(f)),
      'the generated modules are there, built and typed',
    );
  });

  it("the shipped Markdown's relative links all point at files of the tarball (they work in node_modules)", () => {
    const files = install.library.files;
    const markdown = files.filter((f) => f.endsWith('.md'));
    assert.ok(markdown.includes('docs/calls.md') && markdown.includes('RELIABILITY.md'), 'the docs the README links to are shipped');
    const dead: string[] = [];
    for (const file of markdown) {
      const text = readFileSync(join(install.dir, 'node_modules', 'vision-kit', file), 'utf8');
      for (const [, target] of text.matchAll(/\]\(([^)\s]+)\)/g)) {
        if (/^[a-z]+:/i.test(target!) || target!.startsWith('#')) continue;
        const path = posix.normalize(posix.join(posix.dirname(file), target!.replace(/#.*$/, '')));
        if (!files.includes(path)) dead.push(`${file}: ${target}`);
      }
    }
    assert.deepEqual(dead, []);
  });

  it('loads every entry as ESM in a fresh node, from the install', async () => {
    const specifiers = [
      'vision-kit',
      'vision-kit/browser',
      'vision-kit/codec',
      'vision-kit/transcoding',
      'vision-kit/serving',
      'vision-kit/grpc',
      'vision-kit/testing',
      'vision-kit/gen/google/cloud/vision/v1p4beta1/product_search_service.js',
    ];
    writeFileSync(
      join(install.dir, 'esm-check.mjs'),
      `const out = {};
for (const s of ${JSON.stringify(specifiers)}) {
  try {
    const m = await import(s);
    out[s] = { exports: Object.keys(m).sort(), file: import.meta.resolve(s) };
  } catch (err) {
    out[s] = { error: String(err) };
  }
}
process.stdout.write(JSON.stringify(out));
`,
    );
    const loaded = json<Record<string, { exports?: string[]; file?: string; error?: string }>>(await node('esm-check.mjs', install.dir));
    const installed = realpathSync(join(install.dir, 'node_modules', 'vision-kit'));
    for (const s of specifiers) {
      const r = loaded[s];
      assert.equal(r?.error, undefined, `${s} loads`);
      assert.ok((r?.exports?.length ?? 0) > 0, `${s} exports something`);
      assert.ok(
        r?.file !== undefined && realpathSync(fileURLToPath(r.file)).startsWith(`${installed}/dist/`),
        `${s} resolves into the installed dist/ (got ${r?.file})`,
      );
    }
    const has = (s: string, name: string): boolean => loaded[s]?.exports?.includes(name) === true;
    for (const name of ['createClient', 'createGrpcTransport', 'createRestTransport', 'ProductSearch', 'ImageAnnotator', 'VisionError'])
      assert.ok(has('vision-kit', name), `vision-kit exports ${name}`);
    assert.ok(
      has('vision-kit/browser', 'createClient') && !has('vision-kit/browser', 'createGrpcTransport'),
      'the browser entry has the clients but no gRPC',
    );
    assert.ok(has('vision-kit/codec', 'registerSchema'));
    assert.ok(has('vision-kit/gen/google/cloud/vision/v1p4beta1/product_search_service.js', 'Product'));
  });

  it('requires the root entry from CommonJS on this Node (engines), with the same exports as import', async () => {
    const manifest = JSON.parse(readFileSync(join(install.dir, 'node_modules', 'vision-kit', 'package.json'), 'utf8')) as {
      engines?: { node?: string };
    };
    const range = manifest.engines?.node;
    assert.equal(range, '^20.19.0 || >=22.12.0', 'engines.node allows only Nodes that can require ES modules');
    assert.ok(satisfies(process.version, range), `this Node (${process.version}) satisfies ${range}`);
    assert.equal(satisfies('v20.18.3', range) || satisfies('v22.11.0', range), false, 'the range check rejects Nodes without require(esm)');
    writeFileSync(
      join(install.dir, 'cjs-check.cjs'),
      `const m = require('vision-kit');
process.stdout.write(JSON.stringify({ exports: Object.keys(m).sort(), file: require.resolve('vision-kit'), ok: typeof m.createClient === 'function' && typeof m.VisionError === 'function' }));
`,
    );
    writeFileSync(
      join(install.dir, 'esm-keys.mjs'),
      `process.stdout.write(JSON.stringify(Object.keys(await import('vision-kit')).sort()));\n`,
    );
    const [required, imported] = await Promise.all([node('cjs-check.cjs', install.dir), node('esm-keys.mjs', install.dir)]);
    const cjs = json<{ exports: string[]; file: string; ok: boolean }>(required);
    assert.equal(cjs.ok, true, 'createClient and VisionError are there');
    assert.ok(
      realpathSync(cjs.file).startsWith(realpathSync(join(install.dir, 'node_modules', 'vision-kit'))),
      `require resolves into the install (got ${cjs.file})`,
    );
    assert.deepEqual(
      cjs.exports.filter((k) => k !== '__esModule' && k !== 'module.exports'),
      json<string[]>(imported),
    );
  });

  it('type-checks a strict program against the shipped declarations, and rejects one with a type error', async () => {
    const tsc = join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc');
    const flags = ['--noEmit', '--strict', '--module', 'nodenext', '--moduleResolution', 'nodenext', '--target', 'es2022'];
    writeFileSync(join(install.dir, 'typed.mts'), TYPED_PROGRAM);
    writeFileSync(
      join(install.dir, 'mistyped.mts'),
      TYPED_PROGRAM.replace('const displayName: string = product.displayName;', 'const displayName: number = product.displayName;'),
    );
    const [good, bad] = await Promise.all([
      run(process.execPath, [tsc, ...flags, 'typed.mts'], install.dir),
      run(process.execPath, [tsc, ...flags, 'mistyped.mts'], install.dir),
    ]);
    assert.equal(good.code, 0, `tsc accepts the program:\n${good.stdout}${good.stderr}`);
    assert.notEqual(bad.code, 0, 'tsc rejects the mistyped program');
    assert.match(bad.stdout, /mistyped\.mts\(\d+,\d+\): error TS2322/);
    assert.doesNotMatch(bad.stdout, /Cannot find module|TS2307/, 'the failure is the type error, not a missing module');
  });

  it('the bin: --help exits 0; emulator without the tools package exits 2 with one line naming vision-kit-tools', async () => {
    const help = await bin(['--help'], install.dir);
    assert.equal(help.code, 0, help.stderr);
    assert.match(help.stdout, /\bcall\b/);
    assert.match(help.stdout, /\bemulator\b/);
    const emulator = await bin(['emulator'], install.dir);
    assert.equal(emulator.code, 2);
    assert.equal(emulator.stdout, '');
    const err = lines(emulator.stderr);
    assert.equal(err.length, 1, `one stderr line (got ${JSON.stringify(emulator.stderr)})`);
    assert.match(err[0]!, /vision-kit-tools/);
  });
});

describe('packed install: the library and vision-kit-tools together', function () {
  this.timeout(120_000);
  let install: PackedInstall;

  before(async () => {
    install = await packedInstall('library+tools');
  });

  it('vision-kit emulator prints its ready line, answers vision-kit call, and stops on SIGTERM', async () => {
    const dataDir = temporaryFolder('emulator-data');
    const child: ChildProcessWithoutNullStreams = spawn(
      join(install.dir, 'node_modules', '.bin', 'vision-kit'),
      ['emulator', '--grpc-port', '0', '--http-port', '0', '--data-dir', dataDir],
      { cwd: install.dir, env: installedEnv(), stdio: ['pipe', 'pipe', 'pipe'] },
    );
    let stderr = '';
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString('utf8')));
    const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
      child.once('exit', (code, signal) => resolve({ code, signal })),
    );
    try {
      const first = await Promise.race([
        createInterface({ input: child.stdout })[Symbol.asyncIterator]().next(),
        exited.then(({ code }) => {
          throw new Error(`the emulator exited (${String(code)}) before its ready line:\n${stderr}`);
        }),
      ]);
      assert.equal(first.done, false);
      const ready = JSON.parse(first.value as string) as { grpc: string; http: string; dataDir: string };
      assert.deepEqual(Object.keys(ready), ['grpc', 'http', 'dataDir']);
      assert.match(ready.grpc, /^127\.0\.0\.1:\d+$/);
      assert.match(ready.http, /^http:\/\/127\.0\.0\.1:\d+$/);
      assert.equal(realpathSync(ready.dataDir), realpathSync(dataDir));

      const call = await bin(
        ['call', 'ListProducts', '--json', JSON.stringify({ parent: 'projects/p/locations/us-west1' }), '--endpoint', ready.grpc],
        install.dir,
      );
      assert.equal(call.code, 0, `vision-kit call failed:\n${call.stderr}`);
      assert.equal(typeof JSON.parse(call.stdout), 'object', 'call prints the response as JSON');

      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      const end = await exited;
      clearTimeout(timer);
      assert.deepEqual(end, { code: 0, signal: null }, `the emulator stops by itself on SIGTERM:\n${stderr}`);
    } finally {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    }
  });

  it('has the tools libraries that the library alone leaves out', () => {
    const facts = inspectNodeModules(install.dir);
    for (const name of ['vision-kit', 'vision-kit-tools', 'sharp', 'mupdf'])
      assert.ok(
        facts.packages.some((p) => p.startsWith(`${name}@`)),
        `${name} is installed`,
      );
  });
});
