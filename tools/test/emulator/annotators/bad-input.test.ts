import assert from 'node:assert/strict';
import sharp from 'sharp';
import { type AnnotateImageRequest, Feature_Type } from 'vision-kit/gen/google/cloud/vision/v1p4beta1/image_annotator.js';
import { annotateImage, MAX_IMAGE_BYTES } from '../../../src/emulator/annotators/index.js';
import { feature, imageRequest, makeDeps } from './deps.js';
import { colorPagesPdf } from './pdf-builder.js';
import { productPhoto, split } from './synthetic-images.js';

const features = [feature(Feature_Type.IMAGE_PROPERTIES), feature(Feature_Type.LABEL_DETECTION)];

describe('annotators: bad input gives a per-image error while the rest of the batch is answered', function () {
  this.timeout(20_000);

  it('answers each bad image with INVALID_ARGUMENT or NOT_FOUND naming it, and every good one', async () => {
    const good = await split(200, 100, '#ff0000', '#0000ff', 0.5);
    const jpeg = await sharp(await productPhoto(11))
      .jpeg()
      .toBuffer();
    const png = await productPhoto(12);
    const oversize = new Uint8Array(MAX_IMAGE_BYTES + 1);
    oversize.set(jpeg.subarray(0, 64));
    const svg = new TextEncoder().encode(
      '<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><image href="file:///etc/passwd"/></svg>',
    );
    const objects = new Map<string, Uint8Array>([['gs://bucket/good.png', good]]);

    const batch: Array<{ request: AnnotateImageRequest; code: number; message?: RegExp }> = [
      { request: imageRequest({ image: { content: good }, features }), code: 0 },
      {
        request: imageRequest({ image: { content: new TextEncoder().encode('hello, not an image') }, features }),
        code: 3,
        message: /not an image/,
      },
      {
        request: imageRequest({ image: { content: jpeg.subarray(0, Math.floor(jpeg.length / 2)) }, features }),
        code: 3,
        message: /could not be decoded/,
      },
      {
        request: imageRequest({ image: { content: png.subarray(0, Math.floor(png.length / 2)) }, features }),
        code: 3,
        message: /could not be decoded/,
      },
      { request: imageRequest({ image: { content: oversize }, features }), code: 3, message: /over the limit/ },
      { request: imageRequest({ image: { content: colorPagesPdf([[1, 0, 0]]) }, features }), code: 3, message: /files:annotate/ },
      { request: imageRequest({ image: { content: svg }, features }), code: 3, message: /not an image/ },
      { request: imageRequest({ image: { source: { imageUri: 'https://example.com/cat.jpg' } }, features }), code: 3, message: /http/ },
      { request: imageRequest({ image: { source: { imageUri: 'file:///etc/hosts' } }, features }), code: 3, message: /not a gs:\/\/ URI/ },
      { request: imageRequest({ image: { source: { gcsImageUri: '/etc/hosts' } }, features }), code: 3, message: /not a gs:\/\/ URI/ },
      { request: imageRequest({ image: { source: { imageUri: 'gs://bucket-only' } }, features }), code: 3, message: /must name an object/ },
      { request: imageRequest({ image: { source: { imageUri: 'gs://bucket/missing.png' } }, features }), code: 5, message: /missing\.png/ },
      { request: imageRequest({ image: {}, features }), code: 3, message: /no image/ },
      {
        request: imageRequest({
          image: { source: { imageUri: 'gs://bucket/good.png', gcsImageUri: 'gs://bucket/missing.png' } },
          features,
        }),
        code: 0,
      },
      { request: imageRequest({ image: { content: jpeg }, features }), code: 0 },
      // content takes precedence over a source (which would be refused here).
      { request: imageRequest({ image: { content: png, source: { imageUri: 'https://example.com/x.png' } }, features }), code: 0 },
    ];
    const deps = makeDeps({ objects });
    const responses = await Promise.all(batch.map((b, i) => annotateImage(b.request, deps, { label: `requests[${i}]` })));
    responses.forEach((res, i) => {
      const want = batch[i] as (typeof batch)[number];
      if (want.code === 0) {
        assert.equal(res.error, undefined, `requests[${i}]: ${res.error?.message}`);
        assert.ok((res.imagePropertiesAnnotation?.dominantColors?.colors.length ?? 0) > 0, `requests[${i}] answered`);
      } else {
        assert.equal(res.error?.code, want.code, `requests[${i}]: ${JSON.stringify(res.error)}`);
        assert.match(res.error?.message ?? '', new RegExp(`^requests\\[${i}\\]: `));
        assert.match(res.error?.message ?? '', want.message ?? /./);
        assert.equal(res.imagePropertiesAnnotation, undefined);
      }
    });
  });

  it('names an image by its URI when the caller gives no label', async () => {
    const res = await annotateImage(imageRequest({ image: { source: { imageUri: 'gs://bucket/nothing.jpg' } }, features }), makeDeps());
    assert.match(res.error?.message ?? '', /^gs:\/\/bucket\/nothing\.jpg/);
  });

  it('keeps the features that worked when another fails (error set, annotations still filled)', async () => {
    const res = await annotateImage(
      imageRequest({
        image: { content: await productPhoto(13) },
        features: [feature(Feature_Type.PRODUCT_SEARCH), feature(Feature_Type.IMAGE_PROPERTIES)],
        imageContext: { productSearchParams: { productSet: 'projects/p/locations/us-west1/productSets/none' } },
      }),
      makeDeps(),
    );
    assert.equal(res.error?.code, 5);
    assert.ok((res.imagePropertiesAnnotation?.dominantColors?.colors.length ?? 0) > 0);
  });

  it('decodes grayscale, 16-bit, transparent, EXIF-rotated and WebP/TIFF/GIF images', async () => {
    const base = await productPhoto(14, 120, 80);
    const variants: Array<[string, Buffer, [number, number]]> = [
      ['grayscale PNG', await sharp(base).greyscale().png().toBuffer(), [120, 80]],
      ['16-bit PNG', await sharp(base).toColourspace('rgb16').png().toBuffer(), [120, 80]],
      ['transparent PNG', await sharp(base).ensureAlpha(0.3).png().toBuffer(), [120, 80]],
      ['EXIF orientation 6 JPEG', await sharp(base).jpeg().withMetadata({ orientation: 6 }).toBuffer(), [80, 120]],
      ['WebP', await sharp(base).webp().toBuffer(), [120, 80]],
      ['TIFF', await sharp(base).tiff().toBuffer(), [120, 80]],
      ['GIF', await sharp(base).gif().toBuffer(), [120, 80]],
    ];
    for (const [name, bytes, [w, h]] of variants) {
      const res = await annotateImage(
        imageRequest({
          image: { content: bytes },
          features: [feature(Feature_Type.CROP_HINTS)],
          imageContext: { cropHintsParams: { aspectRatios: [100] } },
        }),
        makeDeps(),
      );
      assert.equal(res.error, undefined, `${name}: ${res.error?.message}`);
      // A very wide crop spans the full width of the (oriented) image.
      const xs = res.cropHintsAnnotation?.cropHints[0]?.boundingPoly?.vertices.map((v) => v.x) ?? [];
      assert.equal(Math.max(...xs) + 1, w, name);
      assert.ok(h > 0);
    }
  });

  it('rejects with CANCELLED when the signal aborts', async () => {
    const controller = new AbortController();
    controller.abort();
    await assert.rejects(
      annotateImage(imageRequest({ image: { content: await productPhoto(15) }, features }), makeDeps({ signal: controller.signal })),
      { code: 1 },
    );
  });
});
