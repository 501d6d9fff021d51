/**
 * Helpers of the pipeline's failure-path tests: scratch output folders
 * holding copies of the committed trees, digests to prove a run left them
 * alone, fixture proto packages, and running the gen scripts as `npm run`
 * would (a child process with extra environment variables).
 */
import { execFile } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { promisify } from 'node:util';
import { OUTPUTS } from '../../scripts/gen/vision.js';
import { listFiles as listRelative } from '../../tools/src/gen/diff-trees.js';
import { SOURCE_FLAGS } from '../support/source-flags.js';

const run = promisify(execFile);

/** The repository root. */
export const ROOT = join(import.meta.dirname, '..', '..');

/** The trees `npm run gen` writes. */
export { OUTPUTS };

/** Every file below `dir`, absolute paths, sorted (the pipeline's own walker). */
export function listFiles(dir: string): string[] {
  return listRelative(dir).map((f) => join(dir, f));
}

/** A fresh temporary folder (the caller removes it). */
export function scratch(prefix: string): string {
  return mkdtempSync(join(tmpdir(), `vision-kit-${prefix}-`));
}

/** A scratch output folder holding copies of the committed proto/, gen/ and test/gen/. */
export function copyOfTrees(): string {
  const out = scratch('gen-out');
  for (const name of OUTPUTS) cpSync(join(ROOT, name), join(out, name), { recursive: true });
  return out;
}

/**
 * Every file of `out` (paths and contents) and the top-level entries, as
 * one string: equal before and after a run iff the run changed nothing
 * (no tree replaced, no staging or `.gen-old-*` folder left behind).
 */
export function digest(out: string): string {
  const top = readdirSync(out).sort().join(',');
  const files = listFiles(out)
    .map((f) => `${relative(out, f)}:${readFileSync(f, 'utf8')}`)
    .sort();
  return `${top}\n${files.join('\n')}`;
}

/** Writes `files` (relative path → text) below `dir`. */
export function writeTree(dir: string, files: Readonly<Record<string, string>>): void {
  for (const [rel, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, rel)), { recursive: true });
    writeFileSync(join(dir, rel), text);
  }
}

/**
 * A folder laid out like google-proto-files with the three paths the
 * pipeline exports, each a tiny valid proto; `override` replaces or adds
 * files (to break one). Pass the folder as VISION_KIT_PROTO_PACKAGE.
 */
export function fixtureProtoPackage(override: Readonly<Record<string, string>> = {}): string {
  const dir = scratch('proto-package');
  writeTree(dir, {
    'google/cloud/vision/v1p4beta1/vision.proto':
      'syntax = "proto3";\npackage google.cloud.vision.v1p4beta1;\nimport "google/longrunning/operations.proto";\nmessage Image { string name = 1; }\n',
    'google/longrunning/operations.proto': 'syntax = "proto3";\npackage google.longrunning;\nmessage Operation { string name = 1; }\n',
    'google/rpc/error_details.proto': 'syntax = "proto3";\npackage google.rpc;\nmessage ErrorInfo { string reason = 1; }\n',
    ...override,
  });
  return dir;
}

/** How a gen script ended. */
export interface ScriptResult {
  readonly code: number;
  readonly stderr: string;
}

/** Runs `scripts/gen/<script>` from the root as `npm run gen` / `gen:check` do, with `env` added; never rejects. */
export async function runGenScript(script: 'run.ts' | 'check.ts', env: Readonly<Record<string, string>>): Promise<ScriptResult> {
  try {
    const { stderr } = await run(process.execPath, [...SOURCE_FLAGS, join('scripts', 'gen', script)], {
      cwd: ROOT,
      env: { ...process.env, ...env },
    });
    return { code: 0, stderr };
  } catch (err) {
    const e = err as { code: number; stderr: string };
    return { code: e.code, stderr: e.stderr };
  }
}
