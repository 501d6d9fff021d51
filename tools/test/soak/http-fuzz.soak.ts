/**
 * Soak: the HTTP fuzzer of RELIABILITY.md at 100,000 requests against `vision-kit
 * emulator` (a child process): every answer a valid one or a Google error
 * with CORS, never a 5xx; the emulator logs no handler bug, keeps its open
 * files and memory bounded, still answers, and stops cleanly on SIGTERM.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { spawnEmulator } from '../emulator/support/child-emulator.js';
import { tempDir } from '../emulator/support/harness.js';
import { closeFuzzAgent, httpFuzz } from '../reliability/support/http-fuzz.js';

const RUNS = Number(process.env.VK_FUZZ_RUNS ?? 100_000);

describe(`soak: HTTP fuzz, ${RUNS.toLocaleString('en')} requests against vision-kit emulator`, () => {
  it('answers every request with a valid answer or a Google error, never a 5xx; no bug logged; bounded files and memory', async () => {
    const dir = await tempDir('vk-http-fuzz-');
    const emu = await spawnEmulator(['--grpc-port', '0', '--http-port', '0', '--data-dir', dir, '--op-step-ms', '0']);
    const port = Number(new URL(emu.ready.http).port);
    const fds = (): number => readdirSync(`/proc/${emu.child.pid}/fd`).length;
    const rssMb = (): number => Number(/^VmRSS:\s+(\d+)/m.exec(readFileSync(`/proc/${emu.child.pid}/status`, 'utf8'))?.[1] ?? NaN) / 1024;
    try {
      await fetch(`${emu.ready.http}/v1/operations`);
      const before = { fds: fds(), rss: rssMb() };
      const t0 = performance.now();
      const outcomes = await httpFuzz(port, RUNS, 1042);
      const seconds = (performance.now() - t0) / 1000;
      closeFuzzAgent();
      const after = { fds: fds(), rss: rssMb() };
      process.stderr.write(
        `      ${RUNS} requests in ${seconds.toFixed(0)} s (${Math.round(RUNS / seconds)}/s): ${JSON.stringify(Object.fromEntries([...outcomes].sort()))}; ` +
          `open files ${before.fds} → ${after.fds}, RSS ${before.rss.toFixed(0)} → ${after.rss.toFixed(0)} MB\n`,
      );
      for (const k of ['2xx', '400', '404', '405'])
        assert.ok((outcomes.get(k) ?? 0) > RUNS / 200, `${k}: ${JSON.stringify([...outcomes])}`);
      assert.equal((await fetch(`${emu.ready.http}/v1/operations`)).status, 200, 'still answering');
      assert.doesNotMatch(emu.stderr(), /unexpected error/);
      assert.ok(after.fds < before.fds + 64, `open files grew from ${before.fds} to ${after.fds}`);
    } finally {
      emu.child.kill('SIGTERM');
      const { code } = await emu.exited;
      assert.equal(code, 0, `exit code ${code}: ${emu.stderr().slice(-2000)}`);
      await rm(dir, { recursive: true, force: true });
    }
  });
});
