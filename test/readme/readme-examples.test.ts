/**
 * The README's examples run as written (connect-node's readme spec is the
 * model), from this checkout's sources: each ```ts or ```js block marked
 * `<!-- readme-example: NAME -->` is copied into a module inside the package
 * (so `import … from 'vision-kit'` resolves through the package's own
 * exports) and run as a child process against a real emulator, twice in a
 * row on the same data dir, pointed at it as the README says (the emulator
 * variables; see support/readme-examples.ts). What it prints is checked.
 * readme-installed.test.ts runs the same from a packed install.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { type RunningEmulator, startEmulator } from '../../tools/src/emulator/emulator.js';
import { SOURCE_FLAGS } from '../support/source-flags.js';
import { checkOutput, EXAMPLE_NAMES, emulatorEnv, README, readmeExamples, withEndpoints } from './support/readme-examples.js';

const run = promisify(execFile);
const ROOT = join(import.meta.dirname, '..', '..');

describe('README examples', function () {
  this.timeout(90_000);
  const examples = readmeExamples(README);
  let emulator: RunningEmulator;
  let dataDir: string;
  const scratch = join(ROOT, '.tmp');
  before(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'vk-readme-'));
    emulator = await startEmulator({ grpcPort: 0, httpPort: 0, dataDir, log: () => undefined });
    mkdirSync(scratch, { recursive: true });
  });
  after(async () => {
    await emulator?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  async function runExample(name: string): Promise<string> {
    const example = examples.find((e) => e.name === name);
    assert.ok(example, `README.md has the example "${name}"`);
    const file = join(scratch, `readme-${name}-${process.pid}.${example.lang === 'js' ? 'mjs' : 'ts'}`);
    writeFileSync(file, withEndpoints(example.code, emulator.grpcAddress, emulator.httpUrl));
    try {
      const { stdout } = await run(process.execPath, [...SOURCE_FLAGS, file], {
        cwd: ROOT,
        env: { ...process.env, METADATA_SERVER_DETECTION: 'none', ...emulatorEnv(emulator.grpcAddress, emulator.httpUrl) },
      });
      return stdout;
    } finally {
      rmSync(file, { force: true });
    }
  }

  it('every runnable example of the README is one this test knows, in order', () => {
    assert.deepEqual(
      examples.map((e) => e.name),
      EXAMPLE_NAMES,
    );
  });

  for (const name of EXAMPLE_NAMES) {
    it(`${name}: prints what it should, twice in a row on the same data dir`, async () => {
      for (let round = 1; round <= 2; round++) {
        const stdout = await runExample(name);
        checkOutput(README, name, stdout);
      }
    });
  }

  it('the examples type-check (tsc --strict) and write enums by name, not number', async () => {
    const files: string[] = [];
    for (const { name, code } of examples) {
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
