import { createGrpcTransport } from 'vision-kit';
import { describeTransportBehaviour } from './support/behaviour-suite.js';
import { startGrpcTestServer } from './support/grpc-test-server.js';

describeTransportBehaviour('gRPC (grpc-js server)', async (handlers) => {
  const server = await startGrpcTestServer(handlers);
  return {
    transport: (credentials) => createGrpcTransport({ endpoint: server.address, ...credentials }),
    cancelled: server.cancelled,
    close: () => server.close(),
  };
});
