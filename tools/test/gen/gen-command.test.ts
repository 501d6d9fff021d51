/**
 * `vision-kit gen` as a user runs it: the library's `vision-kit` command
 * hands it to vision-kit-tools (child processes on the sources). Results and
 * the methods left out go to stderr; a failure is one line (exit 1); a usage
 * error exits 2; `--check` exits 1 and lists the files that differ.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { appendFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { shelfProject } from './support/shelf-protos.js';

const ROOT = join(import.meta.dirname, '..', '..', '..');
const RUN = join(ROOT, 'src', 'cli', 'run.ts');
/** The sources' flags (test/support/source-flags.ts) with tsx found from the repository, since the command runs in a folder of its own. */
const FLAGS = ['--import', pathToFileURL(join(ROOT, 'node_modules', 'tsx', 'dist', 'loader.mjs')).href, '--conditions=vision-kit-source'];

/** Runs `vision-kit args…` (the library's entry, from source) in `cwd`. */
function visionKit(args: readonly string[], cwd: string): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [...FLAGS, RUN, ...args], { cwd, timeout: 90_000 }, (err, stdout, stderr) => {
      resolve({ code: err === null ? 0 : typeof err.code === 'number' ? err.code : -1, stdout, stderr });
    });
  });
}

const lines = (text: string): string[] => text.split('\n').filter((l) => l !== '');

describe('vision-kit gen (the command, handed to vision-kit-tools)', function () {
  this.timeout(120_000);
  let project: string;
  before(() => {
    project = shelfProject();
  });
  after(() => rmSync(project, { recursive: true, force: true }));

  it('is listed by --help with its arguments, and its own help names its options', async () => {
    const [top, own] = await Promise.all([visionKit(['--help'], project), visionKit(['gen', '--help'], project)]);
    assert.equal(top.code, 0, top.stderr);
    assert.match(top.stdout, /gen <inputs and options\.\.\.>\s+generate typed bindings/);
    assert.equal(own.code, 0, own.stderr);
    assert.match(own.stdout, /^Usage: vision-kit gen \[options\] <inputs\.\.\.>/);
    for (const option of ['--out', '--include', '--protos-out', '--check']) assert.ok(own.stdout.includes(option), option);
  });

  it('writes the bindings, says which method it left out and what it wrote; --check passes, then fails on an edit', async () => {
    const run = await visionKit(['gen', 'protos', '--out', 'src/gen'], project);
    assert.equal(run.code, 0, run.stderr);
    const [left, unrouted, wrote, ...rest] = lines(run.stderr);
    assert.equal(left, 'gen: left out acme.shelf.v1.Shelf.WatchBooks (server streaming; the clients and the serving layer are unary)');
    assert.match(
      unrouted!,
      /^gen: warning: acme\.shelf\.v1\.Shelf returns long-running operations, but no --service-config names it: over REST its clients poll where Vision keeps its operations \(GET \/v1\/\{name=operations\/\*\}.*give its service config/,
    );
    assert.match(wrote!, /^gen: wrote 8 files to src\/gen in \d+ ms$/);
    assert.deepEqual(rest, []);
    assert.equal(run.stdout, '');

    const ok = await visionKit(['gen', 'protos', '--out', 'src/gen', '--check'], project);
    assert.equal(ok.code, 0, ok.stderr);
    assert.equal(lines(ok.stderr).at(-1), 'gen --check: src/gen is up to date (8 files)');

    appendFileSync(join(project, 'src/gen/acme/shelf/v1/book.ts'), '// edited\n');
    const stale = await visionKit(['gen', 'protos', '--out', 'src/gen', '--check'], project);
    assert.equal(stale.code, 1, stale.stderr);
    // After the left-out method and the unrouted-operations warning, which --check gives too:
    assert.deepEqual(lines(stale.stderr).slice(2), [
      'gen --check: src/gen differs from a fresh generation (1 files); run vision-kit gen without --check:',
      '  changed  src/gen/acme/shelf/v1/book.ts',
    ]);
  });

  it('reports a failure in one line (exit 1) and a usage error with exit 2', async () => {
    const [failed, misspelt, usage] = await Promise.all([
      visionKit(['gen', 'google/cloud/nothing/v9', '--out', 'elsewhere'], project),
      visionKit(['gen', 'google/cloud/spech/v1', 'protos/', '--out', 'elsewhere'], project),
      visionKit(['gen', 'protos'], project),
    ]);
    assert.equal(failed.code, 1, failed.stderr);
    assert.deepEqual(lines(failed.stderr), [
      `vision-kit: gen: step "locate" failed: google/cloud/nothing/v9: no such folder or .proto file here (${project}) nor in the googleapis protos`,
    ]);
    // A misspelt segment near one name gets it offered; the inputs' own folders are searched too.
    assert.equal(misspelt.code, 1, misspelt.stderr);
    assert.deepEqual(lines(misspelt.stderr), [
      `vision-kit: gen: step "locate" failed: google/cloud/spech/v1: no such folder or .proto file here (${project}) nor in protos/, the googleapis protos; did you mean google/cloud/speech/v1?`,
    ]);
    assert.equal(usage.code, 2, usage.stderr);
    assert.match(usage.stderr, /required option '-o, --out <dir>' not specified/);
  });
});
