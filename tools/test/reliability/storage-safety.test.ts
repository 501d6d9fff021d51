/**
 * Storage safety (RELIABILITY.md): every place a URI enters the API — sync image
 * and file sources, async image and file sources, async destinations,
 * reference images, the import CSV and the image URIs inside it — over gRPC
 * and REST, given hostile names (`..`, `%2e%2e`, encoded or backslash
 * separators, absolute names, NUL, symlinks out of the bucket or of the
 * storage folder, local paths, file:// and http URLs): each is refused with
 * INVALID_ARGUMENT (the call, or that image's / line's error), and
 *  - a canary file outside the data dir is never read (its access time is
 *    set in the past and checked after; its marker appears in no answer and
 *    in no file of the data dir), an http source is never fetched;
 *  - the folder outside is unchanged, listed before and after;
 *  - the data dir gained files only where valid outputs go (gs://out/ok-…).
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdir, readFile, rm, stat, symlink, utimes, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import sharp from 'sharp';
import {
  Code,
  createGrpcTransport,
  createRawClient,
  createRestTransport,
  ImageAnnotator,
  ProductSearch,
  type RawClient,
  type Transport,
  VisionError,
} from 'vision-kit';
import { Feature_Type, type ImageAnnotatorDefinition } from 'vision-kit/gen/google/cloud/vision/v1p4beta1/image_annotator.js';
import type { ProductSearchDefinition } from 'vision-kit/gen/google/cloud/vision/v1p4beta1/product_search_service.js';
import { colorPagesPdf } from '../emulator/annotators/pdf-builder.js';
import { download, listTree, startTestEmulator, type TestEmulator, tempDir, upload, waitDone } from '../emulator/support/harness.js';

type Wire = 'grpc' | 'rest';
const MARKER = `CANARY-${randomBytes(8).toString('hex')}`;
const OLD = new Date('2001-01-01T00:00:00Z');

interface Ctx {
  readonly wire: Wire;
  readonly images: RawClient<ImageAnnotatorDefinition>;
  readonly search: RawClient<ProductSearchDefinition>;
  readonly parent: string;
}

/** A refusal's code and message: from the call, or from the image's / file's / line's own error. */
interface Seen {
  readonly code: number;
  readonly message: string;
}

/** The operation's name when the call started one, else its refusal. */
async function started(p: Promise<{ name: string }>): Promise<Seen | string> {
  try {
    return (await p).name;
  } catch (err) {
    assert.ok(err instanceof VisionError, String(err));
    return { code: err.code, message: err.rawMessage };
  }
}

async function callRefusal(p: Promise<unknown>): Promise<Seen | 'accepted'> {
  try {
    await p;
    return 'accepted';
  } catch (err) {
    assert.ok(err instanceof VisionError, String(err));
    return { code: err.code, message: err.rawMessage };
  }
}

