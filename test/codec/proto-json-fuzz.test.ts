/**
 * Fuzzing messageFromJson (RELIABILITY.md): every request type, 1,000 runs each
 * (the property is in test/support/proto-json-fuzz.ts; 100,000 runs per
 * type in test/soak/proto-json-fuzz.soak.ts).
 */
import assert from 'node:assert/strict';
import { protoJsonFuzz, REQUEST_TYPES } from '../support/proto-json-fuzz.js';

describe('proto3 JSON fuzz: every request type, 1,000 runs each', function () {
  this.timeout(120_000);
  for (const type of REQUEST_TYPES) {
    it(type.replace(/^google\.(cloud\.vision\.v1p4beta1|longrunning)\./, ''), () => {
      const accepted = protoJsonFuzz(type, 1000);
      // The generators must reach the success branch too, or the property says little.
      assert.ok(accepted > 50, `only ${accepted} of 1000 inputs were accepted`);
    });
  }
});
