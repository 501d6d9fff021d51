// The nesting scan the gateway runs before JSON.parse: the depth it finds is the depth of the parsed value, whatever
// the strings hold (brackets, quotes, backslashes), and it is linear on millions of levels.
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { jsonNestingPastLimit, MAX_JSON_NESTING } from 'vision-kit/codec';

/** Objects and arrays nested in a parsed JSON value (a scalar is 0). */
function depthOf(value: unknown): number {
  if (value === null || typeof value !== 'object') return 0;
  const children = Array.isArray(value) ? value : Object.values(value);
  return 1 + children.reduce<number>((max, child) => Math.max(max, depthOf(child)), 0);
}

describe('codec: jsonNestingPastLimit', () => {
  it('finds the depth of the parsed value, for any JSON (strings with brackets, quotes and escapes included)', () => {
    const brackety = fc.string({ unit: fc.constantFrom('[', ']', '{', '}', '"', '\\', 'a', 'é', '\u2028') });
    const value = fc.letrec((tie) => ({
      node: fc.oneof(
        { depthSize: 'small' },
        brackety,
        fc.integer(),
        fc.constant(null),
        fc.array(tie('node'), { maxLength: 3 }),
        fc.dictionary(brackety, tie('node'), { maxKeys: 3 }),
      ),
    })).node;
    fc.assert(
      fc.property(value, fc.boolean(), (v, pretty) => {
        const text = JSON.stringify(v, null, pretty ? 2 : undefined);
        const depth = depthOf(v);
        assert.equal(jsonNestingPastLimit(text, depth), -1, text);
        if (depth > 0) assert.ok(jsonNestingPastLimit(text, depth - 1) >= 0, text);
      }),
      { seed: 14, numRuns: 2000 },
    );
  });

  it('points at the bracket that opens the first level past the limit', () => {
    assert.equal(MAX_JSON_NESTING, 100);
    assert.equal(jsonNestingPastLimit('['.repeat(100) + ']'.repeat(100)), -1);
    assert.equal(jsonNestingPastLimit('['.repeat(101) + ']'.repeat(101)), 100);
    assert.equal(jsonNestingPastLimit('{"a":[{"b":"[[[[["}]}', 2), 6);
    assert.equal(jsonNestingPastLimit('"\\"[[[["', 0), -1);
  });

  it('scans 10 million nested brackets in linear time (tens of ms; JSON.parse of the same takes seconds)', () => {
    const text = '['.repeat(5_000_000) + ']'.repeat(5_000_000);
    const t0 = performance.now();
    assert.equal(jsonNestingPastLimit(text, 5_000_000), -1);
    assert.ok(performance.now() - t0 < 2500, `${Math.round(performance.now() - t0)} ms`); // loose: a shared, loaded machine
  });
});
