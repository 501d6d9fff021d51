/**
 * Packaging (design.md "Packaging"): `exports` gives a Node entry and a
 * browser entry with types, resolvable by name from inside the package
 * (Node's self-reference), and the browser condition picks the browser build.
 */
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { build } from 'esbuild';

const ROOT = join(import.meta.dirname, '..', '..');
const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
  exports: Record<string, Record<string, string> | string>;
  bin: Record<string, string>;
};

describe('package exports', () => {
  it('declares a Node entry and a browser entry, each with types that exist after the build', () => {
    const dot = pkg.exports['.'] as Record<string, string>;
    const browser = pkg.exports['./browser'] as Record<string, string>;
    const workflow = pkg.exports['./workflow'] as Record<string, string>;
    for (const target of [dot.types!, dot.default!, dot.browser!, browser.types!, browser.default!, workflow.types!, workflow.default!]) {
      assert.ok(existsSync(join(ROOT, target)), `${target} exists (npm run build writes it)`);
    }
    assert.equal(pkg.bin['vision-kit'], 'bin/vision-kit.js');
  });

  it('resolves `vision-kit` and `vision-kit/browser` by name to working modules', async () => {
    const node = (await import('vision-kit')) as Record<string, unknown>;
    const web = (await import('vision-kit/browser')) as Record<string, unknown>;
    for (const m of [node, web]) {
      assert.equal(typeof m.createClient, 'function');
      assert.equal(typeof m.VisionError, 'function');
    }
    assert.equal(typeof node.createGrpcTransport, 'function', 'the Node entry has the gRPC transport');
    assert.equal(web.createGrpcTransport, undefined, 'the browser entry does not');
    const workflow = (await import('vision-kit/workflow')) as Record<string, unknown>;
    assert.equal(typeof workflow.runAnnotateJob, 'function', 'vision-kit/workflow has the annotate workflow');
    assert.equal(web.runAnnotateJob, undefined, 'the browser entry leaves the workflow to its own entry');
  });

  it('makes a browser bundler pick the browser build, with no Node built-ins in it', async () => {
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
    assert.ok(inputs.some((f) => f.endsWith('dist/browser.js')), 'dist/browser.js is the entry bundled');
    assert.deepEqual(inputs.filter((f) => /^node:|@grpc\/grpc-js|google-auth-library/.test(f)), []);
  });
});
