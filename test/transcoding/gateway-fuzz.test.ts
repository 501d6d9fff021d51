import assert from 'node:assert/strict';
import { gatewayFuzz, templateFuzz } from '../support/transcoding-fuzz.js';

describe('transcoding fuzz (100,000 runs each in test:soak)', function () {
  this.timeout(60_000);

  it('the template parser: any string gives a template or a TemplateError (2,000 runs)', () => {
    templateFuzz(2000);
  });

  it('the gateway: random method/path/query/body give a VisionError of the right kind or a valid request (3,000 runs)', () => {
    const outcomes = gatewayFuzz(3000);
    // The generators reach every outcome, so the property is not vacuous.
    for (const k of ['ok', 'decode 400', '400', '404', '405'])
      assert.ok((outcomes.get(k) ?? 0) > 20, `${k}: ${JSON.stringify([...outcomes])}`);
  });
});
