import assert from 'node:assert/strict';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AnnotateFileRequest, AnnotateImageResponse, Feature_Type } from 'vision-kit/gen/google/cloud/vision/v1p4beta1/image_annotator.js';
import { annotateFile, annotateImage, createFixtureStore, loadFixtures, sha256Hex } from '../../../src/emulator/annotators/index.js';
import { feature, imageRequest, makeDeps } from './deps.js';
import { animatedGif, productPhoto } from './synthetic-images.js';

const labels = (...names: string[]) =>
  names.map((description, i) => ({ mid: `/m/${i}`, description, score: 0.9 - i * 0.1, topicality: 0.9 - i * 0.1 }));

describe('annotators: ML-only features from fixtures', () => {
  it('returns the fixture of an image hash for LABEL_DETECTION, and nothing without one', async () => {
    const image = await productPhoto(21);
    const other = await productPhoto(22);
    const fixtures = createFixtureStore([
      [
        sha256Hex(image).toUpperCase(),
        AnnotateImageResponse.fromPartial({ labelAnnotations: labels('Shoe', 'Footwear', 'Sneakers'), logoAnnotations: labels('Acme') }),
      ],
    ]);
    const deps = makeDeps({ fixtures });
    const hit = await annotateImage(imageRequest({ image: { content: image }, features: [feature(Feature_Type.LABEL_DETECTION)] }), deps);
    assert.deepEqual(
      hit.labelAnnotations.map((l) => l.description),
      ['Shoe', 'Footwear', 'Sneakers'],
    );
    assert.deepEqual(hit.logoAnnotations, [], 'only the requested feature is copied');
    const capped = await annotateImage(
      imageRequest({ image: { content: image }, features: [feature(Feature_Type.LABEL_DETECTION, 2)] }),
      deps,
    );
    assert.deepEqual(
      capped.labelAnnotations.map((l) => l.description),
      ['Shoe', 'Footwear'],
    );
    const miss = await annotateImage(imageRequest({ image: { content: other }, features: [feature(Feature_Type.LABEL_DETECTION)] }), deps);
    assert.equal(miss.error, undefined);
    assert.deepEqual(miss, AnnotateImageResponse.fromPartial({}), 'nothing is invented');
    const noStore = await annotateImage(
      imageRequest({ image: { content: image }, features: [feature(Feature_Type.LABEL_DETECTION)] }),
      makeDeps(),
    );
    assert.deepEqual(noStore.labelAnnotations, []);
  });

  it('copies every ML feature from its fixture fields, and a deep copy of them', async () => {
    const image = await productPhoto(23);
    const fixture = AnnotateImageResponse.fromPartial({
      faceAnnotations: [{ detectionConfidence: 0.8, joyLikelihood: 5 }],
      landmarkAnnotations: labels('Tower'),
      logoAnnotations: labels('Acme'),
      labelAnnotations: labels('Cat'),
      textAnnotations: labels('HELLO', 'WORLD'),
      fullTextAnnotation: { text: 'HELLO WORLD' },
      safeSearchAnnotation: { adult: 1, violence: 2 },
      webDetection: { bestGuessLabels: [{ label: 'cat', languageCode: 'en' }] },
      localizedObjectAnnotations: [{ name: 'Cat', score: 0.9 }],
    });
    const deps = makeDeps({ fixtures: createFixtureStore([[sha256Hex(image), fixture]]) });
    const all = [1, 2, 3, 4, 5, 6, 10, 19].map((t) => feature(t, 1));
    const res = await annotateImage(imageRequest({ image: { content: image }, features: all }), deps);
    assert.equal(res.faceAnnotations.length, 1);
    assert.deepEqual(
      res.textAnnotations.map((t) => t.description),
      ['HELLO', 'WORLD'],
      'maxResults does not cut text',
    );
    assert.equal(res.fullTextAnnotation?.text, 'HELLO WORLD');
    assert.deepEqual(res.safeSearchAnnotation, fixture.safeSearchAnnotation);
    assert.deepEqual(res.webDetection, fixture.webDetection);
    assert.deepEqual(res.localizedObjectAnnotations, fixture.localizedObjectAnnotations);
    assert.deepEqual(res.landmarkAnnotations, fixture.landmarkAnnotations);
    (res.labelAnnotations[0] as { description: string }).description = 'changed';
    assert.equal(fixture.labelAnnotations[0]?.description, 'Cat', 'the fixture is not aliased');
  });

  it('looks up a page of a file by <sha256 of the file>-<page>', async () => {
    const gif = await animatedGif(['red', 'blue', 'lime']);
    const fixtures = createFixtureStore([[`${sha256Hex(gif)}-2`, AnnotateImageResponse.fromPartial({ labelAnnotations: labels('Blue') })]]);
    const res = await annotateFile(
      AnnotateFileRequest.fromPartial({
        inputConfig: { content: gif, mimeType: 'image/gif' },
        features: [feature(Feature_Type.LABEL_DETECTION)],
      }),
      makeDeps({ fixtures }),
    );
    assert.deepEqual(
      res.responses.map((r) => r.labelAnnotations.map((l) => l.description)),
      [[], ['Blue'], []],
    );
  });

  it('refuses a fixture key that is not a SHA-256', () => {
    assert.throws(() => createFixtureStore([['abc', AnnotateImageResponse.fromPartial({})]]), TypeError);
  });

  describe('loadFixtures', () => {
    let dir: string;
    beforeEach(async () => {
      dir = await mkdtemp(join(tmpdir(), 'vision-fixtures-'));
    });
    afterEach(async () => {
      await rm(dir, { recursive: true, force: true });
    });

    it('reads <sha256>.json files in proto3 JSON (either field-name form, enum names) and serves them for LABEL_DETECTION', async () => {
      const image = await productPhoto(31);
      const json = {
        labelAnnotations: [{ mid: '/m/01', description: 'Lamp', score: 0.93, topicality: 0.93 }],
        safe_search_annotation: { adult: 'VERY_UNLIKELY', racy: 'POSSIBLE' },
      };
      await writeFile(join(dir, `${sha256Hex(image)}.json`), JSON.stringify(json));
      await writeFile(join(dir, 'README.md'), 'not a fixture');
      await mkdir(join(dir, 'nested'));
      const fixtures = await loadFixtures(dir);
      assert.equal(fixtures.size, 1);
      const res = await annotateImage(
        imageRequest({
          image: { content: image },
          features: [feature(Feature_Type.LABEL_DETECTION), feature(Feature_Type.SAFE_SEARCH_DETECTION)],
        }),
        makeDeps({ fixtures }),
      );
      assert.deepEqual(
        res.labelAnnotations.map((l) => [l.description, l.mid]),
        [['Lamp', '/m/01']],
      );
      assert.equal(res.safeSearchAnnotation?.adult, 1);
      assert.equal(res.safeSearchAnnotation?.racy, 3);
      const without = await annotateImage(
        imageRequest({ image: { content: await productPhoto(32) }, features: [feature(Feature_Type.LABEL_DETECTION)] }),
        makeDeps({ fixtures }),
      );
      assert.deepEqual(without.labelAnnotations, []);
    });

    it('refuses a misnamed fixture, bad JSON and unknown fields, naming the file; a missing folder is NOT_FOUND', async () => {
      const sha = 'a'.repeat(64);
      await writeFile(join(dir, 'cat.json'), '{}');
      await assert.rejects(loadFixtures(dir), { code: 3, message: /cat\.json: the name must be/ });
      await rm(join(dir, 'cat.json'));
      await writeFile(join(dir, `${sha}.json`), '{ "labelAnnotations": [ ');
      await assert.rejects(loadFixtures(dir), { code: 3, message: new RegExp(`${sha}\\.json: .*JSON`) });
      await writeFile(join(dir, `${sha}.json`), '{ "labelAnnotations": [{ "descripton": "typo" }] }');
      await assert.rejects(loadFixtures(dir), { code: 3, message: /labelAnnotations\[0\]/ });
      await assert.rejects(loadFixtures(join(dir, 'absent')), { code: 5 });
    });
  });
});
