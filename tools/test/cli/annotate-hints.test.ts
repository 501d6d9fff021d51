// `vision-kit annotate` telling the user what to do: an --endpoint where
// nothing listens is named as such (not as a missing STORAGE_EMULATOR_HOST),
// and ML-only features the emulator answered with nothing get a one-line hint
// about --fixtures.
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cleanEnv, closedPort, lines, ROOT, runFile } from '../../../test/cli/support/run-cli.js';
import { SOURCE_FLAGS } from '../../../test/support/source-flags.js';
import { fixturesHint } from '../../src/annotate/run-annotate.js';
import type { ImageSummary } from '../../src/workflow/image-summary.js';

/** Runs the CLI from its TypeScript sources (no build needed) with a clean environment. */
function cliSource(args: readonly string[], env: Record<string, string> = {}) {
  return runFile(process.execPath, [...SOURCE_FLAGS, join(ROOT, 'src/cli/run.ts'), ...args], { cwd: ROOT, env: cleanEnv(env) });
}

function summary(others: Record<string, number>, error?: { code: number; message: string }): { result: { summary: ImageSummary } } {
  return { result: { summary: { colors: [], cropHints: [], products: [], others, ...(error ? { error } : {}) } } };
}

const EMBEDDED_HINT =
  'hint: the emulator does not compute LABEL_DETECTION; it answers it only from fixtures: ' +
  'run "vision-kit emulator --fixtures DIR" and point --endpoint at it (node_modules/vision-kit/docs/emulator.md, "Fixtures")';

describe('vision-kit annotate hints', function () {
  this.timeout(60_000);
  let work: string;
  before(async () => {
    work = await mkdtemp(join(tmpdir(), 'vk-annotate-hints-'));
  });
  after(async () => {
    await rm(work, { recursive: true, force: true });
  });

  it('an --endpoint where nothing listens (no STORAGE_EMULATOR_HOST): says so in one line, exit 1', async () => {
    const port = await closedPort();
    const run = await cliSource(['annotate', 'samples/flag.png', '--endpoint', `127.0.0.1:${port}`, '--data-dir', join(work, 'd1')]);
    assert.equal(run.code, 1, run.stderr);
    assert.equal(run.stdout, '');
    assert.equal(
      run.stderr,
      `vision-kit: cannot reach the emulator at 127.0.0.1:${port}: nothing listens there; ` +
        `start one with "vision-kit emulator --grpc-port ${port}", or leave out --endpoint for an embedded emulator\n`,
    );
  });

  it('VISION_EMULATOR_HOST where nothing listens: names the variable instead of --endpoint', async () => {
    const port = await closedPort();
    const run = await cliSource(['annotate', 'samples/flag.png', '--data-dir', join(work, 'd2')], {
      VISION_EMULATOR_HOST: `127.0.0.1:${port}`,
    });
    assert.equal(run.code, 1, run.stderr);
    assert.equal(
      run.stderr,
      `vision-kit: cannot reach the emulator at 127.0.0.1:${port}: nothing listens there; ` +
        `start one with "vision-kit emulator --grpc-port ${port}", or leave out VISION_EMULATOR_HOST for an embedded emulator\n`,
    );
  });

  it('LABEL_DETECTION on the embedded emulator: the report says (no annotations), stderr ends with the --fixtures hint, exit 0', async () => {
    const run = await cliSource(['annotate', 'samples/flag.png', '--features', 'LABEL_DETECTION', '--data-dir', join(work, 'd3')]);
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stdout, /^ {2}\(no annotations\)$/m);
    const err = lines(run.stderr);
    assert.equal(err.at(-1), EMBEDDED_HINT);
    assert.equal(err.filter((l) => l.startsWith('hint:')).length, 1, run.stderr);
  });

  it('fixturesHint: only for an emulator, ML-only features, and no answered image holding any of them', () => {
    const features = ['LABEL_DETECTION'];
    assert.equal(fixturesHint({ features, target: 'embedded', images: [summary({})] }), EMBEDDED_HINT);
    assert.equal(
      fixturesHint({ features: ['IMAGE_PROPERTIES', 'LABEL_DETECTION', 'TEXT_DETECTION'], target: 'emulator', images: [summary({})] }),
      'hint: the emulator does not compute LABEL_DETECTION, TEXT_DETECTION; it answers them only from fixtures: ' +
        'start that emulator with --fixtures DIR (node_modules/vision-kit/docs/emulator.md, "Fixtures")',
    );
    // Google computes everything; computed features need no fixtures.
    assert.equal(fixturesHint({ features, target: 'google', images: [summary({})] }), undefined);
    assert.equal(
      fixturesHint({ features: ['IMAGE_PROPERTIES', 'CROP_HINTS', 'PRODUCT_SEARCH'], target: 'embedded', images: [summary({})] }),
      undefined,
    );
    // A fixture answered for one image: the feature works, no hint.
    assert.equal(fixturesHint({ features, target: 'embedded', images: [summary({}), summary({ labelAnnotations: 2 })] }), undefined);
    // Only failed images: their errors say what went wrong, no hint.
    assert.equal(fixturesHint({ features, target: 'embedded', images: [summary({}, { code: 3, message: 'bad image' })] }), undefined);
  });
});
