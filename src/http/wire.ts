/**
 * The protobuf wire format's primitives (varints, zigzag, fixed widths,
 * length-delimited fields), small enough for the browser bundle: the binary
 * codec (binary-codec.ts) packs and unpacks `Any` values with them. Same
 * bytes and values as `@bufbuild/protobuf/wire`, which ts-proto's generated
 * code uses on Node (test/http/binary-codec.test.ts holds the two side by
 * side): 64-bit integers go through BigInt (ES2020), strings through
 * TextEncoder/TextDecoder (invalid UTF-8 read as U+FFFD), numbers out of
 * their type's range are refused.
 */

/** The six wire types of a tag's low three bits. */
export const WireType = { Varint: 0, Bit64: 1, LengthDelimited: 2, StartGroup: 3, EndGroup: 4, Bit32: 5 } as const;
/** One of {@link WireType}'s values. */
export type WireType = (typeof WireType)[keyof typeof WireType];

const encoder = /* @__PURE__ */ new TextEncoder();
const decoder = /* @__PURE__ */ new TextDecoder();
const U64 = (1n << 64n) - 1n;
const I64 = 1n << 63n;

/** A 64-bit integer given as a string, number or bigint, checked against its range. */
function big(v: string | number | bigint, signed: boolean): bigint {
  const b = BigInt(v);
  if (signed ? b < -I64 || b >= I64 : b < 0n || b > U64) throw new Error(`invalid ${signed ? '' : 'u'}int64: ${v}`);
  return b;
}

function int32(v: number, signed: boolean): number {
  if (!Number.isInteger(v) || (signed ? v < -0x80000000 || v > 0x7fffffff : v < 0 || v > 0xffffffff)) {
    throw new Error(`invalid ${signed ? '' : 'u'}int32: ${v}`);
  }
  return v;
}

/** Writes one message's bytes; `fork`/`join` wrap a length-delimited body. */
export class WireWriter {
  #buf = new Uint8Array(64);
  #pos = 0;
  readonly #forks: number[] = [];
  readonly #view8 = new DataView(new ArrayBuffer(8));

  #room(n: number): void {
    if (this.#pos + n <= this.#buf.length) return;
    const next = new Uint8Array(Math.max(this.#buf.length * 2, this.#pos + n));
    next.set(this.#buf.subarray(0, this.#pos));
    this.#buf = next;
  }

  #raw(bytes: Uint8Array): this {
    this.#room(bytes.length);
    this.#buf.set(bytes, this.#pos);
    this.#pos += bytes.length;
    return this;
  }

  /** An unsigned varint of up to 64 bits. */
  #varint(v: bigint): this {
    this.#room(10);
    while (v > 0x7fn) {
      this.#buf[this.#pos++] = Number(v & 0x7fn) | 0x80;
      v >>= 7n;
    }
    this.#buf[this.#pos++] = Number(v);
    return this;
  }

  /** A uint32 varint (tags and lengths too). */
  uint32(v: number): this {
    int32(v, false);
    this.#room(5);
    while (v > 0x7f) {
      this.#buf[this.#pos++] = (v & 0x7f) | 0x80;
      v >>>= 7;
    }
    this.#buf[this.#pos++] = v;
    return this;
  }

  /** An int32 varint (negative ones take ten bytes). */
  int32(v: number): this {
    return int32(v, true) < 0 ? this.#varint(BigInt.asUintN(64, BigInt(v))) : this.uint32(v);
  }

  /** A zigzag sint32. */
  sint32(v: number): this {
    int32(v, true);
    return this.uint32(((v << 1) ^ (v >> 31)) >>> 0);
  }

  /** An int64 varint. */
  int64(v: string | number | bigint): this {
    return this.#varint(BigInt.asUintN(64, big(v, true)));
  }

  /** A uint64 varint. */
  uint64(v: string | number | bigint): this {
    return this.#varint(big(v, false));
  }

  /** A zigzag sint64. */
  sint64(v: string | number | bigint): this {
    const b = big(v, true);
    return this.#varint(BigInt.asUintN(64, (b << 1n) ^ (b >> 63n)));
  }

  /** A bool varint. */
  bool(v: boolean): this {
    return this.uint32(v ? 1 : 0);
  }

  #fixed(n: 4 | 8, set: (view: DataView) => void): this {
    set(this.#view8);
    return this.#raw(new Uint8Array(this.#view8.buffer, 0, n));
  }

  /** A little-endian fixed32. */
  fixed32(v: number): this {
    int32(v, false);
    return this.#fixed(4, (d) => d.setUint32(0, v, true));
  }

  /** A little-endian sfixed32. */
  sfixed32(v: number): this {
    int32(v, true);
    return this.#fixed(4, (d) => d.setInt32(0, v, true));
  }

  /** A little-endian fixed64. */
  fixed64(v: string | number | bigint): this {
    const b = big(v, false);
    return this.#fixed(8, (d) => d.setBigUint64(0, b, true));
  }

  /** A little-endian sfixed64. */
  sfixed64(v: string | number | bigint): this {
    const b = big(v, true);
    return this.#fixed(8, (d) => d.setBigInt64(0, b, true));
  }

  /** A float (finite values beyond float32's range refused). */
  float(v: number): this {
    if (Number.isFinite(v) && Math.abs(v) > 3.4028234663852886e38) throw new Error(`invalid float32: ${v}`);
    return this.#fixed(4, (d) => d.setFloat32(0, v, true));
  }

  /** A double. */
  double(v: number): this {
    return this.#fixed(8, (d) => d.setFloat64(0, v, true));
  }

  /** Length-prefixed bytes. */
  bytes(v: Uint8Array): this {
    return this.uint32(v.length).#raw(v);
  }

  /** Length-prefixed UTF-8. */
  string(v: string): this {
    return this.bytes(encoder.encode(v));
  }

  /** Starts a length-delimited body. */
  fork(): this {
    this.#forks.push(this.#pos);
    return this;
  }

  /** Ends the body `fork` started: its length goes in front of it. */
  join(): this {
    const start = this.#forks.pop() as number;
    const body = this.#buf.slice(start, this.#pos);
    this.#pos = start;
    return this.bytes(body);
  }

  /** The bytes written (a copy). */
  finish(): Uint8Array {
    return this.#buf.slice(0, this.#pos);
  }
}

/** Reads one message's bytes; `pos` and `len` bound the current field. */
export class WireReader {
  /** Next byte to read. */
  pos = 0;
  /** End of the bytes. */
  readonly len: number;
  readonly #buf: Uint8Array;
  readonly #view: DataView;

