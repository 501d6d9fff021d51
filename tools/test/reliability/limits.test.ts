/**
 * Every documented limit (docs/emulator.md, "Limits"), table-driven, over both transports (our own gRPC
 * and REST clients against the in-process emulator): at the limit the call
 * succeeds; one over, it fails with the same canonical code and the same
 * message on gRPC and REST, naming the field (or, for an image, that image's
 * `error` names the problem). The 10 MiB request limit is checked at the
 * byte with raw clients (a JSON body / a protobuf message of exactly 10 MiB
 * passes, one byte more is refused).
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { crc32 } from 'node:zlib';
import * as grpc from '@grpc/grpc-js';
import sharp from 'sharp';
import {
  Code,
  codeName,
  createGrpcTransport,
  createRawClient,
  createRestTransport,
  ImageAnnotator,
  Operations,
  ProductSearch,
  type RawClient,
  type Transport,
  VisionError,
} from 'vision-kit';
import {
  BatchAnnotateImagesRequest,
  BatchAnnotateImagesResponse,
  Feature_Type,
  type ImageAnnotatorDefinition,
} from 'vision-kit/gen/google/cloud/vision/v1p4beta1/image_annotator.js';
import type { ProductSearchDefinition } from 'vision-kit/gen/google/cloud/vision/v1p4beta1/product_search_service.js';
import type { OperationsDefinition } from 'vision-kit/gen/google/longrunning/operations.js';
import { colorPagesPdf } from '../emulator/annotators/pdf-builder.js';
import { spawnEmulator } from '../emulator/support/child-emulator.js';
import { startTestEmulator, type TestEmulator, tempDir, upload } from '../emulator/support/harness.js';

type Wire = 'grpc' | 'rest';
const WIRES: readonly Wire[] = ['grpc', 'rest'];
const MiB = 1024 * 1024;
const IMAGE_LIMIT = 20 * MiB;
const BODY_LIMIT = 10 * MiB;

interface Clients {
  readonly wire: Wire;
  readonly parent: string;
  readonly images: RawClient<ImageAnnotatorDefinition>;
  readonly search: RawClient<ProductSearchDefinition>;
  readonly ops: RawClient<OperationsDefinition>;
}

/** What a refusal looked like: from a rejected call, or from the one image's `error`. */
interface Refusal {
  readonly code: number;
  readonly message: string;
  readonly fields: readonly string[];
}

async function refusal(p: Promise<unknown>): Promise<Refusal> {
  try {
    await p;
  } catch (err) {
    assert.ok(err instanceof VisionError, String(err));
    const bad = err.details.find((d) => d.type === 'google.rpc.BadRequest')?.value as { fieldViolations?: { field: string }[] } | undefined;
    return { code: err.code, message: err.rawMessage, fields: (bad?.fieldViolations ?? []).map((v) => v.field) };
  }
  assert.fail('the call over the limit succeeded');
}

async function imageRefusal(p: Promise<{ responses: { error?: { code: number; message: string } }[] }>): Promise<Refusal> {
  const r = await p;
  const e = r.responses[0]?.error;
  assert.ok(e !== undefined && e.code !== 0, `no per-image error: ${JSON.stringify(r.responses[0])}`);
  return { code: e.code, message: e.message, fields: [] };
}

/** A PNG of random pixels (it does not compress) padded with a private chunk to exactly `size` bytes. */
async function pngOfSize(size: number): Promise<Buffer> {
  const side = Math.floor(Math.sqrt((size * 0.97) / 3));
  const base = await sharp(randomBytes(side * side * 3), { raw: { width: side, height: side, channels: 3 } })
    .png({ compressionLevel: 0 })
    .toBuffer();
  const dataLength = size - base.length - 12;
  assert.ok(dataLength >= 0 && dataLength < 8_000_000, `padding of ${dataLength} bytes`);
  const chunk = Buffer.alloc(12 + dataLength);
  chunk.writeUInt32BE(dataLength, 0);
  chunk.write('vkPd', 4, 'latin1');
  chunk.writeUInt32BE(crc32(chunk.subarray(4, 8 + dataLength)), 8 + dataLength);
  const ihdrEnd = 8 + 25;
  const out = Buffer.concat([base.subarray(0, ihdrEnd), chunk, base.subarray(ihdrEnd)]);
  assert.equal(out.length, size);
  return out;
}

