import { createMemoryTransport } from 'vision-kit/testing';
import { describeTransportBehaviour } from './support/behaviour-suite.js';

describeTransportBehaviour('memory', async (handlers) => {
  const cancelled: string[] = [];
  // Record cancellations the way a server would see them.
  const watched: typeof handlers = Object.fromEntries(
    Object.entries(handlers).map(([service, methods]) => [
      service,
      Object.fromEntries(
        Object.entries(methods ?? {}).map(([name, handler]) => [
          name,
          (request: object, ctx: Parameters<NonNullable<typeof handler>>[1]) => {
            ctx.signal.addEventListener('abort', () => cancelled.push(name), { once: true });
            return handler?.(request, ctx) ?? {};
          },
        ]),
      ),
    ]),
  );
  return {
    transport: (credentials) => createMemoryTransport(watched, credentials),
    cancelled,
    close: async () => undefined,
  };
});
