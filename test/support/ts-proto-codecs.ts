/**
 * ts-proto's generated codecs (gen/google/**) by full message name, for tests
 * that judge our reflection layer against them. Tests only: the library
 * never imports the generated message modules as values.
 */
import { readdirSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { BinaryReader, BinaryWriter } from '@bufbuild/protobuf/wire';

/** The part of ts-proto's `MessageFns` the tests use. */
export interface TsProtoCodec {
  encode(message: unknown, writer?: BinaryWriter): BinaryWriter;
  decode(input: BinaryReader | Uint8Array, length?: number): unknown;
  fromPartial(object: unknown): unknown;
}

const repo = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** Where ts-proto output lives, and how a module's folder maps to its proto package. */
const ROOTS: { dir: string; pkg: (folder: string) => string }[] = [
  { dir: join(repo, 'gen'), pkg: (folder) => folder.split(/[\\/]/).join('.') },
  // test/protos/vision_kit/testing/v1 declares `package visionkit.testing.v1`
  { dir: join(repo, 'test', 'gen'), pkg: (folder) => folder.split(/[\\/]/).join('.').replace(/_/g, '') },
];

function files(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? (e.name === 'schema' ? [] : files(join(dir, e.name))) : e.name.endsWith('.ts') ? [join(dir, e.name)] : [],
  );
}

/**
 * Loads every generated module (gen/ and test/gen/); keys are full proto
 * names (`Product_KeyValue` → `….Product.KeyValue`).
 */
export async function loadTsProtoCodecs(): Promise<Map<string, TsProtoCodec>> {
  const out = new Map<string, TsProtoCodec>();
  for (const root of ROOTS) {
    for (const file of files(root.dir)) {
      const pkg = root.pkg(dirname(relative(root.dir, file)));
      const mod = (await import(pathToFileURL(file).href)) as Record<string, unknown>;
      for (const [name, value] of Object.entries(mod)) {
        const v = value as Partial<TsProtoCodec> | undefined;
        if (v && typeof v.encode === 'function' && typeof v.decode === 'function' && typeof v.fromPartial === 'function') {
          out.set(`${pkg}.${name.replace(/_/g, '.')}`, v as TsProtoCodec);
        }
      }
    }
  }
  return out;
}
