/**
 * Our wire primitives (src/http/wire.ts) and base64 (src/http/base64.ts)
 * against the library ts-proto's generated code uses (@bufbuild/protobuf's
 * wire module) and Node's Buffer: same bytes out, same values in, the same
 * refusals, for every scalar kind over its whole range.
 */
import assert from 'node:assert/strict';
import { BinaryReader, BinaryWriter } from '@bufbuild/protobuf/wire';
import fc from 'fast-check';
import { base64Decode, base64Encode } from '../../src/codec/base64.js';
import { WireReader, WireWriter } from '../../src/codec/wire.js';

type Kind =
  | 'uint32'
  | 'int32'
  | 'sint32'
  | 'fixed32'
  | 'sfixed32'
  | 'int64'
  | 'uint64'
  | 'sint64'
  | 'fixed64'
  | 'sfixed64'
  | 'bool'
  | 'float'
  | 'double'
  | 'string'
  | 'bytes';

const i64 = fc.bigInt(-(1n << 63n), (1n << 63n) - 1n).map(String);
const u64 = fc.bigInt(0n, (1n << 64n) - 1n).map(String);
const VALUES: Record<Kind, fc.Arbitrary<unknown>> = {
  uint32: fc
    .oneof(
      fc.integer({ min: 0, max: 0x7fffffff }),
      fc.constantFrom(0, 127, 128, 0xffffffff),
      fc.nat().map((n) => n * 2 + 1),
    )
    .filter((n) => n <= 0xffffffff),
  int32: fc.oneof(fc.integer(), fc.constantFrom(-1, -0x80000000, 0x7fffffff)),
  sint32: fc.integer(),
  fixed32: fc.integer({ min: 0, max: 0xffffffff }),
  sfixed32: fc.integer(),
  int64: fc.oneof(i64, fc.constantFrom('-1', '-9223372036854775808', '9223372036854775807')),
  uint64: fc.oneof(u64, fc.constantFrom('18446744073709551615', '0')),
  sint64: i64,
  fixed64: u64,
  sfixed64: i64,
  bool: fc.boolean(),
  float: fc.oneof(fc.float(), fc.constantFrom(Number.NaN, Infinity, -Infinity, 3.4028234663852886e38)),
  double: fc.double(),
  string: fc.string({ unit: 'binary' }),
  bytes: fc.uint8Array({ maxLength: 300 }),
};

function bufWrite(w: BinaryWriter, kind: Kind, v: unknown): void {
  (w[kind] as (x: unknown) => unknown).call(w, v);
}
function oursWrite(w: WireWriter, kind: Kind, v: unknown): void {
  (w[kind] as (x: unknown) => unknown).call(w, v);
}
function bufRead(r: BinaryReader, kind: Kind): unknown {
  const v = (r[kind] as () => unknown).call(r);
  return typeof v === 'bigint' ? v.toString() : v;
}

