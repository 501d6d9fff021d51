/**
 * Soak: the transcoding fuzzers of RELIABILITY.md at 100,000 runs each (npm test
 * runs the same properties a few thousand times).
 */
import assert from 'node:assert/strict';
import { gatewayFuzz, templateFuzz } from '../support/transcoding-fuzz.js';

describe('soak: transcoding fuzz', () => {
  it('the template parser: 100,000 strings give a template or a TemplateError', () => {
    templateFuzz(100_000, 1042);
  });

  it('the gateway: 100,000 random requests give a VisionError of the right kind or a valid request', () => {
    const outcomes = gatewayFuzz(100_000, 1042);
    for (const k of ['ok', 'decode 400', '400', '404', '405'])
      assert.ok((outcomes.get(k) ?? 0) > 500, `${k}: ${JSON.stringify([...outcomes])}`);
  });
});
