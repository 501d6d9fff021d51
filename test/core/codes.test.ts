/**
 * The numeric constants the library's modules compare with (core/codes.ts,
 * schema/scalar-types.ts) are the numbers of the public objects, name for
 * name.
 */
import assert from 'node:assert/strict';
import { Code } from 'vision-kit';
import { ScalarType } from 'vision-kit/codec';
import * as codes from '../../src/core/codes.js';
import * as scalarTypes from '../../src/schema/scalar-types.js';

describe('core: the numeric constants of the codes and scalar types', () => {
  it('are the numbers of Code and ScalarType, name for name', () => {
    assert.deepEqual({ ...codes }, { ...Code });
    assert.deepEqual({ ...scalarTypes }, { ...ScalarType });
  });
});
