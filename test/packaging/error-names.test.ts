/**
 * Errors print under their own names from the built package: every error
 * class an entry of dist/ exports is named as it is exported (esbuild must
 * not rename it, e.g. `var VisionError = class _VisionError`, which Node
 * prints in util.inspect and for an uncaught error), and a VisionError
 * thrown uncaught in a plain `node` prints as `VisionError: [CODE] …`.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { inspect, promisify } from 'node:util';

const ROOT = join(import.meta.dirname, '..', '..');
const DIST = join(ROOT, 'dist');
const ENTRIES = ['index', 'browser', 'codec', 'transcoding', 'serving', 'testing', 'grpc', 'cli'];

describe('packaging: error class names in the build', function () {
  this.timeout(30_000);

  before(() => {
    if (!existsSync(join(DIST, 'index.js'))) throw new Error('dist/ is missing: run `npm run build` first');
  });

  it('every error class of every entry is named as it is exported', async () => {
    let seen = 0;
    for (const entry of ENTRIES) {
      const m = (await import(pathToFileURL(join(DIST, `${entry}.js`)).href)) as Record<string, unknown>;
      for (const [name, value] of Object.entries(m)) {
        if (typeof value !== 'function' || !(value.prototype instanceof Error)) continue;
        seen++;
        assert.equal(value.name, name, `${entry}: ${name}`);
      }
    }
    assert.ok(seen >= 10, `${seen} error classes`);
  });

  it('no chunk declares a class under an underscored inner name', () => {
    const files = [
      ...readdirSync(DIST)
        .filter((f) => f.endsWith('.js'))
        .map((f) => join(DIST, f)),
      ...readdirSync(join(DIST, 'chunks')).map((f) => join(DIST, 'chunks', f)),
    ];
    const renamed = files.flatMap((f) => [...readFileSync(f, 'utf8').matchAll(/var (\w+) = class _\1\b/g)].map((m) => m[1]));
    assert.deepEqual(renamed, []);
  });

  it('util.inspect and the stack show VisionError and its subclasses by name', async () => {
    const m = (await import(pathToFileURL(join(DIST, 'index.js')).href)) as typeof import('vision-kit');
    const e = new m.VisionError(m.Code.NOT_FOUND, 'gone');
    assert.match(inspect(e), /^VisionError: \[NOT_FOUND\] gone\n/);
    assert.match(e.stack ?? '', /^VisionError: \[NOT_FOUND\] gone\n/);
    const p = new m.PathFieldError('GetProduct', 'name', ['projects/*'], 'must match projects/* (it is empty)');
    assert.match(inspect(p), /^PathFieldError: \[INVALID_ARGUMENT\] GetProduct: field "name" must match/);
    assert.doesNotMatch(inspect(p), /_VisionError|_PathFieldError/);
  });

  it('an uncaught VisionError in a plain node prints as VisionError', async () => {
    const script = `import { VisionError, Code } from ${JSON.stringify(pathToFileURL(join(DIST, 'index.js')).href)};
throw new VisionError(Code.NOT_FOUND, 'gone');`;
    const err = await promisify(execFile)(process.execPath, ['--input-type=module', '-e', script], {
      env: { PATH: process.env.PATH ?? '' },
    }).then(
      () => assert.fail('the child exited 0'),
      (e: { stderr: string }) => e.stderr,
    );
    assert.match(err, /^VisionError: \[NOT_FOUND\] gone$/m);
    assert.doesNotMatch(err, /_VisionError/);
  });
});
