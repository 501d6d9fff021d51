import assert from 'node:assert/strict';
import sharp from 'sharp';
import { Feature_Type } from 'vision-kit/gen/google/cloud/vision/v1p4beta1/image_annotator.js';
import { annotateImage } from '../../../src/emulator/annotators/index.js';
import { feature, imageRequest, makeDeps } from './deps.js';
import { productPhoto, split } from './synthetic-images.js';

const IMAGE_PROPERTIES = Feature_Type.IMAGE_PROPERTIES;

describe('annotators: IMAGE_PROPERTIES', () => {
  it('reports both colors of a 75 % red / 25 % blue image with pixel fractions within 0.02', async () => {
    const image = await split(400, 300, '#ff0000', '#0000ff', 0.75);
    const res = await annotateImage(imageRequest({ image: { content: image }, features: [feature(IMAGE_PROPERTIES)] }), makeDeps());
    assert.equal(res.error, undefined);
    const colors = res.imagePropertiesAnnotation?.dominantColors?.colors ?? [];
    const near = (r: number, g: number, b: number) =>
      colors.find(
        (c) =>
          Math.abs((c.color?.red ?? -1) - r) < 16 && Math.abs((c.color?.green ?? -1) - g) < 16 && Math.abs((c.color?.blue ?? -1) - b) < 16,
      );
    const red = near(255, 0, 0);
    const blue = near(0, 0, 255);
    assert.ok(red, `red missing in ${JSON.stringify(colors)}`);
    assert.ok(blue, `blue missing in ${JSON.stringify(colors)}`);
    assert.ok(Math.abs(red.pixelFraction - 0.75) <= 0.02, `red fraction ${red.pixelFraction}`);
    assert.ok(Math.abs(blue.pixelFraction - 0.25) <= 0.02, `blue fraction ${blue.pixelFraction}`);
    assert.equal(colors[0], red, 'the larger color ranks first');
  });

  it('survives JPEG re-encoding: fractions of a 60/40 green/yellow JPEG stay within 0.02', async () => {
    const png = await split(300, 200, '#20a040', '#f0d020', 0.6);
    const jpeg = await sharp(png).jpeg({ quality: 70 }).toBuffer();
    const res = await annotateImage(imageRequest({ image: { content: jpeg }, features: [feature(IMAGE_PROPERTIES)] }), makeDeps());
    const colors = res.imagePropertiesAnnotation?.dominantColors?.colors ?? [];
    assert.ok(colors.length >= 2);
    assert.ok(Math.abs((colors[0]?.pixelFraction ?? 0) - 0.6) <= 0.02, JSON.stringify(colors));
    assert.ok(Math.abs((colors[1]?.pixelFraction ?? 0) - 0.4) <= 0.02, JSON.stringify(colors));
  });

  it('gives scores and fractions in [0, 1], best score first, at most maxResults colors', async () => {
    const image = await productPhoto(7);
    const all = await annotateImage(imageRequest({ image: { content: image }, features: [feature(IMAGE_PROPERTIES)] }), makeDeps());
    const colors = all.imagePropertiesAnnotation?.dominantColors?.colors ?? [];
    assert.ok(colors.length >= 3 && colors.length <= 10, `got ${colors.length} colors`);
    for (const c of colors) {
      assert.ok(c.score >= 0 && c.score <= 1 && c.pixelFraction > 0 && c.pixelFraction <= 1);
      for (const channel of [c.color?.red, c.color?.green, c.color?.blue])
        assert.ok(Number.isInteger(channel) && channel! >= 0 && channel! <= 255);
    }
    for (let i = 1; i < colors.length; i++) assert.ok((colors[i - 1]?.score ?? 0) >= (colors[i]?.score ?? 0));
    const three = await annotateImage(imageRequest({ image: { content: image }, features: [feature(IMAGE_PROPERTIES, 3)] }), makeDeps());
    assert.deepEqual(three.imagePropertiesAnnotation?.dominantColors?.colors, colors.slice(0, 3));
  });

  it('weights the score towards the centre: a centred minority color scores above its pixel share', async () => {
    const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="300" height="300"><rect width="300" height="300" fill="#ffffff"/><rect x="100" y="100" width="100" height="100" fill="#c01010"/></svg>`;
    const res = await annotateImage(
      imageRequest({ image: { content: await sharp(Buffer.from(svg)).png().toBuffer() }, features: [feature(IMAGE_PROPERTIES)] }),
      makeDeps(),
    );
    const colors = res.imagePropertiesAnnotation?.dominantColors?.colors ?? [];
    const red = colors.find((c) => (c.color?.red ?? 0) > 150 && (c.color?.green ?? 255) < 60);
    assert.ok(red);
    assert.ok(Math.abs(red.pixelFraction - 1 / 9) <= 0.02);
    assert.ok(red.score > red.pixelFraction);
  });
});
