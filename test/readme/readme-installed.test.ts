/**
 * The README as a new user follows it: the library and the tools packed and
 * installed in an empty folder (`npm i vision-kit`, `npm i -D
 * vision-kit-tools`; see test/support/packed-install.ts), `vision-kit
 * emulator` started from that install's bin, and the README's runnable
 * examples — its first program first — run there with plain `node`,
 * pointed at the emulator through its variables as the README says, each
 * twice in a row on the same data dir with the emulator restarted between
 * the rounds (state on disk, no ALREADY_EXISTS on a second run). ```ts
 * examples have their types stripped (esbuild, nothing else changed); the
 * emulator's default ports are the only text replaced, by its free ones.
 */
import assert from 'node:assert/strict';
import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { transform } from 'esbuild';
import { installedEnv, type PackedInstall, packedInstall, temporaryFolder } from '../support/packed-install.js';
import { checkOutput, EXAMPLE_NAMES, emulatorEnv, README, readmeExamples, withEndpoints } from './support/readme-examples.js';

/** A running `vision-kit emulator` child and its ready line. */
interface ChildEmulator {
  readonly grpc: string;
  readonly http: string;
  stop(): Promise<void>;
}

/** Starts `vision-kit emulator` from the install's bin on free ports and `dataDir`; resolves at its ready line. */
async function startChildEmulator(install: PackedInstall, dataDir: string): Promise<ChildEmulator> {
  const child: ChildProcessWithoutNullStreams = spawn(
    join(install.dir, 'node_modules', '.bin', 'vision-kit'),
    ['emulator', '--grpc-port', '0', '--http-port', '0', '--data-dir', dataDir],
    { cwd: install.dir, env: installedEnv(), stdio: ['pipe', 'pipe', 'pipe'] },
  );
  let stderr = '';
  child.stderr.on('data', (c: Buffer) => (stderr += c.toString('utf8')));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const kill = async (): Promise<void> => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
    await exited;
    clearTimeout(timer);
  };
  try {
    const first = await Promise.race([
      createInterface({ input: child.stdout })[Symbol.asyncIterator]().next(),
      exited.then(() => {
        throw new Error(`the emulator exited before its ready line:\n${stderr}`);
      }),
    ]);
    const ready = JSON.parse(first.value as string) as { grpc: string; http: string };
    return { grpc: ready.grpc, http: ready.http, stop: kill };
  } catch (err) {
    await kill();
    throw err;
  }
}

/** Runs `node file` in the install folder with a user's environment plus `env`. */
function runNode(file: string, cwd: string, env: Record<string, string>): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, [file], { cwd, env: installedEnv(env), stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (c: Buffer) => (stdout += c.toString('utf8')));
  child.stderr.on('data', (c: Buffer) => (stderr += c.toString('utf8')));
  const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

describe('README: the examples from a packed install, against its emulator, twice on one data dir', function () {
  this.timeout(240_000);
  const examples = readmeExamples(README);
  let install: PackedInstall;
  let dataDir: string;

  before(async () => {
    install = await packedInstall('library+tools');
    dataDir = temporaryFolder('readme-data');
  });

  it('the README has the examples this test runs, the first program first', () => {
    assert.deepEqual(
      examples.map((e) => e.name),
      EXAMPLE_NAMES,
    );
  });

  for (const round of [1, 2]) {
    it(`round ${round}: every example runs with node as written and prints what it should`, async () => {
      const emulator = await startChildEmulator(install, dataDir);
      try {
        for (const example of examples) {
          const code = withEndpoints(example.code, emulator.grpc, emulator.http);
          const js = example.lang === 'ts' ? (await transform(code, { loader: 'ts', format: 'esm' })).code : code;
          const file = join(install.dir, `${example.name === 'first' ? 'first' : `readme-${example.name}`}.mjs`);
          writeFileSync(file, js);
          const result = await runNode(file, install.dir, emulatorEnv(emulator.grpc, emulator.http));
          assert.equal(result.code, 0, `${example.name} (round ${round}) failed:\n${result.stderr}\n${result.stdout}`);
          checkOutput(README, example.name, result.stdout);
        }
      } finally {
        await emulator.stop();
      }
    });
  }
});
