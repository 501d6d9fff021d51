/**
 * A busy port, told apart before the gRPC server binds: `@grpc/grpc-js`
 * logs its own `E No address added …` line on stderr and rejects with a
 * code-less error when its address is taken, so the emulator first checks
 * the port with a plain listener and reports it as {@link EmulatorPortInUseError}.
 */
import { createServer } from 'node:net';

/** Which of the emulator's two ports. */
export type EmulatorPortSide = 'gRPC' | 'HTTP';

/** The emulator's gRPC or HTTP port is already taken on its host (`code` is `EADDRINUSE`). */
export class EmulatorPortInUseError extends Error {
  /** Always `EADDRINUSE`, like Node's own error. */
  readonly code = 'EADDRINUSE';
  /** The side whose port is taken. */
  readonly side: EmulatorPortSide;
  /** The host it was to listen on. */
  readonly host: string;
  /** The port that is taken. */
  readonly port: number;

  constructor(side: EmulatorPortSide, host: string, port: number, options?: { cause?: unknown }) {
    super(`${side} port ${port} on ${host} is already in use`, options);
    this.name = 'EmulatorPortInUseError';
    this.side = side;
    this.host = host;
    this.port = port;
  }
}

/** Whether an error (or the text of grpc-js's bind error) says the address is in use. */
export function isAddressInUse(err: unknown): boolean {
  if ((err as { code?: unknown } | null)?.code === 'EADDRINUSE') return true;
  return err instanceof Error && /\bEADDRINUSE\b/.test(err.message);
}

/**
 * Rejects with {@link EmulatorPortInUseError} when `host:port` cannot be
 * listened on because it is taken; resolves otherwise (port 0 is not checked,
 * other listen errors are left to the real bind).
 */
export function checkPortFree(side: EmulatorPortSide, host: string, port: number): Promise<void> {
  if (port === 0) return Promise.resolve();
  return new Promise<void>((resolveCheck, reject) => {
    const probe = createServer();
    probe.once('error', (err) =>
      isAddressInUse(err) ? reject(new EmulatorPortInUseError(side, host, port, { cause: err })) : resolveCheck(),
    );
    probe.listen({ port, host, exclusive: true }, () => probe.close(() => resolveCheck()));
  });
}
