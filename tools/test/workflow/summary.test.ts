import assert from 'node:assert/strict';
import fc from 'fast-check';
import { messageFromJson } from 'vision-kit/codec';
import type { AnnotateImageResponse } from 'vision-kit/gen/google/cloud/vision/v1p4beta1/image_annotator.js';
import { colorName, hexColor } from '../../src/workflow/color-name.js';
import { summarizeImage } from '../../src/workflow/image-summary.js';

const response = (json: unknown): AnnotateImageResponse =>
  messageFromJson<AnnotateImageResponse>('google.cloud.vision.v1p4beta1.AnnotateImageResponse', json);

describe('workflow: color names and summaries', () => {
  const names: [string, [number, number, number]][] = [
    ['red', [216, 30, 30]],
    ['blue', [30, 60, 216]],
    ['green', [60, 141, 47]],
    ['yellow', [240, 220, 40]],
    ['orange', [240, 140, 20]],
    ['brown', [138, 69, 19]],
    ['purple', [130, 50, 200]],
    ['magenta', [200, 40, 160]],
    ['pink', [255, 190, 210]],
    ['cyan', [40, 200, 210]],
    ['black', [5, 5, 8]],
    ['white', [250, 250, 250]],
    ['gray', [128, 128, 130]],
    ['dark blue', [27, 27, 47]],
    ['light blue', [190, 215, 250]],
  ];
  for (const [want, [red, green, blue]] of names) {
    it(`names rgb(${red}, ${green}, ${blue}) "${want}"`, () => {
      assert.equal(colorName({ red, green, blue }), want);
    });
  }

  it('writes #rrggbb, rounding and clamping fractional channels', () => {
    assert.equal(hexColor({ red: 216, green: 30, blue: 30 }), '#d81e1e');
    assert.equal(hexColor({ red: 254.6, green: -3, blue: 300 }), '#ff00ff');
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 255 }), fc.integer({ min: 0, max: 255 }), fc.integer({ min: 0, max: 255 }), (r, g, b) => {
        const hex = hexColor({ red: r, green: g, blue: b });
        assert.deepEqual(
          [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16)),
          [r, g, b],
        );
        assert.ok(colorName({ red: r, green: g, blue: b }).length > 0);
      }),
      { seed: 42, numRuns: 300 },
    );
  });

  it('summarizes colors by share of pixels, crop hints as rectangles, products by score, other annotations as counts', () => {
    const s = summarizeImage(
      response({
        imagePropertiesAnnotation: {
          dominantColors: {
            colors: [
              { color: { red: 30, green: 60, blue: 216 }, score: 0.6, pixelFraction: 0.25 },
              { color: { red: 216, green: 30, blue: 30 }, score: 0.4, pixelFraction: 0.75 },
            ],
          },
        },
        cropHintsAnnotation: {
          cropHints: [
            {
              boundingPoly: { vertices: [{ x: 200 }, { x: 399 }, { x: 399, y: 199 }, { y: 199, x: 200 }] },
              confidence: 1,
              importanceFraction: 0.9,
            },
          ],
        },
        productSearchResults: {
          results: [
            { product: { name: 'projects/p/locations/us-west1/products/a', displayName: 'A' }, score: 0.4, image: 'i1' },
            {
              product: { name: 'projects/p/locations/us-west1/products/b', displayName: 'B', productCategory: 'toys-v2' },
              score: 0.9,
              image: 'i2',
            },
          ],
        },
        labelAnnotations: [{ description: 'flag' }, { description: 'red' }],
      }),
    );
    assert.deepEqual(
      s.colors.map((c) => [c.hex, c.name, c.pixelFraction]),
      [
        ['#d81e1e', 'red', 0.75],
        ['#1e3cd8', 'blue', 0.25],
      ],
    );
    assert.deepEqual(
      s.cropHints.map((h) => [h.left, h.top, h.right, h.bottom]),
      [[200, 0, 399, 199]],
    );
    assert.deepEqual(
      s.products.map((p) => [p.displayName, p.category]),
      [
        ['B', 'toys-v2'],
        ['A', ''],
      ],
    );
    assert.deepEqual(s.others, { labelAnnotations: 2 });
    assert.equal(s.error, undefined);
  });

  it('keeps the error of an image Vision could not annotate, and reads an empty response as nothing', () => {
    const s = summarizeImage(response({ error: { code: 3, message: 'requests[0]: bad image' } }));
    assert.deepEqual(s.error, { code: 3, message: 'requests[0]: bad image' });
    const empty = summarizeImage(response({}));
    assert.deepEqual([empty.colors, empty.cropHints, empty.products, empty.others, empty.error], [[], [], [], {}, undefined]);
  });
});