const label = (i: number, bytes: number): { key: string; value: string } => ({ key: `k${i}`, value: 'v'.repeat(bytes) });
const utf8Text = (bytes: number): string => 'é'.repeat(Math.floor(bytes / 2)) + (bytes % 2 ? 'a' : '');
const product = (extra: object = {}) => ({ displayName: 'p', productCategory: 'toys-v2', ...extra });
const gsImage = (uri: string) => ({ image: { source: { imageUri: uri } }, features: [{ type: Feature_Type.IMAGE_PROPERTIES }] });
const cropHints = (n: number) => ({
  image: { source: { imageUri: 'gs://lim/ok.png' } },
  features: [{ type: Feature_Type.CROP_HINTS }],
  imageContext: { cropHintsParams: { aspectRatios: Array.from({ length: n }, (_, i) => 1 + i / 10) } },
});
// A region of gs://lim/ref.png (400 × 400) that keeps the proto's 300 px / 1:4 rule (ReferenceImage.bounding_polys).
const poly = {
  vertices: [
    { x: 1, y: 1 },
    { x: 350, y: 1 },
    { x: 350, y: 350 },
    { x: 1, y: 350 },
  ],
};

let serial = 0;
const fresh = (): string => `x${++serial}`;

interface LimitCase {
  /** The limit, as the docs word it. */
  readonly limit: string;
  /** The call at the limit; must succeed (and may check what it got). */
  at(c: Clients): Promise<void>;
  /** The call one over the limit; resolves to its refusal. */
  over(c: Clients): Promise<Refusal>;
  readonly code: Code;
  /** The field path the refusal names (in the message, and in BadRequest when `inDetails`). */
  readonly field: RegExp;
  readonly inDetails?: boolean;
}

