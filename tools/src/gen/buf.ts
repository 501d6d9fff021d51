/**
 * The two buf commands the generator runs, both offline on a folder of
 * .proto files: `buf build` to a JSON descriptor image (the compiler's view
 * of every file, with source comments, which ts-proto and the tables read),
 * and `buf generate` with ts-proto as a local plugin on that image.
 */
import { execFile } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { promisify } from 'node:util';
import type { DescriptorImage } from './descriptor-image.js';
import type { Command } from './tool-paths.js';

const exec = promisify(execFile);
const MAX_BUFFER = 512 * 1024 * 1024;

/**
 * Compiles every .proto file of `dir` (a proto root) into a JSON image. Runs
 * in `dir` with the input `.`, so the folder is its own module whatever
 * buf.yaml may sit above it. A compile error rejects with buf's stderr
 * (`file:line:column: …` first).
 */
export async function bufBuild(buf: Command, dir: string): Promise<DescriptorImage> {
  const { stdout } = await exec(buf[0]!, [...buf.slice(1), 'build', '.', '-o', '-#format=json'], { cwd: dir, maxBuffer: MAX_BUFFER });
  return JSON.parse(stdout) as DescriptorImage;
}

/** Every file below `dir` by path relative to it (`/` separators) with its text. */
function readTree(dir: string): Map<string, string> {
  const out = new Map<string, string>();
  const visit = (d: string): void => {
    for (const entry of readdirSync(d).sort()) {
      const p = join(d, entry);
      if (statSync(p).isDirectory()) visit(p);
      else out.set(relative(dir, p).split(sep).join('/'), readFileSync(p, 'utf8'));
    }
  };
  visit(dir);
  return out;
}

/**
 * Runs `plugin` (ts-proto) with `options` on every file of the JSON image
 * `imageFile` through `buf generate`, into `outDir`; resolves to the files
 * it wrote (path → text).
 */
export async function bufGenerate(
  buf: Command,
  imageFile: string,
  plugin: Command,
  options: readonly string[],
  outDir: string,
): Promise<Map<string, string>> {
  const template = JSON.stringify({ version: 'v2', plugins: [{ local: plugin, out: 'ts', strategy: 'all', opt: options }] });
  mkdirSync(outDir, { recursive: true });
  await exec(buf[0]!, [...buf.slice(1), 'generate', imageFile, '--template', template, '-o', outDir], {
    cwd: outDir,
    maxBuffer: MAX_BUFFER,
  });
  const ts = join(outDir, 'ts');
  try {
    statSync(ts);
  } catch {
    throw new Error('the plugin wrote no files');
  }
  return readTree(ts);
}
