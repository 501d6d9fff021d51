// Test harness of the emulator: a real emulator on 127.0.0.1:0 in a temp data
// dir, Google's official clients (gRPC and REST-fallback modes) pointed at it,
// storage uploads, operation polling and data-tree listings.

import { createHash } from 'node:crypto';
import { lstat, mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import vision from '@google-cloud/vision';
import * as grpc from '@grpc/grpc-js';
import { GoogleAuth, OAuth2Client } from 'google-auth-library';
import sharp from 'sharp';
import { type EmulatorOptions, type RunningEmulator, startEmulator } from '../../../src/emulator/emulator.js';

/** The two wires of the official client. */
export type Wire = 'grpc' | 'rest';
export const WIRES: readonly Wire[] = ['grpc', 'rest'];

/** A running emulator in a fresh temp dir. */
export interface TestEmulator {
  readonly emu: RunningEmulator;
  readonly dir: string;
  /** The emulator's log lines so far. */
  readonly logs: readonly string[];
  /** Stops the emulator and removes its data dir (unless `keep`). */
  close(keep?: boolean): Promise<void>;
}

/** Makes a fresh temp folder. */
export function tempDir(prefix = 'vk-emu-'): Promise<string> {
  return mkdtemp(join(tmpdir(), prefix));
}

/** Starts an emulator on free ports, quiet, 1 ms per step unless told otherwise. */
export async function startTestEmulator(options: Partial<EmulatorOptions> = {}): Promise<TestEmulator> {
  const dir = options.dataDir ?? (await tempDir());
  const logs: string[] = [];
  const emu = await startEmulator({ grpcPort: 0, httpPort: 0, opStepMs: 1, log: (l) => logs.push(l), ...options, dataDir: dir });
  return {
    emu,
    dir,
    logs,
    close: async (keep = false) => {
      await emu.stop();
      if (!keep) await rm(dir, { recursive: true, force: true });
    },
  };
}

/** An auth client that never looks anything up (REST-fallback mode needs one). */
export function staticAuth(token = 'emulator'): OAuth2Client {
  const auth = new OAuth2Client();
  auth.setCredentials({ access_token: token, expiry_date: Date.now() + 24 * 3600_000 });
  return auth;
}

type ProductSearchClient = InstanceType<typeof vision.v1p4beta1.ProductSearchClient>;
type ImageAnnotatorClient = InstanceType<typeof vision.v1p4beta1.ImageAnnotatorClient>;

/** Google's v1p4beta1 clients pointed at the emulator over one wire. */
export interface OfficialClients {
  readonly productSearch: ProductSearchClient;
  readonly imageAnnotator: ImageAnnotatorClient;
  close(): Promise<void>;
}

/** Official clients for `wire`; with `token`, the REST ones send it as a bearer token. */
export function officialClients(emu: RunningEmulator, wire: Wire, token?: string): OfficialClients {
  const opts =
    wire === 'grpc'
      ? {
          apiEndpoint: '127.0.0.1',
          port: emu.grpcPort,
          sslCreds: grpc.credentials.createInsecure(),
          auth: new GoogleAuth({ authClient: staticAuth() }),
        }
      : { fallback: true, protocol: 'http', apiEndpoint: '127.0.0.1', port: emu.httpPort, auth: staticAuth(token) };
  const productSearch = new vision.v1p4beta1.ProductSearchClient(opts as never);
  const imageAnnotator = new vision.v1p4beta1.ImageAnnotatorClient(opts as never);
  return {
    productSearch,
    imageAnnotator,
    close: async () => {
      await productSearch.close();
      await imageAnnotator.close();
    },
  };
}

/** Uploads bytes through the storage API (`uploadType=media`). */
export async function upload(
  emu: RunningEmulator,
  bucket: string,
  name: string,
  bytes: Uint8Array | string,
  contentType = 'application/octet-stream',
): Promise<void> {
  const res = await fetch(`${emu.httpUrl}/upload/storage/v1/b/${bucket}/o?uploadType=media&name=${encodeURIComponent(name)}`, {
    method: 'POST',
    headers: { 'Content-Type': contentType },
    body: typeof bytes === 'string' ? bytes : Buffer.from(bytes),
  });
  if (!res.ok) throw new Error(`upload ${bucket}/${name}: HTTP ${res.status} ${await res.text()}`);
}

/** Downloads an object's bytes through the storage API. */
export async function download(emu: RunningEmulator, bucket: string, name: string): Promise<Buffer> {
  const res = await fetch(`${emu.httpUrl}/storage/v1/b/${bucket}/o/${encodeURIComponent(name)}?alt=media`);
  if (!res.ok) throw new Error(`download ${bucket}/${name}: HTTP ${res.status}`);
  return Buffer.from(await res.arrayBuffer());
}

/** Object names of a bucket under a prefix (storage API list). */
export async function listObjects(emu: RunningEmulator, bucket: string, prefix = ''): Promise<string[]> {
  const res = await fetch(`${emu.httpUrl}/storage/v1/b/${bucket}/o?prefix=${encodeURIComponent(prefix)}`);
  const body = (await res.json()) as { items?: { name: string }[] };
  return (body.items ?? []).map((i) => i.name);
}

/** A PNG of a solid color (or a simple two-color pattern when `accent` is given). */
export async function png(
  width: number,
  height: number,
  rgb: [number, number, number],
  accent?: [number, number, number],
): Promise<Buffer> {
  const data = Buffer.alloc(width * height * 3);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const c = accent && x > width / 3 && x < (2 * width) / 3 && y > height / 3 && y < (2 * height) / 3 ? accent : rgb;
      data.set(c, (y * width + x) * 3);
    }
  }
  return sharp(data, { raw: { width, height, channels: 3 } })
    .png()
    .toBuffer();
}

