/**
 * The Timestamp and Duration helpers: round trips (fast-check, seeded)
 * between messages, Dates and milliseconds; exact to the nanosecond where a
 * number of milliseconds can hold it (below 2^33 ms); out-of-range values
 * and malformed messages refused with a TimeValueError naming the helper.
 */
import assert from 'node:assert/strict';
import fc from 'fast-check';
import {
  Code,
  durationFromMillis,
  durationToMillis,
  TimeValueError,
  timestampFromDate,
  timestampFromMillis,
  timestampToDate,
  timestampToMillis,
} from 'vision-kit';
import { messageFromJson } from 'vision-kit/codec';

const MIN_TS = -62_135_596_800;
const MAX_TS = 253_402_300_799;
const MAX_DURATION = 315_576_000_000;
/** Below this many milliseconds neighbouring numbers are less than a nanosecond apart. */
const EXACT_MS = 2 ** 33;
const RUNS = { seed: 16, numRuns: 2000 };

const timestamp = fc
  .tuple(fc.integer({ min: MIN_TS, max: MAX_TS }), fc.integer({ min: 0, max: 999_999_999 }))
  .map(([seconds, nanos]) => ({ seconds: String(seconds), nanos }));
/** The exact number of nanoseconds of a message. */
const nanosOf = (m: { seconds: string; nanos: number }): bigint => BigInt(m.seconds) * 1_000_000_000n + BigInt(m.nanos);
/** Half the gap between neighbouring numbers at `ms`, in nanoseconds (how close a number can come). */
const halfGapNs = (ms: number): number => (Math.abs(ms) * 2 ** -52 * 1e6) / 2 + 1e-9;

const refused = (where: string, why: RegExp) => (e: unknown) =>
  e instanceof TimeValueError && e.code === Code.INVALID_ARGUMENT && e.where === where && why.test(e.message);

