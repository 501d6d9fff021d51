// The bindings pipeline behind `npm run gen` and `npm run gen:check`.
//
// Steps, each named in its error so a failure reads as one line:
//   locate   find the pinned google-proto-files package
//   export   buf export of the Vision, longrunning and error_details protos
//   build    buf build of the exported tree (no lint: third-party protos)
//   image    buf build to a JSON descriptor image (input of the tables)
//   generate buf generate with ts-proto as a local plugin
//   tables   gen-time tables (schema, services, resources) from the image
// Everything is written below a staging folder given by the caller; nothing
// here touches proto/ or gen/ (see run.mjs for the swap).
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { renderTables } from './tables.mjs';

const run = promisify(execFile);

/** Repository root (two levels above this file). */
export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** The proto paths exported from the package; error_details is named because nothing imports it. */
export const EXPORT_PATHS = [
  'google/cloud/vision/v1p4beta1',
  'google/longrunning',
  'google/rpc/error_details.proto',
];

/** Folder names the pipeline produces, relative to the root (and to a staging folder). */
export const OUTPUTS = ['proto', 'gen'];

/** An error of one pipeline step; `message` is the one-line reason. */
export class GenStepError extends Error {
  /** @param {string} step @param {string} reason */
  constructor(step, reason) {
    super(`gen: step "${step}" failed: ${reason}`);
    this.name = 'GenStepError';
    this.step = step;
  }
}

function firstLine(text) {
  const line = String(text ?? '').split('\n').map((l) => l.trim()).find((l) => l.length > 0);
  return line ?? 'no output';
}

async function step(name, fn) {
  try {
    return await fn();
  } catch (err) {
    if (err instanceof GenStepError) throw err;
    const detail = err && typeof err === 'object' && 'stderr' in err && err.stderr ? err.stderr : err?.message ?? err;
    throw new GenStepError(name, firstLine(detail));
  }
}

function bin(name) {
  const p = join(ROOT, 'node_modules', '.bin', name);
  if (!existsSync(p)) throw new Error(`${p} is missing; run npm ci`);
  return p;
}

/** Finds the pinned proto package; `packageName` can be overridden for tests of the failure path. */
export function locateProtoPackage(packageName = process.env.VISION_KIT_PROTO_PACKAGE ?? 'google-proto-files') {
  const require = createRequire(join(ROOT, 'package.json'));
  let pkgJson;
  try {
    pkgJson = require.resolve(`${packageName}/package.json`);
  } catch {
    throw new Error(`package "${packageName}" is not installed; run npm ci`);
  }
  const dir = dirname(pkgJson);
  for (const p of EXPORT_PATHS) {
    if (!existsSync(join(dir, p))) throw new Error(`package "${packageName}" has no ${p}`);
  }
  return dir;
}

/**
 * Runs every step into `stage` (which must not exist or be empty).
 * Leaves `stage/proto` and `stage/gen`. Returns timings per step in ms.
 */
export async function generate(stage, options = {}) {
  const timings = {};
  const timed = async (name, fn) => {
    const t0 = performance.now();
    const result = await step(name, fn);
    timings[name] = Math.round(performance.now() - t0);
    return result;
  };
  mkdirSync(stage, { recursive: true });
  const protoOut = join(stage, 'proto');
  const genOut = join(stage, 'gen');
  const pkgDir = await timed('locate', () => locateProtoPackage(options.packageName));
  const buf = await timed('locate', () => bin('buf'));
  // buf resolves a directory input against the enclosing workspace of its
  // working directory, so it runs inside the package with input ".".
  await timed('export', () =>
    run(buf, ['export', '.', ...EXPORT_PATHS.flatMap((p) => ['--path', p]), '-o', protoOut], { cwd: pkgDir }),
  );
  await timed('build', () => run(buf, ['build', '.'], { cwd: protoOut }));
  const image = await timed('image', async () => {
    const { stdout } = await run(buf, ['build', '.', '-o', '-#format=json'], {
      cwd: protoOut,
      maxBuffer: 256 * 1024 * 1024,
    });
    return JSON.parse(stdout);
  });
  await timed('generate', async () => {
    bin('protoc-gen-ts_proto');
    const template = options.template ?? process.env.VISION_KIT_GEN_TEMPLATE ?? join(ROOT, 'buf.gen.yaml');
    await run(buf, ['generate', protoOut, '--template', template, '-o', stage], { cwd: ROOT });
    if (!existsSync(genOut)) throw new Error('the plugin wrote no gen/ folder');
  });
  await timed('tables', () => {
    const files = renderTables(image);
    for (const [rel, text] of Object.entries(files)) {
      const out = join(genOut, rel);
      mkdirSync(dirname(out), { recursive: true });
      writeFileSync(out, text);
    }
  });
  return timings;
}

/** Reads a file as text, or undefined when it does not exist. */
export function readText(path) {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
}
