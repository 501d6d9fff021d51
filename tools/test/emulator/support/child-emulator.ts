// Runs `vision-kit emulator` as a child process (through tsx, so no build is
// needed) and reads its ready line; runs any `vision-kit` command to its end.
import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { SOURCE_FLAGS } from '../../../../test/support/source-flags.js';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', '..');

/** What a `vision-kit` command run to its end gave: its exit code and everything it printed. */
export interface CliRun {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/**
 * Runs `vision-kit <args>` (through tsx) to its end. With `prefix`
 * (`[command, ...its args]`) the node command line is handed to that
 * command instead (`setpriv` to run as another user).
 */
export function runCli(args: readonly string[], prefix: readonly string[] = []): Promise<CliRun> {
  const [command, ...rest] = [...prefix, process.execPath, ...SOURCE_FLAGS, join(ROOT, 'src/cli/run.ts'), ...args] as [string, ...string[]];
  return new Promise((resolve) => {
    const child = spawn(command, rest, {
      env: { ...process.env, METADATA_SERVER_DETECTION: 'none' },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('exit', (code) => resolve({ code, stdout, stderr }));
  });
}

/** Asserts that `run` was `vision-kit emulator`'s usage error: exit 2, nothing on stdout, `line` and the pointer at --help on stderr. */
export function assertUsageError(run: CliRun, line: string): void {
  assert.equal(run.code, 2, run.stderr);
  assert.equal(run.stdout, '');
  assert.equal(run.stderr, `vision-kit: ${line}\n(vision-kit emulator --help for usage)\n`);
}

/** The ready line of the emulator. */
export interface ReadyLine {
  readonly grpc: string;
  readonly http: string;
  readonly dataDir: string;
}

/** A running child emulator. */
export interface ChildEmulator {
  readonly child: ChildProcess;
  readonly ready: ReadyLine;
  /** Everything written to stdout and stderr so far. */
  stdout(): string;
  stderr(): string;
  /** Resolves with the exit code and signal. */
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/**
 * Spawns `vision-kit emulator <args>`; resolves once the ready line is read
 * (rejects if it exits first). With `prefix` (`[command, ...its args]`) the
 * node command line is handed to that command instead (`unshare`, `sh -c`).
 */
export function spawnEmulator(args: readonly string[], timeoutMs = 20_000, prefix: readonly string[] = []): Promise<ChildEmulator> {
  const node = [process.execPath, ...SOURCE_FLAGS, join(ROOT, 'src/cli/run.ts'), 'emulator', ...args];
  const [command, ...rest] = [...prefix, ...node] as [string, ...string[]];
  const child = spawn(command, rest, {
    cwd: ROOT,
    env: { ...process.env, METADATA_SERVER_DETECTION: 'none' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stdout!.setEncoding('utf8');
  child.stderr!.setEncoding('utf8');
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );
  return new Promise<ChildEmulator>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`no ready line after ${timeoutMs} ms; stderr: ${err}`));
    }, timeoutMs);
    child.stderr!.on('data', (d: string) => (err += d));
    child.stdout!.on('data', (d: string) => {
      out += d;
      const nl = out.indexOf('\n');
      if (nl >= 0 && timer) {
        clearTimeout(timer);
        try {
          const ready = JSON.parse(out.slice(0, nl)) as ReadyLine;
          resolve({ child, ready, stdout: () => out, stderr: () => err, exited });
        } catch (e) {
          reject(new Error(`first stdout line is not JSON: ${out.slice(0, nl)} (${String(e)})`));
        }
      }
    });
    void exited.then(({ code, signal }) => {
      clearTimeout(timer);
      reject(new Error(`the emulator exited (code ${code}, signal ${signal}) before its ready line; stderr: ${err}`));
    });
  });
}
