/**
 * Credential redaction pinned by value: every occurrence of every secret in
 * text, bytes (same length, so embedded messages still decode), nested
 * values, error causes and details; the same object back when nothing held a
 * secret; the caller's values never changed; cycles walked once.
 */
import assert from 'node:assert/strict';
import { Code, VisionError } from 'vision-kit';
import { heldMessage, holdAny } from '../../src/codec/held-any.js';
import { holdsSecret, maskBytes, redactError, redactText, redactValue } from '../../src/transport/redact.js';

const SECRETS = ['tok-123', 'key-9'];
const bytes = (text: string): Uint8Array => new TextEncoder().encode(text);
const text = (b: Uint8Array): string => new TextDecoder().decode(b);

describe('transport: credential redaction, by value', () => {
  it('keeps null, numbers and booleans inside a value, and redacts an error held in a value', () => {
    const out = redactValue({ a: null, b: 5, c: true, d: 'tok-123', e: new Error('key-9') }, SECRETS);
    assert.deepEqual([out.a, out.b, out.c, out.d], [null, 5, true, '[redacted]']);
    assert.ok(out.e instanceof Error);
    assert.equal(out.e.message, '[redacted]');
    assert.deepEqual(redactValue([null, 'key-9'], SECRETS), [null, '[redacted]']);
  });

  it('replaces every occurrence of every secret in text, and returns text without one as it is', () => {
    assert.equal(redactText('a tok-123 b tok-123 key-9', SECRETS), 'a [redacted] b [redacted] [redacted]');
    assert.equal(redactText('nothing here', SECRETS), 'nothing here');
    assert.equal(redactText('tok-123', []), 'tok-123');
  });

  it('masks each secret in bytes with "*" of the same length, at the start, the end and twice, in a copy', () => {
    const input = bytes('tok-123|x|tok-123|key-9');
    const out = maskBytes(input, SECRETS);
    assert.equal(text(out), '*******|x|*******|*****');
    assert.equal(out.length, input.length);
    assert.equal(text(input), 'tok-123|x|tok-123|key-9', 'the input is untouched');
    const clean = bytes('nothing');
    assert.equal(maskBytes(clean, SECRETS), clean, 'the same object when nothing matched');
    assert.equal(text(maskBytes(bytes('é-secret-é'), ['é'])), '**-secret-**', 'UTF-8 bytes of the secret');
    assert.equal(text(maskBytes(bytes('tok-12'), SECRETS)), 'tok-12', 'a prefix of a secret at the end is not one');
    assert.equal(text(maskBytes(bytes('abc'), [''])), 'abc', 'an empty secret matches nothing');
  });

  it('finds a secret anywhere: strings, bytes, arrays, objects, error messages, causes and details, through cycles', () => {
    assert.equal(holdsSecret('x tok-123', SECRETS), true);
    assert.equal(holdsSecret('x tok-123', []), false);
    assert.equal(holdsSecret(bytes('..key-9..'), SECRETS), true);
    assert.equal(holdsSecret(bytes('..key-8..'), SECRETS), false);
    assert.equal(holdsSecret({ a: [1, { b: 'key-9' }] }, SECRETS), true);
    assert.equal(holdsSecret({ a: [1, { b: 'key-8' }], n: 5, z: null }, SECRETS), false);
    assert.equal(holdsSecret(new Error('tok-123'), SECRETS), true);
    assert.equal(holdsSecret(new Error('fine', { cause: new Error('tok-123') }), SECRETS), true);
    assert.equal(holdsSecret(new Error('fine', { cause: { header: 'key-9' } }), SECRETS), true);
    const withDetail = new VisionError(Code.INTERNAL, 'fine', {
      details: [{ type: 'google.rpc.DebugInfo', value: { detail: 'tok-123' } }],
    });
    assert.equal(holdsSecret(withDetail, SECRETS), true);
    assert.equal(holdsSecret(new VisionError(Code.INTERNAL, 'fine'), SECRETS), false);
    const loop: Record<string, unknown> = { name: 'loop' };
    loop['self'] = loop;
    assert.equal(holdsSecret(loop, SECRETS), false);
    loop['later'] = 'key-9';
    assert.equal(holdsSecret(loop, SECRETS), true);
    assert.equal(holdsSecret(42, SECRETS), false);
  });

  it('copies only what holds a secret, sharing the rest and leaving the caller’s value as it was', () => {
    const shared = { keep: 'me', list: [1, 2] };
    const value = { a: shared, b: ['x', 'tok-123'], c: { d: bytes('key-9') }, e: 7 };
    const before = structuredClone(value);
    const out = redactValue(value, SECRETS);
    assert.notEqual(out, value);
    assert.equal(out.a, shared, 'a part without a secret is shared');
    assert.deepEqual(out.b, ['x', '[redacted]']);
    assert.equal(text(out.c.d), '*****');
    assert.equal(out.e, 7);
    assert.deepEqual(value, before);
    const clean = { a: ['x', { y: 'z' }] };
    assert.equal(redactValue(clean, SECRETS), clean, 'the same object when nothing held a secret');
    assert.equal(redactValue(clean.a, SECRETS), clean.a);
    assert.equal(redactValue(value, []), value);
    const loop: Record<string, unknown> = { s: 'tok-123' };
    loop['self'] = loop;
    const redactedLoop = redactValue(loop, SECRETS) as Record<string, unknown>;
    assert.equal(redactedLoop['s'], '[redacted]');
  });

  it('redacts an error’s message, details and cause chain into a new error of the same code and HTTP status', () => {
    const root = new Error('socket said key-9');
    root.name = 'SocketError';
    const err = new VisionError(Code.PERMISSION_DENIED, 'denied for Bearer tok-123', {
      httpStatus: 403,
      details: [
        { type: 'google.rpc.DebugInfo', value: { detail: 'tok-123 again', stackEntries: ['fine'] } },
        { type: 'google.rpc.ErrorInfo', value: { reason: 'fine' } },
      ],
      cause: new Error('wrapped', { cause: root }),
    });
    const out = redactError(err, SECRETS);
    assert.notEqual(out, err);
    assert.deepEqual([out.code, out.httpStatus, out.rawMessage], [Code.PERMISSION_DENIED, 403, 'denied for Bearer [redacted]']);
    assert.deepEqual(out.details, [
      { type: 'google.rpc.DebugInfo', value: { detail: '[redacted] again', stackEntries: ['fine'] } },
      { type: 'google.rpc.ErrorInfo', value: { reason: 'fine' } },
    ]);
    assert.equal(out.details[1], err.details[1], 'a detail without a secret is shared');
    const cause = out.cause as Error;
    assert.notEqual(cause, err.cause, 'a cause whose own cause holds a secret is copied');
    assert.deepEqual(
      [cause.message, (cause.cause as Error).name, (cause.cause as Error).message],
      ['wrapped', 'SocketError', 'socket said [redacted]'],
    );
    assert.equal(err.message, '[PERMISSION_DENIED] denied for Bearer tok-123', 'the original error is untouched');
  });

  it('copies a cause that holds a secret, keeping its name and chain; a VisionError cause is redacted as an error', () => {
    const inner = new VisionError(Code.UNAVAILABLE, 'upstream saw tok-123', { httpStatus: 503 });
    const middle = new Error('proxy key-9', { cause: inner });
    middle.name = 'ProxyError';
    const err = new VisionError(Code.INTERNAL, 'failed', { cause: middle });
    const out = redactError(err, SECRETS);
    const c1 = out.cause as Error;
    assert.deepEqual([c1.name, c1.message], ['ProxyError', 'proxy [redacted]']);
    const c2 = c1.cause as VisionError;
    assert.ok(c2 instanceof VisionError);
    assert.deepEqual([c2.code, c2.httpStatus, c2.rawMessage], [Code.UNAVAILABLE, 503, 'upstream saw [redacted]']);
    const plainCause = redactError(new VisionError(Code.INTERNAL, 'x tok-123', { cause: { header: 'key-9' } }), SECRETS);
    assert.deepEqual(plainCause.cause, { header: '[redacted]' });
    const noCause = redactError(new VisionError(Code.INTERNAL, 'x tok-123'), SECRETS);
    assert.equal(noCause.cause, undefined);
    assert.equal('cause' in noCause, false);
    const fineCause = new Error('fine cause');
    assert.equal(
      redactError(new VisionError(Code.INTERNAL, 'x tok-123', { cause: fineCause }), SECRETS).cause,
      fineCause,
      'a clean cause is kept',
    );
    const clean = new VisionError(Code.INTERNAL, 'fine', { cause: new Error('also fine') });
    assert.equal(redactError(clean, SECRETS), clean);
    const lastOnly = new Error('outer fine', { cause: new Error('inner key-9') });
    const redacted = redactError(new VisionError(Code.INTERNAL, 'x', { cause: lastOnly }), SECRETS).cause as Error;
    assert.equal(redacted.message, 'outer fine');
    assert.equal((redacted.cause as Error).message, 'inner [redacted]');
    const noChain = redactError(new VisionError(Code.INTERNAL, 'x', { cause: new Error('only key-9') }), SECRETS).cause as Error;
    assert.equal(noChain.cause, undefined);
    assert.equal('cause' in noChain, false);
  });

  it('redacts a part met twice in both places, as one copy', () => {
    const part = { header: 'tok-123', fine: 'x' };
    const out = redactValue({ a: part, b: [part] }, SECRETS);
    assert.deepEqual(out.a, { header: '[redacted]', fine: 'x' });
    assert.equal(out.b[0], out.a, 'the second meeting gives the same copy');
    assert.deepEqual(part, { header: 'tok-123', fine: 'x' }, 'the caller’s part is untouched');
    const err = new VisionError(Code.INTERNAL, 'x', { details: [{ type: 'google.rpc.DebugInfo', value: part }], cause: part });
    const redacted = redactError(err, SECRETS);
    assert.deepEqual(redacted.cause, { header: '[redacted]', fine: 'x' });
    assert.equal(redacted.details[0]?.value, redacted.cause);
  });

  it('redacts the message an Any read from JSON holds, into a new held Any of the same type', () => {
    const url = 'type.googleapis.com/google.rpc.DebugInfo';
    const any = holdAny(url, 'google.rpc.DebugInfo', { detail: 'saw tok-123', stackEntries: [] });
    const out = redactValue({ any }, SECRETS);
    assert.notEqual(out.any, any);
    assert.equal(out.any.typeUrl, url);
    assert.deepEqual(heldMessage(out.any), {
      typeUrl: url,
      typeName: 'google.rpc.DebugInfo',
      message: { detail: 'saw [redacted]', stackEntries: [] },
    });
    assert.deepEqual(heldMessage(any)?.message, { detail: 'saw tok-123', stackEntries: [] }, 'the original is untouched');
    const clean = holdAny(url, 'google.rpc.DebugInfo', { detail: 'fine', stackEntries: [] });
    assert.equal(redactValue(clean, SECRETS), clean, 'a held Any without a secret comes back as it is');
  });
});
