/**
 * The check of a GetOperation answer (src/lro/check-operation.ts), pinned
 * by value: the exact reason for each shape it refuses, and undefined for
 * each it takes (Anys with bytes or holding their message, a Status with
 * details). Fast and in-process: the file the mutation run of the check
 * leans on; the handle's tests show the reason reaching an LroProtocolError.
 */
import assert from 'node:assert/strict';
import { holdAny } from '../../src/codec/held-any.js';
import { operationProblem } from '../../src/lro/check-operation.js';

const N = 'operations/1';
const any = { typeUrl: 'type.googleapis.com/google.protobuf.Empty', value: new Uint8Array() };
const status = { code: 5, message: 'gone', details: [] };
const op = (extra: Record<string, unknown> = {}): Record<string, unknown> => ({ name: N, done: false, ...extra });

describe('operationProblem (mutation checks by value)', () => {
  it('names what a non-object is', () => {
    assert.equal(operationProblem(null, N), 'got null');
    assert.equal(operationProblem(undefined, N), 'got undefined');
    assert.equal(operationProblem([op()], N), 'got an array');
    assert.equal(operationProblem('x', N), 'got string');
    assert.equal(operationProblem(7, N), 'got number');
  });

  it('wants the name asked for', () => {
    assert.equal(operationProblem({ done: true }, N), 'it has no name');
    assert.equal(operationProblem({ name: 3, done: true }, N), 'it has no name');
    assert.equal(operationProblem({ name: '', done: true }, ''), 'it has no name');
    assert.equal(operationProblem(op({ name: 'operations/2' }), N), 'it names another operation, "operations/2"');
  });

  it('wants a boolean done', () => {
    for (const done of [undefined, 'true', 1, null]) {
      assert.equal(operationProblem({ name: N, done }, N), 'its "done" is not a boolean');
    }
    assert.equal(operationProblem(op({ done: true }), N), undefined);
    assert.equal(operationProblem(op(), N), undefined);
  });

  it('wants metadata and response as Anys (bytes, or a held message)', () => {
    for (const field of ['metadata', 'response']) {
      for (const bad of [
        null,
        'x',
        { value: new Uint8Array() },
        { typeUrl: 1, value: new Uint8Array() },
        { typeUrl: 't' },
        { typeUrl: 't', value: [1] },
      ]) {
        assert.equal(
          operationProblem(op({ [field]: bad }), N),
          `its "${field}" is not a google.protobuf.Any`,
          `${field}: ${JSON.stringify(bad)}`,
        );
      }
      assert.equal(operationProblem(op({ [field]: any }), N), undefined);
    }
    assert.equal(operationProblem(op({ metadata: any, response: { typeUrl: 't' } }), N), 'its "response" is not a google.protobuf.Any');
    // A held message is taken as it is: its bytes (which this type could not even make) are never asked for.
    const held = holdAny('type.googleapis.com/no.such.Type', 'no.such.Type', {});
    assert.equal(operationProblem(op({ done: true, response: held, metadata: held }), N), undefined);
  });

  it('wants error as a google.rpc.Status, and not beside a response', () => {
    for (const bad of [
      null,
      'x',
      { message: 'm', details: [] },
      { code: '5', message: 'm', details: [] },
      { code: 5, details: [] },
      { code: 5, message: 'm' },
      { code: 5, message: 'm', details: {} },
    ]) {
      assert.equal(operationProblem(op({ done: true, error: bad }), N), 'its "error" is not a google.rpc.Status', JSON.stringify(bad));
    }
    assert.equal(operationProblem(op({ done: true, error: status }), N), undefined);
    assert.equal(operationProblem(op({ done: true, error: status, metadata: any }), N), undefined);
    assert.equal(operationProblem(op({ done: true, error: status, response: any }), N), 'it holds both "error" and "response"');
  });
});
