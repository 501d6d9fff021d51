import assert from 'node:assert/strict';
import {
  AnnotateFileRequest,
  type AnnotateFileResponse,
  Feature_Type,
} from 'vision-kit/gen/google/cloud/vision/v1p4beta1/image_annotator.js';
import { annotateFile, annotateImage } from '../../../src/emulator/annotators/index.js';
import { feature, imageRequest, makeDeps } from './deps.js';
import { colorPagesPdf } from './pdf-builder.js';
import { animatedGif, multiPageTiff } from './synthetic-images.js';

const IMAGE_PROPERTIES = Feature_Type.IMAGE_PROPERTIES;
const RGB: Record<string, [number, number, number]> = {
  red: [255, 0, 0],
  lime: [0, 255, 0],
  blue: [0, 0, 255],
  yellow: [255, 255, 0],
  magenta: [255, 0, 255],
  cyan: [0, 255, 255],
  black: [0, 0, 0],
};

/** The dominant color of each page's response, as a color name. */
function pageColors(res: AnnotateFileResponse): string[] {
  return res.responses.map((r) => {
    assert.equal(r.error, undefined, r.error?.message);
    const c = r.imagePropertiesAnnotation?.dominantColors?.colors[0]?.color;
    const found = Object.entries(RGB).find(
      ([, [red, green, blue]]) =>
        Math.abs((c?.red ?? -99) - red) < 10 && Math.abs((c?.green ?? -99) - green) < 10 && Math.abs((c?.blue ?? -99) - blue) < 10,
    );
    return found?.[0] ?? JSON.stringify(c);
  });
}

function fileRequest(content: Uint8Array, mimeType: string, pages: number[] = [], uri = ''): AnnotateFileRequest {
  return AnnotateFileRequest.fromPartial({
    inputConfig: uri ? { gcsSource: { uri }, mimeType } : { content, mimeType },
    features: [feature(IMAGE_PROPERTIES)],
    pages,
  });
}

const colorsOf = (names: string[]) =>
  names.map((n) => (RGB[n] as [number, number, number]).map((v) => v / 255) as [number, number, number]);

