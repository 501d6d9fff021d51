/**
 * The wire primitives (src/codec/wire.ts) pinned where the random
 * comparisons of wire.test.ts left room (found by mutation testing,
 * MUTATION.md): lengths of one, two and three bytes in front of a body,
 * writes across the writer's buffer growth, ASCII strings at the edge of
 * the short-string path, each refusal's exact reason, over-long varints, and
 * skipping fields of every wire type (groups to their end, at most 100
 * deep). Expected bytes and values come from @bufbuild/protobuf's wire
 * module, the one ts-proto's generated code uses.
 *
 * Deterministic and quick on purpose: listed first for the mutation run, so
 * that a broken writer fails here before the property tests start shrinking.
 */
import assert from 'node:assert/strict';
import { BinaryReader, BinaryWriter } from '@bufbuild/protobuf/wire';
import { WireReader, WireType, WireWriter } from '../../src/codec/wire.js';

/** A writer of either library, as far as these tests use it. */
interface Writer {
  uint32(v: number): Writer;
  bytes(v: Uint8Array): Writer;
  string(v: string): Writer;
  fixed32(v: number): Writer;
  double(v: number): Writer;
  int64(v: string): Writer;
  fork(): Writer;
  join(): Writer;
  finish(): Uint8Array;
}

/** The same writes through our writer and the library's: the bytes must be equal. */
function sameBytes(write: (w: Writer) => void): Uint8Array {
  const ours = new WireWriter();
  const theirs = new BinaryWriter();
  write(ours as unknown as Writer);
  write(theirs as unknown as Writer);
  const expected = theirs.finish();
  assert.deepStrictEqual(ours.finish(), expected);
  return expected;
}

/** The message of the error `f` throws. */
function reason(f: () => unknown): string {
  try {
    f();
  } catch (e) {
    assert.ok(e instanceof Error);
    return e.message;
  }
  assert.fail('nothing thrown');
}

/** The bytes of a varint below 2²¹. */
function varintSize(v: number): number {
  return v < 128 ? 1 : v < 16_384 ? 2 : 3;
}

/** `n` nested groups of field 9 (the first start tag left out: the caller has read it), with `inside` in the innermost. */
function groups(n: number, inside: number[] = []): Uint8Array {
  return new Uint8Array([...Array(n - 1).fill(0x4b), ...inside, ...Array(n).fill(0x4c)]);
}

