/**
 * `vision-kit annotate` as a child process (the built bin): the embedded
 * emulator over both transports, the per-image summary, output files as
 * gs:// URIs and local files that parse, `--json`, gs:// inputs, an
 * emulator already running, and every kind of bad input (one clear line,
 * non-zero exit, no stack trace unless --verbose).
 */
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { cp, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createClient, createGrpcTransport, ProductSearch } from 'vision-kit';
import { messageFromJsonText } from 'vision-kit/codec';
import { BIN, cli, closedPort, lines, ROOT, requireBuild, runFile } from '../../../test/cli/support/run-cli.js';
import { type RunningEmulator, startEmulator } from '../../src/emulator/emulator.js';

interface ImageSection {
  readonly header: string;
  readonly body: string[];
}

/** Splits the text report into image sections and output-file pairs. */
function parseReport(stdout: string): { images: Map<string, ImageSection>; files: { uri: string; path: string }[] } {
  const all = lines(stdout);
  const cut = all.findIndex((l) => l.startsWith('Output files ('));
  assert.ok(cut > 0, `an "Output files" section:\n${stdout}`);
  const images = new Map<string, ImageSection>();
  let current: ImageSection | undefined;
  for (const line of all.slice(0, cut)) {
    if (line === '') continue;
    if (!line.startsWith(' ')) {
      current = { header: line, body: [] };
      images.set(line.split('  (')[0]!, current);
    } else current?.body.push(line);
  }
  const files: { uri: string; path: string }[] = [];
  const rest = all.slice(cut + 1);
  for (let i = 0; i + 1 < rest.length; i += 2) files.push({ uri: rest[i]!.trim(), path: rest[i + 1]!.trim() });
  return { images, files };
}

/** The share (%) a color line reports for a color name. */
function share(section: ImageSection, name: string): number {
  const line = section.body.find((l) => new RegExp(`^  color .*#[0-9a-f]{6}  ${name} +[\\d.]+ %`).test(l));
  assert.ok(line, `a ${name} line in:\n${section.body.join('\n')}`);
  return Number(/([\d.]+) % of pixels/.exec(line)![1]);
}

function batchResponses(text: string): number {
  return messageFromJsonText<{ responses: unknown[] }>('google.cloud.vision.v1p4beta1.BatchAnnotateImagesResponse', text).responses.length;
}