const CASES: readonly LimitCase[] = [
  {
    limit: '16 images per sync request',
    at: async (c) =>
      void assert.equal(
        (await c.images.batchAnnotateImages({ requests: Array(16).fill(gsImage('gs://lim/ok.png')) })).responses.length,
        16,
      ),
    over: (c) => refusal(c.images.batchAnnotateImages({ requests: Array(17).fill(gsImage('gs://lim/ok.png')) })),
    code: Code.INVALID_ARGUMENT,
    field: /requests/,
    inDetails: true,
  },
  {
    limit: '2,000 images per async request',
    at: async (c) => {
      const op = await c.images.asyncBatchAnnotateImages({
        requests: Array(2000).fill(gsImage('gs://lim/ok.png')),
        outputConfig: { gcsDestination: { uri: `gs://lim-out/${fresh()}/` } },
      });
      await c.ops.cancelOperation({ name: op.name });
    },
    over: (c) =>
      refusal(
        c.images.asyncBatchAnnotateImages({
          requests: Array(2001).fill(gsImage('gs://lim/ok.png')),
          outputConfig: { gcsDestination: { uri: 'gs://lim-out/no/' } },
        }),
      ),
    code: Code.INVALID_ARGUMENT,
    field: /requests/,
    inDetails: true,
  },
  {
    limit: 'output batch size 1–100',
    at: async (c) => {
      const op = await c.images.asyncBatchAnnotateImages({
        requests: [gsImage('gs://lim/ok.png')],
        outputConfig: { gcsDestination: { uri: `gs://lim-out/${fresh()}/` }, batchSize: 100 },
      });
      await c.ops.cancelOperation({ name: op.name });
    },
    over: (c) =>
      refusal(
        c.images.asyncBatchAnnotateImages({
          requests: [gsImage('gs://lim/ok.png')],
          outputConfig: { gcsDestination: { uri: 'gs://lim-out/no/' }, batchSize: 101 },
        }),
      ),
    code: Code.INVALID_ARGUMENT,
    field: /output_config\.batch_size/,
    inDetails: true,
  },
  {
    limit: '5 pages per file',
    at: async (c) => {
      const r = await c.images.batchAnnotateFiles({
        requests: [
          {
            inputConfig: { gcsSource: { uri: 'gs://lim/six.pdf' }, mimeType: 'application/pdf' },
            features: [{ type: Feature_Type.IMAGE_PROPERTIES }],
            pages: [1, 2, 3, 4, 5],
          },
        ],
      });
      assert.equal(r.responses[0]?.responses.length, 5);
    },
    over: (c) =>
      refusal(
        c.images.batchAnnotateFiles({
          requests: [
            {
              inputConfig: { gcsSource: { uri: 'gs://lim/six.pdf' }, mimeType: 'application/pdf' },
              features: [{ type: Feature_Type.IMAGE_PROPERTIES }],
              pages: [1, 2, 3, 4, 5, 6],
            },
          ],
        }),
      ),
    code: Code.INVALID_ARGUMENT,
    field: /requests\[0\]\.pages/,
    inDetails: true,
  },
  {
    limit: 'image bytes at most 20 MiB (sync annotate, per image)',
    at: async (c) => {
      const r = await c.images.batchAnnotateImages({ requests: [gsImage('gs://lim/exact.png')] });
      assert.equal(r.responses[0]?.error, undefined, JSON.stringify(r.responses[0]?.error));
      assert.ok((r.responses[0]?.imagePropertiesAnnotation?.dominantColors?.colors.length ?? 0) > 0);
    },
    over: (c) => imageRefusal(c.images.batchAnnotateImages({ requests: [gsImage('gs://lim/over.png')] })),
    code: Code.INVALID_ARGUMENT,
    field: /20971520|20 MiB|20 MB/,
  },
  {
    limit: 'image bytes at most 20 MiB (reference image)',
    at: async (c) => {
      const p = await c.search.createProduct({ parent: c.parent, productId: fresh(), product: product() });
      await c.search.createReferenceImage({ parent: p.name, referenceImageId: fresh(), referenceImage: { uri: 'gs://lim/exact.png' } });
    },
    over: async (c) => {
      const p = await c.search.createProduct({ parent: c.parent, productId: fresh(), product: product() });
      return refusal(
        c.search.createReferenceImage({ parent: p.name, referenceImageId: 'over', referenceImage: { uri: 'gs://lim/over.png' } }),
      );
    },
    code: Code.INVALID_ARGUMENT,
    field: /reference_image\.uri/,
    inDetails: true,
  },
  {
    limit: 'ids at most 128 characters (product set)',
    at: (c) =>
      c.search
        .createProductSet({ parent: c.parent, productSetId: `s${fresh()}`.padEnd(128, 'i'), productSet: { displayName: 's' } })
        .then(() => undefined),
    over: (c) =>
      refusal(c.search.createProductSet({ parent: c.parent, productSetId: 's'.padEnd(129, 'i'), productSet: { displayName: 's' } })),
    code: Code.INVALID_ARGUMENT,
    field: /product_set_id/,
    inDetails: true,
  },
  {
    limit: 'ids at most 128 characters (product)',
    at: (c) =>
      c.search.createProduct({ parent: c.parent, productId: `p${fresh()}`.padEnd(128, 'i'), product: product() }).then(() => undefined),
    over: (c) => refusal(c.search.createProduct({ parent: c.parent, productId: 'p'.padEnd(129, 'i'), product: product() })),
    code: Code.INVALID_ARGUMENT,
    field: /product_id/,
    inDetails: true,
  },
  {
    limit: 'ids at most 128 characters (reference image)',
    at: async (c) => {
      const p = await c.search.createProduct({ parent: c.parent, productId: fresh(), product: product() });
      await c.search.createReferenceImage({
        parent: p.name,
        referenceImageId: 'r'.padEnd(128, 'i'),
        referenceImage: { uri: 'gs://lim/ok.png' },
      });
    },
    over: async (c) => {
      const p = await c.search.createProduct({ parent: c.parent, productId: fresh(), product: product() });
      return refusal(
        c.search.createReferenceImage({
          parent: p.name,
          referenceImageId: 'r'.padEnd(129, 'i'),
          referenceImage: { uri: 'gs://lim/ok.png' },
        }),
      );
    },
    code: Code.INVALID_ARGUMENT,
    field: /reference_image_id/,
    inDetails: true,
  },
  {
    limit: 'ids without "/"',
    at: (c) => c.search.createProduct({ parent: c.parent, productId: `a-b_c${fresh()}`, product: product() }).then(() => undefined),
    over: (c) => refusal(c.search.createProduct({ parent: c.parent, productId: 'a/b', product: product() })),
    code: Code.INVALID_ARGUMENT,
    field: /product_id/,
    inDetails: true,
  },
  {
    limit: 'display names at most 4,096 characters (product set)',
    at: (c) =>
      c.search
        .createProductSet({ parent: c.parent, productSetId: fresh(), productSet: { displayName: utf8Text(4096 * 2).slice(0, 4096) } })
        .then((s) => assert.equal([...s.displayName].length, 4096)),
    over: (c) =>
      refusal(c.search.createProductSet({ parent: c.parent, productSetId: fresh(), productSet: { displayName: 'd'.repeat(4097) } })),
    code: Code.INVALID_ARGUMENT,
    field: /product_set\.display_name/,
    inDetails: true,
  },
  {
    limit: 'display names at most 4,096 characters (product)',
    at: (c) =>
      c.search
        .createProduct({ parent: c.parent, productId: fresh(), product: product({ displayName: 'd'.repeat(4096) }) })
        .then(() => undefined),
    over: (c) =>
      refusal(c.search.createProduct({ parent: c.parent, productId: fresh(), product: product({ displayName: 'd'.repeat(4097) }) })),
    code: Code.INVALID_ARGUMENT,
    field: /product\.display_name/,
    inDetails: true,
  },
  {
    limit: 'descriptions at most 4,096 characters',
    at: (c) =>
      c.search
        .createProduct({ parent: c.parent, productId: fresh(), product: product({ description: 'd'.repeat(4096) }) })
        .then(() => undefined),
    over: (c) =>
      refusal(c.search.createProduct({ parent: c.parent, productId: fresh(), product: product({ description: 'd'.repeat(4097) }) })),
    code: Code.INVALID_ARGUMENT,
    field: /product\.description/,
    inDetails: true,
  },
  {
    limit: 'label keys at most 128 bytes',
    at: (c) =>
      c.search
        .createProduct({ parent: c.parent, productId: fresh(), product: product({ productLabels: [{ key: utf8Text(128), value: 'v' }] }) })
        .then(() => undefined),
    over: (c) =>
      refusal(
        c.search.createProduct({
          parent: c.parent,
          productId: fresh(),
          product: product({ productLabels: [{ key: utf8Text(129), value: 'v' }] }),
        }),
      ),
    code: Code.INVALID_ARGUMENT,
    field: /product\.product_labels\[0\]\.key/,
    inDetails: true,
  },
  {
    limit: 'label values at most 128 bytes',
    at: (c) =>
      c.search
        .createProduct({ parent: c.parent, productId: fresh(), product: product({ productLabels: [{ key: 'k', value: utf8Text(128) }] }) })
        .then(() => undefined),
    over: (c) =>
      refusal(
        c.search.createProduct({
          parent: c.parent,
          productId: fresh(),
          product: product({ productLabels: [{ key: 'k', value: utf8Text(129) }] }),
        }),
      ),
    code: Code.INVALID_ARGUMENT,
    field: /product\.product_labels\[0\]\.value/,
    inDetails: true,
  },
  {
    limit: '500 labels per product',
    at: (c) =>
      c.search
        .createProduct({
          parent: c.parent,
          productId: fresh(),
          product: product({ productLabels: Array.from({ length: 500 }, (_, i) => label(i, 3)) }),
        })
        .then((p) => assert.equal(p.productLabels.length, 500)),
    over: (c) =>
      refusal(
        c.search.createProduct({
          parent: c.parent,
          productId: fresh(),
          product: product({ productLabels: Array.from({ length: 501 }, (_, i) => label(i, 3)) }),
        }),
      ),
    code: Code.INVALID_ARGUMENT,
    field: /product\.product_labels/,
    inDetails: true,
  },
  {
    limit: '10 bounding polys per reference image',
    at: async (c) => {
      const p = await c.search.createProduct({ parent: c.parent, productId: fresh(), product: product() });
      const r = await c.search.createReferenceImage({
        parent: p.name,
        referenceImageId: fresh(),
        referenceImage: { uri: 'gs://lim/ref.png', boundingPolys: Array(10).fill(poly) },
      });
      assert.equal(r.boundingPolys.length, 10);
    },
    over: async (c) => {
      const p = await c.search.createProduct({ parent: c.parent, productId: fresh(), product: product() });
      return refusal(
        c.search.createReferenceImage({
          parent: p.name,
          referenceImageId: 'over',
          referenceImage: { uri: 'gs://lim/ref.png', boundingPolys: Array(11).fill(poly) },
        }),
      );
    },
    code: Code.INVALID_ARGUMENT,
    field: /reference_image\.bounding_polys/,
    inDetails: true,
  },
  {
    // AddProductToProductSet in product_search_service.proto: "One Product can be added to at most 100 ProductSets."
    // Google's quotas page (https://cloud.google.com/vision/product-search/quotas) says 5; the emulator keeps the
    // proto's 100, a documented difference (docs/emulator.md, "Where the emulator differs from Google").
    limit: '100 product sets per product',
    at: async (c) => {
      const p = await c.search.createProduct({ parent: c.parent, productId: 'in-100', product: product() });
      for (let i = 0; i < 100; i++) await c.search.addProductToProductSet({ name: `${c.parent}/productSets/set-${i}`, product: p.name });
    },
    over: (c) =>
      refusal(c.search.addProductToProductSet({ name: `${c.parent}/productSets/set-100`, product: `${c.parent}/products/in-100` })),
    code: Code.FAILED_PRECONDITION,
    field: /100 product sets/,
  },
  {
    limit: 'page size at most 100, default 10 (ListProductSets)',
    at: async (c) => {
      assert.equal((await c.search.listProductSets({ parent: c.parent, pageSize: 100 })).productSets.length, 100);
      assert.equal((await c.search.listProductSets({ parent: c.parent })).productSets.length, 10);
    },
    over: (c) => refusal(c.search.listProductSets({ parent: c.parent, pageSize: 101 })),
    code: Code.INVALID_ARGUMENT,
    field: /page_size/,
    inDetails: true,
  },
  {
    limit: 'page size at most 100 (ListProducts, ListReferenceImages, ListProductsInProductSet, ListOperations)',
    at: async (c) => {
      await c.search.listProducts({ parent: c.parent, pageSize: 100 });
      await c.search.listReferenceImages({ parent: `${c.parent}/products/in-100`, pageSize: 100 });
      await c.search.listProductsInProductSet({ name: `${c.parent}/productSets/set-0`, pageSize: 100 });
      await c.ops.listOperations({ name: 'operations', pageSize: 100 });
    },
    over: async (c) => {
      const all = [
        await refusal(c.search.listProducts({ parent: c.parent, pageSize: 101 })),
        await refusal(c.search.listReferenceImages({ parent: `${c.parent}/products/in-100`, pageSize: 101 })),
        await refusal(c.search.listProductsInProductSet({ name: `${c.parent}/productSets/set-0`, pageSize: 101 })),
        await refusal(c.ops.listOperations({ name: 'operations', pageSize: 101 })),
      ];
      for (const r of all.slice(1)) assert.deepEqual([r.code, r.fields], [all[0]!.code, all[0]!.fields]);
      return all[0]!;
    },
    code: Code.INVALID_ARGUMENT,
    field: /page_size/,
    inDetails: true,
  },
];

