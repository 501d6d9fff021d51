import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Code } from 'vision-kit';
import { type GrpcTestServer, startGrpcTestServer } from '../transport/support/grpc-test-server.js';
import { type RestTestServer, startRestTestServer } from '../transport/support/rest-test-server.js';
import { any, imagesResponse, opMetadata } from './support/messages.js';
import { OperationHistories } from './support/operation-server.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const bin = join(root, 'bin/vision-kit.js');
const IA = 'google.cloud.vision.v1p4beta1.ImageAnnotator';

function cli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env)) if (v !== undefined && !k.startsWith('VISION_EMULATOR')) env[k] = v;
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [bin, ...args],
      { env: { ...env, METADATA_SERVER_DETECTION: 'none' }, timeout: 30_000 },
      (err, stdout, stderr) => {
        resolve({ code: err === null ? 0 : typeof err.code === 'number' ? err.code : -1, stdout, stderr });
      },
    );
  });
}

describe('lro: vision-kit call --wait (child process, both transports)', function () {
  this.timeout(60_000);
  const histories = new OperationHistories();
  let next = 0;
  let grpcServer: GrpcTestServer;
  let restServer: RestTestServer;
  before(async () => {
    if (!existsSync(join(root, 'dist/vision-kit.js'))) throw new Error('dist/vision-kit.js is missing: run `npm run build` first');
    const handlers = {
      ...histories.handlers(),
      [IA]: { AsyncBatchAnnotateImages: () => ({ name: `operations/cli-${next}`, done: false, metadata: opMetadata(1) }) },
    };
    grpcServer = await startGrpcTestServer(handlers);
    restServer = await startRestTestServer(handlers);
  });
  after(async () => {
    await grpcServer.close();
    await restServer.close();
  });

  const endpoints = (): [string, string][] => [
    ['gRPC', grpcServer.address],
    ['REST', restServer.baseUrl],
  ];

  it('prints progress on stderr and the final Operation on stdout, exit 0', async () => {
    for (const [label, endpoint] of endpoints()) {
      next++;
      histories.set(
        `operations/cli-${next}`,
        { metadata: opMetadata(2) },
        { done: true, metadata: opMetadata(3), response: imagesResponse('gs://cli/out/') },
      );
      const run = await cli(['call', 'AsyncBatchAnnotateImages', '--json', '{"requests":[]}', '--endpoint', endpoint, '--wait']);
      assert.equal(run.code, 0, `${label}: ${run.stderr}`);
      const op = JSON.parse(run.stdout);
      assert.equal(op.name, `operations/cli-${next}`);
      assert.equal(op.done, true);
      assert.equal(op.response['@type'], 'type.googleapis.com/google.cloud.vision.v1p4beta1.AsyncBatchAnnotateImagesResponse');
      assert.deepEqual(op.response.outputConfig.gcsDestination, { uri: 'gs://cli/out/' });
      assert.match(run.stderr, /"state":"CREATED"/);
      assert.match(run.stderr, /"state":"RUNNING"/);
      assert.match(run.stderr, /"state":"DONE"/);
    }
  });

  it('exits 1 with the Status as the last stderr line when the operation ends in error', async () => {
    for (const [label, endpoint] of endpoints()) {
      next++;
      histories.set(`operations/cli-${next}`, {
        done: true,
        error: {
          code: Code.INVALID_ARGUMENT,
          message: 'no images',
          details: [any('google.rpc.ErrorInfo', { reason: 'EMPTY', domain: 'vision.googleapis.com' })],
        },
      });
      const run = await cli(['call', 'AsyncBatchAnnotateImages', '--endpoint', endpoint, '--wait']);
      assert.equal(run.code, 1, label);
      assert.equal(JSON.parse(run.stdout).error.code, 3);
      const lines = run.stderr.trimEnd().split('\n');
      const status = JSON.parse(lines[lines.length - 1] as string);
      assert.equal(status.code, 3);
      assert.equal(status.message, 'no images');
      assert.equal(status.details[0]['@type'], 'type.googleapis.com/google.rpc.ErrorInfo');
    }
  });

  it('exits 1 with the Status line when polling fails (the operation is unknown to the server)', async () => {
    next++;
    const run = await cli(['call', 'AsyncBatchAnnotateImages', '--endpoint', grpcServer.address, '--wait']);
    assert.equal(run.code, 1);
    const lines = run.stderr.trimEnd().split('\n');
    assert.equal(JSON.parse(lines[lines.length - 1] as string).code, Code.NOT_FOUND);
    assert.match(run.stderr, /polling operation "operations\/cli-\d+" failed/);
  });
});
