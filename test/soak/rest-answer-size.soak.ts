/**
 * Soak: hostile answer sizes against the REST client at full size, the
 * client in a child process with its heap capped at 64 MB and its RSS
 * measured: a truly endless body, one declaring `Content-Length:
 * 2147483648` (and sending up to that), a 1 GiB body, a gzip body decoding
 * to 1 GiB, and an endless 503 error body. Each fails with the limit named
 * (the error keeping its 503), the server sees the connection closed after
 * little more than the 10 MiB limit, and the client's RSS grows by tens of
 * megabytes at most. Before the limit, the endless body took the client to
 * gigabytes and the declared length killed it.
 */
import assert from 'node:assert/strict';
import { Code } from 'vision-kit';
import { runAnswerChild } from '../reliability/support/run-answer-child.js';
import { startHostileAnswerServer } from '../transport/support/hostile-answer-server.js';

const MiB = 1024 * 1024;

describe('soak: hostile REST answer sizes at full size (a child process, heap capped at 64 MB)', () => {
  it('endless, 2 GiB declared, 1 GiB, a 1 GiB gzip bomb and an endless error: refused while reading, the client stays small', async () => {
    const endless = await startHostileAnswerServer();
    const gib = await startHostileAnswerServer({ cap: 1024 * MiB, gzipFirst: true });
    try {
      const figures: Record<string, unknown>[] = [];
      let maxRss = 0;
      for (const [server, ids, what] of [
        [endless, ['endless', 'declared', 'error-endless'], 'endless'],
        [gib, ['endless', 'gzip-bomb'], '1 GiB'],
      ] as const) {
        const outcome = await runAnswerChild(server.baseUrl, ids, 64, 300_000);
        assert.ok(outcome.ok, outcome.ok ? '' : outcome.why);
        maxRss = Math.max(maxRss, outcome.report.maxRss);
        for (const c of outcome.report.cases) {
          const record = server.answers.find((a) => a.id === c.id);
          const expected = c.id === 'error-endless' ? Code.UNAVAILABLE : Code.RESOURCE_EXHAUSTED;
          assert.equal(c.code, expected, `${what} ${c.id}: ${c.message}`);
          assert.match(c.message, /over the limit of 10485760 bytes/);
          assert.ok(c.rssPeak - c.rssBefore < 80 * MiB, `${what} ${c.id}: RSS grew by ${((c.rssPeak - c.rssBefore) / MiB).toFixed(1)} MB`);
          if (c.id !== 'gzip-bomb')
            assert.ok(record !== undefined && record.written < 32 * MiB, `${what} ${c.id}: ${record?.written} bytes sent`);
          figures.push({
            answer: `${what} ${c.id}`,
            ms: Math.round(c.ms),
            rssBeforeMB: +(c.rssBefore / MiB).toFixed(1),
            rssPeakMB: +(c.rssPeak / MiB).toFixed(1),
            serverSentMB: record === undefined ? undefined : +(record.written / MiB).toFixed(1),
          });
        }
      }
      assert.ok(maxRss < 400 * MiB, `peak RSS ${(maxRss / MiB).toFixed(0)} MB`);
      process.stdout.write(`      REST answer size figures: ${JSON.stringify({ figures, clientPeakRssMB: +(maxRss / MiB).toFixed(1) })}\n`);
    } finally {
      await endless.close();
      await gib.close();
    }
  });
});
