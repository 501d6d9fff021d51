import assert from 'node:assert/strict';
import { type CropHint, Feature_Type } from 'vision-kit/gen/google/cloud/vision/v1p4beta1/image_annotator.js';
import { annotateImage, MAX_CROP_HINT_RATIOS } from '../../../src/emulator/annotators/index.js';
import { feature, imageRequest, makeDeps } from './deps.js';
import { brightObject, productPhoto } from './synthetic-images.js';

const CROP_HINTS = Feature_Type.CROP_HINTS;

/** The crop as [x0, y0, x1, y1], corners inclusive, checked to be an axis-aligned rectangle. */
function box(hint: CropHint): [number, number, number, number] {
  const v = hint.boundingPoly?.vertices ?? [];
  assert.equal(v.length, 4);
  const xs = v.map((p) => p.x);
  const ys = v.map((p) => p.y);
  const [x0, x1, y0, y1] = [Math.min(...xs), Math.max(...xs), Math.min(...ys), Math.max(...ys)];
  for (const p of v) assert.ok((p.x === x0 || p.x === x1) && (p.y === y0 || p.y === y1), 'vertices are the rectangle corners');
  return [x0, y0, x1, y1];
}

async function hints(image: Buffer, ratios: number[] | undefined): Promise<CropHint[]> {
  const res = await annotateImage(
    imageRequest({
      image: { content: image },
      features: [feature(CROP_HINTS)],
      imageContext: ratios ? { cropHintsParams: { aspectRatios: ratios } } : {},
    }),
    makeDeps(),
  );
  assert.equal(res.error, undefined, res.error?.message);
  return res.cropHintsAnnotation?.cropHints ?? [];
}

describe('annotators: CROP_HINTS', () => {
  const cases: Array<{ name: string; width: number; height: number }> = [
    { name: 'a landscape image', width: 640, height: 360 },
    { name: 'a portrait image', width: 300, height: 500 },
    { name: 'a square image', width: 400, height: 400 },
  ];
  for (const { name, width, height } of cases) {
    it(`returns 1:1 and 16:9 crops of those ratios (±1 %) inside ${name}`, async () => {
      const image = await productPhoto(width + height, width, height);
      const result = await hints(image, [1, 16 / 9]);
      assert.equal(result.length, 2);
      for (const [i, ratio] of [1, 16 / 9].entries()) {
        const [x0, y0, x1, y1] = box(result[i] as CropHint);
        const w = x1 - x0 + 1;
        const h = y1 - y0 + 1;
        assert.ok(Math.abs(w / h / ratio - 1) <= 0.01, `ratio ${w}/${h} for ${ratio}`);
        assert.ok(x0 >= 0 && y0 >= 0 && x1 < width && y1 < height, `crop ${[x0, y0, x1, y1]} inside ${width}×${height}`);
        assert.ok(w === width || h === height, 'the crop is the largest of its ratio');
        const hint = result[i] as CropHint;
        assert.ok(hint.confidence >= 0 && hint.confidence <= 1);
        assert.ok(hint.importanceFraction >= 0 && hint.importanceFraction <= 1);
      }
    });
  }

  const objects: Array<{ name: string; width: number; height: number; cx: number; cy: number; ratio: number }> = [
    { name: 'near the right edge, square crop', width: 600, height: 300, cx: 530, cy: 150, ratio: 1 },
    { name: 'near the left edge, 1:2 crop', width: 600, height: 300, cx: 60, cy: 200, ratio: 0.5 },
    { name: 'near the bottom of a portrait image, 16:9 crop', width: 300, height: 600, cx: 150, cy: 540, ratio: 16 / 9 },
    { name: 'near the top, 4:3 crop', width: 400, height: 800, cx: 300, cy: 90, ratio: 4 / 3 },
  ];
  for (const o of objects) {
    it(`places the crop over the one bright object (${o.name})`, async () => {
      const r = 30;
      const [hint] = await hints(await brightObject(o.width, o.height, o.cx, o.cy, r), [o.ratio]);
      const [x0, y0, x1, y1] = box(hint as CropHint);
      assert.ok(
        x0 <= o.cx - r && x1 >= o.cx + r - 1 && y0 <= o.cy - r && y1 >= o.cy + r - 1,
        `crop ${[x0, y0, x1, y1]} misses the object at ${o.cx},${o.cy}`,
      );
      assert.ok((hint as CropHint).importanceFraction > 0.9, `importance ${(hint as CropHint).importanceFraction}`);
      assert.ok((hint as CropHint).confidence > 0.9);
    });
  }

  it('defaults to one 1:1 crop and ignores ratios after the 16th', async () => {
    const image = await productPhoto(3, 320, 240);
    const [only, ...rest] = await hints(image, undefined);
    assert.equal(rest.length, 0);
    const [x0, y0, x1, y1] = box(only as CropHint);
    assert.equal(x1 - x0, y1 - y0);
    const many = Array.from({ length: MAX_CROP_HINT_RATIOS + 4 }, (_, i) => 0.5 + i * 0.1);
    assert.equal((await hints(image, many)).length, MAX_CROP_HINT_RATIOS);
  });

  it('refuses a ratio that is not a positive number, naming it', async () => {
    const res = await annotateImage(
      imageRequest({
        image: { content: await productPhoto(4) },
        features: [feature(CROP_HINTS)],
        imageContext: { cropHintsParams: { aspectRatios: [1, -2] } },
      }),
      makeDeps(),
      { label: 'requests[0]' },
    );
    assert.equal(res.error?.code, 3);
    assert.match(res.error?.message ?? '', /^requests\[0\]: .*aspectRatios\[1\]/);
  });
});
