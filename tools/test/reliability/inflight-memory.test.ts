/**
 * Requests in flight hold memory only up to the emulator's budget
 * (`--max-inflight-mib`, default 256): a flood of requests that declare
 * large bodies or gRPC messages, send part of them and never finish —
 * gRPC streams, REST bodies and storage uploads together — leaves the
 * emulator's peak RSS within the budget and some slack; those it cannot
 * take are refused after a short wait (HTTP 429 with Retry-After, gRPC
 * RESOURCE_EXHAUSTED); everything is given back when the connections
 * close, and then normal calls pass. Small sizes here (a child emulator
 * with a 32 MiB budget); the full-size flood is in the soak.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as grpc from '@grpc/grpc-js';
import { startEmulator } from '../../src/emulator/emulator.js';
import { spawnEmulator } from '../emulator/support/child-emulator.js';
import { startTestEmulator, tempDir } from '../emulator/support/harness.js';
import { memoryOf, type PartialAnswer, partialGrpc, partialHttp } from './support/partial-requests.js';

const MiB = 1024 * 1024;
const BUDGET_MIB = 32;
const ANNOTATE_GRPC = '/google.cloud.vision.v1p4beta1.ImageAnnotator/BatchAnnotateImages';

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

interface RequestMemory {
  budgetBytes: number;
  heldBytes: number;
  peakHeldBytes: number;
  heldRequests: number;
  waitingRequests: number;
  refusedRequests: number;
}

async function requestMemory(http: string): Promise<RequestMemory> {
  const res = await fetch(`${http}/emulator/stats`);
  return ((await res.json()) as { requestMemory: RequestMemory }).requestMemory;
}

function listOperations(client: grpc.Client): Promise<grpc.ServiceError | null> {
  return new Promise((resolve) =>
    client.makeUnaryRequest(
      '/google.longrunning.Operations/ListOperations',
      (b: Buffer) => b,
      (b: Buffer) => b,
      Buffer.alloc(0),
      new grpc.Metadata(),
      { deadline: Date.now() + 10_000 },
      (err) => resolve(err),
    ),
  );
}

const answered = (answers: readonly (PartialAnswer | undefined)[]): PartialAnswer[] => answers.filter((a) => a !== undefined);

describe('reliability: requests in flight hold memory up to a budget', function () {
  this.timeout(90_000);

  it('`vision-kit emulator --max-inflight-mib 32`: 40 gRPC streams, 40 REST bodies and 10 uploads that never finish stay within the budget, the rest are refused, and all is released when they close', async () => {
    const dir = await tempDir('vk-flood-');
    const emu = await spawnEmulator(['--grpc-port', '0', '--http-port', '0', '--data-dir', dir, '--max-inflight-mib', String(BUDGET_MIB)]);
    const memory = () => memoryOf(emu.child.pid!, (p) => readFileSync(p, 'utf8'));
    const client = new grpc.Client(emu.ready.grpc, grpc.credentials.createInsecure());
    const httpPort = Number(new URL(emu.ready.http).port);
    try {
      assert.equal(await listOperations(client), null);
      assert.equal((await fetch(`${emu.ready.http}/v1/operations`)).status, 200);
      const before = memory();
      const floods = {
        grpc: partialGrpc(emu.ready.grpc, ANNOTATE_GRPC, 40, 9 * MiB, 4 * MiB),
        rest: partialHttp(httpPort, '/v1p4beta1/images:annotate', 40, 9 * MiB, 4 * MiB),
        storage: partialHttp(httpPort, '/upload/storage/v1/b/flood/o?uploadType=media&name=big', 10, 20 * MiB, 8 * MiB),
      };
      await sleep(4000); // past the 2 s an admission may wait
      const during = memory();
      const held = await requestMemory(emu.ready.http);
      // A GET carries no body: it is never held back.
      assert.equal((await fetch(`${emu.ready.http}/v1/operations`)).status, 200, 'a GET during the flood');
      const refused = {
        grpc: answered(floods.grpc.answers()),
        rest: answered(floods.rest.answers()),
        storage: answered(floods.storage.answers()),
      };
      const grewMb = (during.peak - before.peak) / MiB;
      process.stderr.write(
        `      flood of 90 partial requests (392 MiB declared, 360 MiB sent): peak RSS ${Math.round(before.peak / MiB)} → ${Math.round(during.peak / MiB)} MB (+${grewMb.toFixed(1)}); ` +
          `held ${(held.heldBytes / MiB).toFixed(1)} MiB in ${held.heldRequests} requests; refused ${refused.grpc.length} gRPC, ${refused.rest.length} REST, ${refused.storage.length} uploads\n`,
      );
      assert.ok(held.heldBytes <= BUDGET_MIB * MiB && held.peakHeldBytes <= BUDGET_MIB * MiB, JSON.stringify(held));
      assert.equal(held.budgetBytes, BUDGET_MIB * MiB);
      assert.ok(grewMb < BUDGET_MIB + 48, `peak RSS grew by ${grewMb.toFixed(1)} MB`);
      // Whatever is not held was refused, with the usual answers.
      assert.equal(refused.grpc.length + refused.rest.length + refused.storage.length, 90 - held.heldRequests);
      assert.equal(held.refusedRequests, 90 - held.heldRequests);
      for (const a of refused.grpc) {
        assert.equal(a.status, grpc.status.RESOURCE_EXHAUSTED);
        assert.match(a.hint ?? '', /in flight.*--max-inflight-mib/);
      }
      for (const a of [...refused.rest, ...refused.storage]) {
        assert.equal(a.status, 429);
        assert.equal(a.hint, '1');
        assert.ok(a.afterMs >= 1900 && a.afterMs < 3500, `refused after ${Math.round(a.afterMs)} ms`);
      }
      // A small gRPC call waits too (its size is not known before it is read): it is refused the same way.
      const small = await listOperations(client);
      assert.equal(small?.code, grpc.status.RESOURCE_EXHAUSTED);

      for (const f of Object.values(floods)) f.close();
      let after = await requestMemory(emu.ready.http);
      for (let i = 0; i < 40 && (after.heldBytes > 0 || after.heldRequests > 0); i++) {
        await sleep(50);
        after = await requestMemory(emu.ready.http);
      }
      assert.equal(after.heldBytes, 0, JSON.stringify(after));
      assert.equal(after.heldRequests, 0);
      assert.equal(after.waitingRequests, 0);
      assert.equal(await listOperations(client), null, 'gRPC answers once the flood is gone');
      const upload = await fetch(`${emu.ready.http}/upload/storage/v1/b/flood/o?uploadType=media&name=ok`, {
        method: 'POST',
        body: 'fine',
      });
      assert.equal(upload.status, 200, await upload.text());
      await sleep(1000);
      const rest = memory();
      process.stderr.write(`      RSS 1 s after the connections closed: ${Math.round(rest.rss / MiB)} MB\n`);
    } finally {
      client.close();
      emu.child.kill('SIGTERM');
      await emu.exited;
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('refuses at once a request larger than the whole budget, and checks maxInflightMib', async () => {
    const t = await startTestEmulator({ maxInflightMib: 16 });
    try {
      const res = await fetch(`${t.emu.httpUrl}/upload/storage/v1/b/big/o?uploadType=media&name=x`, {
        method: 'POST',
        body: Buffer.alloc(20 * MiB),
      });
      const body = (await res.json()) as { error: { status: string; message: string } };
      assert.equal(res.status, 429);
      assert.equal(res.headers.get('retry-after'), null, 'waiting will not help');
      assert.equal(body.error.status, 'RESOURCE_EXHAUSTED');
      assert.match(body.error.message, /20971520 bytes.*more than the 16777216 bytes.*--max-inflight-mib/);
      assert.equal((await requestMemory(t.emu.httpUrl)).heldBytes, 0);
    } finally {
      await t.close();
    }
    const nowhere = join(tmpdir(), 'vk-never-created');
    await assert.rejects(startEmulator({ dataDir: nowhere, maxInflightMib: 8 }), /maxInflightMib must be between 16 and/);
    await assert.rejects(startEmulator({ dataDir: nowhere, maxInflightMib: 16.5 }), /maxInflightMib must be a whole number/);
  });
});