describe('wire primitives against @bufbuild/protobuf/wire', () => {
  for (const kind of Object.keys(VALUES) as Kind[]) {
    it(`${kind}: the same bytes written (also inside fork/join), the same value read back`, () => {
      fc.assert(
        fc.property(fc.array(VALUES[kind], { minLength: 1, maxLength: 40 }), (values) => {
          const theirs = new BinaryWriter();
          const ours = new WireWriter();
          theirs.uint32(10).fork();
          ours.uint32(10).fork();
          for (const v of values) {
            bufWrite(theirs, kind, v);
            oursWrite(ours, kind, v);
          }
          theirs.join();
          ours.join();
          const bytes = theirs.finish();
          assert.deepEqual(ours.finish(), bytes);
          const a = new BinaryReader(bytes);
          const b = new WireReader(bytes);
          assert.equal(b.uint32(), a.uint32());
          assert.equal(b.uint32(), a.uint32());
          for (let i = 0; i < values.length; i++) assert.deepEqual(b[kind](), bufRead(a, kind));
          assert.equal(b.pos, a.pos);
        }),
        { numRuns: 150 },
      );
    });
  }

  it('refuses what the library refuses: out-of-range integers and float32s', () => {
    const bad: [Kind, unknown][] = [
      ['uint32', -1],
      ['uint32', 2 ** 32],
      ['uint32', 1.5],
      ['int32', 2 ** 31],
      ['int32', -(2 ** 31) - 1],
      ['fixed32', -1],
      ['sfixed32', 2 ** 31],
      ['int64', '9223372036854775808'],
      ['uint64', '-1'],
      ['uint64', '18446744073709551616'],
      ['sint64', '-9223372036854775809'],
      ['fixed64', '-1'],
      ['int64', 'twelve'],
      ['float', 3.5e38],
    ];
    for (const [kind, v] of bad) {
      assert.throws(() => bufWrite(new BinaryWriter(), kind, v), Error, `the library accepts ${kind} ${String(v)}`);
      assert.throws(() => oursWrite(new WireWriter(), kind, v), Error, `ours accepts ${kind} ${String(v)}`);
    }
  });

  it('takes loosely typed values as the library does: numeric strings for 32-bit kinds and floats, "NaN", no plain arrays for bytes', () => {
    const cases: [Kind, unknown][] = [
      ['int32', '5'],
      ['uint32', '7'],
      ['sint32', '-3'],
      ['fixed32', '9'],
      ['sfixed32', '-9'],
      ['int32', 'x'],
      ['int32', true],
      ['uint32', null],
      ['float', '1.5'],
      ['float', 'NaN'],
      ['float', 'abc'],
      ['float', true],
      ['double', '2.5'],
      ['bool', 1],
      ['bool', ''],
      ['string', 12],
      ['bytes', [1, 2, 3]],
      ['int64', 12],
      ['uint64', 12n],
    ];
    for (const [kind, v] of cases) {
      let theirs: Uint8Array | Error;
      let ours: Uint8Array | Error;
      try {
        const w = new BinaryWriter();
        bufWrite(w, kind, v);
        theirs = w.finish();
      } catch (e) {
        theirs = e as Error;
      }
      try {
        const w = new WireWriter();
        oursWrite(w, kind, v);
        ours = w.finish();
      } catch (e) {
        ours = e as Error;
      }
      if (theirs instanceof Error)
        assert.ok(ours instanceof Error, `${kind} ${String(v)}: the library refuses it, ours wrote ${String(ours)}`);
      else assert.deepEqual(ours, theirs, `${kind} ${String(v)}`);
    }
  });

  it('reads the low 32 bits of an over-long uint32 varint, and any set bit of a bool, as the library does', () => {
    const bytes = new Uint8Array([0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01, 0x80, 0x80, 0x80, 0x80, 0x10]);
    const a = new BinaryReader(bytes);
    const b = new WireReader(bytes);
    assert.equal(b.uint32(), a.uint32());
    assert.equal(b.bool(), a.bool());
    assert.equal(b.pos, bytes.length);
  });

  it('throws on truncated input of every width', () => {
    for (const [kind, bytes] of [
      ['uint32', [0x80]],
      ['int64', [0xff, 0xff]],
      ['fixed32', [1, 2, 3]],
      ['double', [1]],
      ['bytes', [5, 1]],
      ['string', [2, 0x61]],
    ] as const) {
      assert.throws(() => new WireReader(new Uint8Array(bytes))[kind](), /premature EOF/, kind);
    }
  });
});

describe('base64 against Buffer', () => {
  it('encodes standard padded base64; decodes both alphabets without padding', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), (bytes) => {
        const b = Buffer.from(bytes);
        assert.equal(base64Encode(bytes), b.toString('base64'));
        assert.deepEqual(Buffer.from(base64Decode(b.toString('base64').replace(/=+$/, ''))), b);
        assert.deepEqual(Buffer.from(base64Decode(b.toString('base64url'))), b);
      }),
      { numRuns: 500 },
    );
  });
});
