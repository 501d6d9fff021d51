/**
 * Deeply nested JSON bodies on the emulator's REST side are refused before
 * anything is built from them: a body of nested arrays gets a 400
 * INVALID_ARGUMENT naming the limit (100 levels, the figure proto3 JSON
 * allows for nested messages) without being parsed, so several at once do
 * not hold up other requests. Nesting at the limit is read as usual, and
 * brackets inside strings do not count.
 */
import assert from 'node:assert/strict';
import { startTestEmulator, type TestEmulator } from '../emulator/support/harness.js';

const ANNOTATE = '/v1p4beta1/images:annotate';
const MiB = 1024 * 1024;

/** `depth` arrays nested inside each other: `[[[…]]]`. */
const nestedArrays = (depth: number): string => '['.repeat(depth) + ']'.repeat(depth);

/** A BatchAnnotateImagesRequest whose `imageContext` nests `extra` more objects in an unknown field's value. */
function nestedBody(depth: number): string {
  // {"requests":[{"features":[…]}]} is 3 levels; the rest nest under an unknown field.
  const inner = `${'{"x":'.repeat(depth - 3)}1${'}'.repeat(depth - 3)}`;
  return `{"requests":[{"features":[],"imageContext":${inner}}]}`;
}

interface GoogleError {
  error: { code: number; status: string; message: string };
}

describe('reliability: deeply nested JSON bodies', function () {
  this.timeout(60_000);
  let t: TestEmulator;
  before(async () => {
    t = await startTestEmulator();
  });
  after(() => t.close());

  const post = async (body: string): Promise<{ status: number; json: GoogleError; ms: number }> => {
    const t0 = performance.now();
    const res = await fetch(`${t.emu.httpUrl}${ANNOTATE}`, { method: 'POST', body });
    const json = (await res.json()) as GoogleError;
    return { status: res.status, json, ms: performance.now() - t0 };
  };

  it('refuses 9.8 MB of nested arrays with a 400 naming the limit of 100', async () => {
    const body = nestedArrays(4_900_000);
    assert.equal(Buffer.byteLength(body), 9_800_000);
    const r = await post(body);
    process.stderr.write(`      9.8 MB of nested arrays: ${r.status} in ${Math.round(r.ms)} ms\n`);
    assert.equal(r.status, 400);
    assert.equal(r.json.error.status, 'INVALID_ARGUMENT');
    assert.match(r.json.error.message, /nests objects and arrays more than 100 deep/);
    assert.match(r.json.error.message, /the limit is 100/);
  });

  it('reads a body nested exactly 100 deep (an unknown field then), refuses 101, and ignores brackets inside strings', async () => {
    const at = await post(nestedBody(100));
    assert.equal(at.status, 400);
    assert.doesNotMatch(at.json.error.message, /deep/);
    assert.match(at.json.error.message, /imageContext|x/);
    const over = await post(nestedBody(101));
    assert.equal(over.status, 400);
    assert.match(over.json.error.message, /more than 100 deep \(at offset \d+\); the limit is 100/);
    const quoted = JSON.stringify({ requests: [{ image: { source: { imageUri: `gs://b/${'['.repeat(300)}"` } }, features: [] }] });
    const inString = await post(quoted);
    assert.doesNotMatch(inString.json.error?.message ?? '', /deep/, JSON.stringify(inString.json));
  });

  it('answers a GET promptly while eight 4 MB nested bodies arrive at once', async () => {
    const body = nestedArrays(2 * MiB);
    const floods = Array.from({ length: 8 }, () => post(body));
    await new Promise((r) => setTimeout(r, 20));
    const t0 = performance.now();
    const res = await fetch(`${t.emu.httpUrl}/v1/operations`);
    await res.arrayBuffer();
    const took = performance.now() - t0;
    const answers = await Promise.all(floods);
    process.stderr.write(`      GET during 8 × 4 MB nested bodies: ${Math.round(took)} ms\n`);
    assert.equal(res.status, 200);
    assert.deepEqual(
      answers.map((a) => a.status),
      Array(8).fill(400),
    );
    assert.ok(took < 2000, `the GET took ${Math.round(took)} ms`); // 18 s before the scan
  });
});
