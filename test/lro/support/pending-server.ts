/**
 * A child process serving an Operations service that always answers
 * `done: false` (with OperationMetadata RUNNING), over gRPC and REST on
 * 127.0.0.1, so the parent's heap holds only the poller's side. Prints
 * `{"grpc":"127.0.0.1:P","rest":"http://127.0.0.1:P"}` and then, on each
 * line read from stdin, the number of GetOperation calls served so far.
 */
import { fileURLToPath } from 'node:url';
import { normalizeMessage, packAny } from 'vision-kit/codec';
import { startGrpcTestServer } from '../../transport/support/grpc-test-server.js';
import { startRestTestServer } from '../../transport/support/rest-test-server.js';

/** Serves until stdin ends. */
async function main(): Promise<void> {
  const metadata = packAny(
    'google.cloud.vision.v1p4beta1.OperationMetadata',
    normalizeMessage('google.cloud.vision.v1p4beta1.OperationMetadata', {
      state: 2,
      createTime: { seconds: '1700000000', nanos: 0 },
      updateTime: { seconds: '1700000005', nanos: 0 },
    }),
  );
  let served = 0;
  const handlers = {
    'google.longrunning.Operations': {
      GetOperation: (request: object) => {
        served++;
        return { name: (request as { name: string }).name, done: false, metadata };
      },
    },
  };
  const grpc = await startGrpcTestServer(handlers);
  const rest = await startRestTestServer(handlers);
  process.stdout.write(`${JSON.stringify({ grpc: grpc.address, rest: rest.baseUrl })}\n`);
  process.stdin.on('data', () => process.stdout.write(`${served}\n`));
  process.stdin.on('end', () => {
    void grpc.close();
    void rest.close();
    process.exit(0);
  });
}

// Only when run as a program (mocha also loads this folder's files).
if (process.argv[1] === fileURLToPath(import.meta.url)) await main();
