/**
 * Runs rest-answer-child.ts in its own `node` process with a heap cap and a
 * time limit, and hands back its report, or how it died (exit code, signal,
 * the end of its stderr): a client that reads a hostile answer without
 * bound fails there, not in the test runner.
 */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { SOURCE_FLAGS } from '../../support/source-flags.js';
import type { ChildReport } from './rest-answer-child.js';

const CHILD = fileURLToPath(new URL('./rest-answer-child.ts', import.meta.url));

/** What the child did: its report, or why there is none. */
export type ChildOutcome = { readonly ok: true; readonly report: ChildReport } | { readonly ok: false; readonly why: string };

/** Runs the child against `baseUrl` for each id, with `--max-old-space-size=<heapMb>`, killed after `timeoutMs`. */
export function runAnswerChild(baseUrl: string, ids: readonly string[], heapMb: number, timeoutMs: number): Promise<ChildOutcome> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [...SOURCE_FLAGS, `--max-old-space-size=${heapMb}`, '--expose-gc', CHILD, baseUrl, ...ids], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (c: string) => {
      stdout += c;
    });
    child.stderr.setEncoding('utf8').on('data', (c: string) => {
      stderr = (stderr + c).slice(-4000);
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      const line = stdout.trim().split('\n').pop() ?? '';
      if (code === 0 && line.startsWith('{')) resolve({ ok: true, report: JSON.parse(line) as ChildReport });
      else resolve({ ok: false, why: `the client exited with ${signal ?? code}: ${stderr.trim().slice(-1500)}` });
    });
  });
}
