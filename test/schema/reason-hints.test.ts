/**
 * The Node entries' refusals of a typo offer the nearest name
 * (src/schema/reason-hints.ts): an unknown field its nearest field's JSON
 * name, an unknown enum value its nearest value or, with none near, the
 * enum's values; through the JSON reader and writer, an Any and the
 * message normaliser. Anything else is left as it was.
 */
import assert from 'node:assert/strict';
import fc from 'fast-check';
// Loading `vision-kit` (the Node entry) installs the hints; the codec's functions then give them too.
import { FieldPathError } from 'vision-kit';
import { messageFromJson, messageToJson, normalizeMessage, registerSchema } from 'vision-kit/codec';
import { hintReason } from '../../src/schema/reason-hints.js';

const V = 'google.cloud.vision.v1p4beta1';

/** The message of what `fn` throws, which must be a FieldPathError. */
function refusal(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    assert.ok(e instanceof FieldPathError, String(e));
    return e.message;
  }
  return assert.fail('accepted');
}

describe('schema: refusals of a typo offer the nearest name (Node entries)', () => {
  it('an unknown field: its nearest JSON name, read or written, at any depth and inside an Any', () => {
    assert.equal(
      refusal(() => messageFromJson(`${V}.BatchAnnotateImagesRequest`, { request: [] })),
      `[INVALID_ARGUMENT] request: unknown field "request" of ${V}.BatchAnnotateImagesRequest; did you mean "requests"?`,
    );
    assert.equal(
      refusal(() => messageFromJson(`${V}.BatchAnnotateImagesRequest`, { requests: [{ features: [{ max_result: 1 }] }] })),
      `[INVALID_ARGUMENT] requests[0].features[0].max_result: unknown field "max_result" of ${V}.Feature; did you mean "maxResults"?`,
    );
    assert.match(
      refusal(() => messageToJson(`${V}.Product`, { displayname: 'x' })),
      /unknown field "displayname" of google\.cloud\.vision\.v1p4beta1\.Product; did you mean "displayName"\?$/,
    );
    assert.match(
      refusal(() => messageFromJson('google.rpc.Status', { details: [{ '@type': `type.googleapis.com/${V}.Product`, nmae: 'x' }] })),
      /details\[0\]\.nmae: unknown field "nmae" of google\.cloud\.vision\.v1p4beta1\.Product; did you mean "name"\?$/,
    );
    assert.match(
      refusal(() => normalizeMessage(`${V}.Product`, { productLabel: [] })),
      /unknown field "productLabel" of google\.cloud\.vision\.v1p4beta1\.Product; did you mean "productLabels"\?$/,
    );
  });

  it('nothing near: the bare refusal', () => {
    assert.equal(
      refusal(() => messageFromJson(`${V}.Product`, { zzzzzz: 1 })),
      `[INVALID_ARGUMENT] zzzzzz: unknown field "zzzzzz" of ${V}.Product`,
    );
  });

  it('an unknown enum value: its nearest value, else the values of a short enum', () => {
    assert.equal(
      refusal(() => messageFromJson(`${V}.Feature`, { type: 'CROP_HINT' })),
      `[INVALID_ARGUMENT] type: unknown value "CROP_HINT" for enum ${V}.Feature.Type; did you mean "CROP_HINTS"?`,
    );
    assert.match(
      refusal(() => messageFromJson(`${V}.BatchAnnotateImagesRequest`, { requests: [{ features: [{ type: 'label_detection' }] }] })),
      /unknown value "label_detection" for enum google\.cloud\.vision\.v1p4beta1\.Feature\.Type; did you mean "LABEL_DETECTION"\?$/,
    );
    assert.equal(
      refusal(() => messageFromJson(`${V}.OperationMetadata`, { state: 'FINISHED' })),
      `[INVALID_ARGUMENT] state: unknown value "FINISHED" for enum ${V}.OperationMetadata.State (its values: STATE_UNSPECIFIED, CREATED, RUNNING, DONE, CANCELLED)`,
    );
  });

  it('how near is near: a one-letter name by case only, up to 3 letters one edit, longer ones two or a third', () => {
    const field = (typed: string, type = `${V}.Vertex`) => hintReason(`unknown field ${JSON.stringify(typed)} of ${type}`);
    assert.equal(field('X'), `unknown field "X" of ${V}.Vertex; did you mean "x"?`);
    assert.equal(field('z'), `unknown field "z" of ${V}.Vertex`, 'one letter, one edit away: not offered');
    assert.equal(field('xyz'), `unknown field "xyz" of ${V}.Vertex`, 'three letters, two edits away: not offered');
    assert.equal(field('nme', `${V}.Product`), `unknown field "nme" of ${V}.Product; did you mean "name"?`);
    assert.equal(field('nmae', `${V}.Product`), `unknown field "nmae" of ${V}.Product; did you mean "name"?`, 'a swapped pair');
    assert.equal(field('name', `${V}.Product`), `unknown field "name" of ${V}.Product`, 'never the name typed');
  });

  it('lists the values of an enum of up to 16 when none is near, not of a longer one', () => {
    const values = (n: number) => Array.from({ length: n }, (_, i) => [`VALUE_${String.fromCharCode(65 + i)}`, i] as const);
    registerSchema({ messages: {}, enums: { 'vktest.hints.Sixteen': values(16), 'vktest.hints.Seventeen': values(17) } });
    const sixteen = hintReason('unknown value "NOTHING_NEAR" for enum vktest.hints.Sixteen');
    assert.equal(
      sixteen,
      `unknown value "NOTHING_NEAR" for enum vktest.hints.Sixteen (its values: ${values(16)
        .map(([v]) => v)
        .join(', ')})`,
    );
    const seventeen = 'unknown value "NOTHING_NEAR" for enum vktest.hints.Seventeen';
    assert.equal(hintReason(seventeen), seventeen);
  });

  it('leaves any other reason, and names of unknown types, as they were', () => {
    fc.assert(
      fc.property(fc.string(), (reason) => {
        fc.pre(!/^unknown (field|value) /.test(reason));
        assert.equal(hintReason(reason), reason);
      }),
    );
    assert.equal(hintReason('unknown field "x" of no.such.Type'), 'unknown field "x" of no.such.Type');
    // Only a whole refusal is read: words before or after it leave it alone.
    for (const reason of [
      `see: unknown field "nmae" of ${V}.Product`,
      `unknown field "nmae" of ${V}.Product (set by a caller)`,
      `see: unknown value "DOEN" for enum ${V}.OperationMetadata.State`,
      `unknown value "DOEN" for enum ${V}.OperationMetadata.State (set by a caller)`,
    ])
      assert.equal(hintReason(reason), reason);
    assert.equal(hintReason('unknown value "X" for enum no.such.Enum'), 'unknown value "X" for enum no.such.Enum');
  });

  it('offers a known name only: never the typed name itself, always a field of the type', () => {
    const fields = ['displayName', 'description', 'productCategory', 'productLabels', 'name'];
    fc.assert(
      fc.property(fc.constantFrom(...fields), fc.nat(), fc.string({ minLength: 1, maxLength: 1 }), (field, at, ch) => {
        const typo = field.slice(0, at % field.length) + ch + field.slice((at % field.length) + 1);
        fc.pre(!fields.includes(typo) && !typo.includes('"') && !typo.includes('\\'));
        const hinted = hintReason(`unknown field ${JSON.stringify(typo)} of ${V}.Product`);
        const offered = /; did you mean "([^"]+)"\?$/.exec(hinted)?.[1];
        if (offered !== undefined) assert.ok(fields.includes(offered), hinted);
        if (field.length > 3) assert.notEqual(offered, undefined, `one substitution in ${field} (${typo}) is near`);
      }),
    );
  });
});
