/**
 * The README's quick start, run as written (`npx vision-kit annotate …`,
 * through npm's own npx, offline, resolving the project's bin) from a temp
 * copy of the samples in a temp working directory, so the docs cannot rot:
 * it must annotate every sample and print colors and output files. When the
 * README shows what the command prints, the real output must say the same
 * (timestamps, operation ids and timings aside).
 */
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { cp, mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { type CliRun, cleanEnv, lines, ROOT, requireBuild, runFile } from '../cli/support/run-cli.js';

/** The quick start section of README.md. */
async function quickStart(): Promise<string> {
  const readme = await readFile(join(ROOT, 'README.md'), 'utf8');
  const m = /^## Quick start\n([\s\S]*?)(?=^## )/m.exec(readme);
  assert.ok(m, 'README.md has a "## Quick start" section');
  return m[1]!;
}

/** The quick start's `npx vision-kit annotate …` command, as its argument list. */
function commandOf(section: string): string[] {
  const m = /npx vision-kit (annotate[^#&|;\n`]*)/.exec(section);
  assert.ok(m, 'the quick start runs "npx vision-kit annotate …"');
  return m[1]!.trim().split(/\s+/);
}

/** The fenced block after the command that shows what it prints, if the README has one. */
function shownOutput(section: string): string[] | undefined {
  const blocks = [...section.matchAll(/```[a-z]*\n([\s\S]*?)```/g)].map((b) => b[1]!);
  const shown = blocks.find((b) => /^Output files \(/m.test(b));
  return shown === undefined ? undefined : lines(shown);
}

/** Output with the parts that change from run to run replaced. */
function normalize(line: string): string {
  return line
    .replace(/\d{4}-\d\d-\d\dT\d\d-\d\d-\d\d\.\d{3}Z/g, '<time>')
    .replace(/operations\/[0-9a-z]+/g, 'operations/<id>')
    .replace(/\d+\.\d s\b/g, '<s> s')
    .replace(/…/g, '...')
    .trimEnd();
}

function npx(): string {
  const beside = join(dirname(process.execPath), 'npx');
  return existsSync(beside) ? beside : 'npx';
}

describe('cli: the README quick start, as written', function () {
  this.timeout(60_000);
  let cwd: string;
  let run: CliRun;
  let section: string;

  before(async () => {
    requireBuild();
    section = await quickStart();
    cwd = await mkdtemp(join(tmpdir(), 'vk-quickstart-'));
    await cp(join(ROOT, 'samples'), join(cwd, 'samples'), { recursive: true });
    // npx of this checkout's own bin (what `npx vision-kit` finds in the project), offline: no registry is asked.
    run = await runFile(npx(), ['--offline', '--no-install', '--prefix', ROOT, 'vision-kit', ...commandOf(section)], {
      cwd,
      env: cleanEnv({ npm_config_update_notifier: 'false', npm_config_fund: 'false', npm_config_audit: 'false' }),
      timeout: 45_000,
    });
  });
  after(async () => {
    if (cwd) await rm(cwd, { recursive: true, force: true });
  });

  it('annotates every sample and prints their colors and output files (gs:// URI and local path)', async () => {
    assert.equal(run.code, 0, run.stderr);
    const samples = (await readdir(join(cwd, 'samples'))).sort();
    assert.equal(samples.length, 3);
    for (const name of samples) {
      const at = run.stdout.indexOf(`samples/${name}`);
      assert.ok(at >= 0, `samples/${name} in:\n${run.stdout}`);
      assert.match(run.stdout.slice(at), /\n {2}color +#[0-9a-f]{6} /);
    }
    assert.match(run.stdout, /samples\/flag\.png[^\n]*\n {2}color +#[0-9a-f]{6} {2}red +7\d\.\d % of pixels/);
    const out = lines(run.stdout);
    const uris = out.filter((l) => /^ {2}gs:\/\/\S+\/output-\d+-to-\d+\.json$/.test(l));
    assert.ok(uris.length >= 1, run.stdout);
    for (const uri of uris) {
      const path = out[out.indexOf(uri) + 1]!.trim();
      assert.ok(existsSync(resolve(cwd, path)), `${path} exists (relative to the working directory)`);
      assert.ok(path.startsWith('.vision-emulator/gcs/'), path);
    }
    assert.ok(existsSync(join(cwd, '.vision-emulator')), 'the default data dir is ./.vision-emulator');
  });

  it('prints what the README shows it prints', function () {
    const shown = shownOutput(section);
    if (shown === undefined) this.skip(); // the README shows no output block yet
    const actual = lines(run.stdout).map(normalize);
    for (const line of shown!.map(normalize)) {
      if (line.includes('...') && !line.trim().startsWith('...')) {
        // An elided line ("gs://…/output-1-to-3.json"): its two ends must be on one actual line.
        const [head, tail] = line.split('...');
        assert.ok(
          actual.some((a) => a.startsWith(head!) && a.endsWith(tail!)),
          `README line ${JSON.stringify(line)} in:\n${actual.join('\n')}`,
        );
      } else {
        assert.ok(actual.includes(line), `README line ${JSON.stringify(line)} in:\n${actual.join('\n')}`);
      }
    }
  });
});
