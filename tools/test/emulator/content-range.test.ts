// The resumable upload's Content-Range: every well-formed range parses back
// to what was written; a range that ends before it starts, or past its
// total, and anything that is not a range, is an INVALID_ARGUMENT naming the
// header.
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { Code, VisionError } from 'vision-kit';
import { parseContentRange } from '../../src/emulator/storage/content-range.js';

const size = fc.integer({ min: 0, max: 2 ** 40 });

function refused(header: string): void {
  assert.throws(
    () => parseContentRange(header),
    (err: unknown) => err instanceof VisionError && err.code === Code.INVALID_ARGUMENT && err.message.includes('Content-Range'),
    header,
  );
}

describe('Content-Range of resumable uploads', () => {
  it('parses chunks, rests and status queries back to their numbers', () => {
    fc.assert(
      fc.property(size, size, fc.option(size, { nil: undefined }), (a, b, extra) => {
        const [first, last] = a <= b ? [a, b] : [b, a];
        const total = extra === undefined ? undefined : last + 1 + extra;
        const t = total === undefined ? '*' : String(total);
        assert.deepEqual(parseContentRange(`bytes ${first}-${last}/${t}`), {
          kind: 'chunk',
          first,
          last,
          ...(total === undefined ? {} : { total }),
        });
        assert.deepEqual(parseContentRange(`bytes ${first}-*/${t}`), { kind: 'rest', first, ...(total === undefined ? {} : { total }) });
        assert.deepEqual(parseContentRange(`bytes */${t}`), { kind: 'status', ...(total === undefined ? {} : { total }) });
      }),
      { seed: 14, numRuns: 500 },
    );
    assert.deepEqual(parseContentRange(undefined), { kind: 'none' });
    assert.deepEqual(parseContentRange(''), { kind: 'none' });
  });

  it('refuses ranges that end past their total or before they start', () => {
    fc.assert(
      fc.property(size, size, (a, b) => {
        const [low, high] = a < b ? [a, b] : [b, a + 1];
        refused(`bytes ${low}-${high}/${high}`); // the last byte is total - 1 at most
        refused(`bytes ${high}-${low}/*`);
        refused(`bytes ${high + 1}-*/${high}`);
      }),
      { seed: 14, numRuns: 300 },
    );
    refused('bytes 0-9/5');
  });

  it('refuses what is not a byte range', () => {
    for (const h of [
      'bytes=0-9/10',
      'bytes 0-9',
      'bytes -5/10',
      'items 0-9/10',
      'bytes 0-9/10, 10-19/20',
      'bytes 1e3-2e3/5e3',
      `bytes 0-${'9'.repeat(16)}/*`,
    ])
      refused(h);
  });
});