describe('annotators: files (PDF, TIFF, GIF)', function () {
  this.timeout(20_000);
  const threeColors = ['red', 'lime', 'blue'];
  const sixColors = ['red', 'lime', 'blue', 'yellow', 'magenta', 'cyan'];
  const kinds: Array<{ name: string; mimeType: string; make: (colors: string[]) => Promise<Uint8Array> }> = [
    { name: 'PDF', mimeType: 'application/pdf', make: async (c) => colorPagesPdf(colorsOf(c)) },
    { name: 'GIF', mimeType: 'image/gif', make: (c) => animatedGif(c) },
    { name: 'TIFF', mimeType: 'image/tiff', make: (c) => multiPageTiff(c) },
  ];

  for (const kind of kinds) {
    describe(kind.name, () => {
      it('gives 3 responses for 3 pages, in page order, with context and totalPages', async () => {
        const bytes = await kind.make(threeColors);
        const res = await annotateFile(fileRequest(bytes, kind.mimeType), makeDeps());
        assert.equal(res.error, undefined, res.error?.message);
        assert.equal(res.totalPages, 3);
        assert.deepEqual(pageColors(res), threeColors);
        assert.deepEqual(
          res.responses.map((r) => r.context?.pageNumber),
          [1, 2, 3],
        );
        assert.equal(res.inputConfig?.mimeType, kind.mimeType);
        assert.equal(res.inputConfig?.content.length, 0, 'content is not echoed');
      });

      it('takes the first five pages by default, and pages as listed with negative numbers from the end', async () => {
        const bytes = await kind.make(sixColors);
        const all = await annotateFile(fileRequest(bytes, kind.mimeType), makeDeps());
        assert.equal(all.totalPages, 6);
        assert.deepEqual(pageColors(all), sixColors.slice(0, 5));
        const picked = await annotateFile(fileRequest(bytes, kind.mimeType, [-1, 2, -6]), makeDeps());
        assert.deepEqual(pageColors(picked), ['cyan', 'lime', 'red']);
        assert.deepEqual(
          picked.responses.map((r) => r.context?.pageNumber),
          [6, 2, 1],
        );
      });

      for (const pages of [[4], [-4], [0], [1, 2, 3, 1, 2, 3]]) {
        it(`answers pages ${JSON.stringify(pages)} of a 3-page file with a per-file INVALID_ARGUMENT`, async () => {
          const bytes = await kind.make(threeColors);
          const res = await annotateFile(fileRequest(bytes, kind.mimeType, pages), makeDeps(), { label: 'requests[1]' });
          assert.equal(res.error?.code, 3);
          assert.match(res.error?.message ?? '', /^requests\[1\]: pages/);
          assert.deepEqual(res.responses, []);
          assert.equal(res.totalPages, 3);
        });
      }
    });
  }

  it('annotates the first frame of a GIF (and first page of a TIFF) sent to images:annotate', async () => {
    for (const bytes of [await animatedGif(['blue', 'red', 'lime']), await multiPageTiff(['yellow', 'red'])]) {
      const res = await annotateImage(imageRequest({ image: { content: bytes }, features: [feature(IMAGE_PROPERTIES)] }), makeDeps());
      const colors = res.imagePropertiesAnnotation?.dominantColors?.colors ?? [];
      assert.equal(colors.length, 1, JSON.stringify(colors));
    }
    const gif = await annotateImage(
      imageRequest({ image: { content: await animatedGif(['blue', 'red']) }, features: [feature(IMAGE_PROPERTIES)] }),
      makeDeps(),
    );
    assert.deepEqual(gif.imagePropertiesAnnotation?.dominantColors?.colors[0]?.color, { red: 0, green: 0, blue: 255, alpha: undefined });
  });

  it('reads a file from gs:// and names it in each page context', async () => {
    const uri = 'gs://in/doc.pdf';
    const objects = new Map([[uri, colorPagesPdf(colorsOf(['blue', 'red']))]]);
    const res = await annotateFile(fileRequest(new Uint8Array(), 'application/pdf', [], uri), makeDeps({ objects }));
    assert.deepEqual(pageColors(res), ['blue', 'red']);
    assert.deepEqual(
      res.responses.map((r) => r.context),
      [
        { uri, pageNumber: 1 },
        { uri, pageNumber: 2 },
      ],
    );
    assert.deepEqual(res.inputConfig?.gcsSource, { uri });
  });

  const broken: Array<{ name: string; mimeType: string; bytes: () => Promise<Uint8Array>; message: RegExp }> = [
    {
      name: 'a PDF that will not open',
      mimeType: 'application/pdf',
      bytes: async () => new TextEncoder().encode('%PDF-1.7\nthis is not a PDF body\n'),
      message: /PDF could not be opened/,
    },
    {
      name: 'a GIF sent as application/pdf',
      mimeType: 'application/pdf',
      bytes: () => animatedGif(['red', 'blue']),
      message: /not application\/pdf/,
    },
    {
      name: 'a PNG sent as image/tiff',
      mimeType: 'image/tiff',
      bytes: async () => new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0]),
      message: /not image\/tiff/,
    },
    {
      name: 'an unsupported MIME type',
      mimeType: 'image/png',
      bytes: () => animatedGif(['red', 'blue']),
      message: /mimeType must be one of/,
    },
    {
      name: 'a truncated GIF',
      mimeType: 'image/gif',
      bytes: async () => (await animatedGif(['red', 'blue'], 200, 200)).subarray(0, 60),
      message: /could not be decoded/,
    },
  ];
  for (const b of broken) {
    it(`answers ${b.name} with a per-file INVALID_ARGUMENT naming it`, async () => {
      const res = await annotateFile(fileRequest(await b.bytes(), b.mimeType), makeDeps(), { label: 'requests[0]' });
      assert.equal(res.error?.code, 3, JSON.stringify(res.error));
      assert.match(res.error?.message ?? '', /^requests\[0\]: /);
      assert.match(res.error?.message ?? '', b.message);
      assert.deepEqual(res.responses, []);
    });
  }

  it('answers a missing gs:// object with NOT_FOUND and refuses non-gs URIs', async () => {
    const missing = await annotateFile(fileRequest(new Uint8Array(), 'application/pdf', [], 'gs://in/missing.pdf'), makeDeps());
    assert.equal(missing.error?.code, 5);
    assert.match(missing.error?.message ?? '', /^gs:\/\/in\/missing\.pdf/);
    for (const uri of ['https://example.com/a.pdf', '/etc/passwd', 'file:///etc/passwd']) {
      const res = await annotateFile(fileRequest(new Uint8Array(), 'application/pdf', [], uri), makeDeps());
      assert.equal(res.error?.code, 3, uri);
    }
  });
});