/** The Operation JSON over REST (`GET /v1/{name}`). */
export async function getOperationRest(emu: RunningEmulator, name: string): Promise<Record<string, unknown> & { done?: boolean }> {
  const res = await fetch(`${emu.httpUrl}/v1/${name}`);
  const body = (await res.json()) as Record<string, unknown>;
  if (!res.ok) throw new Error(`GET /v1/${name}: HTTP ${res.status} ${JSON.stringify(body)}`);
  return body;
}

/** Polls an operation over REST until it is done. */
export async function waitDone(emu: RunningEmulator, name: string, timeoutMs = 20_000): Promise<Record<string, unknown>> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const op = await getOperationRest(emu, name);
    if (op.done) return op;
    if (Date.now() > end) throw new Error(`operation ${name} not done after ${timeoutMs} ms: ${JSON.stringify(op)}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

/** Every file, symlink and socket under `dir`, files with a content hash (what "nothing stored changed" compares). */
export async function listTree(dir: string): Promise<string[]> {
  const out: string[] = [];
  const walk = async (d: string, rel: string): Promise<void> => {
    for (const e of await readdir(d, { withFileTypes: true }).catch(() => [])) {
      const p = join(d, e.name);
      const r = rel ? `${rel}/${e.name}` : e.name;
      if (e.isDirectory()) {
        out.push(`${r}/`);
        await walk(p, r);
      } else if (e.isSymbolicLink()) {
        out.push(`${r} -> symlink`);
      } else if (e.isSocket()) {
        out.push(`${r} socket`); // the data dir's lock
      } else {
        const st = await lstat(p);
        out.push(
          `${r} ${st.size} ${createHash('sha256')
            .update(await readFile(p))
            .digest('hex')
            .slice(0, 16)}`,
        );
      }
    }
  };
  await walk(dir, '');
  return out.sort();
}

/** The error an official client call rejects with: canonical code and message. */
export async function rejection(p: Promise<unknown>): Promise<{ code: number; message: string; details: string }> {
  try {
    await p;
  } catch (err) {
    const e = err as { code?: number; message?: string; details?: string };
    return { code: e.code ?? -1, message: e.message ?? '', details: e.details ?? e.message ?? '' };
  }
  throw new Error('expected the call to fail');
}

/** The ts-proto functions a raw gRPC call needs. */
interface Codec<T> {
  encode(m: T): { finish(): Uint8Array };
  decode(b: Uint8Array): T;
  fromPartial(o: never): T;
}

/** A failed raw gRPC call. */
export interface RawGrpcError extends Error {
  code: number;
  details: string;
  metadata: grpc.Metadata;
}

/** A plain grpc-js client for protocol-level tests (any method, any metadata). */
export function rawGrpc(emu: RunningEmulator) {
  const client = new grpc.Client(emu.grpcAddress, grpc.credentials.createInsecure());
  return {
    client,
    call<Req, Res>(
      path: string,
      req: Codec<Req>,
      res: Codec<Res>,
      message: object,
      metadata = new grpc.Metadata(),
      options: grpc.CallOptions = {},
    ): Promise<Res> {
      return new Promise<Res>((resolve, reject) => {
        client.makeUnaryRequest(
          path,
          (m: Req) => Buffer.from(req.encode(m).finish()),
          (b: Buffer) => res.decode(b),
          req.fromPartial(message as never),
          metadata,
          options,
          (err, value) => (err ? reject(err) : resolve(value as Res)),
        );
      });
    },
    close: () => client.close(),
  };
}
