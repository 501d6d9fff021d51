/**
 * The README's examples run as written (connect-node's readme spec is the
 * model): each ```ts block marked `<!-- readme-example: NAME -->` is copied
 * into a module inside the package (so `import … from 'vision-kit'` resolves
 * through the package's own exports), with only the emulator's default
 * endpoints replaced by this test's free ports, and run as a child process
 * against a real emulator. What it prints is checked.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { type RunningEmulator, startEmulator } from '../../tools/src/emulator/emulator.js';
import { SOURCE_FLAGS } from '../support/source-flags.js';

const run = promisify(execFile);
const ROOT = join(import.meta.dirname, '..', '..');

/** The marked ts blocks of README.md, by name. */
function readmeExamples(text: string): Map<string, string> {
  const out = new Map<string, string>();
  const re = /<!-- readme-example: ([\w-]+) -->\s*```ts\n([\s\S]*?)```/g;
  for (const m of text.matchAll(re)) out.set(m[1]!, m[2]!);
  return out;
}

describe('README examples', function () {
  this.timeout(60_000);
  const examples = readmeExamples(readFileSync(join(ROOT, 'README.md'), 'utf8'));
  let emulator: RunningEmulator;
  let dataDir: string;
  const scratch = join(ROOT, '.tmp');
  before(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'vk-readme-'));
    emulator = await startEmulator({ grpcPort: 0, httpPort: 0, dataDir, log: () => undefined });
    const upload = await fetch(`${emulator.httpUrl}/upload/storage/v1/b/my-images/o?uploadType=media&name=flag.png`, {
      method: 'POST',
      headers: { 'content-type': 'image/png' },
      body: readFileSync(join(ROOT, 'samples', 'flag.png')),
    });
    assert.equal(upload.status, 200);
    mkdirSync(scratch, { recursive: true });
  });
  after(async () => {
    await emulator?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  async function runExample(name: string): Promise<string> {
    const code = examples.get(name);
    assert.ok(code, `README.md has the example "${name}"`);
    assert.ok(code.includes("'127.0.0.1:8089'") || code.includes("'http://127.0.0.1:8090'"), 'it uses the default endpoints');
    const file = join(scratch, `readme-${name}-${process.pid}.ts`);
    writeFileSync(
      file,
      code.replaceAll("'127.0.0.1:8089'", `'${emulator.grpcAddress}'`).replaceAll("'http://127.0.0.1:8090'", `'${emulator.httpUrl}'`),
    );
    try {
      const { stdout } = await run(process.execPath, [...SOURCE_FLAGS, file], {
        cwd: ROOT,
        env: { ...process.env, VISION_EMULATOR_HOST: '', VISION_EMULATOR_REST: '' },
      });
      return stdout;
    } finally {
      rmSync(file, { force: true });
    }
  }

  it('clients: one call over gRPC, the same over REST, then a paginated list', async () => {
    const stdout = await runExample('clients');
    assert.equal(stdout, 'projects/demo/locations/us-west1/products/shoe Shoe\n');
  });

  it('poller: waits on a handle, then resumes it from its saved JSON', async () => {
    const lines = (await runExample('poller')).trim().split('\n');
    assert.ok(lines.includes('state DONE'), `the last progress is DONE, by name: ${lines.join(' | ')}`);
    assert.equal(lines.at(-2), 'results under gs://my-results/');
    assert.equal(lines.at(-1), 'same result gs://my-results/');
  });

  it('types: resource names, a typed BadRequest, enum names in a request and a state by name', async () => {
    const stdout = await runExample('types');
    assert.equal(stdout, 'boot\nINVALID_ARGUMENT name\nDONE true\n');
  });

  it('the examples type-check (tsc --strict) and write enums by name, not number', async () => {
    const files: string[] = [];
    for (const [name, code] of examples) {
      assert.doesNotMatch(code, /type: \d|\/\* [A-Z_]+ \*\//, `${name}: enums by name`);
      const file = join(scratch, `readme-check-${name}-${process.pid}.ts`);
      writeFileSync(file, `${code}\nexport {};\n`);
      files.push(file);
    }
    const tsc = join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc');
    const flags = [
      '--ignoreConfig',
      '--noEmit',
      '--strict',
      '--target',
      'es2022',
      '--module',
      'nodenext',
      '--moduleResolution',
      'nodenext',
    ];
    try {
      const result = await run(
        process.execPath,
        [
          tsc,
          ...flags,
          '--lib',
          'es2023,dom,dom.iterable',
          '--types',
          'node',
          '--customConditions',
          'vision-kit-source',
          '--skipLibCheck',
          ...files,
        ],
        { cwd: ROOT },
      ).then(
        () => ({ ok: true, out: '' }),
        (e: { stdout?: string }) => ({ ok: false, out: e.stdout ?? String(e) }),
      );
      assert.ok(result.ok, result.out);
    } finally {
      for (const f of files) rmSync(f, { force: true });
    }
  });
});
