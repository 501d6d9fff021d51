import { createGrpcTransport, createRestTransport } from 'vision-kit';
import { describeTransportBehaviour } from './support/behaviour-suite.js';
import { startEmulatorGrpcHost, startEmulatorRestHost } from './support/emulator-serving.js';

describeTransportBehaviour("gRPC (the emulator's serving layer)", async (handlers) => {
  const host = await startEmulatorGrpcHost(handlers);
  return {
    transport: (credentials) => createGrpcTransport({ endpoint: host.address, ...credentials }),
    cancelled: host.cancelled,
    close: () => host.close(),
  };
});

describeTransportBehaviour("REST (the emulator's serving layer)", async (handlers) => {
  const host = await startEmulatorRestHost(handlers);
  return {
    transport: (credentials) => createRestTransport({ baseUrl: host.baseUrl, ...credentials }),
    cancelled: host.cancelled,
    close: () => host.close(),
  };
});
