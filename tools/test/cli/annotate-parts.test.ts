/** The parts of `vision-kit annotate` that need no server: inputs, upload names, options, progress line, report text. */
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CliError } from 'vision-kit/cli';
import { ROOT } from '../../../test/cli/support/run-cli.js';
import type { AnnotateCommandOptions } from '../../src/annotate/annotate-options.js';
import { planAnnotate, runStamp } from '../../src/annotate/annotate-options.js';
import { sniffImageType } from '../../src/annotate/image-type.js';
import { collectInputs, type LocalImage, uploadNames } from '../../src/annotate/inputs.js';
import { formatProgressLine } from '../../src/annotate/progress-bar.js';
import { oneLine } from '../../src/annotate/report.js';

const defaults: AnnotateCommandOptions = { features: 'IMAGE_PROPERTIES,CROP_HINTS', batchSize: '20', dataDir: '.vision-emulator' };

describe('cli: annotate parts', () => {
  let dir: string;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'vk-parts-'));
    const png = await readFile(join(ROOT, 'samples/flag.png'));
    await mkdir(join(dir, 'photos/nested'), { recursive: true });
    await mkdir(join(dir, 'photos/.hidden'), { recursive: true });
    await mkdir(join(dir, 'photos/node_modules'), { recursive: true });
    await writeFile(join(dir, 'photos/b.png'), png);
    await writeFile(join(dir, 'photos/a.PNG'), png);
    await writeFile(join(dir, 'photos/nested/c.png'), png);
    await writeFile(join(dir, 'photos/.hidden/d.png'), png);
    await writeFile(join(dir, 'photos/node_modules/e.png'), png);
    await writeFile(join(dir, 'photos/notes.txt'), 'text');
    await writeFile(join(dir, 'photos/.e.png'), png);
  });
  after(() => rm(dir, { recursive: true, force: true }));

  it('expands folders recursively in name order, skipping hidden entries, node_modules and non-image names; keeps command-line order; no repeats', async () => {
    const inputs = await collectInputs(['photos/nested/c.png', 'photos', 'gs://bucket/x.png', 'gs://bucket/folder/'], dir);
    assert.deepEqual(
      inputs.map((i) => i.label),
      ['photos/nested/c.png', 'photos/a.PNG', 'photos/b.png', 'gs://bucket/x.png', 'gs://bucket/folder/'],
    );
    assert.deepEqual(
      inputs.slice(3).map((i) => i.kind === 'gs' && i.folder),
      [false, true],
    );
    assert.equal((inputs[0] as LocalImage).contentType, 'image/png');
  });

  it('refuses what it cannot annotate with a CliError naming the input', async () => {
    await writeFile(join(dir, 'empty.png'), '');
    await writeFile(join(dir, 'doc.pdf'), '%PDF-1.7\n');
    const cases: [string[], RegExp][] = [
      [[], /no images given/],
      [['nope/'], /^nope\/: no such file or folder$/],
      [['empty.png'], /empty\.png: the file is empty/],
      [['doc.pdf'], /doc\.pdf: a PDF; .*AsyncBatchAnnotateFiles/],
      [['photos/notes.txt'], /not an image Vision reads/],
      [['ftp://host/x.png'], /only local paths and gs:\/\/ URIs/],
      [['gs://Bad_Bucket/x.png'], /^gs:\/\/Bad_Bucket\/x\.png: bucket name/],
      [['gs://bucket/a/../x.png'], /"\.\." segment/],
    ];
    for (const [args, says] of cases) {
      await assert.rejects(
        collectInputs(args, dir),
        (err: unknown) => err instanceof CliError && err.exitCode === 2 && says.test(err.message),
      );
    }
  });

  it('sniffs image types by magic bytes, not names', () => {
    assert.equal(sniffImageType(new Uint8Array([0xff, 0xd8, 0xff, 0xe0]))?.contentType, 'image/jpeg');
    assert.equal(sniffImageType(new TextEncoder().encode('RIFF\0\0\0\0WEBPVP8 '))?.name, 'WebP');
    assert.equal(sniffImageType(new TextEncoder().encode('GIF89a....'))?.contentType, 'image/gif');
    assert.equal(sniffImageType(new TextEncoder().encode('<svg xmlns="http://www.w3.org/2000/svg"/>')), undefined);
    assert.equal(sniffImageType(new TextEncoder().encode('%PDF-1.4'))?.image, false);
  });

  it('names uploads after the relative path, safe for Cloud Storage, without clashes', () => {
    const image = (label: string, path = `/abs/${label}`): LocalImage => ({
      kind: 'local',
      label,
      path,
      bytes: new Uint8Array(),
      contentType: 'image/png',
    });
    assert.deepEqual(
      uploadNames(
        [image('samples/flag.png'), image('/elsewhere/flag.png', '/elsewhere/flag.png'), image('flag.png'), image('100%.png')],
        'run/inputs/',
      ),
      ['run/inputs/samples/flag.png', 'run/inputs/flag.png', 'run/inputs/flag-2.png', 'run/inputs/100_.png'],
    );
  });

  it('plans the options: defaults, features, output, batch size, transport, product search', () => {
    const plan = planAnnotate(defaults, new Date('2025-06-01T09:30:00.000Z'));
    assert.deepEqual(plan.features, ['IMAGE_PROPERTIES', 'CROP_HINTS']);
    assert.equal(plan.outputUri, 'gs://vision-kit-out/2025-06-01T09-30-00.000Z/');
    assert.deepEqual(plan.destination, { bucket: 'vision-kit-out', folder: '2025-06-01T09-30-00.000Z/', filePrefix: '' });
    assert.equal(plan.outputGiven, false);
    assert.equal(plan.batchSize, 20);
    const product = planAnnotate({
      ...defaults,
      productSet: 'projects/p/locations/us-west1/productSets/s',
      productCategory: 'toys-v2',
      transport: 'REST',
      output: 'gs://b-b/r/x-',
    });
    assert.deepEqual(product.features, ['IMAGE_PROPERTIES', 'CROP_HINTS', 'PRODUCT_SEARCH']);
    assert.deepEqual(product.productSearch, { productSet: 'projects/p/locations/us-west1/productSets/s', productCategories: ['toys-v2'] });
    assert.equal(product.transport, 'rest');
    assert.equal(product.destination.filePrefix, 'x-');
    for (const bad of [
      { batchSize: '1.5' },
      { batchSize: '' },
      { output: 'gs://bucket/a//b/' },
      { productSet: 'sets/s' },
      { features: 'CROP' },
    ]) {
      assert.throws(() => planAnnotate({ ...defaults, ...bad }), CliError, JSON.stringify(bad));
    }
    assert.equal(runStamp(new Date('2025-01-02T03:04:05.678Z')), '2025-01-02T03-04-05.678Z');
  });

  it('writes one progress line with state, files so far and elapsed time; messages as one line', () => {
    assert.equal(
      formatProgressLine({ operation: 'operations/42', state: 'RUNNING' }, 1, 4, 1234, 8),
      'operations/42 RUNNING [##------] 1/4 output files  1.2 s',
    );
    assert.equal(oneLine('bad image\n  VipsJpeg: premature end\nVipsJpeg: premature end\n'), 'bad image; VipsJpeg: premature end');
    assert.equal(oneLine('x'.repeat(500)).length, 400);
  });
});