describe('reliability: storage safety (hostile names and sources on every entry point, both transports)', function () {
  this.timeout(60_000);
  let t: TestEmulator;
  let outside: string;
  let trap: Server;
  let trapHits = 0;
  let atimeWorks = false;
  const answers: string[] = [];
  const transports: Transport[] = [];
  let gcsBefore: string[] = [];
  let outsideBefore: string[] = [];
  const canaryFiles = (): string[] => ['canary.png', 'canary.csv', 'canary.pdf'].map((f) => join(outside, f));

  before(async () => {
    outside = await tempDir('vk-outside-');
    // The canaries: a PNG and a PDF with the marker inside, and a CSV that would create a product named after it.
    const png = await sharp({ create: { width: 16, height: 16, channels: 3, background: { r: 255, g: 0, b: 0 } } })
      .png()
      .withMetadata({ exif: { IFD0: { ImageDescription: MARKER } } })
      .toBuffer();
    assert.ok(png.includes(MARKER));
    await writeFile(join(outside, 'canary.png'), png);
    await writeFile(
      join(outside, 'canary.csv'),
      `gs://safe-in/ok.png,${MARKER.toLowerCase()},set-c,${MARKER.toLowerCase()},toys-v2,${MARKER},,\n`,
    );
    await writeFile(join(outside, 'canary.pdf'), Buffer.concat([Buffer.from(colorPagesPdf([[1, 0, 0]])), Buffer.from(`\n%${MARKER}\n`)]));
    // Access times in the past and older than the modification time: any read moves them (relatime too).
    for (const f of canaryFiles()) await utimes(f, OLD, new Date());
    await readFile(canaryFiles()[0]!);
    atimeWorks = (await stat(canaryFiles()[0]!)).atimeMs > OLD.getTime();
    for (const f of canaryFiles()) await utimes(f, OLD, new Date());

    t = await startTestEmulator({ opStepMs: 0 });
    const gcs = join(t.dir, 'gcs');
    await mkdir(join(gcs, 'safe-in'), { recursive: true });
    await mkdir(join(gcs, 'out'), { recursive: true });
    await symlink(join(outside, 'canary.png'), join(gcs, 'safe-in', 'link.png'));
    await symlink(join(outside, 'canary.csv'), join(gcs, 'safe-in', 'link.csv'));
    await symlink(join(outside, 'canary.pdf'), join(gcs, 'safe-in', 'link.pdf'));
    await symlink(outside, join(gcs, 'safe-in', 'linkdir'));
    await symlink(outside, join(gcs, 'linked-in'));
    await symlink(outside, join(gcs, 'out', 'linkdir'));
    await symlink(outside, join(gcs, 'linked-out'));
    await upload(
      t.emu,
      'safe-in',
      'ok.png',
      await sharp({ create: { width: 8, height: 8, channels: 3, background: { r: 0, g: 99, b: 0 } } })
        .png()
        .toBuffer(),
      'image/png',
    );

    trap = createServer((_req, res) => {
      trapHits++;
      res.end(png);
    });
    await new Promise<void>((r) => trap.listen(0, '127.0.0.1', r));
    gcsBefore = await listTree(gcs);
    outsideBefore = await listTree(outside); // reads the canaries: their access times are set back below
    for (const f of canaryFiles()) await utimes(f, OLD, new Date());
  });

  after(async () => {
    for (const tr of transports) tr.close();
    await new Promise((r) => trap?.close(r));
    await t?.close();
    await rm(outside, { recursive: true, force: true });
  });

  /** Hostile sources; `F` stands for the canary's file name (canary.png, .csv or .pdf), `L` for the bucket link to it. */
  const sources = (): [string, string][] => [
    ['a ".." segment', 'gs://safe-in/../../../../{F}'],
    ['a ".." segment after a folder', 'gs://safe-in/a/../../{F}'],
    ['an encoded dot segment', 'gs://safe-in/%2e%2e/{F}'],
    ['an encoded separator', 'gs://safe-in/..%2F..%2F{F}'],
    ['backslash separators', 'gs://safe-in/..\\..\\{F}'],
    ['an encoded backslash', 'gs://safe-in/a%5C..%5C{F}'],
    ['an absolute object name', `gs://safe-in/${outside}/{F}`],
    ['a NUL in the name', 'gs://safe-in/{L}\u0000.png'],
    ['an object that is a symlink out', 'gs://safe-in/{L}'],
    ['a folder that is a symlink out', 'gs://safe-in/linkdir/{F}'],
    ['a bucket that is a symlink out', 'gs://linked-in/{F}'],
    ['a ".." bucket', 'gs://../{F}'],
    ['an absolute local path', `${outside}/{F}`],
    ['a relative local path', '../{F}'],
    ['a file:// URL', `file://${outside}/{F}`],
    ['a file://localhost URL', `file://localhost${outside}/{F}`],
    ['an http URL', `http://127.0.0.1:${(trap.address() as AddressInfo).port}/{F}`],
    ['a Windows path', 'C:\\{F}'],
    ['a home path', '~/{F}'],
  ];
  const of = (uri: string, file: string): string => uri.replaceAll('{F}', file).replaceAll('{L}', `link.${file.split('.')[1]}`);

  function ctx(wire: Wire): Ctx {
    const transport =
      wire === 'grpc' ? createGrpcTransport({ endpoint: t.emu.grpcAddress }) : createRestTransport({ baseUrl: t.emu.httpUrl });
    transports.push(transport);
    return {
      wire,
      images: createRawClient(ImageAnnotator, transport),
      search: createRawClient(ProductSearch, transport),
      parent: `projects/safe-${wire}/locations/us-west1`,
    };
  }

  const record = (x: unknown): void => {
    answers.push(JSON.stringify(x, (_k, v: unknown) => (v instanceof Uint8Array ? Buffer.from(v).toString('latin1') : v)));
  };

  function assertRefused(seen: Seen | 'accepted', what: string): void {
    assert.notEqual(seen, 'accepted', `${what}: accepted`);
    const s = seen as Seen;
    record(s);
    assert.equal(s.code, Code.INVALID_ARGUMENT, `${what}: ${s.code} ${s.message}`);
    assert.ok(!s.message.includes(MARKER), `${what}: the message shows the canary`);
  }

  let serial = 0;
  for (const wire of ['grpc', 'rest'] as const) {
    describe(`over ${wire}`, () => {
      let c: Ctx;
      before(() => {
        c = ctx(wire);
      });

      it("sync images (image_uri and gcs_image_uri): each hostile source is that image's INVALID_ARGUMENT", async () => {
        for (const [name, u] of sources()) {
          const uri = of(u, 'canary.png');
          for (const source of [{ imageUri: uri }, { gcsImageUri: uri }]) {
            const r = await c.images.batchAnnotateImages({
              requests: [{ image: { source }, features: [{ type: Feature_Type.IMAGE_PROPERTIES }] }],
            });
            record(r);
            const e = r.responses[0]?.error;
            assertRefused(e ? { code: e.code, message: e.message } : 'accepted', `${name} ${JSON.stringify(source)}`);
          }
        }
      });

      it('sync files: each hostile source is refused INVALID_ARGUMENT', async () => {
        for (const [name, u] of sources()) {
          const req = {
            requests: [
              {
                inputConfig: { gcsSource: { uri: of(u, 'canary.pdf') }, mimeType: 'application/pdf' },
                features: [{ type: Feature_Type.IMAGE_PROPERTIES }],
              },
            ],
          };
          let seen: Seen | 'accepted';
          try {
            const r = await c.images.batchAnnotateFiles(req);
            record(r);
            const e = r.responses[0]?.error;
            seen = e ? { code: e.code, message: e.message } : 'accepted';
          } catch (err) {
            seen = await callRefusal(Promise.reject(err));
          }
          assertRefused(seen, name);
        }
      });

      it("async images and files: each hostile source is refused at the call, or is its image's / file's INVALID_ARGUMENT in the output", async () => {
        for (const [name, u] of sources()) {
          const out = `ok-${wire}-${++serial}`;
          const img = await started(
            c.images.asyncBatchAnnotateImages({
              requests: [{ image: { source: { imageUri: of(u, 'canary.png') } }, features: [{ type: Feature_Type.IMAGE_PROPERTIES }] }],
              outputConfig: { gcsDestination: { uri: `gs://out/${out}/images/` } },
            }),
          );
          if (typeof img === 'string') {
            // Accepted names are well-formed gs:// URIs (the symlinks): the refusal comes when the operation reads them.
            await waitDone(t.emu, img);
            const body = JSON.parse((await download(t.emu, 'out', `${out}/images/output-1-to-1.json`)).toString('utf8')) as {
              responses: { error?: Seen }[];
            };
            record(body);
            assertRefused(body.responses[0]?.error ?? 'accepted', `${name} (async image, in the output)`);
          } else assertRefused(img, `${name} (async image)`);
          const file = await started(
            c.images.asyncBatchAnnotateFiles({
              requests: [
                {
                  inputConfig: { gcsSource: { uri: of(u, 'canary.pdf') }, mimeType: 'application/pdf' },
                  features: [{ type: Feature_Type.IMAGE_PROPERTIES }],
                  outputConfig: { gcsDestination: { uri: `gs://out/${out}/files/` } },
                },
              ],
            }),
          );
          if (typeof file === 'string') {
            const done = (await waitDone(t.emu, file)) as { error?: Seen };
            record(done);
            assertRefused(done.error ?? 'accepted', `${name} (async file, the operation's error)`);
          } else assertRefused(file, `${name} (async file)`);
        }
      });

      it('async destinations out of the bucket are refused, at the call or by the operation, and nothing is written', async () => {
        const port = (trap.address() as AddressInfo).port;
        const destinations: [string, string][] = [
          ['a ".." segment', 'gs://out/../../escape/'],
          ['an encoded dot segment', 'gs://out/%2e%2e/escape/'],
          ['an encoded separator', 'gs://out/..%2Fescape/'],
          ['backslashes', 'gs://out/..\\escape\\'],
          ['an absolute name', `gs://out/${outside}/`],
          ['a NUL', 'gs://out/a\u0000/'],
          ['a folder that is a symlink out', 'gs://out/linkdir/'],
          ['a file prefix in a symlinked folder', 'gs://out/linkdir/prefix-'],
          ['a bucket that is a symlink out', 'gs://linked-out/'],
          ['a local path', `${outside}/`],
          ['a file:// URL', `file://${outside}/`],
          ['an http URL', `http://127.0.0.1:${port}/out/`],
        ];
        for (const [name, uri] of destinations) {
          const seen = await started(
            c.images.asyncBatchAnnotateImages({
              requests: [{ image: { source: { imageUri: 'gs://safe-in/ok.png' } }, features: [{ type: Feature_Type.IMAGE_PROPERTIES }] }],
              outputConfig: { gcsDestination: { uri } },
            }),
          );
          if (typeof seen !== 'string') {
            assertRefused(seen, name);
            continue;
          }
          const done = (await waitDone(t.emu, seen)) as { error?: Seen };
          record(done);
          assertRefused(done.error ?? 'accepted', `${name} (the operation's error)`);
        }
      });

      it('reference images: each hostile source is refused INVALID_ARGUMENT naming reference_image.uri', async () => {
        const p = await c.search.createProduct({
          parent: c.parent,
          productId: 'p',
          product: { displayName: 'p', productCategory: 'toys-v2' },
        });
        for (const [name, u] of sources()) {
          const seen = await callRefusal(c.search.createReferenceImage({ parent: p.name, referenceImage: { uri: of(u, 'canary.png') } }));
          assertRefused(seen, name);
          assert.match((seen as Seen).message, /reference_image\.uri/);
        }
      });

      it("imports: a hostile CSV URI is refused at the call; hostile image URIs inside the CSV are each line's INVALID_ARGUMENT", async () => {
        for (const [name, u] of sources()) {
          assertRefused(
            await callRefusal(
              c.search.importProductSets({ parent: c.parent, inputConfig: { gcsSource: { csvFileUri: of(u, 'canary.csv') } } }),
            ),
            name,
          );
        }
        const lines = sources().map(
          ([, u], i) => `"${of(u, 'canary.png').replaceAll('"', '""')}",ri-${i},set-${wire},prod-${wire}-${i},toys-v2,P ${i},,`,
        );
        await upload(t.emu, 'safe-in', `hostile-${wire}.csv`, `${lines.join('\n')}\n`, 'text/csv');
        const op = await c.search.importProductSets({
          parent: c.parent,
          inputConfig: { gcsSource: { csvFileUri: `gs://safe-in/hostile-${wire}.csv` } },
        });
        const done = (await waitDone(t.emu, op.name)) as { response?: { statuses?: Seen[] }; error?: Seen };
        record(done);
        const statuses = done.response?.statuses ?? [];
        assert.equal(statuses.length, lines.length, JSON.stringify(done));
        for (const [i, s] of statuses.entries()) assertRefused(s, `CSV line ${i + 1}: ${sources()[i]![0]}`);
      });
    });
  }

  describe('afterwards', () => {
    it('never read the canaries, never fetched the http source, changed nothing outside, wrote only valid outputs', async () => {
      assert.equal(trapHits, 0, 'the http source was fetched');
      if (atimeWorks) {
        for (const f of canaryFiles()) assert.equal((await stat(f)).atimeMs, OLD.getTime(), `${f} was read`);
      } else {
        process.stderr.write('      (this file system does not update access times; the canaries are checked by content only)\n');
      }
      assert.deepEqual(await listTree(outside), outsideBefore, 'the folder outside changed');
      for (const a of answers) assert.ok(!a.includes(MARKER), `an answer shows the canary: ${a.slice(0, 200)}`);
      const after = await listTree(join(t.dir, 'gcs'));
      const added = after.filter((l) => !gcsBefore.includes(l));
      for (const line of added)
        assert.match(
          line,
          /^(out\/(ok-[^/]+(\/|$)|$)|out\/$|safe-in\/hostile-(grpc|rest)\.csv )/,
          `an unexpected file in the storage folder: ${line}`,
        );
      assert.deepEqual(
        gcsBefore.filter((l) => !after.includes(l)),
        [],
        'nothing in the storage folder was removed or changed',
      );
      for (const file of await listFiles(t.dir)) {
        const text = await readFile(file).catch(() => Buffer.alloc(0));
        assert.ok(!text.includes(MARKER), `${file} holds the canary's marker`);
      }
      const products =
        (await (await fetch(`${t.emu.httpUrl}/v1p4beta1/projects/safe-grpc/locations/us-west1/products?pageSize=100`)).text()) +
        (await (await fetch(`${t.emu.httpUrl}/v1p4beta1/projects/safe-rest/locations/us-west1/products?pageSize=100`)).text());
      assert.ok(!products.toLowerCase().includes(MARKER.toLowerCase()), 'the canary CSV was imported');
    });
  });
});

/** Every regular file under `dir` (symlinks not followed). */
async function listFiles(dir: string): Promise<string[]> {
  const { readdir } = await import('node:fs/promises');
  const out: string[] = [];
  for (const e of await readdir(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) out.push(...(await listFiles(p)));
    else if (e.isFile()) out.push(p);
  }
  return out;
}