describe('wire primitives, pinned by value', () => {
  describe('writer', () => {
    it('puts a body’s length in front of it in as many bytes as it needs (1 up to 127, 2 from 128, 3 from 16384)', () => {
      for (const n of [0, 1, 125, 126, 127, 128, 129, 300, 16_380, 16_381, 16_382, 16_383, 20_000]) {
        const bytes = sameBytes((w) => w.uint32(10).fork().bytes(new Uint8Array(n).fill(7)).join());
        const body = varintSize(n) + n;
        assert.equal(bytes.length, 1 + varintSize(body) + body, `body ${n}`);
      }
    });

    it('nests bodies of every length size', () => {
      sameBytes((w) =>
        w
          .uint32(10)
          .fork()
          .string('a')
          .uint32(18)
          .fork()
          .bytes(new Uint8Array(200))
          .uint32(26)
          .fork()
          .bytes(new Uint8Array(20_000))
          .join()
          .join()
          .int64('-1')
          .join(),
      );
    });

    it('keeps every byte when a value crosses the end of the buffer as it grows', () => {
      for (let pad = 0; pad < 140; pad++) {
        sameBytes((w) => w.bytes(new Uint8Array(pad).fill(1)).string('abc').fixed32(0xdeadbeef).double(-0.5).string('é').int64('-2'));
      }
    });

    it('takes a value much larger than its buffer in one write', () => {
      sameBytes((w) => w.bytes(new Uint8Array(60)).bytes(new Uint8Array(1000).fill(3)).bytes(new Uint8Array(5000).fill(4)));
    });

    it('writes strings at the edge of the short ASCII path as UTF-8 with a varint length', () => {
      for (const s of [
        '',
        'a',
        'x'.repeat(127),
        'y'.repeat(128),
        'z'.repeat(200),
        '\u007f',
        '\u0080',
        'a\u0080',
        'ab\u07ff',
        '\u{1f600}',
      ]) {
        sameBytes((w) => w.string(s).string('after'));
      }
    });

    it('refuses what it cannot write, saying what', () => {
      const cases: [(w: WireWriter) => unknown, string][] = [
        [(w) => w.int64('9223372036854775808'), 'invalid int64: 9223372036854775808'],
        [(w) => w.sint64('-9223372036854775809'), 'invalid int64: -9223372036854775809'],
        [(w) => w.uint64('-1'), 'invalid uint64: -1'],
        [(w) => w.fixed64('18446744073709551616'), 'invalid uint64: 18446744073709551616'],
        [(w) => w.int32(2 ** 31), 'invalid int32: 2147483648'],
        [(w) => w.uint32(-1), 'invalid uint32: -1'],
        [(w) => w.sfixed32(1.5), 'invalid int32: 1.5'],
        [(w) => w.int32('x' as unknown as number), 'invalid int32: x'],
        [(w) => w.int32(true as unknown as number), 'invalid int32: boolean'],
        [(w) => w.uint32(null as unknown as number), 'invalid uint32: object'],
        [(w) => w.float(3.5e38), 'invalid float32: 3.5e+38'],
        [(w) => w.float('abc' as unknown as number), 'invalid float32: abc'],
        [(w) => w.float(true as unknown as number), 'invalid float32: boolean'],
        [(w) => w.bytes([1, 2, 3] as unknown as Uint8Array), 'invalid bytes: object'],
      ];
      for (const [write, expected] of cases)
        assert.equal(
          reason(() => write(new WireWriter())),
          expected,
        );
    });
  });

  describe('reader', () => {
    const tooLong = new Uint8Array([0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01]);

    it('refuses a varint of more than ten bytes', () => {
      assert.equal(
        reason(() => new WireReader(tooLong).int64()),
        'invalid varint',
      );
      assert.equal(
        reason(() => new WireReader(tooLong).uint32()),
        'invalid varint',
      );
      assert.equal(
        reason(() => new WireReader(tooLong).skip(WireType.Varint, 1)),
        'invalid varint',
      );
    });

    it('reads a ten-byte varint to its last byte', () => {
      const ten = tooLong.subarray(1);
      for (const read of ['uint32', 'int64', 'uint64'] as const) {
        const ours = new WireReader(ten);
        const theirs = new BinaryReader(ten);
        const v = theirs[read]();
        assert.equal(String(ours[read]()), String(v), read);
        assert.equal(ours.pos, 10, read);
      }
      // 0x80 in the sixth byte and later is a continuation too
      const r = new WireReader(new Uint8Array([0x81, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x01, 0x05]));
      assert.equal(r.uint32(), 1);
      assert.equal(r.pos, 8);
    });

    describe('skip', () => {
      const cases: [string, number, number[]][] = [
        ['a varint', WireType.Varint, [0x96, 0x01]],
        ['a 64-bit value', WireType.Bit64, [1, 2, 3, 4, 5, 6, 7, 8]],
        ['a 32-bit value', WireType.Bit32, [1, 2, 3, 4]],
        ['a length-delimited value', WireType.LengthDelimited, [3, 0x61, 0x62, 0x63]],
        ['an empty group', WireType.StartGroup, [0x4c]],
        [
          'a group of every wire type, a group inside',
          WireType.StartGroup,
          [0x08, 0x96, 0x01, 0x11, 1, 2, 3, 4, 5, 6, 7, 8, 0x1a, 1, 0x61, 0x25, 1, 2, 3, 4, 0x2b, 0x30, 0x01, 0x2c, 0x4c],
        ],
      ];
      for (const [what, wt, body] of cases) {
        it(`skips ${what} exactly`, () => {
          const r = new WireReader(new Uint8Array([...body, 0x08]));
          r.skip(wt, 9);
          assert.equal(r.pos, body.length);
        });
      }

      it('skips groups nested 100 deep, and refuses 101', () => {
        const ok = groups(100);
        const r = new WireReader(ok);
        r.skip(WireType.StartGroup, 9);
        assert.equal(r.pos, ok.length);
        assert.equal(
          reason(() => new WireReader(groups(101)).skip(WireType.StartGroup, 9)),
          'maximum recursion depth reached',
        );
      });

      const bad: [string, number, number[], string][] = [
        ['a field number 0 in a group', WireType.StartGroup, [0x00, 0x4c], 'illegal tag: field no 0 wire type 0'],
        ['wire type 6 in a group', WireType.StartGroup, [0x0e, 0x4c], 'illegal tag: field no 1 wire type 6'],
        ['wire type 7 in a group', WireType.StartGroup, [0x0f, 0x4c], 'illegal tag: field no 1 wire type 7'],
        ['a group closed by another field’s end tag', WireType.StartGroup, [0x54], 'invalid end group tag'],
        ['an inner group closed by the outer one’s end tag', WireType.StartGroup, [0x53, 0x4c, 0x4c], 'invalid end group tag'],
        ['a group without its end', WireType.StartGroup, [0x08, 0x01], 'premature EOF'],
        ['an end group', WireType.EndGroup, [], 'cannot skip wire type 4'],
        ['wire type 6', 6, [], 'cannot skip wire type 6'],
        ['a 64-bit value cut short', WireType.Bit64, [1, 2, 3], 'premature EOF'],
        ['a 32-bit value cut short', WireType.Bit32, [1, 2, 3], 'premature EOF'],
        ['a length-delimited value cut short', WireType.LengthDelimited, [3, 0x61], 'premature EOF'],
      ];
      for (const [what, wt, body, expected] of bad) {
        it(`refuses ${what}: "${expected}"`, () => {
          assert.equal(
            reason(() => new WireReader(new Uint8Array(body)).skip(wt, 9)),
            expected,
          );
        });
      }
    });
  });
});
