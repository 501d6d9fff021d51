import assert from 'node:assert/strict';
import fc from 'fast-check';
import { buildAnnotateRequest, featureNames, parseFeatures } from '../../src/workflow/annotate-request.js';
import { destinationOfUri, expectedOutputFiles, outputPrefix, outputRangeOf } from '../../src/workflow/output-files.js';

describe('workflow: output file names, features and the request', () => {
  it('splits a destination: a trailing "/" is a folder, else the last segment is a file prefix', () => {
    assert.deepEqual(destinationOfUri('gs://b/run/'), { bucket: 'b', folder: 'run/', filePrefix: '' });
    assert.deepEqual(destinationOfUri('gs://b/run/res-'), { bucket: 'b', folder: 'run/', filePrefix: 'res-' });
    assert.deepEqual(destinationOfUri('gs://b'), { bucket: 'b', folder: '', filePrefix: '' });
    assert.throws(() => destinationOfUri('s3://b/x'), TypeError);
  });

  it('reads the range back from every output file name it could be given (property)', () => {
    const segment = fc.stringMatching(/^[a-z0-9_-]{1,8}$/);
    fc.assert(
      fc.property(
        fc.array(segment, { maxLength: 3 }),
        fc.option(segment, { nil: undefined }),
        fc.integer({ min: 1, max: 2000 }),
        fc.integer({ min: 0, max: 99 }),
        (folders, prefix, first, span) => {
          const uri = `gs://bucket/${folders.map((f) => `${f}/`).join('')}${prefix ?? ''}`;
          const dest = destinationOfUri(uri);
          const name = `${outputPrefix(dest)}${first}-to-${first + span}.json`;
          assert.deepEqual(outputRangeOf(dest, name), { first, last: first + span });
          assert.equal(outputRangeOf(dest, `x${name}`), undefined);
        },
      ),
      { seed: 42, numRuns: 500 },
    );
  });

  it('refuses names that are not output files of the destination', () => {
    const dest = destinationOfUri('gs://b/run/');
    for (const name of [
      'run/output-0-to-1.json',
      'run/output-2-to-1.json',
      'run/output-1-to-2.txt',
      'run/inputs/output-1-to-1.json',
      'other/output-1-to-1.json',
      'run/output-01-to-2.json',
    ]) {
      assert.equal(outputRangeOf(dest, name), undefined, name);
    }
  });

  it('expects ceil(images / batch size) files (batch size 0 = 20)', () => {
    assert.deepEqual(
      [expectedOutputFiles(3, 2), expectedOutputFiles(3, 20), expectedOutputFiles(41, 0), expectedOutputFiles(100, 100)],
      [2, 1, 3, 1],
    );
  });

  it('parses feature lists forgivingly and refuses unknown names, naming the known ones', () => {
    assert.deepEqual(parseFeatures('image_properties, crop-hints,IMAGE_PROPERTIES'), ['IMAGE_PROPERTIES', 'CROP_HINTS']);
    assert.ok(featureNames().includes('OBJECT_LOCALIZATION') && !featureNames().includes('TYPE_UNSPECIFIED'));
    assert.throws(() => parseFeatures('LABELS'), /unknown feature "LABELS"; pick from FACE_DETECTION/);
    assert.throws(() => parseFeatures(' , '), /no feature given/);
  });

  it('builds the AsyncBatchAnnotateImagesRequest with enums, output config and product search parameters', () => {
    const req = buildAnnotateRequest({
      imageUris: ['gs://b/1.png', 'gs://b/2.png'],
      features: ['IMAGE_PROPERTIES', 'PRODUCT_SEARCH'],
      outputUri: 'gs://b/out/',
      batchSize: 2,
      productSearch: { productSet: 'projects/p/locations/us-west1/productSets/s', productCategories: ['toys-v2'] },
    });
    assert.equal(req.requests.length, 2);
    assert.deepEqual(
      req.requests[1]!.features.map((f) => f.type),
      [7, 12],
    );
    assert.equal(req.requests[0]!.image?.source?.imageUri, 'gs://b/1.png');
    assert.deepEqual(req.requests[0]!.imageContext?.productSearchParams?.productCategories, ['toys-v2']);
    assert.deepEqual([req.outputConfig?.gcsDestination?.uri, req.outputConfig?.batchSize], ['gs://b/out/', 2]);
  });
});
