/**
 * The two ObjectStorage implementations, one behaviour suite, against the
 * emulator's storage API: the fetch client of the workflow (CLI and demo)
 * and the `@google-cloud/storage` adapter the CLI uses for Google (pointed at
 * the emulator with apiEndpoint: no credentials).
 */
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Code, VisionError } from 'vision-kit';
import { closedPort } from '../../../test/cli/support/run-cli.js';
import { createCloudStorage } from '../../src/annotate/cloud-storage.js';
import { type RunningEmulator, startEmulator } from '../../src/emulator/emulator.js';
import { createGcsJsonClient } from '../../src/workflow/gcs-json-client.js';
import type { ObjectStorage } from '../../src/workflow/object-storage.js';

async function rejectsWith(p: Promise<unknown>, code: Code, text?: RegExp): Promise<void> {
  await assert.rejects(p, (err: unknown) => {
    assert.ok(err instanceof VisionError, String(err));
    assert.equal(err.code, code, err.message);
    if (text) assert.match(err.message, text);
    return true;
  });
}

describe('workflow: object storage (fetch JSON client and @google-cloud/storage) against the emulator', function () {
  this.timeout(30_000);
  let emulator: RunningEmulator;
  let dir: string;
  const clients: { label: string; storage: ObjectStorage }[] = [];

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'vk-storage-'));
    emulator = await startEmulator({ grpcPort: 0, httpPort: 0, dataDir: dir, log: () => undefined });
    clients.push({ label: 'json client', storage: createGcsJsonClient({ baseUrl: emulator.httpUrl }) });
    clients.push({ label: '@google-cloud/storage', storage: await createCloudStorage({ apiEndpoint: emulator.httpUrl, projectId: 'vk' }) });
  });
  after(async () => {
    await emulator.stop();
    await rm(dir, { recursive: true, force: true });
  });

  it('uploads, checks, lists (by prefix, in name order) and downloads the same bytes', async () => {
    for (const { label, storage } of clients) {
      const bucket = `vk-${label.startsWith('json') ? 'json' : 'gcs'}`;
      const bytes = new Uint8Array(70_000).map((_, i) => (i * 7) % 256);
      await storage.upload({ bucket, object: 'run/inputs/b.png' }, bytes, 'image/png');
      await storage.upload({ bucket, object: 'run/inputs/a b+c.png' }, bytes.subarray(0, 10), 'image/png');
      await storage.upload({ bucket, object: 'run/other.json' }, new TextEncoder().encode('{}'), 'application/json');
      assert.equal(await storage.exists({ bucket, object: 'run/inputs/b.png' }), true, label);
      assert.equal(await storage.exists({ bucket, object: 'run/inputs/nope.png' }), false, label);
      assert.deepEqual(
        (await storage.list(bucket, 'run/inputs/')).map((o) => [o.name, o.size]),
        [
          ['run/inputs/a b+c.png', 10],
          ['run/inputs/b.png', 70_000],
        ],
        label,
      );
      assert.deepEqual(await storage.list('vk-no-such-bucket', ''), [], `${label}: a bucket not created yet lists nothing`);
      assert.deepEqual(await storage.download({ bucket, object: 'run/inputs/b.png' }), bytes, label);
      assert.deepEqual(await storage.download({ bucket, object: 'run/inputs/a b+c.png' }), bytes.subarray(0, 10), label);
      await rejectsWith(storage.download({ bucket, object: 'run/missing.png' }), Code.NOT_FOUND, /gs:\/\/vk-\w+\/run\/missing\.png/);
    }
  });

  it('refuses names the storage API refuses, as INVALID_ARGUMENT', async () => {
    for (const { storage } of clients) {
      await rejectsWith(storage.upload({ bucket: 'vk-json', object: 'a/../b.png' }, new Uint8Array(1), 'image/png'), Code.INVALID_ARGUMENT);
    }
  });

  it('the JSON client: an unreachable server is UNAVAILABLE naming it; --auth-token needs the key', async () => {
    const port = await closedPort();
    await rejectsWith(
      createGcsJsonClient({ baseUrl: `http://127.0.0.1:${port}` }).list('b-b', ''),
      Code.UNAVAILABLE,
      new RegExp(`could not reach the storage API at http://127\\.0\\.0\\.1:${port}`),
    );
    const secured = await startEmulator({
      grpcPort: 0,
      httpPort: 0,
      dataDir: join(dir, 'auth'),
      authToken: 'tok-123',
      log: () => undefined,
    });
    try {
      await rejectsWith(createGcsJsonClient({ baseUrl: secured.httpUrl }).list('b-b', ''), Code.UNAUTHENTICATED);
      const keyed = createGcsJsonClient({ baseUrl: secured.httpUrl, apiKey: 'tok-123' });
      await keyed.upload({ bucket: 'b-b', object: 'x.png' }, new Uint8Array([1, 2, 3]), 'image/png');
      assert.deepEqual(await keyed.download({ bucket: 'b-b', object: 'x.png' }), new Uint8Array([1, 2, 3]));
    } finally {
      await secured.stop();
    }
  });
});
