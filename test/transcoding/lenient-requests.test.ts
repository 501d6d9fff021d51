/**
 * Requests as callers write them (enum values by name, integers as
 * bigints, int64 in exponent form), transcoded with `lenient` as the REST
 * transport does instead of normalising them first: the same HTTP request
 * as the normalised message gives, or the same refusal.
 */
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { Code, VisionError } from 'vision-kit';
import { enumInfo, type MessageInfo, messageInfo, messageToJsonText, normalizeMessage, ProtoJsonError } from 'vision-kit/codec';
import { transcodeRequest } from 'vision-kit/transcoding';
import { arbitraryMessage } from '../support/arbitrary-message.js';
import { ALL_SERVICES, methodRow, PS, THINGS } from './support.js';

type Obj = Record<string, unknown>;

const INT64 = new Set([3, 4, 6, 16, 18]);

/**
 * A full-shape message rewritten as a caller might write it: enum numbers
 * as their names, integers as bigints, int64 decimals as `<n>e0` or
 * `<n>.0`; which of them is chosen per value by `pick`.
 */
function callerStyle(info: MessageInfo, m: Obj, pick: () => number): Obj {
  const out: Obj = {};
  const value = (f: MessageInfo['fields'][number], v: unknown, mapValue = false): unknown => {
    const kind = mapValue ? f.map!.value.kind : f.kind;
    const scalar = mapValue ? f.map!.value.scalar : f.scalar;
    const typeName = mapValue ? f.map!.value.typeName : f.typeName;
    const shape = mapValue ? f.map!.value.shape : f.shape;
    if (kind === 'enum') {
      const name = enumInfo(typeName!).byNumber.get(v as number);
      return name !== undefined && pick() % 2 === 0 ? name : v;
    }
    if (kind === 'message' && shape === 'message') {
      return typeName === 'google.protobuf.Any' || v === undefined ? v : callerStyle(messageInfo(typeName!), v as Obj, pick);
    }
    if (scalar !== undefined && INT64.has(scalar) && typeof v === 'string') {
      const p = pick() % 4;
      return p === 0 ? BigInt(v) : p === 1 ? `${v}e0` : p === 2 ? `${v}.0` : v;
    }
    if ((scalar === 5 || scalar === 13 || scalar === 17) && typeof v === 'number' && pick() % 3 === 0) return BigInt(v);
    return v;
  };
  for (const f of info.fields) {
    const v = m[f.tsName];
    if (v === undefined) continue;
    if (f.map) out[f.tsName] = Object.fromEntries(Object.entries(v as Obj).map(([k, x]) => [k, value(f, x, true)]));
    else if (f.repeated) out[f.tsName] = (v as unknown[]).map((x) => value(f, x));
    else out[f.tsName] = value(f, v);
  }
  return out;
}

/** The outcome of a transcoding: the request, or the error's code and message. */
function outcome(fn: () => unknown): unknown {
  try {
    return fn();
  } catch (e) {
    assert.ok(e instanceof VisionError, String(e));
    return { code: e.code, message: e.message };
  }
}

describe('transcoding: lenient requests (what the REST transport sends)', () => {
  const methods = Object.entries(ALL_SERVICES).flatMap(([service, rows]) =>
    rows.filter((r) => r.http.length > 0).map((row) => ({ service, row })),
  );

  it('give the same HTTP request as the normalised message, or the same refusal (random messages, every method)', () => {
    for (const { row } of methods) {
      const input = messageInfo(row.input);
      fc.assert(
        fc.property(arbitraryMessage<Obj>(row.input, { maxDepth: 3, maxLength: 2, finiteOnly: true }), fc.integer(), (full, seed) => {
          let n = seed;
          const pick = (): number => (n = (n * 1103515245 + 12345) >>> 0);
          const partial = callerStyle(input, full, pick);
          for (const enumAsInt of [false, true]) {
            const want = outcome(() => transcodeRequest(row, normalizeMessage(row.input, partial), { enumAsInt }));
            const got = outcome(() => transcodeRequest(row, partial, { enumAsInt, lenient: true }));
            assert.deepEqual(got, want, `${row.name} enumAsInt=${enumAsInt}`);
          }
        }),
        { seed: 18, numRuns: 30 },
      );
    }
  });

  it('take enum names in the body, the query and with enumAsInt; refuse unknown names and integers out of range, naming the field', () => {
    const getThing = methodRow(THINGS, 'GetThing');
    const q = transcodeRequest(getThing, { name: 'things/1', states: ['ACTIVE', 2], count: 7n }, { lenient: true });
    const strict = transcodeRequest(getThing, normalizeMessage(getThing.input, { name: 'things/1', states: ['ACTIVE', 2], count: 7n }));
    assert.equal(q.query, strict.query);
    assert.match(q.query, /states=ACTIVE/);
    const create = methodRow(PS, 'CreateProduct');
    const r = transcodeRequest(
      create,
      { parent: 'projects/p/locations/l', product: { displayName: 'x' }, productId: 'a' },
      { lenient: true, enumAsInt: true },
    );
    assert.equal(r.body, '{"displayName":"x"}');
    const refused: [object, string, RegExp][] = [
      [{ name: 'things/1', states: ['NOPE'] }, 'states[0]', /unknown value "NOPE"/],
      [{ name: 'things/1', count: 2n ** 40n }, 'count', /out of range for int32/],
    ];
    for (const [req, path, why] of refused) {
      assert.throws(
        () => transcodeRequest(getThing, req, { lenient: true }),
        (e: unknown) => e instanceof ProtoJsonError && e.code === Code.INVALID_ARGUMENT && e.path === path && why.test(e.message),
        JSON.stringify(req, (_k, v) => (typeof v === 'bigint' ? `${v}n` : v)),
      );
    }
  });

  it('the strict writer checks the range of 64-bit integers too', () => {
    const P = 'google.cloud.vision.v1p4beta1.Property';
    assert.equal(messageToJsonText(P, { uint64Value: '18446744073709551615' }), '{"uint64Value":"18446744073709551615"}');
    assert.equal(messageToJsonText(P, { uint64Value: '0018' }), '{"uint64Value":"0018"}', 'strict: a decimal in range is written as given');
    assert.equal(messageToJsonText(P, { uint64Value: '0018' }, { lenient: true }), '{"uint64Value":"18"}', 'lenient: canonical');
    for (const v of ['18446744073709551616', '-1', -1, 2n ** 64n]) {
      assert.throws(
        () => messageToJsonText(P, { uint64Value: v }),
        (e: unknown) => e instanceof ProtoJsonError && e.path === 'uint64Value',
      );
    }
  });
});
