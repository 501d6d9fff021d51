/**
 * Soak: the proto3 JSON fuzzer of RELIABILITY.md at 100,000 runs per request type
 * (npm test runs 1,000 per type): random JSON gives a ProtoJsonError naming
 * the field, or a message that re-serialises equal.
 */
import assert from 'node:assert/strict';
import { protoJsonFuzz, REQUEST_TYPES } from '../support/proto-json-fuzz.js';

const RUNS = Number(process.env.VK_FUZZ_RUNS ?? 100_000);

describe(`soak: proto3 JSON fuzz, ${RUNS.toLocaleString('en')} runs per request type`, () => {
  for (const type of REQUEST_TYPES) {
    it(type.replace(/^google\.(cloud\.vision\.v1p4beta1|longrunning)\./, ''), () => {
      const accepted = protoJsonFuzz(type, RUNS, 1042);
      assert.ok(accepted > RUNS / 20, `only ${accepted} of ${RUNS} inputs were accepted`);
    });
  }
});
