// The bindings pipeline behind `npm run gen` and `npm run gen:check`.
//
// Steps, each named in its error so a failure reads as one line:
//   locate   find the pinned google-proto-files package
//   export   buf export of the Vision, longrunning and error_details protos
//   build    buf build of the exported tree (no lint: third-party protos)
//   image    buf build to a JSON descriptor image (input of the tables)
//   generate buf generate with ts-proto as a local plugin
//   tables   gen-time tables (schema, services, resources) from the image
//   test     the same for the test-only protos of test/protos/ into test/gen/
//            (their imports resolve to proto/; generated imports are pointed
//            at gen/ so nothing of gen/ is generated twice)
//   swap     (run.mjs, swap.mjs) the staged trees moved into place, all or
//            nothing
// Everything is written below a staging folder given by the caller; nothing
// here touches proto/ or gen/ (see run.mjs for the swap).
import { execFile } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { renderTables } from './tables.mjs';

const run = promisify(execFile);

/** Repository root (two levels above this file). */
export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** The proto paths exported from the package; error_details is named because nothing imports it. */
export const EXPORT_PATHS = ['google/cloud/vision/v1p4beta1', 'google/longrunning', 'google/rpc/error_details.proto'];

/** Folder names the pipeline produces, relative to the root (and to a staging folder). */
export const OUTPUTS = ['proto', 'gen', 'test/gen'];

/** The test-only protos (inputs) and the proto package prefix they live under. */
export const TEST_PROTOS = 'test/protos';
const TEST_PROTO_PREFIX = 'vision_kit/';

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
  const line = String(text ?? '')
    .split('\n')
    .map((l) => l.trim())
    .find((l) => l.length > 0);
  return line ?? 'no output';
}

async function step(name, fn) {
  try {
    return await fn();
  } catch (err) {
    if (err instanceof GenStepError) throw err;
    const detail = err && typeof err === 'object' && 'stderr' in err && err.stderr ? err.stderr : (err?.message ?? err);
    throw new GenStepError(name, firstLine(detail));
  }
}

function bin(name) {
  const p = join(ROOT, 'node_modules', '.bin', name);
  if (!existsSync(p)) throw new Error(`${p} is missing; run npm ci`);
  return p;
}

/**
 * Finds the pinned proto package. `packageName` (default: the
 * VISION_KIT_PROTO_PACKAGE variable, else google-proto-files) is an npm
 * package name, or an absolute path to a folder laid out like the package
 * (the pipeline's tests point it at broken fixtures to exercise the failure
 * paths of the later steps).
 */
export function locateProtoPackage(packageName = process.env.VISION_KIT_PROTO_PACKAGE ?? 'google-proto-files') {
  let dir;
  if (isAbsolute(packageName)) {
    if (!existsSync(packageName)) throw new Error(`proto folder ${packageName} does not exist`);
    dir = packageName;
  } else {
    const require = createRequire(join(ROOT, 'package.json'));
    let pkgJson;
    try {
      pkgJson = require.resolve(`${packageName}/package.json`);
    } catch {
      throw new Error(`package "${packageName}" is not installed; run npm ci`);
    }
    dir = dirname(pkgJson);
  }
  for (const p of EXPORT_PATHS) {
    if (!existsSync(join(dir, p))) throw new Error(`package "${packageName}" has no ${p}`);
  }
  return dir;
}

/**
 * The folder of test-only protos: `options.testProtos`, else the
 * VISION_KIT_TEST_PROTOS variable (an absolute path, for the pipeline's
 * tests), else test/protos/.
 */
function testProtosDir(options) {
  return options.testProtos ?? process.env.VISION_KIT_TEST_PROTOS ?? join(ROOT, TEST_PROTOS);
}

/**
 * Runs every step into `stage` (which must not exist or be empty).
 * Leaves `stage/proto`, `stage/gen` and `stage/test/gen`. Returns timings per
 * step in ms. `options` (each defaulting to its environment variable, for
 * tests): `packageName` (see {@link locateProtoPackage}), `template` (a
 * buf.gen.yaml path or its JSON text; VISION_KIT_GEN_TEMPLATE) and
 * `testProtos` (VISION_KIT_TEST_PROTOS).
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
  await timed('export', () => run(buf, ['export', '.', ...EXPORT_PATHS.flatMap((p) => ['--path', p]), '-o', protoOut], { cwd: pkgDir }));
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
  await timed('tables', () => writeFiles(genOut, renderTables(image)));
  await timed('test', () => generateTestProtos(stage, buf, options));
  return timings;
}

function writeFiles(dir, files) {
  for (const [rel, text] of Object.entries(files)) {
    const out = join(dir, rel);
    mkdirSync(dirname(out), { recursive: true });
    writeFileSync(out, text);
  }
}

function listTs(dir) {
  return readdirSync(dir).flatMap((e) => {
    const p = join(dir, e);
    return statSync(p).isDirectory() ? listTs(p) : p.endsWith('.ts') ? [p] : [];
  });
}

async function generateTestProtos(stage, buf, options) {
  const src = testProtosDir(options);
  const work = join(stage, '.test-protos');
  const outRoot = join(stage, 'test');
  const out = join(outRoot, 'gen');
  cpSync(join(stage, 'proto'), work, { recursive: true });
  cpSync(src, work, { recursive: true });
  await run(buf, ['build', '.'], { cwd: work });
  const { stdout } = await run(buf, ['build', '.', '-o', '-#format=json'], { cwd: work, maxBuffer: 256 * 1024 * 1024 });
  const image = JSON.parse(stdout);
  const template = options.template ?? process.env.VISION_KIT_GEN_TEMPLATE ?? join(ROOT, 'buf.gen.yaml');
  await run(buf, ['generate', work, '--path', join(work, TEST_PROTO_PREFIX), '--template', template, '-o', outRoot], {
    cwd: ROOT,
  });
  // ts-proto also emits the imported files, which gen/ already holds: drop
  // them and point the imports of the test files at gen/ instead.
  for (const entry of readdirSync(out)) {
    if (entry !== TEST_PROTO_PREFIX.replace('/', '')) rmSync(join(out, entry), { recursive: true, force: true });
  }
  const genDir = join(stage, 'gen');
  for (const file of listTs(out)) {
    const text = readFileSync(file, 'utf8');
    const fixed = text.replace(/from "(\.{1,2}\/[^"]+)"/g, (whole, spec) => {
      const target = resolve(dirname(file), spec);
      const rel = relative(out, target);
      if (rel.startsWith('..') || rel.startsWith(TEST_PROTO_PREFIX.replace('/', sep))) return whole;
      if (!existsSync(join(genDir, rel).replace(/\.js$/, '.ts'))) {
        throw new Error(`test proto import ${spec} in ${relative(stage, file)} is in neither test/gen nor gen`);
      }
      let next = relative(dirname(file), join(genDir, rel)).split(sep).join('/');
      if (!next.startsWith('.')) next = `./${next}`;
      return `from "${next}"`;
    });
    if (fixed !== text) writeFileSync(file, fixed);
  }
  const typesFrom = relative(join(out, 'schema'), join(genDir, 'schema')).split(sep).join('/');
  writeFiles(out, renderTables(image, { onlyPrefix: TEST_PROTO_PREFIX, typesFrom }));
  rmSync(work, { recursive: true, force: true });
}

/** Reads a file as text, or undefined when it does not exist. */
export function readText(path) {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
}
