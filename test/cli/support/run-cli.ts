/** Runs the built `vision-kit` command (bin/vision-kit.js → dist/vision-kit.js) as a child process. */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root. */
export const ROOT = fileURLToPath(new URL('../../..', import.meta.url));
/** The command's entry. */
export const BIN = join(ROOT, 'bin/vision-kit.js');

/** What a run printed and how it ended. */
export interface CliRun {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Throws unless the CLI bundle exists. */
export function requireBuild(): void {
  if (!existsSync(join(ROOT, 'dist/vision-kit.js'))) throw new Error('dist/vision-kit.js is missing: run `npm run build` first');
}

/** The environment without emulator variables or credentials, plus `extra`. */
export function cleanEnv(extra: Record<string, string> = {}): Record<string, string> {
  const base: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env)) {
    if (v === undefined || k.startsWith('VISION_EMULATOR') || k === 'STORAGE_EMULATOR_HOST' || k === 'GOOGLE_APPLICATION_CREDENTIALS')
      continue;
    base[k] = v;
  }
  return { ...base, METADATA_SERVER_DETECTION: 'none', NO_COLOR: '1', ...extra };
}

/** Runs `file args…` in `cwd`. */
export function runFile(
  file: string,
  args: readonly string[],
  options: { cwd?: string; env?: Record<string, string>; timeout?: number } = {},
): Promise<CliRun> {
  return new Promise((resolve) => {
    execFile(
      file,
      [...args],
      { cwd: options.cwd ?? ROOT, env: options.env ?? cleanEnv(), timeout: options.timeout ?? 30_000, maxBuffer: 16 * 1024 * 1024 },
      (err, stdout, stderr) => {
        const code = err === null ? 0 : typeof err.code === 'number' ? err.code : -1;
        resolve({ code, stdout, stderr });
      },
    );
  });
}

/** Runs `vision-kit args…` in `cwd` with a clean environment (plus `env`). */
export function cli(args: readonly string[], options: { cwd?: string; env?: Record<string, string> } = {}): Promise<CliRun> {
  return runFile(process.execPath, [BIN, ...args], { cwd: options.cwd, env: cleanEnv(options.env) });
}

/** A loopback port nothing listens on (bound, then released). */
export async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** The lines of `text` without the trailing empty one. */
export function lines(text: string): string[] {
  return text.replace(/\n$/, '').split('\n');
}
