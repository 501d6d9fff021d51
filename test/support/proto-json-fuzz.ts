/**
 * Fuzzing messageFromJson (RELIABILITY.md), shared by `npm test` (1,000 runs per
 * request type, test/http/proto-json-fuzz.test.ts) and `npm run test:soak`
 * (100,000 per type): for every request type of the three services, random
 * JSON — wholly random, random keys over the real field names, and valid
 * requests with one subtree replaced — either fails with a ProtoJsonError
 * naming a field path, or gives a message that re-serialises to JSON that
 * reads back as an equal message. Nothing else may be thrown.
 */
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { Code } from 'vision-kit';
import { type JsonValue, messageFromJson, messageInfo, messageToJson, ProtoJsonError } from 'vision-kit/codec';
import { SERVICES } from 'vision-kit/gen/schema/services.js';
import { arbitraryMessage } from './arbitrary-message.js';

/** Every request type of the three services. */
export const REQUEST_TYPES: readonly string[] = [...new Set(Object.values(SERVICES).flatMap((methods) => methods.map((m) => m.input)))];

const SPECIAL_STRINGS = fc.constantFrom(
  'NaN',
  'Infinity',
  '-Infinity',
  '1e2',
  '1.5',
  '-0',
  '9223372036854775808',
  '18446744073709551616',
  '1e400',
  '-1.5s',
  '0.-00000001s',
  '2019-03-01T12:00:00.5+02:00',
  '0000-01-01T00:00:00Z',
  '+/8=',
  '-_8',
  'a===',
  'LABEL_DETECTION',
  'RUNNING',
  'displayName,productLabels',
  'a,,b',
  'a\ud800',
  '__proto__',
  '',
  'type.googleapis.com/google.rpc.Status',
  'type.googleapis.com/no.Such',
);

const LEAF = fc.oneof(
  { weight: 3, arbitrary: fc.jsonValue({ maxDepth: 2 }) },
  { weight: 2, arbitrary: SPECIAL_STRINGS },
  { weight: 1, arbitrary: fc.constantFrom<JsonValue>(null, -0, 0, 1e300, 2147483648, -1, 1.5, true, [], {}, [null]) },
);

function fieldNames(type: string): string[] {
  return messageInfo(type).fields.flatMap((f) => [f.jsonName, f.protoName]);
}

/** Every [container, key] slot of a JSON tree. */
function slots(v: unknown, out: [Record<string, unknown> | unknown[], string | number][] = []): typeof out {
  if (Array.isArray(v)) {
    for (const [i, x] of v.entries()) {
      out.push([v, i]);
      slots(x, out);
    }
  } else if (typeof v === 'object' && v !== null) {
    for (const k of Object.keys(v)) {
      out.push([v as Record<string, unknown>, k]);
      slots((v as Record<string, unknown>)[k], out);
    }
  }
  return out;
}

function mutated(type: string): fc.Arbitrary<unknown> {
  return fc
    .tuple(
      arbitraryMessage(type, { maxDepth: 3, maxLength: 2 }),
      fc.nat(),
      LEAF,
      fc.constantFrom('replace', 'add', 'delete', 'rename'),
      fc.string({ maxLength: 6 }),
    )
    .map(([m, pick, leaf, op, key]) => {
      const json = JSON.parse(JSON.stringify(messageToJson(type, m))) as Record<string, unknown>;
      const all = slots(json);
      if (all.length === 0 || op === 'add') {
        const target =
          all
            .map(([c, k]) => (c as Record<string, unknown>)[k as string])
            .find((x) => typeof x === 'object' && x !== null && !Array.isArray(x)) ?? json;
        (target as Record<string, unknown>)[key] = leaf;
        return json;
      }
      const [container, k] = all[pick % all.length] as [Record<string, unknown>, string];
      if (op === 'replace') container[k] = leaf;
      else if (op === 'delete' && !Array.isArray(container)) delete container[k];
      else if (op === 'rename' && !Array.isArray(container)) {
        // Proto names must read like JSON names; keeping both is the "given twice" error.
        const snake = k.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
        container[snake] = container[k];
        if (pick % 2 === 0 && snake !== k) delete container[k];
      } else container[k] = leaf;
      return json;
    });
}

function randomJson(type: string): fc.Arbitrary<unknown> {
  const names = fieldNames(type);
  return fc.oneof(
    { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 3 }) },
    {
      weight: 3,
      arbitrary: fc.dictionary(names.length ? fc.constantFrom(...names, 'unknownField') : fc.constant('x'), LEAF, { maxKeys: 4 }),
    },
    { weight: 6, arbitrary: mutated(type) },
  );
}

/**
 * Runs the property for one request type `runs` times (seeded); resolves to
 * how many inputs were accepted (the rest were refused with a ProtoJsonError
 * naming the field).
 */
export function protoJsonFuzz(type: string, runs: number, seed = 42): number {
  let accepted = 0;
  fc.assert(
    fc.property(randomJson(type), fc.boolean(), (json, ignoreUnknownFields) => {
      let m: object;
      try {
        m = messageFromJson(type, json, { ignoreUnknownFields });
      } catch (e) {
        assert.ok(e instanceof ProtoJsonError, `not a ProtoJsonError: ${String(e)}`);
        assert.equal(e.code, Code.INVALID_ARGUMENT, e.message);
        assert.equal(typeof e.path, 'string');
        assert.ok(e.message.includes(e.path === '' ? '(root)' : e.path), e.message);
        return;
      }
      accepted++;
      const again = JSON.parse(JSON.stringify(messageToJson(type, m))) as unknown;
      assert.deepStrictEqual(messageFromJson(type, again), m);
    }),
    { seed, numRuns: runs },
  );
  return accepted;
}
