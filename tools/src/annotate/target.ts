/**
 * Where `vision-kit annotate` runs: the embedded emulator (started here on
 * free ports over `--data-dir`), an emulator already running (an endpoint on
 * loopback, or the emulator variables), or Google (any other endpoint). Each
 * gives a Vision transport, the storage the images and results go through,
 * and the local path of an output file.
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { connect } from 'node:net';
import { dirname, join, resolve } from 'node:path';
import {
  createGrpcTransport,
  createRestTransport,
  createTransport,
  type PollScheduleOverrides,
  resolveTransport,
  type Transport,
  type TransportKind,
  VisionError,
} from 'vision-kit';
import { CliError } from 'vision-kit/cli';
import type { RunningEmulator } from '../emulator/emulator.js';
import { createGcsJsonClient } from '../workflow/gcs-json-client.js';
import type { ObjectLocation, ObjectStorage } from '../workflow/object-storage.js';
import { createCloudStorage } from './cloud-storage.js';

/** Options of {@link openTarget}. */
export interface TargetOptions {
  readonly transport?: TransportKind | undefined;
  readonly endpoint?: string | undefined;
  readonly plaintext?: boolean | undefined;
  readonly apiKey?: string | undefined;
  /** The embedded emulator's data dir, and where copies of files read from elsewhere are kept. */
  readonly dataDir: string;
  /** Emulator log lines (stderr with --verbose, else dropped). */
  readonly log: (line: string) => void;
  /** Default `process.env`. */
  readonly env?: Readonly<Record<string, string | undefined>> | undefined;
}

/** A place to run the job. */
export interface AnnotateTarget {
  /** `embedded`: started here; `emulator`: one already running; `google`: the real service. */
  readonly kind: 'embedded' | 'emulator' | 'google';
  readonly transportKind: TransportKind;
  /** For messages: "the embedded emulator (gRPC 127.0.0.1:4321, data dir …)". */
  readonly description: string;
  readonly transport: Transport;
  readonly storage: ObjectStorage;
  /** Faster polling for emulators; Vision's own schedule for Google. */
  readonly schedule: PollScheduleOverrides | undefined;
  /** How often to count output files while waiting, ms. */
  readonly listEveryMs: number;
  /** Absolute data dir. */
  readonly dataDir: string;
  /**
   * The local file of an output file read back as `bytes`: for the embedded
   * emulator, its own file `DATA_DIR/gcs/BUCKET/OBJECT`; otherwise a copy
   * written at that same place.
   */
  localPath(loc: ObjectLocation, bytes: Uint8Array): Promise<string>;
  /** Closes the transport and stops an embedded emulator. */
  close(): Promise<void>;
}

/** Polling for a local emulator: first look after 100 ms, then up to every second. */
export const EMULATOR_SCHEDULE: PollScheduleOverrides = { initialDelay: 100, multiplier: 1.5, maxDelay: 1000, jitter: 0.1 };

function gcsPath(dataDir: string, loc: ObjectLocation): string {
  return join(dataDir, 'gcs', loc.bucket, ...loc.object.split('/'));
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return (
    a.length === b.length && Buffer.from(a.buffer, a.byteOffset, a.byteLength).equals(Buffer.from(b.buffer, b.byteOffset, b.byteLength))
  );
}

async function keepCopy(dataDir: string, loc: ObjectLocation, bytes: Uint8Array): Promise<string> {
  const path = gcsPath(dataDir, loc);
  const existing = await readFile(path).catch(() => undefined);
  if (existing === undefined || !sameBytes(existing, bytes)) {
    await mkdir(dirname(path), { recursive: true });
    await writeFile(path, bytes);
  }
  return path;
}

function usage(step: () => ReturnType<typeof resolveTransport>): ReturnType<typeof resolveTransport> {
  try {
    return step();
  } catch (err) {
    throw new CliError(err instanceof VisionError ? err.rawMessage : String(err), 2, { cause: err });
  }
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value.trim() === '' ? undefined : value.trim();
}

/**
 * Whether a TCP connection to `host:port` (`[v6]:port` too) is refused,
 * i.e. nothing listens there; any other outcome (accepted, a timeout after
 * 1 s, an address that does not parse) counts as "maybe" and gives false.
 */
function refused(endpoint: string): Promise<boolean> {
  const m = /^\[?([^\]]+?)\]?:(\d+)$/.exec(endpoint);
  if (!m) return Promise.resolve(false);
  const [, host, port] = m;
  return new Promise<boolean>((resolveProbe) => {
    const socket = connect({ host: host!, port: Number(port) });
    const done = (answer: boolean): void => {
      socket.destroy();
      resolveProbe(answer);
    };
    socket.setTimeout(1000, () => done(false));
    socket.once('connect', () => done(false));
    socket.once('error', (err: NodeJS.ErrnoException) => done(err.code === 'ECONNREFUSED'));
  });
}