describe('client: Timestamp and Duration helpers', () => {
  it('Date → Timestamp → Date is the same instant for every Date in the Timestamp range', () => {
    fc.assert(
      fc.property(fc.integer({ min: MIN_TS * 1000, max: MAX_TS * 1000 + 999 }), (ms) => {
        const date = new Date(ms);
        const ts = timestampFromDate(date);
        assert.ok(ts.nanos >= 0 && ts.nanos <= 999_999_999 && ts.nanos % 1_000_000 === 0);
        assert.equal(timestampToDate(ts).getTime(), ms);
      }),
      RUNS,
    );
  });

  it('Timestamp → Date → Timestamp is exact for whole milliseconds, and drops the rest toward the past', () => {
    fc.assert(
      fc.property(timestamp, (ts) => {
        const back = timestampFromDate(timestampToDate(ts));
        assert.equal(back.seconds, ts.seconds);
        assert.equal(back.nanos, ts.nanos - (ts.nanos % 1_000_000));
      }),
      RUNS,
    );
  });

  it('the shape is what proto3 JSON reads from the same instant (RFC 3339)', () => {
    fc.assert(
      fc.property(fc.integer({ min: MIN_TS * 1000, max: MAX_TS * 1000 + 999 }), (ms) => {
        const date = new Date(ms);
        const text = ms >= 0 && date.getUTCFullYear() < 10000 ? date.toISOString() : undefined;
        if (text === undefined || !/^\d{4}-/.test(text)) return;
        assert.deepEqual(timestampFromDate(date), messageFromJson('google.protobuf.Timestamp', text));
      }),
      { seed: 16, numRuns: 500 },
    );
  });

  it('whole milliseconds ↔ Timestamp both ways, exactly', () => {
    fc.assert(
      fc.property(fc.integer({ min: MIN_TS * 1000, max: MAX_TS * 1000 + 999 }), (ms) => {
        assert.equal(timestampToMillis(timestampFromMillis(ms)), ms);
      }),
      RUNS,
    );
  });

  it('Timestamp → ms → Timestamp comes back within half a gap between numbers, and exactly below 2^33 ms', () => {
    const near = fc
      .tuple(
        fc.integer({ min: -Math.floor(EXACT_MS / 1000), max: Math.floor(EXACT_MS / 1000) - 1 }),
        fc.integer({ min: 0, max: 999_999_999 }),
      )
      .map(([seconds, nanos]) => ({ seconds: String(seconds), nanos }));
    fc.assert(
      fc.property(near, (ts) => {
        assert.deepEqual(timestampFromMillis(timestampToMillis(ts)), ts);
      }),
      RUNS,
    );
    fc.assert(
      fc.property(timestamp, (ts) => {
        const ms = timestampToMillis(ts);
        const err = Math.abs(Number(nanosOf(timestampFromMillis(ms)) - nanosOf(ts)));
        assert.ok(err <= halfGapNs(ms) + 0.5, `${JSON.stringify(ts)} → ${ms} ms is ${err} ns off`);
      }),
      RUNS,
    );
  });

  it('Duration → ms → Duration is exact to the nanosecond below 2^33 ms, either sign, and within half a gap beyond', () => {
    const duration = (maxSeconds: number) =>
      fc
        .tuple(fc.integer({ min: 0, max: maxSeconds }), fc.integer({ min: 0, max: 999_999_999 }), fc.boolean())
        .filter(([s, n]) => s < maxSeconds || n === 0)
        .map(([s, n, negative]) => ({
          seconds: String(negative && s !== 0 ? -s : s),
          nanos: negative && n !== 0 ? -n : n,
        }));
    fc.assert(
      fc.property(duration(Math.floor(EXACT_MS / 1000) - 1), (d) => {
        assert.deepEqual(durationFromMillis(durationToMillis(d)), d);
      }),
      RUNS,
    );
    fc.assert(
      fc.property(duration(MAX_DURATION), (d) => {
        const ms = durationToMillis(d);
        const err = Math.abs(Number(nanosOf(durationFromMillis(ms)) - nanosOf(d)));
        assert.ok(err <= halfGapNs(ms) + 0.5, `${JSON.stringify(d)} → ${ms} ms is ${err} ns off`);
      }),
      RUNS,
    );
  });

  it('ms → Duration → ms gives the same number back for every finite number in range', () => {
    fc.assert(
      fc.property(fc.double({ min: -MAX_DURATION * 1000, max: MAX_DURATION * 1000, noNaN: true }), (ms) => {
        const d = durationFromMillis(ms);
        assert.ok(Math.abs(d.nanos) <= 999_999_999);
        assert.ok(BigInt(d.seconds) * BigInt(Math.sign(d.nanos)) >= 0n, 'seconds and nanos share a sign');
        const back = durationToMillis(d);
        // Exact when the number holds no finer part than a nanosecond; otherwise rounded to the nanosecond.
        assert.ok(Math.abs(back - ms) <= 5e-7 + Math.abs(ms) * 2 ** -52, `${ms} → ${JSON.stringify(d)} → ${back}`);
      }),
      RUNS,
    );
  });

  it('examples: sub-millisecond parts, signs, the epoch', () => {
    assert.deepEqual(timestampFromMillis(0), { seconds: '0', nanos: 0 });
    assert.deepEqual(timestampFromMillis(-1), { seconds: '-1', nanos: 999_000_000 });
    assert.deepEqual(timestampFromMillis(1.5e-6), { seconds: '0', nanos: 2 });
    assert.equal(timestampToMillis({ seconds: '1796610553', nanos: 923_000_000 }), 1_796_610_553_923);
    assert.equal(timestampToDate({ seconds: '1796610553', nanos: 923_456_789 }).toISOString(), '2026-12-07T02:29:13.923Z');
    assert.deepEqual(timestampFromDate(new Date('0001-01-01T00:00:00Z')), { seconds: String(MIN_TS), nanos: 0 });
    assert.deepEqual(durationFromMillis(-1500.000001), { seconds: '-1', nanos: -500_000_001 });
    assert.deepEqual(durationFromMillis(0.5), { seconds: '0', nanos: 500_000 });
    assert.equal(durationToMillis({ seconds: '-1', nanos: -500_000_000 }), -1500);
    assert.equal(durationToMillis({ seconds: 2n, nanos: 1 }), 2000.000001);
    assert.equal(durationToMillis({}), 0);
    assert.ok(!Object.is(durationFromMillis(-0).nanos, -0), 'no negative zero');
  });

  it('refuses values outside the ranges, invalid Dates and malformed messages, naming the helper', () => {
    assert.throws(() => timestampFromDate(new Date(Number.NaN)), refused('timestampFromDate', /invalid/));
    assert.throws(() => timestampFromDate('2020-01-01' as never), refused('timestampFromDate', /expected a Date/));
    assert.throws(() => timestampFromDate(new Date('-000001-12-31T23:59:59.999Z')), refused('timestampFromDate', /0001-01-01T00:00:00Z/));
    assert.throws(() => timestampFromMillis((MAX_TS + 1) * 1000), refused('timestampFromMillis', /outside the Timestamp range/));
    assert.throws(() => timestampFromMillis(Number.POSITIVE_INFINITY), refused('timestampFromMillis', /finite/));
    assert.throws(() => timestampToDate({ seconds: String(MAX_TS + 1), nanos: 0 }), refused('timestampToDate', /outside/));
    assert.throws(() => timestampToMillis({ seconds: '0', nanos: 1_000_000_000 }), refused('timestampToMillis', /nanos/));
    assert.throws(() => timestampToMillis({ seconds: '0', nanos: -1 }), refused('timestampToMillis', /nanos -1/));
    assert.throws(() => timestampToMillis({ seconds: '1.5' }), refused('timestampToMillis', /whole number/));
    assert.throws(() => timestampToMillis({ seconds: 'x' }), refused('timestampToMillis', /whole number/));
    assert.throws(() => timestampToMillis({ nanos: 0.5 }), refused('timestampToMillis', /nanos must be a whole number/));
    assert.throws(() => timestampToMillis(null as never), refused('timestampToMillis', /message object/));
    assert.throws(() => durationFromMillis((MAX_DURATION + 1) * 1000), refused('durationFromMillis', /Duration range/));
    assert.throws(() => durationFromMillis(Number.NaN), refused('durationFromMillis', /finite/));
    assert.throws(() => durationToMillis({ seconds: '1', nanos: -1 }), refused('durationToMillis', /opposite signs/));
    assert.throws(() => durationToMillis({ seconds: String(-MAX_DURATION - 1) }), refused('durationToMillis', /Duration range/));
    assert.throws(() => durationToMillis({ seconds: '99999999999999999999' }), refused('durationToMillis', /not a whole number in range/));
  });
});
