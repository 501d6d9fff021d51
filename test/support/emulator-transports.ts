/**
 * One emulator on free loopback ports and a gRPC and a REST transport to it,
 * for a suite that compares the two transports: registers mocha `before` and
 * `after` hooks (start; close both transports, stop, remove the data dir) and
 * returns accessors valid inside the suite's tests.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createGrpcTransport, createRestTransport, type Transport } from 'vision-kit';
import { type RunningEmulator, startEmulator } from '../../tools/src/emulator/emulator.js';

/** What {@link useEmulatorTransports} gives a suite. */
export interface EmulatorTransports {
  /** The running emulator. */
  readonly emu: RunningEmulator;
  /** A gRPC transport to it. */
  readonly grpc: Transport;
  /** A REST transport to it. */
  readonly rest: Transport;
}

/** Starts the emulator before the suite (data dir named from `prefix`) and stops it after; call inside `describe`. */
export function useEmulatorTransports(prefix: string): EmulatorTransports {
  let dataDir: string | undefined;
  let state: EmulatorTransports | undefined;
  before(async () => {
    dataDir = mkdtempSync(join(tmpdir(), prefix));
    const emu = await startEmulator({ grpcPort: 0, httpPort: 0, dataDir, log: () => undefined });
    state = { emu, grpc: createGrpcTransport({ endpoint: emu.grpcAddress }), rest: createRestTransport({ baseUrl: emu.httpUrl }) };
  });
  after(async () => {
    state?.grpc.close();
    state?.rest.close();
    await state?.emu.stop();
    if (dataDir !== undefined) rmSync(dataDir, { recursive: true, force: true });
  });
  const get = (): EmulatorTransports => {
    if (state === undefined) throw new Error('useEmulatorTransports: used outside the suite’s tests');
    return state;
  };
  return {
    get emu() {
      return get().emu;
    },
    get grpc() {
      return get().grpc;
    },
    get rest() {
      return get().rest;
    },
  };
}