describe('reliability: every documented limit, at the limit and one over, on both transports', function () {
  this.timeout(60_000);
  let t: TestEmulator;
  const clients = new Map<Wire, Clients>();
  const transports: Transport[] = [];

  before(async () => {
    t = await startTestEmulator({ opStepMs: 0 });
    await upload(
      t.emu,
      'lim',
      'ok.png',
      await sharp({ create: { width: 64, height: 48, channels: 3, background: { r: 10, g: 120, b: 200 } } })
        .png()
        .toBuffer(),
      'image/png',
    );
    await upload(
      t.emu,
      'lim',
      'ref.png',
      await sharp({ create: { width: 400, height: 400, channels: 3, background: { r: 200, g: 120, b: 10 } } })
        .png()
        .toBuffer(),
      'image/png',
    );
    const exact = await pngOfSize(IMAGE_LIMIT);
    await upload(t.emu, 'lim', 'exact.png', exact, 'image/png');
    await upload(
      t.emu,
      'lim',
      'over.png',
      Buffer.concat([exact.subarray(0, 33), Buffer.from([0, 0, 0, 1, 0x76, 0x6b, 0x50, 0x65, 0x2a]), Buffer.alloc(4), exact.subarray(33)]),
      'image/png',
    );
    await upload(
      t.emu,
      'lim',
      'six.pdf',
      colorPagesPdf(Array.from({ length: 6 }, (_, i) => [i / 6, 0.5, 0.5] as const)),
      'application/pdf',
    );
    for (const wire of WIRES) {
      const transport =
        wire === 'grpc' ? createGrpcTransport({ endpoint: t.emu.grpcAddress }) : createRestTransport({ baseUrl: t.emu.httpUrl });
      transports.push(transport);
      const c: Clients = {
        wire,
        parent: `projects/lim-${wire}/locations/us-west1`,
        images: createRawClient(ImageAnnotator, transport),
        search: createRawClient(ProductSearch, transport),
        ops: createRawClient(Operations, transport),
      };
      clients.set(wire, c);
      for (let i = 0; i <= 100; i++)
        await c.search.createProductSet({ parent: c.parent, productSetId: `set-${i}`, productSet: { displayName: `set ${i}` } });
    }
  });
  after(async () => {
    for (const tr of transports) tr.close();
    await t.close();
  });

  for (const c of CASES) {
    it(`${c.limit}: at the limit ok; one over ${codeName(c.code)} naming ${c.field.source}, alike on gRPC and REST`, async () => {
      const seen: Refusal[] = [];
      for (const wire of WIRES) {
        const cl = clients.get(wire)!;
        await c.at(cl);
        const r = await c.over(cl);
        assert.equal(r.code, c.code, `${wire}: ${codeName(r.code)} ${r.message}`);
        assert.match(r.message, c.field, `${wire}: the message names the field`);
        if (c.inDetails)
          assert.ok(
            r.fields.some((f) => c.field.test(f)),
            `${wire}: BadRequest names the field (${JSON.stringify(r.fields)})`,
          );
        seen.push({ ...r, message: r.message.replaceAll(`lim-${wire}`, 'lim-WIRE') });
      }
      assert.deepEqual(seen[1], seen[0], 'the same refusal on gRPC and REST');
    });
  }

  it('16 crop-hint aspect ratios: 16 give 16 hints; any after the 16th are ignored (the proto comment), alike on gRPC and REST', async () => {
    const got: unknown[] = [];
    for (const wire of WIRES) {
      const images = clients.get(wire)!.images;
      const at = await images.batchAnnotateImages({ requests: [cropHints(16)] });
      const over = await images.batchAnnotateImages({ requests: [cropHints(17)] });
      assert.equal(at.responses[0]?.cropHintsAnnotation?.cropHints.length, 16, wire);
      assert.equal(over.responses[0]?.error, undefined, wire);
      assert.deepEqual(over.responses[0]?.cropHintsAnnotation, at.responses[0]?.cropHintsAnnotation, `${wire}: the 17th ratio is ignored`);
      got.push(over.responses[0]);
    }
    assert.deepEqual(got[1], got[0]);
  });

  it(`a REST body of exactly 10 MiB is read; one byte more is 413 INVALID_ARGUMENT naming the limit, and the server carries on`, async () => {
    const json = JSON.stringify({ requests: [gsImage('gs://lim/ok.png')] });
    const at = json + ' '.repeat(BODY_LIMIT - json.length);
    const ok = await fetch(`${t.emu.httpUrl}/v1p4beta1/images:annotate`, { method: 'POST', body: at });
    assert.equal(ok.status, 200, (await ok.clone().text()).slice(0, 300));
    const res = await fetch(`${t.emu.httpUrl}/v1p4beta1/images:annotate`, { method: 'POST', body: `${at} ` });
    assert.equal(res.status, 413);
    const body = (await res.json()) as { error: { status: string; message: string } };
    assert.equal(body.error.status, 'INVALID_ARGUMENT');
    assert.match(body.error.message, new RegExp(String(BODY_LIMIT)));
    assert.equal((await fetch(`${t.emu.httpUrl}/v1/operations`)).status, 200);
  });

  it('a gRPC message of exactly 10 MiB is read; one byte more is RESOURCE_EXHAUSTED naming the limit, and the server carries on', async () => {
    const client = new grpc.Client(t.emu.grpcAddress, grpc.credentials.createInsecure(), { 'grpc.max_send_message_length': 64 * MiB });
    const call = (bytes: Buffer) =>
      new Promise<BatchAnnotateImagesResponse>((resolve, reject) =>
        client.makeUnaryRequest(
          '/google.cloud.vision.v1p4beta1.ImageAnnotator/BatchAnnotateImages',
          (b: Buffer) => b,
          (b: Buffer) => BatchAnnotateImagesResponse.decode(b),
          bytes,
          (err, v) => (err ? reject(err) : resolve(v!)),
        ),
      );
    const message = (n: number) =>
      Buffer.from(
        BatchAnnotateImagesRequest.encode(
          BatchAnnotateImagesRequest.fromPartial({ requests: [{ image: { content: new Uint8Array(n) } }] }),
        ).finish(),
      );
    let n = BODY_LIMIT - 16;
    while (message(n).length < BODY_LIMIT) n++;
    try {
      assert.equal(message(n).length, BODY_LIMIT);
      const ok = await call(message(n));
      assert.equal(ok.responses.length, 1, 'accepted (the image itself is refused in its own error)');
      const e = (await call(message(n + 1)).catch((err: grpc.ServiceError) => err)) as grpc.ServiceError;
      assert.equal(e.code, grpc.status.RESOURCE_EXHAUSTED);
      assert.match(e.details, new RegExp(String(BODY_LIMIT)));
      assert.equal((await call(message(10))).responses.length, 1);
    } finally {
      client.close();
    }
  });

  it('our clients refuse an oversized request clearly on both transports (gRPC before sending, REST from the 413)', async () => {
    for (const wire of WIRES) {
      const r = await refusal(
        clients.get(wire)!.images.batchAnnotateImages({ requests: [{ image: { content: new Uint8Array(BODY_LIMIT) } }] }),
      );
      assert.equal(r.code, wire === 'grpc' ? Code.RESOURCE_EXHAUSTED : Code.INVALID_ARGUMENT, r.message);
      assert.match(r.message, /10485760|larger than max|exceeds the limit/, r.message);
    }
  });
});