describe('cli: vision-kit annotate (child process)', function () {
  this.timeout(60_000);
  let work: string;

  before(async () => {
    requireBuild();
    work = await mkdtemp(join(tmpdir(), 'vk-annotate-'));
    await cp(join(ROOT, 'samples'), join(work, 'samples'), { recursive: true });
    await writeFile(join(work, 'notes.png'), 'not a picture\n');
    const sunset = await readFile(join(ROOT, 'samples/sunset.jpg'));
    await writeFile(join(work, 'truncated.jpg'), sunset.subarray(0, 400));
    await mkdir(join(work, 'empty'));
    await writeFile(join(work, 'empty', 'readme.txt'), 'no images here\n');
  });
  after(async () => {
    await rm(work, { recursive: true, force: true });
  });

  for (const transport of ['grpc', 'rest'] as const) {
    it(`annotates a folder on the embedded emulator over ${transport}: summary per image, output files as URIs and local files`, async () => {
      const dataDir = join(work, `data-${transport}`);
      const run = await cli(
        [
          'annotate',
          'samples/',
          '--transport',
          transport,
          '--data-dir',
          dataDir,
          '--output',
          `gs://vk-test/${transport}/`,
          '--batch-size',
          '2',
        ],
        {
          cwd: work,
        },
      );
      assert.equal(run.code, 0, run.stderr);
      const { images, files } = parseReport(run.stdout);
      assert.deepEqual([...images.keys()], ['samples/flag.png', 'samples/meadow.webp', 'samples/sunset.jpg']);
      const flag = images.get('samples/flag.png')!;
      assert.ok(Math.abs(share(flag, 'red') - 75) < 1.5, flag.body.join('\n'));
      assert.ok(Math.abs(share(flag, 'blue') - 25) < 1.5, flag.body.join('\n'));
      assert.match(flag.header, new RegExp(`\\(gs://vk-test/${transport}/inputs/samples/flag\\.png\\)`));
      for (const section of images.values())
        assert.ok(
          section.body.some((l) => /^ {2}crop hint {2}\d+×\d+ at \(\d+, \d+\)/.test(l)),
          section.header,
        );
      assert.ok(images.get('samples/meadow.webp')!.body.some((l) => / green /.test(l)));

      // Two output files (2 + 1 responses), each printed as its URI and a local file that parses.
      assert.deepEqual(
        files.map((f) => f.uri),
        [`gs://vk-test/${transport}/output-1-to-2.json`, `gs://vk-test/${transport}/output-3-to-3.json`],
      );
      const counts: number[] = [];
      for (const f of files) {
        const path = resolve(work, f.path);
        assert.equal(path, join(dataDir, 'gcs', f.uri.slice('gs://'.length)));
        counts.push(batchResponses(await readFile(path, 'utf8')));
      }
      assert.deepEqual(counts, [2, 1]);
      // The local images went through the storage API, byte for byte.
      const uploaded = await readFile(join(dataDir, 'gcs', 'vk-test', transport, 'inputs', 'samples', 'flag.png'));
      assert.ok(uploaded.equals(await readFile(join(ROOT, 'samples/flag.png'))));
      // Progress on stderr: state, output files so far, elapsed time.
      assert.match(run.stderr, /operations\/\S+ DONE +\[#+\] 2\/2 output files +\d+\.\d s/);
      assert.match(run.stderr, /on the embedded emulator \((gRPC|REST) /);
    });
  }

  it('on a terminal (a real pseudo-terminal from script(1)) the cli-progress bar redraws one line in place and is left drawn at DONE', async () => {
    const quote = (x: string): string => `'${x.replaceAll("'", `'\\''`)}'`;
    const command = [process.execPath, BIN, 'annotate', 'samples/', '--data-dir', 'data-tty'].map(quote).join(' ');
    const run = await runFile('script', ['-qec', command, '/dev/null'], { cwd: work, timeout: 60_000 });
    assert.equal(run.code, 0, run.stdout + run.stderr);
    const out = run.stdout;
    assert.ok(out.includes('\x1b[?25l') && out.includes('\x1b[?25h'), 'the cursor is hidden while the bar draws, then shown again');
    const frames = out
      .split('\x1b[1G')
      .slice(1)
      .map((f) => f.split('\x1b[0K')[0]!);
    assert.ok(frames.length >= 2, `the bar is drawn more than once in place: ${JSON.stringify(frames)}`);
    for (const f of frames) assert.match(f, /^\S+ [A-Z]+ *\[[#-]{24}\] \d+\/\d+ output files {2}\d+\.\d s$/);
    assert.match(frames.at(-1)!, /^operations\/\S+ DONE {4}\[#{24}\] 1\/1 output files/);
    assert.ok(!out.includes('\nasyncBatchAnnotateImages STARTING'), 'no plain progress lines on a terminal');
  });

  it('--json prints one JSON document with the summary, the responses and the output files', async () => {
    const dataDir = join(work, 'data-json');
    const run = await cli(['annotate', 'samples/flag.png', 'samples/sunset.jpg', '--json', '--data-dir', dataDir, '--batch-size', '1'], {
      cwd: work,
    });
    assert.equal(run.code, 0, run.stderr);
    const doc = JSON.parse(run.stdout) as {
      operation: string;
      target: string;
      transport: string;
      features: string[];
      outputUri: string;
      images: {
        input: string;
        uri: string;
        outputFile: string;
        error: unknown;
        colors: { name: string; pixelFraction: number; hex: string }[];
        cropHints: unknown[];
        response: { imagePropertiesAnnotation?: unknown };
      }[];
      outputFiles: { uri: string; path: string; first: number; last: number; size: number }[];
    };
    assert.match(doc.operation, /^operations\/\S+$/);
    assert.equal(doc.target, 'embedded');
    assert.equal(doc.transport, 'grpc');
    assert.deepEqual(doc.features, ['IMAGE_PROPERTIES', 'CROP_HINTS']);
    assert.match(doc.outputUri, /^gs:\/\/vision-kit-out\/\d{4}-\d\d-\d\dT\d\d-\d\d-\d\d\.\d{3}Z\/$/);
    assert.deepEqual(
      doc.images.map((i) => i.input),
      ['samples/flag.png', 'samples/sunset.jpg'],
    );
    const [red, blue] = doc.images[0]!.colors;
    assert.equal(red!.name, 'red');
    assert.ok(Math.abs(red!.pixelFraction - 0.75) < 0.015);
    assert.equal(blue!.name, 'blue');
    assert.ok(Math.abs(blue!.pixelFraction - 0.25) < 0.015);
    assert.equal(doc.images[0]!.error, null);
    assert.ok(doc.images[0]!.response.imagePropertiesAnnotation);
    assert.equal(doc.images[1]!.cropHints.length, 1);
    assert.deepEqual(
      doc.outputFiles.map((f) => [f.first, f.last]),
      [
        [1, 1],
        [2, 2],
      ],
    );
    for (const [k, f] of doc.outputFiles.entries()) {
      assert.equal(doc.images[k]!.outputFile, f.uri);
      assert.ok(f.uri.startsWith(doc.outputUri));
      const text = await readFile(f.path, 'utf8');
      assert.equal(Buffer.byteLength(text), f.size);
      assert.equal(batchResponses(text), 1);
    }
  });

  it('annotates gs:// objects and folders already in storage (the data dir persists between runs)', async () => {
    const dataDir = join(work, 'data-gs');
    const first = await cli(['annotate', 'samples/', '--data-dir', dataDir, '--output', 'gs://vk-gs/first/'], { cwd: work });
    assert.equal(first.code, 0, first.stderr);
    const run = await cli(
      [
        'annotate',
        'gs://vk-gs/first/inputs/samples/',
        'gs://vk-gs/first/inputs/samples/flag.png',
        '--data-dir',
        dataDir,
        '--output',
        'gs://vk-gs/second/run-',
        '--json',
      ],
      { cwd: work },
    );
    assert.equal(run.code, 0, run.stderr);
    const doc = JSON.parse(run.stdout) as {
      images: { input: string; colors: { name: string }[] }[];
      outputFiles: { uri: string; path: string }[];
    };
    assert.deepEqual(
      doc.images.map((i) => i.input),
      [
        'gs://vk-gs/first/inputs/samples/flag.png',
        'gs://vk-gs/first/inputs/samples/meadow.webp',
        'gs://vk-gs/first/inputs/samples/sunset.jpg',
        'gs://vk-gs/first/inputs/samples/flag.png',
      ],
    );
    assert.equal(doc.images[3]!.colors[0]!.name, 'red');
    assert.deepEqual(
      doc.outputFiles.map((f) => f.uri),
      ['gs://vk-gs/second/run-output-1-to-4.json'],
    );
    assert.ok(existsSync(doc.outputFiles[0]!.path));
  });

  describe('against an emulator already running', () => {
    let emulator: RunningEmulator;
    let emuDir: string;
    before(async () => {
      emuDir = await mkdtemp(join(tmpdir(), 'vk-annotate-emu-'));
      emulator = await startEmulator({ grpcPort: 0, httpPort: 0, dataDir: emuDir, opStepMs: 2, log: () => undefined });
    });
    after(async () => {
      await emulator.stop();
      await rm(emuDir, { recursive: true, force: true });
    });

    it('uses VISION_EMULATOR_HOST + STORAGE_EMULATOR_HOST, or a REST --endpoint, and keeps copies of the output files under --data-dir', async () => {
      const ways: { label: string; args: string[]; env: Record<string, string> }[] = [
        { label: 'env', args: [], env: { VISION_EMULATOR_HOST: emulator.grpcAddress, STORAGE_EMULATOR_HOST: emulator.httpUrl } },
        { label: 'endpoint', args: ['--endpoint', emulator.httpUrl], env: {} },
      ];
      for (const way of ways) {
        const copies = join(work, `copies-${way.label}`);
        const out = `gs://vk-ext/${way.label}/`;
        const run = await cli(['annotate', 'samples/flag.png', '--data-dir', copies, '--output', out, '--json', ...way.args], {
          cwd: work,
          env: way.env,
        });
        assert.equal(run.code, 0, `${way.label}: ${run.stderr}`);
        const doc = JSON.parse(run.stdout) as { target: string; transport: string; outputFiles: { uri: string; path: string }[] };
        assert.equal(doc.target, 'emulator');
        assert.equal(doc.transport, way.label === 'env' ? 'grpc' : 'rest');
        const file = doc.outputFiles[0]!;
        assert.equal(file.uri, `${out}output-1-to-1.json`);
        assert.equal(file.path, join(copies, 'gcs', 'vk-ext', way.label, 'output-1-to-1.json'));
        assert.equal(
          await readFile(file.path, 'utf8'),
          await readFile(join(emuDir, 'gcs', 'vk-ext', way.label, 'output-1-to-1.json'), 'utf8'),
        );
        assert.match(run.stderr, /on the emulator at /);
      }
    });

    it('an unreachable Vision endpoint: one line, exit 1 (the stack only with --verbose)', async () => {
      const port = await closedPort();
      const env = { STORAGE_EMULATOR_HOST: emulator.httpUrl };
      const run = await cli(['annotate', 'samples/flag.png', '--endpoint', `127.0.0.1:${port}`, '--data-dir', join(work, 'unreach')], {
        cwd: work,
        env,
      });
      assert.equal(run.code, 1, run.stderr);
      const errors = lines(run.stderr).filter((l) => l.startsWith('vision-kit:'));
      assert.equal(errors.length, 1, run.stderr);
      assert.match(
        errors[0]!,
        new RegExp(
          `cannot reach the emulator at 127\\.0\\.0\\.1:${port}.*UNAVAILABLE|cannot reach the emulator at 127\\.0\\.0\\.1:${port}`,
        ),
      );
      assert.doesNotMatch(run.stderr, /^\s+at /m);
      const verbose = await cli(['annotate', 'samples/flag.png', '--endpoint', `127.0.0.1:${port}`, '--verbose'], { cwd: work, env });
      assert.equal(verbose.code, 1);
      assert.match(verbose.stderr, /^\s+at /m);
    });
  });

  it('--product-set adds PRODUCT_SEARCH and the summary shows the product matches', async () => {
    const dataDir = join(work, 'data-products');
    const parent = 'projects/vk/locations/us-west1';
    const emulator = await startEmulator({ grpcPort: 0, httpPort: 0, dataDir, log: () => undefined });
    const transport = createGrpcTransport({ endpoint: emulator.grpcAddress });
    try {
      const res = await fetch(`${emulator.httpUrl}/upload/storage/v1/b/catalog/o?uploadType=media&name=flag.png`, {
        method: 'POST',
        headers: { 'content-type': 'image/png' },
        body: await readFile(join(ROOT, 'samples/flag.png')),
      });
      assert.equal(res.status, 200);
      const ps = createClient(ProductSearch, transport);
      await ps.createProductSet({ parent, productSetId: 'flags', productSet: { displayName: 'Flags' } });
      const product = await ps.createProduct({
        parent,
        productId: 'red-flag',
        product: { displayName: 'Red flag', productCategory: 'toys-v2' },
      });
      await ps.createReferenceImage({ parent: product.name, referenceImageId: 'front', referenceImage: { uri: 'gs://catalog/flag.png' } });
      await ps.addProductToProductSet({ name: `${parent}/productSets/flags`, product: product.name });
    } finally {
      transport.close();
      await emulator.stop();
    }
    const run = await cli(['annotate', 'samples/flag.png', '--data-dir', dataDir, '--product-set', `${parent}/productSets/flags`], {
      cwd: work,
    });
    assert.equal(run.code, 0, run.stderr);
    const flag = parseReport(run.stdout).images.get('samples/flag.png')!;
    const line = flag.body.find((l) => l.startsWith('  product    '));
    assert.match(
      line ?? flag.body.join('\n'),
      new RegExp(`^  product    Red flag  score (0\\.9\\d|1\\.00)  \\(${parent}/products/red-flag, toys-v2\\)$`),
    );
    assert.match(run.stderr, /\(IMAGE_PROPERTIES, CROP_HINTS, PRODUCT_SEARCH\)/);
  });

  it('an image Vision cannot decode: its error in the summary, the others annotated, exit 1', async () => {
    const run = await cli(['annotate', 'truncated.jpg', 'samples/flag.png', '--data-dir', join(work, 'data-bad')], { cwd: work });
    assert.equal(run.code, 1, run.stderr);
    const { images, files } = parseReport(run.stdout);
    assert.match(images.get('truncated.jpg')!.body.join('\n'), /^ {2}error {6}INVALID_ARGUMENT: requests\[0\]: .*decoded/);
    assert.equal(images.get('truncated.jpg')!.body.length, 1, 'the error is one line');
    assert.ok(share(images.get('samples/flag.png')!, 'red') > 70);
    assert.equal(files.length, 1);
    assert.match(lines(run.stderr).at(-1)!, /^vision-kit: 1 of 2 images could not be annotated$/);
  });

  const bad: { name: string; args: () => Promise<string[]>; says: RegExp; code?: number }[] = [
    {
      name: 'a missing file',
      args: async () => ['samples/flag.png', 'missing.png'],
      says: /^vision-kit: missing\.png: no such file or folder$/,
    },
    {
      name: 'a file that is not an image',
      args: async () => ['notes.png'],
      says: /^vision-kit: notes\.png: not an image Vision reads \(JPEG, PNG/,
    },
    { name: 'a folder without images', args: async () => ['empty'], says: /^vision-kit: empty: no images in this folder/ },
    { name: 'no inputs', args: async () => [], says: /missing required argument 'inputs'/ },
    {
      name: 'an unknown feature',
      args: async () => ['samples/flag.png', '--features', 'IMAGE_PROPERTIES,FACES'],
      says: /^vision-kit: --features: unknown feature "FACES"; pick from FACE_DETECTION, /u,
    },
    {
      name: 'an --output that is not gs://',
      args: async () => ['samples/flag.png', '--output', 's3://bucket/out/'],
      says: /^vision-kit: --output "s3:\/\/bucket\/out\/": is not a gs:\/\/ URI/,
    },
    {
      name: 'an --output with a bad bucket',
      args: async () => ['samples/flag.png', '--output', 'gs://No_Such Bucket/'],
      says: /^vision-kit: --output .*bucket name/,
    },
    {
      name: 'an --output with a ".." segment',
      args: async () => ['samples/flag.png', '--output', 'gs://vk-out/a/../b/'],
      says: /^vision-kit: --output .*"\.\." segment/,
    },
    {
      name: 'a --batch-size out of range',
      args: async () => ['samples/flag.png', '--batch-size', '101'],
      says: /^vision-kit: --batch-size "101": must be a whole number from 1 to 100$/,
    },
    {
      name: 'an unknown --transport',
      args: async () => ['samples/flag.png', '--transport', 'soap'],
      says: /^vision-kit: --transport "soap": must be grpc or rest$/,
    },
    {
      name: 'PRODUCT_SEARCH without a product set',
      args: async () => ['samples/flag.png', '--features', 'PRODUCT_SEARCH'],
      says: /needs --product-set/,
    },
    {
      name: 'an unreachable REST endpoint',
      args: async () => ['samples/flag.png', '--endpoint', `http://127.0.0.1:${await closedPort()}`],
      says: /^vision-kit: UNAVAILABLE: could not reach the storage API at http:\/\/127\.0\.0\.1:\d+ \(upload of gs:\/\/vision-kit-out\/.*\)/,
      code: 1,
    },
    {
      name: 'a gs:// object that does not exist',
      args: async () => ['gs://vision-kit-out/nothing-here.png'],
      says: /^vision-kit: gs:\/\/vision-kit-out\/nothing-here\.png: no such object in the storage API at http/,
    },
  ];
  for (const b of bad) {
    it(`${b.name}: one clear line, exit ${b.code ?? 2}, no stack trace`, async () => {
      const run = await cli(['annotate', ...(await b.args()), '--data-dir', join(work, 'data-badinput')], { cwd: work });
      assert.equal(run.code, b.code ?? 2, run.stderr);
      assert.equal(run.stdout, '');
      const errors = lines(run.stderr).filter((l) => /^(vision-kit: |error: )/.test(l));
      assert.equal(errors.length, 1, run.stderr);
      assert.match(errors[0]!, b.says);
      assert.doesNotMatch(run.stderr, /^\s+at /m);
      if ((b.code ?? 2) === 2) {
        // A usage error is its line, and at most one more pointing at --help (never the whole help).
        const rest = lines(run.stderr).filter((l) => l !== errors[0] && !/^vision-kit annotate: /.test(l) && l.trim() !== '');
        assert.ok(rest.length <= 1 && rest.every((l) => l === '(vision-kit annotate --help for usage)'), run.stderr);
      }
    });
  }

  it('--help of every command comes from the parser; the top level lists each command with one line', async () => {
    const top = await cli(['--help']);
    assert.equal(top.code, 0);
    for (const [name, what] of [
      ['annotate', /annotate image files, folders or gs:\/\/ URIs with asyncBatchAnnotateImages/],
      ['call', /call one method/],
      ['emulator', /run the local Vision emulator/],
    ] as const) {
      const line = lines(top.stdout).find((l) => l.trimStart().startsWith(`${name} `));
      assert.ok(line, `${name} in:\n${top.stdout}`);
      assert.match(top.stdout.replace(/\s+/g, ' '), what);
      const help = await cli([name, '--help']);
      assert.equal(help.code, 0, name);
      assert.match(help.stdout, new RegExp(`^Usage: vision-kit ${name} `));
    }
    const annotate = await cli(['annotate', '--help']);
    for (const option of ['--features', '--output', '--batch-size', '--transport', '--endpoint', '--data-dir', '--json', '--verbose']) {
      assert.ok(annotate.stdout.includes(option), option);
    }
    // `help <command>` gives the same page as `<command> --help`, also for the commands of vision-kit-tools.
    for (const name of ['annotate', 'emulator']) {
      const viaHelp = await cli(['help', name]);
      assert.equal(viaHelp.code, 0, name);
      assert.equal(viaHelp.stdout, (await cli([name, '--help'])).stdout, name);
    }
  });
});
