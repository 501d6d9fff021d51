import { createHash } from 'node:crypto';
import type { AnnotateImageResponse } from 'vision-kit/gen/google/cloud/vision/v1p4beta1/image_annotator.js';
import type { FixtureStore } from './contract.js';

/** Lower-case hex SHA-256 of some bytes: the fixture key of an image (or file). */
export function sha256Hex(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/** A fixture key: 64 hex digits, optionally `-<page>` (1-based) for one page of a file. */
export const FIXTURE_KEY = /^[0-9a-f]{64}(?:-[1-9][0-9]*)?$/;

/**
 * A FixtureStore over given entries (keys are lower-cased; a key that is not
 * 64 hex digits with an optional `-<page>` throws a TypeError). The store
 * keeps the messages as given; the annotators deep-copy what they use.
 */
export function createFixtureStore(entries: Iterable<readonly [string, AnnotateImageResponse]>): FixtureStore {
  const map = new Map<string, AnnotateImageResponse>();
  for (const [key, response] of entries) {
    const k = key.toLowerCase();
    if (!FIXTURE_KEY.test(k))
      throw new TypeError(`fixture key ${JSON.stringify(key)} is not a SHA-256 hex digest (optionally with -<page>)`);
    map.set(k, response);
  }
  return {
    get: (key) => map.get(key.toLowerCase()),
    get size() {
      return map.size;
    },
  };
}
