/**
 * The protobuf wire format's primitives (varints, zigzag, fixed widths,
 * length-delimited fields), small enough for the browser bundle: the binary
 * codec (binary-codec.ts) packs and unpacks `Any` values with them. Same
 * bytes and values as `@bufbuild/protobuf/wire`, which ts-proto's generated
 * code uses on Node (test/http/wire.test.ts holds the two side by side):
 * 64-bit integers go through BigInt (ES2020), strings through
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

/** A 32-bit integer (a numeric string is read as its number), checked against its range. */
function int32(v: unknown, signed: boolean): number {
  const n = typeof v === 'string' ? Number(v) : v;
  if (typeof n !== 'number' || !Number.isInteger(n) || (signed ? n < -0x80000000 || n > 0x7fffffff : n < 0 || n > 0xffffffff)) {
    throw new Error(`invalid ${signed ? '' : 'u'}int32: ${typeof n === 'number' ? v : typeof v}`);
  }
  return n;
}

/** Writes one message's bytes; `fork`/`join` wrap a length-delimited body. */
export class WireWriter {
  #buf = new Uint8Array(64);
  #view = new DataView(this.#buf.buffer);
  #pos = 0;
  readonly #forks: number[] = [];

  #room(n: number): void {
    if (this.#pos + n <= this.#buf.length) return;
    const next = new Uint8Array(Math.max(this.#buf.length * 2, this.#pos + n));
    next.set(this.#buf.subarray(0, this.#pos));
    this.#buf = next;
    this.#view = new DataView(next.buffer);
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
  uint32(value: number): this {
    let v = int32(value, false);
    this.#room(5);
    while (v > 0x7f) {
      this.#buf[this.#pos++] = (v & 0x7f) | 0x80;
      v >>>= 7;
    }
    this.#buf[this.#pos++] = v;
    return this;
  }

  /** An int32 varint (negative ones sign-extended to ten bytes). */
  int32(value: number): this {
    let v = int32(value, true);
    if (v >= 0) return this.uint32(v);
    this.#room(10);
    for (let i = 0; i < 9; i++) {
      this.#buf[this.#pos++] = (v & 0x7f) | 0x80;
      v >>= 7;
    }
    this.#buf[this.#pos++] = 1;
    return this;
  }

  /** A zigzag sint32. */
  sint32(value: number): this {
    const v = int32(value, true);
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
    this.#room(1);
    this.#buf[this.#pos++] = v ? 1 : 0;
    return this;
  }

  /** Reserves `n` bytes for a fixed-width value; returns where it goes. */
  #fixed(n: 4 | 8): number {
    this.#room(n);
    const at = this.#pos;
    this.#pos += n;
    return at;
  }

  /** A little-endian fixed32. */
  fixed32(value: number): this {
    const v = int32(value, false);
    const at = this.#fixed(4); // before reading #view: reserving may grow the buffer
    this.#view.setUint32(at, v, true);
    return this;
  }

  /** A little-endian sfixed32. */
  sfixed32(value: number): this {
    const v = int32(value, true);
    const at = this.#fixed(4); // before reading #view: reserving may grow the buffer
    this.#view.setInt32(at, v, true);
    return this;
  }

  /** A little-endian fixed64. */
  fixed64(v: string | number | bigint): this {
    const b = big(v, false);
    const at = this.#fixed(8); // before reading #view: reserving may grow the buffer
    this.#view.setBigUint64(at, b, true);
    return this;
  }

  /** A little-endian sfixed64. */
  sfixed64(v: string | number | bigint): this {
    const b = big(v, true);
    const at = this.#fixed(8); // before reading #view: reserving may grow the buffer
    this.#view.setBigInt64(at, b, true);
    return this;
  }

  /** A float: a number or numeric string ("NaN" too); finite values beyond float32's range refused. */
  float(value: number): this {
    const v: unknown = typeof value === 'string' ? Number(value) : value;
    if (
      typeof v !== 'number' ||
      (Number.isNaN(v) && typeof value === 'string' && value !== 'NaN') ||
      (Number.isFinite(v) && Math.abs(v) > 3.4028234663852886e38)
    ) {
      throw new Error(`invalid float32: ${typeof value === 'number' || typeof value === 'string' ? value : typeof value}`);
    }
    const at = this.#fixed(4); // before reading #view: reserving may grow the buffer
    this.#view.setFloat32(at, v, true);
    return this;
  }

  /** A double. */
  double(v: number): this {
    const at = this.#fixed(8); // before reading #view: reserving may grow the buffer
    this.#view.setFloat64(at, v, true);
    return this;
  }

  /** Length-prefixed bytes. */
  bytes(v: Uint8Array): this {
    if (!(v instanceof Uint8Array)) throw new Error(`invalid bytes: ${typeof v}`);
    return this.uint32(v.length).#raw(v);
  }

  /** Length-prefixed UTF-8 (short ASCII strings written directly). */
  string(value: string): this {
    const v = String(value);
    const n = v.length;
    if (n < 128) {
      let i = 0;
      while (i < n && v.charCodeAt(i) < 0x80) i++;
      if (i === n) {
        this.#room(n + 1);
        this.#buf[this.#pos++] = n;
        for (i = 0; i < n; i++) this.#buf[this.#pos++] = v.charCodeAt(i);
        return this;
      }
    }
    return this.bytes(encoder.encode(v));
  }

  /** Starts a length-delimited body. */
  fork(): this {
    this.#forks.push(this.#pos);
    return this;
  }

  /** Ends the body `fork` started: its length goes in front of it (the body moved once, in place). */
  join(): this {
    const start = this.#forks.pop() as number;
    let len = this.#pos - start;
    let size = 1;
    while (len >= 2 ** (7 * size)) size++;
    this.#room(size);
    this.#buf.copyWithin(start + size, start, this.#pos);
    for (let i = 0; i < size; i++) {
      this.#buf[start + i] = (len & 0x7f) | (i < size - 1 ? 0x80 : 0);
      len = Math.floor(len / 128);
    }
    this.#pos += size;
    return this;
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
    let v = 0;
    for (let i = 0; i < 5; i++) {
      const b = this.#buf[this.#need(1)] as number;
      v |= (b & 0x7f) << (7 * i);
      if (b < 0x80) return v >>> 0;
    }
    // Bits past the 32nd: up to five more bytes, ignored.
    for (let i = 5; i < 10; i++) if ((this.#buf[this.#need(1)] as number) < 0x80) return v >>> 0;
    throw new Error('invalid varint');
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
    const b = this.#buf[this.pos];
    if (b !== undefined && b < 0x80) {
      this.pos++;
      return b !== 0;
    }
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
