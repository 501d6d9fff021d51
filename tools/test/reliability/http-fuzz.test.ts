/**
 * The emulator's HTTP port fuzzed over real HTTP (RELIABILITY.md; 100,000
 * requests in test/soak/http-fuzz.soak.ts): random methods, paths, queries,
 * bodies and headers against the REST gateway, the storage subset and the
 * demo give a valid answer or a Google-style error with CORS headers, never
 * a 5xx; raw requests that are not HTTP/1.1 get a Google 400. The emulator
 * logs no handler bug and keeps answering.
 */
import assert from 'node:assert/strict';
import { startTestEmulator, type TestEmulator } from '../emulator/support/harness.js';
import { closeFuzzAgent, httpFuzz } from './support/http-fuzz.js';

describe('reliability: HTTP fuzz against the running emulator (1,500 requests)', function () {
  this.timeout(120_000);
  let t: TestEmulator;
  const logs: string[] = [];
  before(async () => {
    t = await startTestEmulator({ opStepMs: 0, log: (l) => logs.push(l) });
  });
  after(async () => {
    closeFuzzAgent();
    await t.close();
  });

  it('answers every request with a valid answer or a Google error, never a 5xx, and keeps serving', async () => {
    const outcomes = await httpFuzz(t.emu.httpPort, 1500, 42);
    process.stderr.write(`      http fuzz outcomes: ${JSON.stringify(Object.fromEntries([...outcomes].sort()))}\n`);
    for (const k of ['2xx', '400', '404', '405'])
      assert.ok((outcomes.get(k) ?? 0) > 10, `${k} is reached: ${JSON.stringify([...outcomes])}`);
    assert.deepEqual(
      logs.filter((l) => /unexpected/.test(l)),
      [],
    );
    const alive = await fetch(`${t.emu.httpUrl}/v1/operations`);
    assert.equal(alive.status, 200);
  });
});
