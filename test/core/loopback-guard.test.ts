/** The root setup's guard: loopback works, anything else is refused at once. */
import assert from 'node:assert/strict';
import dns from 'node:dns';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

describe('test setup: loopback guard', () => {
  it('lets a request to 127.0.0.1 through', async () => {
    const server = createServer((_req, res) => res.end('ok'));
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    try {
      const { port } = server.address() as AddressInfo;
      const res = await fetch(`http://127.0.0.1:${port}/`);
      assert.equal(await res.text(), 'ok');
    } finally {
      server.close();
    }
  });

  it('refuses a connection to another address before any packet is sent', async () => {
    await assert.rejects(fetch('http://192.0.2.1:8080/'), (err: unknown) => {
      const cause = (err as { cause?: Error }).cause;
      assert.match(String(cause?.message ?? err), /test guard: refused to reach "192\.0\.2\.1"/);
      return true;
    });
  });

  it('refuses DNS lookups of non-loopback names (the metadata server among them)', async () => {
    await assert.rejects(dns.promises.lookup('metadata.google.internal'), /test guard/);
    assert.equal(process.env.METADATA_SERVER_DETECTION, 'none');
  });
});
