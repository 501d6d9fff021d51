import assert from 'node:assert/strict';
import fc from 'fast-check';
import { Code, locationName, productName, productSetName, ResourceNameError, referenceImageName, resourceName } from 'vision-kit';
import { RESOURCES } from 'vision-kit/gen/schema/resources.js';

const segment = fc.stringMatching(/^[A-Za-z0-9_.~-]{1,20}$/).filter((s) => s !== '.' && s !== '..');

describe('client: resource names', () => {
  it('formats and parses every pattern of gen/schema/resources.ts (round trip)', () => {
    for (const type of Object.keys(RESOURCES)) {
      const helper = resourceName(type);
      fc.assert(
        fc.property(fc.array(segment, { minLength: helper.variables.length, maxLength: helper.variables.length }), (values) => {
          const vars = Object.fromEntries(helper.variables.map((v, i) => [v, values[i] as string]));
          const name = helper.format(vars);
          assert.deepEqual(helper.parse(name), vars);
          assert.equal(helper.matches(name), true);
        }),
        { seed: 42, numRuns: 100 },
      );
    }
  });

  it('the named helpers follow the table', () => {
    assert.equal(productName.pattern, RESOURCES['vision.googleapis.com/Product']?.patterns[0]);
    assert.equal(productSetName.pattern, RESOURCES['vision.googleapis.com/ProductSet']?.patterns[0]);
    assert.equal(referenceImageName.pattern, RESOURCES['vision.googleapis.com/ReferenceImage']?.patterns[0]);
    assert.equal(
      productName.format({ project: 'p', location: 'us-west1', product: 'shoe' }),
      'projects/p/locations/us-west1/products/shoe',
    );
    assert.deepEqual(referenceImageName.parse('projects/p/locations/us-west1/products/x/referenceImages/r1'), {
      project: 'p',
      location: 'us-west1',
      product: 'x',
      reference_image: 'r1',
    });
    assert.equal(locationName.format({ project: 'p', location: 'us-west1' }), 'projects/p/locations/us-west1');
  });

  const malformed: { name: string; input: string; why: RegExp }[] = [
    { name: 'a name with too few segments', input: 'projects/p/locations/us-west1/products', why: /5 segments, the pattern 6/ },
    {
      name: 'a wrong collection',
      input: 'projects/p/locations/us-west1/productSets/x',
      why: /segment 5 is "productSets", expected "products"/,
    },
    { name: 'an empty variable', input: 'projects//locations/us-west1/products/x', why: /\{project\} \(segment 2\) is empty/ },
    { name: 'a trailing slash', input: 'projects/p/locations/us-west1/products/x/', why: /7 segments/ },
    {
      name: 'a reference image name given as a product',
      input: 'projects/p/locations/us-west1/products/x/referenceImages/r',
      why: /8 segments/,
    },
  ];
  for (const c of malformed) {
    it(`rejects ${c.name} with a ResourceNameError naming the pattern`, () => {
      assert.equal(productName.matches(c.input), false);
      assert.throws(
        () => productName.parse(c.input),
        (e: unknown) =>
          e instanceof ResourceNameError &&
          e.code === Code.INVALID_ARGUMENT &&
          e.resourceName === c.input &&
          e.message.includes(productName.pattern) &&
          c.why.test(e.message),
      );
    });
  }

  it('refuses to format a value holding "/" or an empty or missing one', () => {
    assert.throws(() => productName.format({ project: 'p/q', location: 'us-west1', product: 'x' }), /\{project\}.*"\/"/);
    assert.throws(() => productName.format({ project: 'p', location: '', product: 'x' }), /\{location\}.*missing or empty/);
    assert.throws(
      () => productName.format({ project: 'p', location: 'us-west1' } as unknown as { project: string; location: string; product: string }),
      ResourceNameError,
    );
  });

  it("every helper is callable with its values in the pattern's order, the same name as format, and parse gives them back", () => {
    assert.equal(locationName('demo', 'us-west1'), 'projects/demo/locations/us-west1');
    assert.equal(productName('demo', 'us-west1', 'shoe'), 'projects/demo/locations/us-west1/products/shoe');
    assert.equal(productSetName('demo', 'us-west1', 'shoes'), 'projects/demo/locations/us-west1/productSets/shoes');
    assert.equal(
      referenceImageName('demo', 'us-west1', 'shoe', 'front'),
      'projects/demo/locations/us-west1/products/shoe/referenceImages/front',
    );
    for (const type of Object.keys(RESOURCES)) {
      const helper = resourceName(type);
      fc.assert(
        fc.property(fc.array(segment, { minLength: helper.variables.length, maxLength: helper.variables.length }), (values) => {
          const name = helper(...values);
          assert.equal(name, helper.format(Object.fromEntries(helper.variables.map((v, i) => [v, values[i] as string]))));
          assert.deepEqual(Object.values(helper.parse(name)), values);
        }),
        { seed: 7, numRuns: 100 },
      );
    }
  });

  it('a call with the wrong count of values, or a value format refuses, is a ResourceNameError', () => {
    const call = productName as unknown as (...values: unknown[]) => string;
    assert.throws(
      () => call('demo', 'us-west1'),
      (e: unknown) =>
        e instanceof ResourceNameError &&
        e.code === Code.INVALID_ARGUMENT &&
        /takes 3 values \(project, location, product\), got 2/.test(e.message),
    );
    assert.throws(() => call('demo', 'us-west1', 'shoe', 'extra'), /got 4/);
    assert.throws(() => productName('demo', 'us/west1', 'shoe'), /\{location\}.*"\/"/);
    assert.throws(() => productName('demo', '..', 'shoe'), /\{location\}.*missing or empty, or "\." or "\.\."/);
    assert.throws(
      () => call('demo', 7, 'shoe'),
      (e: unknown) => e instanceof ResourceNameError && /got 7/.test(e.message),
    );
    assert.throws(
      () => productName.format(null as never),
      (e: unknown) => e instanceof ResourceNameError && /takes an object/.test(e.message),
    );
  });

  it('an unknown resource type is NOT_FOUND', () => {
    assert.throws(
      () => resourceName('vision.googleapis.com/Nope'),
      (e: unknown) => e instanceof Error && /unknown resource type/.test(e.message),
    );
  });
});
