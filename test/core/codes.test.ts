/**
 * The numeric constants the library's modules compare with (core/codes.ts,
 * schema/scalar-types.ts) are the numbers of the public objects, name for
 * name.
 */
import assert from 'node:assert/strict';
import { Code } from 'vision-kit';
import { codeFromHttpStatus, httpStatusFromCode, ScalarType } from 'vision-kit/codec';
import * as codes from '../../src/core/codes.js';
import * as scalarTypes from '../../src/schema/scalar-types.js';

describe('core: the numeric constants of the codes and scalar types', () => {
  it('are the numbers of Code and ScalarType, name for name', () => {
    assert.deepEqual({ ...codes }, { ...Code });
    assert.deepEqual({ ...scalarTypes }, { ...ScalarType });
  });

  it('map to HTTP statuses and back as Google front ends do', () => {
    const statuses = [200, 499, 500, 400, 504, 404, 409, 403, 429, 400, 409, 400, 501, 500, 503, 500, 401];
    assert.deepEqual(
      Object.values(Code).map((c) => httpStatusFromCode(c)),
      statuses,
    );
    const back: [number, number][] = [
      [200, Code.OK],
      [204, Code.OK],
      [400, Code.INVALID_ARGUMENT],
      [401, Code.UNAUTHENTICATED],
      [403, Code.PERMISSION_DENIED],
      [404, Code.NOT_FOUND],
      [409, Code.ABORTED],
      [412, Code.FAILED_PRECONDITION],
      [416, Code.OUT_OF_RANGE],
      [429, Code.RESOURCE_EXHAUSTED],
      [499, Code.CANCELLED],
      [500, Code.INTERNAL],
      [501, Code.UNIMPLEMENTED],
      [502, Code.UNAVAILABLE],
      [503, Code.UNAVAILABLE],
      [504, Code.DEADLINE_EXCEEDED],
      [302, Code.UNKNOWN],
      [418, Code.UNKNOWN],
      [599, Code.UNKNOWN],
      [400.5, Code.UNKNOWN],
    ];
    for (const [status, code] of back) assert.equal(codeFromHttpStatus(status), code, String(status));
  });
});