describe('reliability: 30 MB requests against `vision-kit emulator` (a child process)', function () {
  this.timeout(60_000);

  it('refuses three 30 MB REST bodies and three 30 MB gRPC messages at once, keeps answering, and its peak RSS grows by less than 64 MB', async () => {
    const dir = await tempDir('vk-big-');
    const emu = await spawnEmulator(['--grpc-port', '0', '--http-port', '0', '--data-dir', dir]);
    const memory = (): { peak: number; rss: number } => {
      const status = readFileSync(`/proc/${emu.child.pid}/status`, 'utf8');
      const kb = (name: string): number => Number(new RegExp(`^${name}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN);
      return { peak: kb('VmHWM') * 1024, rss: kb('VmRSS') * 1024 };
    };
    const client = new grpc.Client(emu.ready.grpc, grpc.credentials.createInsecure(), { 'grpc.max_send_message_length': -1 });
    try {
      assert.equal((await fetch(`${emu.ready.http}/v1/operations`)).status, 200);
      const before = memory();
      const big = Buffer.alloc(30 * MiB, 0x20);
      const rest = Array.from(
        { length: 3 },
        async () => (await fetch(`${emu.ready.http}/v1p4beta1/images:annotate`, { method: 'POST', body: big })).status,
      );
      const viaGrpc = Array.from(
        { length: 3 },
        () =>
          new Promise<number | undefined>((resolve) =>
            client.makeUnaryRequest(
              '/google.cloud.vision.v1p4beta1.ImageAnnotator/BatchAnnotateImages',
              (b: Buffer) => b,
              (b: Buffer) => b,
              big,
              (err) => resolve(err?.code),
            ),
          ),
      );
      assert.deepEqual(await Promise.all(rest), [413, 413, 413]);
      assert.deepEqual(await Promise.all(viaGrpc), [
        grpc.status.RESOURCE_EXHAUSTED,
        grpc.status.RESOURCE_EXHAUSTED,
        grpc.status.RESOURCE_EXHAUSTED,
      ]);
      const after = memory();
      assert.equal((await fetch(`${emu.ready.http}/v1/operations`)).status, 200, 'still answering over REST');
      const ok = await new Promise<grpc.ServiceError | null>((resolve) =>
        client.makeUnaryRequest(
          '/google.longrunning.Operations/ListOperations',
          (b: Buffer) => b,
          (b: Buffer) => b,
          Buffer.alloc(0),
          (err) => resolve(err),
        ),
      );
      assert.equal(ok, null, 'still answering over gRPC');
      const grewMb = (after.peak - before.peak) / MiB;
      process.stderr.write(
        `      30 MB × 6 refused: peak RSS ${Math.round(before.peak / MiB)} → ${Math.round(after.peak / MiB)} MB (+${grewMb.toFixed(1)} MB)\n`,
      );
      assert.ok(grewMb < 64, `peak RSS grew by ${grewMb.toFixed(1)} MB`);
    } finally {
      client.close();
      emu.child.kill('SIGTERM');
      await emu.exited;
      await rm(dir, { recursive: true, force: true });
    }
  });
});
