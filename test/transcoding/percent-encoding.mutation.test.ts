/**
 * Percent-encoding pinned by value: the text each encoder and decoder gives,
 * `undefined` for what has no form (a lone surrogate, a malformed escape,
 * bytes that are not UTF-8), and a multi-segment capture's `%2F` kept
 * encoded (upper-case) while every other escape around it is decoded.
 */
import assert from 'node:assert/strict';
import { decodeComponent, decodeKeepingSlash, encodeComponent } from '../../src/transcoding/percent-encoding.js';

describe('transcoding: percent-encoding, by value', () => {
  it('encodeComponent leaves the unreserved set and escapes every other UTF-8 byte in upper-case hex', () => {
    assert.equal(encodeComponent('Az09-_.~'), 'Az09-_.~');
    assert.equal(encodeComponent(''), '');
    assert.equal(encodeComponent("a/b c+d!'()*é"), 'a%2Fb%20c%2Bd%21%27%28%29%2A%C3%A9');
    assert.equal(encodeComponent('😀'), '%F0%9F%98%80');
    assert.equal(encodeComponent('a\ud800'), undefined);
  });

  it('decodeComponent decodes escapes as UTF-8, keeps "+", and refuses malformed escapes and bytes that are not UTF-8', () => {
    assert.equal(decodeComponent('plain+text'), 'plain+text');
    assert.equal(decodeComponent('a%20b%2fc%C3%A9+'), 'a b/cé+');
    for (const bad of ['%', '%2', '%zz', 'a%2', '%C3', '%FF', '%C3%28']) assert.equal(decodeComponent(bad), undefined, bad);
  });

  it('decodeKeepingSlash keeps %2F (as upper-case) and decodes every other escape around it', () => {
    assert.equal(decodeKeepingSlash('a%20b'), 'a b');
    assert.equal(decodeKeepingSlash('plain'), 'plain');
    assert.equal(decodeKeepingSlash('a%20b%2fc%41%2Fd'), 'a b%2FcA%2Fd');
    assert.equal(decodeKeepingSlash('%2F'), '%2F');
    assert.equal(decodeKeepingSlash('%2F%C3%A9'), '%2Fé');
    assert.equal(decodeKeepingSlash('a%2F%zz'), undefined);
    assert.equal(decodeKeepingSlash('%zz%2Fa'), undefined);
    assert.equal(decodeKeepingSlash('%C3%2F%A9'), undefined, 'a UTF-8 sequence cut by %2F');
    assert.equal(decodeKeepingSlash('%zz'), undefined);
  });
});
