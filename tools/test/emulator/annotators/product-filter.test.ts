import assert from 'node:assert/strict';
import fc from 'fast-check';
import { matchesFilter, type ProductFilter, parseProductFilter } from '../../../src/emulator/annotators/index.js';
import { product } from './memory-catalog.js';

describe('annotators: product label filters', () => {
  const good: Array<{ filter: string; want: ProductFilter }> = [
    { filter: '', want: [] },
    { filter: '   ', want: [] },
    { filter: 'color = red', want: [{ key: 'color', values: ['red'] }] },
    { filter: 'color=red', want: [{ key: 'color', values: ['red'] }] },
    { filter: 'color = red OR color = blue', want: [{ key: 'color', values: ['red', 'blue'] }] },
    {
      filter: '(color = red OR color = blue) AND brand = Google',
      want: [
        { key: 'color', values: ['red', 'blue'] },
        { key: 'brand', values: ['Google'] },
      ],
    },
    {
      filter: 'brand = Google AND (color = red) AND size = 42',
      want: [
        { key: 'brand', values: ['Google'] },
        { key: 'color', values: ['red'] },
        { key: 'size', values: ['42'] },
      ],
    },
    { filter: 'style = "red and \\"blue\\""', want: [{ key: 'style', values: ['red and "blue"'] }] },
    { filter: 'word = "AND"', want: [{ key: 'word', values: ['AND'] }] },
  ];
  for (const { filter, want } of good) {
    it(`parses ${JSON.stringify(filter)}`, () => assert.deepEqual(parseProductFilter(filter), want));
  }

  const bad: Array<{ filter: string; reason: RegExp }> = [
    { filter: 'color: red', reason: /':' is not an operator/ },
    { filter: '(color = red OR brand = Google)', reason: /same key/ },
    { filter: 'color = red OR brand = Google', reason: /same key/ },
    { filter: 'color = red AND', reason: /filter ended/ },
    { filter: 'color = red AND brand = x OR brand = y', reason: /must be in parentheses/ },
    { filter: 'color = red OR color = blue AND brand = x', reason: /must be in parentheses/ },
    { filter: '(color = red) OR color = blue', reason: /inside one pair of parentheses/ },
    { filter: '((color = red))', reason: /cannot nest/ },
    { filter: '(color = red', reason: /missing '\)'/ },
    { filter: 'color = red)', reason: /unbalanced/ },
    { filter: 'color red', reason: /expected '='/ },
    { filter: 'color = red brand = x', reason: /expected AND/ },
    { filter: '= red', reason: /expected a label key/ },
    { filter: 'color = "red', reason: /unterminated/ },
    { filter: 'color = red and brand = x', reason: /expected AND/ },
    { filter: 'color = ""', reason: /value cannot be empty/ },
  ];
  for (const { filter, reason } of bad) {
    it(`refuses ${JSON.stringify(filter)} with INVALID_ARGUMENT`, () => {
      assert.throws(
        () => parseProductFilter(filter),
        (err: unknown) => {
          assert.equal((err as { code?: number }).code, 3);
          assert.match((err as Error).message, reason);
          assert.match((err as Error).message, /at position \d+/);
          return true;
        },
      );
    });
  }

  it('round-trips any AND of OR groups through its printed form', () => {
    const key = fc.stringMatching(/^[a-z][a-z0-9_.-]{0,8}$/).filter((k) => k !== 'AND' && k !== 'OR');
    const value = fc.string({ minLength: 1, maxLength: 12 });
    const clause = fc.tuple(key, fc.array(value, { minLength: 1, maxLength: 4 })).map(([k, values]) => ({ key: k, values }));
    const quote = (v: string) => `"${v.replace(/[\\"]/g, (c) => `\\${c}`)}"`;
    const print = (f: ProductFilter) =>
      f
        .map((c) =>
          c.values.length === 1
            ? `${c.key} = ${quote(c.values[0] as string)}`
            : `(${c.values.map((v) => `${c.key} = ${quote(v)}`).join(' OR ')})`,
        )
        .join(' AND ');
    fc.assert(
      fc.property(fc.array(clause, { minLength: 1, maxLength: 5 }), (filter) => {
        assert.deepEqual(parseProductFilter(print(filter)), filter);
      }),
      { seed: 42, numRuns: 300 },
    );
  });

  it('matches a product when every clause finds one of its values among the labels (multi-valued keys too)', () => {
    const p = product('x', 'apparel-v2', ['color=red', 'color=blue', 'size=42']);
    assert.ok(matchesFilter(p, parseProductFilter('color = blue AND size = 42')));
    assert.ok(matchesFilter(p, parseProductFilter('(color = green OR color = red)')));
    assert.ok(!matchesFilter(p, parseProductFilter('color = blue AND size = 43')));
    assert.ok(!matchesFilter(p, parseProductFilter('Color = red')), 'keys are case-sensitive');
    assert.ok(matchesFilter(p, []));
  });
});