/** Resolves and opens the target; an embedded emulator is started here. */
export async function openTarget(options: TargetOptions): Promise<AnnotateTarget> {
  const env = options.env ?? process.env;
  const dataDir = resolve(options.dataDir);
  const grpcEnv = nonEmpty(env['VISION_EMULATOR_HOST']);
  const restEnv = nonEmpty(env['VISION_EMULATOR_REST']);
  const storageEnv = nonEmpty(env['STORAGE_EMULATOR_HOST']);

  if (options.endpoint === undefined && grpcEnv === undefined && restEnv === undefined) return startEmbedded(options, dataDir);

  if (options.endpoint === undefined && options.transport !== undefined) {
    const wanted = options.transport === 'grpc' ? grpcEnv : restEnv;
    if (wanted === undefined) {
      const set = grpcEnv !== undefined ? 'VISION_EMULATOR_HOST' : 'VISION_EMULATOR_REST';
      const need = options.transport === 'grpc' ? 'VISION_EMULATOR_HOST' : 'VISION_EMULATOR_REST';
      throw new CliError(`--transport ${options.transport}: ${set} is set but not ${need}; set it, or give --endpoint`);
    }
  }
  const choice = usage(() =>
    resolveTransport({ transport: options.transport, endpoint: options.endpoint, plaintext: options.plaintext, env }),
  );
  const transport = createTransport({
    transport: choice.kind,
    endpoint: options.endpoint,
    plaintext: options.plaintext,
    apiKey: options.apiKey,
    env,
  });
  const wire = choice.kind === 'grpc' ? 'gRPC' : 'REST';

  if (choice.local) {
    const storageUrl = storageEnv ?? (choice.kind === 'rest' ? choice.endpoint : restEnv);
    if (storageUrl === undefined) {
      transport.close();
      if (await refused(choice.endpoint)) {
        const port = choice.endpoint.slice(choice.endpoint.lastIndexOf(':') + 1);
        throw new CliError(
          `cannot reach the emulator at ${choice.endpoint}: nothing listens there; start one with "vision-kit emulator --grpc-port ${port}", or leave out ${choice.source === 'option' ? '--endpoint' : choice.source} for an embedded emulator`,
          1,
        );
      }
      throw new CliError(
        `the emulator at ${choice.endpoint} (gRPC) has its storage API on its HTTP port: set STORAGE_EMULATOR_HOST=http://127.0.0.1:<http port>, or give that URL as --endpoint`,
      );
    }
    if (!/^https?:\/\//i.test(storageUrl)) {
      transport.close();
      throw new CliError(`STORAGE_EMULATOR_HOST "${storageUrl}" is not an http(s):// URL`);
    }
    return {
      kind: 'emulator',
      transportKind: choice.kind,
      description: `the emulator at ${choice.endpoint} (${wire}; storage ${storageUrl})`,
      transport,
      storage: createGcsJsonClient({ baseUrl: storageUrl, apiKey: options.apiKey }),
      schedule: EMULATOR_SCHEDULE,
      listEveryMs: 250,
      dataDir,
      localPath: (loc, bytes) => keepCopy(dataDir, loc, bytes),
      close: async () => transport.close(),
    };
  }

  const storage = await createCloudStorage(storageEnv ? { apiEndpoint: storageEnv } : {});
  return {
    kind: 'google',
    transportKind: choice.kind,
    description: `Google (${wire} ${choice.endpoint})`,
    transport,
    storage,
    schedule: undefined,
    listEveryMs: 2000,
    dataDir,
    localPath: (loc, bytes) => keepCopy(dataDir, loc, bytes),
    close: async () => transport.close(),
  };
}

async function startEmbedded(options: TargetOptions, dataDir: string): Promise<AnnotateTarget> {
  const { startEmulator } = await import('../emulator/emulator.js');
  let emulator: RunningEmulator;
  try {
    emulator = await startEmulator({ grpcPort: 0, httpPort: 0, dataDir, log: options.log });
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    const hint =
      (err as { name?: string }).name === 'DataDirLockedError' ? ' (or point VISION_EMULATOR_HOST or --endpoint at that emulator)' : '';
    throw new CliError(`cannot start the embedded emulator: ${message}${hint}`, 1, { cause: err });
  }
  const kind: TransportKind = options.transport ?? 'grpc';
  const transport =
    kind === 'grpc'
      ? createGrpcTransport({ endpoint: emulator.grpcAddress, plaintext: true, auth: 'none' })
      : createRestTransport({ baseUrl: emulator.httpUrl });
  const running = emulator;
  return {
    kind: 'embedded',
    transportKind: kind,
    description: `the embedded emulator (${kind === 'grpc' ? `gRPC ${running.grpcAddress}` : `REST ${running.httpUrl}`}, data dir ${dataDir})`,
    transport,
    storage: createGcsJsonClient({ baseUrl: running.httpUrl }),
    schedule: EMULATOR_SCHEDULE,
    listEveryMs: 200,
    dataDir: running.dataDir,
    localPath: async (loc) => gcsPath(running.dataDir, loc),
    close: async () => {
      transport.close();
      await running.stop();
    },
  };
}