  constructor(buf: Uint8Array) {
    this.#buf = buf;
    this.len = buf.length;
    this.#view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  }

  #need(n: number): number {
    const at = this.pos;
    if ((this.pos += n) > this.len) throw new RangeError('premature EOF');
    return at;
  }

  /** A varint of up to ten bytes, all 64 bits. */
  #varint(): bigint {
    let v = 0n;
    for (let shift = 0n; shift < 70n; shift += 7n) {
      const b = this.#buf[this.#need(1)] as number;
      v |= BigInt(b & 0x7f) << shift;
      if (b < 0x80) return BigInt.asUintN(64, v);
    }
    throw new Error('invalid varint');
  }

  /** A uint32 varint (the low 32 bits of up to ten bytes). */
  uint32(): number {
    const b = this.#buf[this.pos];
    if (b !== undefined && b < 0x80) {
      this.pos++;
      return b;
    }
    return Number(this.#varint() & 0xffffffffn);
  }

  /** An int32 varint. */
  int32(): number {
    return this.uint32() | 0;
  }

  /** A zigzag sint32. */
  sint32(): number {
    const z = this.uint32();
    return (z >>> 1) ^ -(z & 1);
  }

  /** An int64 varint, as a decimal string. */
  int64(): string {
    return BigInt.asIntN(64, this.#varint()).toString();
  }

  /** A uint64 varint, as a decimal string. */
  uint64(): string {
    return this.#varint().toString();
  }

  /** A zigzag sint64, as a decimal string. */
  sint64(): string {
    const z = this.#varint();
    return ((z >> 1n) ^ -(z & 1n)).toString();
  }

  /** A bool varint (any bit set is true). */
  bool(): boolean {
    return this.#varint() !== 0n;
  }

  /** A fixed32. */
  fixed32(): number {
    return this.#view.getUint32(this.#need(4), true);
  }

  /** An sfixed32. */
  sfixed32(): number {
    return this.#view.getInt32(this.#need(4), true);
  }

  /** A fixed64, as a decimal string. */
  fixed64(): string {
    return this.#view.getBigUint64(this.#need(8), true).toString();
  }

  /** An sfixed64, as a decimal string. */
  sfixed64(): string {
    return this.#view.getBigInt64(this.#need(8), true).toString();
  }

  /** A float. */
  float(): number {
    return this.#view.getFloat32(this.#need(4), true);
  }

  /** A double. */
  double(): number {
    return this.#view.getFloat64(this.#need(8), true);
  }

  /** Length-prefixed bytes (a view into the input). */
  bytes(): Uint8Array {
    const n = this.uint32();
    const at = this.#need(n);
    return this.#buf.subarray(at, at + n);
  }

  /** Length-prefixed UTF-8. */
  string(): string {
    return decoder.decode(this.bytes());
  }

  /** Skips one field of wire type `wt` (a group up to its end tag, at most `depth` groups deep). */
  skip(wt: number, fieldNo: number, depth = 100): void {
    switch (wt) {
      case WireType.Varint:
        this.#varint();
        return;
      case WireType.Bit64:
        this.#need(8);
        return;
      case WireType.Bit32:
        this.#need(4);
        return;
      case WireType.LengthDelimited:
        this.#need(this.uint32());
        return;
      case WireType.StartGroup:
        if (depth <= 0) throw new Error('maximum recursion depth reached');
        for (;;) {
          const tag = this.uint32();
          const [fn, t] = [tag >>> 3, tag & 7];
          if (fn === 0 || t > 5) throw new Error(`illegal tag: field no ${fn} wire type ${t}`);
          if (t === WireType.EndGroup) {
            if (fn !== fieldNo) throw new Error('invalid end group tag');
            return;
          }
          this.skip(t, fn, depth - 1);
        }
      default:
        throw new Error(`cannot skip wire type ${wt}`);
    }
  }
}
