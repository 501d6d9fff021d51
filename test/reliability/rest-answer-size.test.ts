/**
 * Hostile answer sizes against the REST client, each in a child process
 * with its heap capped at 64 MB (a client that reads without bound dies or
 * shows it there): an endless body, one declaring `Content-Length:
 * 2147483648`, a gzip bomb and an endless error body. The server stops
 * endless bodies at 64 MiB here (so a client without a limit finishes and
 * the test fails rather than hangs); test/soak/rest-answer-size.soak.ts runs
 * them at full size (truly endless, 1 GiB).
 */
import assert from 'node:assert/strict';
import { Code } from 'vision-kit';
import { type HostileAnswerServer, startHostileAnswerServer } from '../transport/support/hostile-answer-server.js';
import { runAnswerChild } from './support/run-answer-child.js';

const MiB = 1024 * 1024;

describe('reliability: hostile REST answer sizes (a child process, heap capped)', function () {
  this.timeout(120_000);
  let server: HostileAnswerServer;
  before(async () => {
    server = await startHostileAnswerServer({ cap: 64 * MiB });
  });
  after(() => server.close());

  it('an endless body, a 2 GiB Content-Length, a gzip bomb and an endless error body fail fast and keep the client small', async () => {
    const outcome = await runAnswerChild(server.baseUrl, ['endless', 'declared', 'gzip-bomb', 'error-endless'], 64, 90_000);
    assert.ok(outcome.ok, outcome.ok ? '' : outcome.why);
    const [endless, declared, bomb, error] = outcome.report.cases;
    for (const c of [endless, declared, bomb]) {
      assert.equal(c?.code, Code.RESOURCE_EXHAUSTED, `${c?.id}: ${c?.message}`);
      assert.match(c.message, /over the limit of 10485760 bytes \(the maxReceiveBytes option\)/);
    }
    assert.match(declared!.message, /declares 2147483648 bytes/);
    assert.equal(error?.code, Code.UNAVAILABLE, error?.message);
    assert.equal(error.httpStatus, 503);
    for (const c of outcome.report.cases) {
      // At most the 10 MiB read, its text and the garbage of reading it (about 45 MB in a run); never the 64 MiB sent.
      assert.ok(c.rssPeak - c.rssBefore < 80 * MiB, `${c.id}: RSS grew by ${((c.rssPeak - c.rssBefore) / MiB).toFixed(1)} MB`);
      assert.ok(c.ms < 20_000, `${c.id} took ${c.ms} ms`);
    }
    for (const id of ['endless', 'declared', 'error-endless']) {
      const record = server.answers.find((a) => a.id === id);
      assert.equal(record?.closedEarly, true, `${id}: the client closed the connection`);
      assert.ok(record.written < 32 * MiB, `${id}: the server got ${record.written} bytes out`);
    }
    assert.ok(outcome.report.maxRss < 400 * MiB, `peak RSS ${(outcome.report.maxRss / MiB).toFixed(0)} MB`);
  });
});
