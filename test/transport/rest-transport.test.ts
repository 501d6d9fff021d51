import { createRestTransport } from 'vision-kit';
import { describeTransportBehaviour } from './support/behaviour-suite.js';
import { startRestTestServer } from './support/rest-test-server.js';

describeTransportBehaviour('REST (node:http server over the gateway)', async (handlers) => {
  const server = await startRestTestServer(handlers);
  return {
    transport: (credentials) => createRestTransport({ baseUrl: server.baseUrl, ...credentials }),
    cancelled: server.cancelled,
    close: () => server.close(),
  };
});

describeTransportBehaviour('REST with enums as numbers ($alt=json;enum-encoding=int)', async (handlers) => {
  const server = await startRestTestServer(handlers);
  return {
    transport: (credentials) => createRestTransport({ baseUrl: server.baseUrl, enumAsInt: true, ...credentials }),
    cancelled: server.cancelled,
    close: () => server.close(),
  };
});
