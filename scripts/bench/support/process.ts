/**
 * Child processes of the benchmark harness: every measurement and every
 * server runs as `node --import tsx --import test/setup.ts …`, so the tests'
 * loopback guard (no connect or DNS lookup off 127.0.0.1, no metadata-server
 * probe) holds for the benchmark too.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { SOURCE_FLAGS } from '../../../test/support/source-flags.js';

/** The repository root. */
export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');

/** Node flags every child starts with: the TypeScript loader and the loopback guard. */
export const NODE_FLAGS = [...SOURCE_FLAGS, '--import', './test/setup.ts'];

/** The environment of every child: no credential search, no emulator variables inherited. */
export function childEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, METADATA_SERVER_DETECTION: 'none', ...extra };
  for (const k of ['GOOGLE_APPLICATION_CREDENTIALS', 'VISION_EMULATOR_HOST', 'VISION_EMULATOR_REST', 'STORAGE_EMULATOR_HOST'])
    delete env[k];
  return env;
}

/** An error of a child process: its command, exit status and the end of its stderr. */
export class ChildError extends Error {
  constructor(
    readonly command: string,
    readonly status: string,
    readonly stderrTail: string,
  ) {
    super(`${command} ${status}${stderrTail ? `:\n${stderrTail}` : ''}`);
    this.name = 'ChildError';
  }
}

/** Keeps the last `max` characters written to a stream. */
function tail(child: ChildProcess, max = 4000): () => string {
  let text = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    text = (text + chunk.toString('utf8')).slice(-max);
  });
  return () => text.trim();
}

/**
 * Runs `node [flags] script args…` from the root and resolves when it exits 0
 * (rejects with a {@link ChildError} otherwise). stdout is passed through when
 * `echo` is set; stderr always is, and its end is kept for the error.
 */
export function runNode(
  script: string,
  args: readonly string[],
  options: { flags?: readonly string[]; env?: Record<string, string>; echo?: boolean } = {},
): Promise<void> {
  const child = spawn(process.execPath, [...NODE_FLAGS, ...(options.flags ?? []), script, ...args], {
    cwd: ROOT,
    env: childEnv(options.env),
    stdio: ['ignore', options.echo ? 'inherit' : 'ignore', 'pipe'],
  });
  const stderr = tail(child);
  child.stderr?.on('data', (chunk: Buffer) => process.stderr.write(chunk));
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (code, signal) => {
      if (code === 0) resolve();
      else reject(new ChildError(`node ${script} ${args.join(' ')}`, signal ? `killed by ${signal}` : `exited with ${code}`, stderr()));
    });
  });
}

/** A child that prints a ready line (JSON) first, then answers one stdin line with one stdout line. */
export interface LineChild<Ready> {
  readonly ready: Ready;
  /** Sends `line` and resolves to the next line the child prints. */
  ask(line: string): Promise<string>;
  /** Ends stdin, then SIGTERM after `graceMs`; resolves once the child has exited. */
  stop(graceMs?: number): Promise<void>;
}

/**
 * Starts `node [flags] script args…` whose first stdout line is a JSON ready
 * line (the emulator's contract, and the pending server's), and keeps a line
 * channel to it.
 */
export async function startLineChild<Ready>(
  script: string,
  args: readonly string[],
  options: { flags?: readonly string[]; timeoutMs?: number } = {},
): Promise<LineChild<Ready>> {
  const child = spawn(process.execPath, [...NODE_FLAGS, ...(options.flags ?? []), script, ...args], {
    cwd: ROOT,
    env: childEnv(),
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  const stderr = tail(child);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const lines = createInterface({ input: child.stdout! })[Symbol.asyncIterator]();
  const next = async (what: string): Promise<string> => {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new ChildError(`node ${script}`, `gave no ${what} within ${options.timeoutMs ?? 60_000} ms`, stderr())),
        options.timeoutMs ?? 60_000,
      );
    });
    const died = exited.then(() => {
      throw new ChildError(`node ${script}`, `exited before its ${what} (code ${child.exitCode})`, stderr());
    });
    try {
      const r = await Promise.race([lines.next(), timeout, died]);
      if (r.done) throw new ChildError(`node ${script}`, `closed stdout before its ${what}`, stderr());
      return r.value;
    } finally {
      clearTimeout(timer);
    }
  };
  const ready = JSON.parse(await next('ready line')) as Ready;
  let stopping: Promise<void> | undefined;
  return {
    ready,
    ask: async (line) => {
      child.stdin!.write(`${line}\n`);
      return next(`answer to ${JSON.stringify(line)}`);
    },
    stop: (graceMs = 5000) =>
      (stopping ??= (async () => {
        if (child.exitCode !== null || child.signalCode !== null) return;
        child.stdin!.end();
        child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
        await exited;
        clearTimeout(timer);
      })()),
  };
}
