/**
 * `vision-kit call GetOperation --wait` against the real emulator (free
 * loopback ports, temporary data dir), over gRPC and REST: an operation
 * started without `--wait` is waited on later by name with the poller.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type RunningEmulator, startEmulator } from '../../tools/src/emulator/emulator.js';
import { type CliRun, cli, lines, ROOT, requireBuild } from './support/run-cli.js';

interface OperationJson {
  name: string;
  done?: boolean;
  metadata?: { '@type': string; state?: string };
  response?: { '@type': string; outputConfig?: { gcsDestination?: { uri?: string } } };
  error?: { code: number; message?: string };
}

describe('cli: vision-kit call GetOperation --wait (emulator, gRPC and REST)', function () {
  this.timeout(90_000);
  let emulator: RunningEmulator;
  let dataDir: string;
  const targets = (): { label: string; endpoint: string }[] => [
    { label: 'gRPC', endpoint: emulator.grpcAddress },
    { label: 'REST', endpoint: emulator.httpUrl },
  ];
  const calls = (): number => Object.values(emulator.stats.calls).reduce((a, b) => a + b, 0);

  const upload = async (name: string, file: string, type: string): Promise<void> => {
    const url = `${emulator.httpUrl}/upload/storage/v1/b/vk-in/o?uploadType=media&name=${encodeURIComponent(name)}`;
    const res = await fetch(url, { method: 'POST', headers: { 'content-type': type }, body: new Uint8Array(readFileSync(file)) });
    assert.equal(res.status, 200, await res.text());
  };

  /** Starts AsyncBatchAnnotateImages with `vision-kit call` (no --wait) and returns the operation it printed (running, unless `running` is false). */
  const start = async (endpoint: string, out: string, running = true): Promise<OperationJson> => {
    const request = {
      requests: [
        { image: { source: { imageUri: 'gs://vk-in/flag.png' } }, features: [{ type: 'IMAGE_PROPERTIES' }] },
        { image: { source: { imageUri: 'gs://vk-in/sunset.jpg' } }, features: [{ type: 'CROP_HINTS' }] },
      ],
      outputConfig: { gcsDestination: { uri: out }, batchSize: 1 },
    };
    const run = await cli(['call', 'AsyncBatchAnnotateImages', '--json', JSON.stringify(request), '--endpoint', endpoint]);
    assert.equal(run.code, 0, run.stderr);
    const op = JSON.parse(run.stdout) as OperationJson;
    if (running) assert.notEqual(op.done, true, 'the operation is still running when it is waited on');
    return op;
  };

  const getOperationWait = (endpoint: string, name: string): Promise<CliRun> =>
    cli(['call', 'GetOperation', '--json', JSON.stringify({ name }), '--wait', '--endpoint', endpoint]);

  before(async () => {
    requireBuild();
    dataDir = mkdtempSync(join(tmpdir(), 'vk-cli-wait-'));
    emulator = await startEmulator({ grpcPort: 0, httpPort: 0, dataDir, log: () => undefined });
    await upload('flag.png', join(ROOT, 'samples/flag.png'), 'image/png');
    await upload('sunset.jpg', join(ROOT, 'samples/sunset.jpg'), 'image/jpeg');
    // About 1.5 s per image: each wait sees the operation running, then done.
    emulator.knobs.opStepMs = 1500;
  });
  after(async () => {
    await emulator?.stop();
    if (dataDir !== undefined) rmSync(dataDir, { recursive: true, force: true });
  });

  it('waits on a running operation by name: exit 0, the done Operation as the one JSON document, progress on stderr', async () => {
    await Promise.all(
      targets().map(async ({ label, endpoint }) => {
        const out = `gs://vk-out/${label}/by-name/`;
        const started = await start(endpoint, out);
        const run = await getOperationWait(endpoint, started.name);
        assert.equal(run.code, 0, `${label}: ${run.stderr}`);
        const op = JSON.parse(run.stdout) as OperationJson;
        assert.equal(op.name, started.name, label);
        assert.equal(op.done, true, label);
        assert.equal(op.error, undefined, label);
        assert.equal(op.response?.['@type'], 'type.googleapis.com/google.cloud.vision.v1p4beta1.AsyncBatchAnnotateImagesResponse');
        assert.equal(op.response?.outputConfig?.gcsDestination?.uri, out, label);
        assert.equal(op.metadata?.state, 'DONE', label);
        const progress = lines(run.stderr);
        const quoted = started.name.replaceAll('/', '\\/');
        assert.match(progress[0] ?? '', new RegExp(`^${quoted}: waiting \\(GetOperation; deadline \\d{4}-`), label);
        const states = progress.slice(1).map((l) => {
          const m = new RegExp(`^${quoted}: (\\{.*\\}) \\(\\d+\\.\\d s\\)$`).exec(l);
          assert.ok(m, `${label}: a progress line: ${l}`);
          return (JSON.parse(m[1] ?? '') as { state: string }).state;
        });
        assert.ok(states.length >= 2 && states[0] !== 'DONE' && states.at(-1) === 'DONE', `${label}: states ${states.join(', ')}`);
      }),
    );
  });

  it('an operation already done: printed at once (one call), exit 0', async () => {
    emulator.knobs.opStepMs = 2;
    try {
      for (const { label, endpoint } of targets()) {
        const { name } = await start(endpoint, `gs://vk-out/${label}/done/`, false);
        assert.equal((await getOperationWait(endpoint, name)).code, 0, label);
        const before = calls();
        const run = await getOperationWait(endpoint, name);
        assert.equal(run.code, 0, `${label}: ${run.stderr}`);
        assert.equal((JSON.parse(run.stdout) as OperationJson).done, true);
        assert.match(run.stderr, /: done \(GetOperation; /);
        assert.equal(calls() - before, 1, `${label}: the GetOperation call only`);
      }
    } finally {
      emulator.knobs.opStepMs = 1500;
    }
  });

  it('an operation that ends in error (cancelled): the final Operation on stdout, exit 1, its Status last on stderr', async () => {
    for (const { label, endpoint } of targets()) {
      const started = await start(endpoint, `gs://vk-out/${label}/cancelled/`);
      const waiting = getOperationWait(endpoint, started.name);
      const cancel = await cli(['call', 'CancelOperation', '--json', JSON.stringify({ name: started.name }), '--endpoint', endpoint]);
      assert.equal(cancel.code, 0, cancel.stderr);
      const run = await waiting;
      assert.equal(run.code, 1, `${label}: ${run.stderr}`);
      const op = JSON.parse(run.stdout) as OperationJson;
      assert.equal(op.done, true);
      assert.equal(op.error?.code, 1, label);
      const status = JSON.parse(lines(run.stderr).at(-1) ?? '') as { code: number };
      assert.equal(status.code, 1, label);
      assert.match(run.stderr, /vision-kit: GetOperation: the operation ended in error/);
    }
  });

  it('an unknown operation name is an API error (exit 1, NOT_FOUND), not a usage error', async () => {
    for (const { label, endpoint } of targets()) {
      const run = await getOperationWait(endpoint, 'operations/no-such-operation');
      assert.equal(run.code, 1, `${label}: ${run.stderr}`);
      assert.equal(run.stdout, '');
      assert.equal((JSON.parse(lines(run.stderr).at(-1) ?? '') as { code: number }).code, 5, label);
    }
  });

  for (const method of ['CancelOperation', 'DeleteOperation', 'ListOperations']) {
    it(`${method} --wait stays a usage error: exit 2, one line, no request sent`, async () => {
      for (const { label, endpoint } of targets()) {
        const before = calls();
        const json = method === 'ListOperations' ? '{"name":"operations"}' : '{"name":"operations/1"}';
        const run = await cli(['call', method, '--json', json, '--wait', '--endpoint', endpoint]);
        assert.equal(run.code, 2, `${label}: ${run.stderr}`);
        assert.equal(run.stdout, '');
        assert.deepEqual(lines(run.stderr), [`vision-kit: --wait: ${method} does not return an operation`], label);
        assert.equal(calls(), before, `${label}: no request`);
      }
    });
  }
});
