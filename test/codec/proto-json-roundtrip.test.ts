import assert from 'node:assert/strict';
import fc from 'fast-check';
import { messageFromJson, messageFromJsonText, messageToJson, normalizeMessage, registerSchema } from 'vision-kit/codec';
import { MESSAGES } from 'vision-kit/gen/schema/messages.js';
import { ENUMS as TEST_ENUMS, MESSAGES as TEST_MESSAGES } from '../gen/schema/messages.js';
import { arbitraryMessage } from '../support/arbitrary-message.js';

describe('proto3 JSON round trip (every schema type)', function () {
  this.timeout(60_000);
  const NAMES = [...Object.keys(MESSAGES), ...Object.keys(TEST_MESSAGES)];
  before(() => registerSchema({ messages: TEST_MESSAGES, enums: TEST_ENUMS }));

  for (const enumAsInt of [false, true]) {
    it(`messageFromJson(messageToJson(m${enumAsInt ? ', enumAsInt' : ''})) deep-equals m, through JSON text`, () => {
      for (const name of NAMES) {
        fc.assert(
          fc.property(arbitraryMessage(name, { maxDepth: 3, maxLength: 2 }), (m) => {
            const text = JSON.stringify(messageToJson(name, m, { enumAsInt }));
            assert.deepStrictEqual(messageFromJsonText(name, text), m, `${name}: ${text}`);
          }),
          { seed: enumAsInt ? 7 : 42, numRuns: 20 },
        );
      }
    });
  }

  it('normalizeMessage is the identity on full messages, and accepts what messageToJson accepts', () => {
    for (const name of NAMES) {
      fc.assert(
        fc.property(arbitraryMessage(name, { maxDepth: 2, maxLength: 2 }), (m) => {
          assert.deepStrictEqual(normalizeMessage(name, m), m);
        }),
        { seed: 3, numRuns: 10 },
      );
    }
  });

  it('proto names read the same as JSON names', () => {
    const name = 'google.cloud.vision.v1p4beta1.ImportProductSetsRequest';
    const camel = messageFromJson(name, { parent: 'p', inputConfig: { gcsSource: { csvFileUri: 'gs://b/f.csv' } } });
    const snake = messageFromJson(name, { parent: 'p', input_config: { gcs_source: { csv_file_uri: 'gs://b/f.csv' } } });
    assert.deepStrictEqual(snake, camel);
  });
});
