/**
 * The proto3 JSON codec's shared refusals (src/codec/json/json-error.ts),
 * pinned by value: the reason each helper fails with, the path segments a
 * failure collects on its way out, and what the entry point turns each kind
 * of thrown value into (always a ProtoJsonError: code, type, path, message).
 * The writer's and the reader's own tests reach these through real messages.
 */
import assert from 'node:assert/strict';
import { Code, VisionError } from 'vision-kit';
import {
  expected,
  fail,
  finish,
  inRange,
  isObject,
  item,
  listOf,
  mapOf,
  outOfRange,
  ProtoJsonError,
  rethrow,
  tooDeep,
  unknownEnum,
  unknownField,
} from '../../src/codec/json/json-error.js';
import { PathFailure } from '../../src/schema/create-message.js';

/** Scalar type numbers of descriptor.proto. */
const INT32 = 5;
const UINT32 = 13;

/** The reason `fn` fails with (a PathFailure with no path yet). */
function reason(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    assert.ok(e instanceof PathFailure, `expected a PathFailure, got ${String(e)}`);
    assert.deepEqual(e.segs, []);
    return e.reason;
  }
  assert.fail('did not fail');
}

function failure(reasonText: string, ...segs: string[]): PathFailure {
  const f = new PathFailure(reasonText);
  f.segs.push(...segs);
  return f;
}

describe('proto3 JSON refusals (mutation checks by value)', () => {
  it('each helper fails with its reason', () => {
    assert.equal(
      reason(() => fail('nope')),
      'nope',
    );
    assert.equal(
      reason(() => expected('a number', 'x')),
      'expected a number, got the string "x"',
    );
    assert.equal(
      reason(() => outOfRange(300, UINT32)),
      '300 is out of range for uint32',
    );
    assert.equal(
      reason(() => inRange(INT32, 2n ** 31n)),
      '2147483648 is out of range for int32',
    );
    assert.equal(
      reason(() => inRange(INT32, -(2n ** 31n) - 1n)),
      '-2147483649 is out of range for int32',
    );
    assert.equal(inRange(INT32, 2n ** 31n - 1n), '2147483647');
    assert.equal(inRange(INT32, -(2n ** 31n)), '-2147483648');
    assert.equal(reason(tooDeep), 'messages nested more than 100 deep');
    assert.equal(
      reason(() => unknownField('a"b', 'of x.Y')),
      'unknown field "a\\"b" of x.Y',
    );
    assert.equal(
      reason(() => unknownEnum('RED', 'x.Color')),
      'unknown value "RED" for enum x.Color',
    );
    assert.equal(
      reason(() => listOf({})),
      'expected an array, got an object',
    );
    assert.equal(
      reason(() => mapOf([])),
      'expected a map object, got an array',
    );
    assert.equal(
      reason(() => mapOf(null)),
      'expected a map object, got null',
    );
    assert.equal(
      reason(() => item(null, true)),
      'null is not allowed in a repeated field',
    );
    assert.equal(
      reason(() => item(undefined, false)),
      'null is not allowed as a map value',
    );
  });

  it('the checks pass their value through', () => {
    const list = [1];
    const map = { a: 1 };
    assert.equal(listOf(list), list);
    assert.equal(mapOf(map), map);
    assert.equal(item(0, true), 0);
    assert.equal(item('', false), '');
    assert.equal(isObject(map), true);
    assert.equal(isObject(null), false);
    assert.equal(isObject([]), false);
    assert.equal(isObject('x'), false);
  });

  it('rethrow adds a segment to a failure, makes one of a VisionError, and lets anything else pass', () => {
    const f = failure('bad', '.b');
    assert.equal(rethrow(f, '[0]'), f);
    assert.deepEqual(f.segs, ['.b', '[0]']);
    const v = rethrow(new VisionError(Code.INVALID_ARGUMENT, 'inner'), '.c');
    assert.ok(v instanceof PathFailure);
    assert.equal(v.reason, 'inner');
    assert.deepEqual(v.segs, ['.c']);
    const other = new RangeError('stack');
    assert.equal(rethrow(other, '.d'), other);
    assert.equal(rethrow('text', '.d'), 'text');
  });

  it('finish makes the path from the segments (innermost first) and drops only a leading dot', () => {
    const e = finish(failure('bad', '.c', '[2]', '.b'), 'x.Root');
    assert.ok(e instanceof ProtoJsonError);
    assert.ok(e instanceof VisionError);
    assert.equal(e.name, 'ProtoJsonError');
    assert.equal(e.code, Code.INVALID_ARGUMENT);
    assert.equal(e.typeName, 'x.Root');
    assert.equal(e.path, 'b[2].c');
    assert.equal(e.rawMessage, 'b[2].c: bad');
    const keyed = finish(failure('bad', '.c', '["k.v"]'), 'x.Root') as ProtoJsonError;
    assert.equal(keyed.path, '["k.v"].c');
    const root = finish(failure('bad'), 'x.Root') as ProtoJsonError;
    assert.equal(root.path, '');
    assert.equal(root.rawMessage, '(root): bad');
  });

  it('finish keeps a ProtoJsonError, and turns a VisionError, an Error or anything else into one at the root', () => {
    const own = new ProtoJsonError('a.B', 'x', 'why');
    assert.equal(finish(own, 'x.Root'), own);
    for (const [thrown, text] of [
      [new VisionError(Code.OUT_OF_RANGE, 'too big'), 'too big'],
      [new RangeError('Maximum call stack size exceeded'), 'Maximum call stack size exceeded'],
      ['plain', 'plain'],
      [undefined, 'undefined'],
    ] as const) {
      const e = finish(thrown, 'x.Root');
      assert.ok(e instanceof ProtoJsonError);
      assert.equal(e.code, Code.INVALID_ARGUMENT);
      assert.equal(e.typeName, 'x.Root');
      assert.equal(e.path, '');
      assert.equal(e.rawMessage, `(root): ${text}`);
    }
  });
});
