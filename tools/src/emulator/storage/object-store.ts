/**
 * The emulator's Cloud Storage: `gs://BUCKET/OBJECT` is the file
 * `DATA_DIR/gcs/BUCKET/OBJECT`. Buckets are created on first write; writes
 * are atomic and durable (staged in `DATA_DIR/tmp`, outside every bucket);
 * no symlink is followed out of a bucket. Per-object metadata (content type,
 * hashes) lives in `DATA_DIR/meta/gcs/BUCKET/<sha256 of the name>.json`.
 *
 * Cloud Storage has no folders: a name's "/" parts only look like them
 * (https://cloud.google.com/storage/docs/objects#naming, "Object names reside
 * in a flat namespace"). On disk they are folders, made by the first write
 * under them and removed by the delete that leaves them empty, so nothing of
 * a deleted object remains and a listing never walks empty trees. A write
 * whose new parent folder a concurrent delete removes makes it again.
 */
import { createHash } from 'node:crypto';
import { type Dirent, constants as fsc, type Stats } from 'node:fs';
import { access, lstat, mkdir, open, readdir, readFile, realpath, rename, rm, rmdir, stat } from 'node:fs/promises';
import { dirname, join, sep } from 'node:path';
import { Code, VisionError } from 'vision-kit';
import { failedPrecondition, invalidArgument, notFound } from '../errors.js';
import { fsyncDir, stageFile, writeFileAtomic } from './atomic-file.js';
import { crc32cBase64 } from './crc32c.js';
import { bucketNameProblem, type GcsLocation, gsUri, objectNameProblem } from './gcs-names.js';

/** What the store knows about one object. */
export interface ObjectInfo {
  readonly bucket: string;
  readonly name: string;
  readonly size: number;
  readonly contentType: string;
  readonly timeCreated: Date;
  readonly updated: Date;
  /** A decimal string that changes whenever the object is rewritten. */
  readonly generation: string;
  /** MD5 of the content, base64. */
  readonly md5Hash: string;
  /** CRC-32C of the content, big-endian base64. */
  readonly crc32c: string;
  /** User metadata (`metadata` of the JSON API). */
  readonly metadata: Readonly<Record<string, string>>;
}

/** Options of a write. */
export interface WriteOptions {
  readonly contentType?: string;
  readonly metadata?: Readonly<Record<string, string>>;
}

/** One page of a listing. */
export interface ListResult {
  readonly items: ObjectInfo[];
  /** With a delimiter: the "folders" directly under the prefix. */
  readonly prefixes: string[];
  readonly nextPageToken?: string;
}

interface Sidecar {
  contentType: string;
  metadata: Record<string, string>;
  size: number;
  mtimeMs: number;
  md5Hash: string;
  crc32c: string;
  timeCreated: string;
}

const MIME_BY_EXT: Record<string, string> = {
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  png: 'image/png',
  gif: 'image/gif',
  webp: 'image/webp',
  bmp: 'image/bmp',
  tif: 'image/tiff',
  tiff: 'image/tiff',
  ico: 'image/x-icon',
  pdf: 'application/pdf',
  json: 'application/json',
  csv: 'text/csv',
  txt: 'text/plain',
};

/** A content type guessed from a name's extension (for objects written without one). */
export function guessContentType(name: string): string {
  const ext = /\.([A-Za-z0-9]+)$/.exec(name)?.[1]?.toLowerCase();
  return (ext && MIME_BY_EXT[ext]) || 'application/octet-stream';
}

function isErrno(err: unknown, ...codes: string[]): boolean {
  return typeof err === 'object' && err !== null && codes.includes((err as { code?: string }).code ?? '');
}

/** The emulator's object store over a data dir. */
export class ObjectStore {
  /** `DATA_DIR/gcs`: one folder per bucket. */
  readonly gcsRoot: string;
  /** `DATA_DIR/tmp`: staging area of atomic writes (outside every bucket). */
  readonly tmpDir: string;
  /** `DATA_DIR/meta/gcs`: per-object metadata. */
  readonly metaRoot: string;
  private realGcsRoot = '';

  constructor(dataDir: string) {
    this.gcsRoot = join(dataDir, 'gcs');
    this.tmpDir = join(dataDir, 'tmp');
    this.metaRoot = join(dataDir, 'meta', 'gcs');
  }

  /** Creates the folders and removes temporary files a crash left behind. */
  async init(): Promise<void> {
    await mkdir(this.gcsRoot, { recursive: true });
    await rm(this.tmpDir, { recursive: true, force: true });
    await mkdir(this.tmpDir, { recursive: true });
    await mkdir(this.metaRoot, { recursive: true });
    this.realGcsRoot = await realpath(this.gcsRoot);
  }

  /** The local file of an object (whether or not it exists). */
  localPath(loc: GcsLocation): string {
    return join(this.gcsRoot, loc.bucket, ...loc.object.split('/'));
  }

  private check(loc: GcsLocation, field: string): void {
    const b = bucketNameProblem(loc.bucket);
    if (b) throw invalidArgument(field, b);
    const o = objectNameProblem(loc.object);
    if (o) throw invalidArgument(field, `${JSON.stringify(loc.object)}: ${o}`);
  }

  /** The real path of a bucket's folder, or undefined when it does not exist; refuses a bucket folder that is a link elsewhere. */
  private async realBucket(bucket: string, field: string): Promise<string | undefined> {
    const dir = join(this.gcsRoot, bucket);
    let real: string;
    try {
      real = await realpath(dir);
    } catch (err) {
      if (isErrno(err, 'ENOENT', 'ENOTDIR')) return undefined;
      throw err;
    }
    if (real !== join(this.realGcsRoot, bucket))
      throw invalidArgument(field, `bucket ${bucket} is a symbolic link out of the storage folder`);
    return real;
  }

  /** Resolves an existing object to its real file, refusing symlinks out of the bucket; undefined when missing. */
  private async resolveExisting(loc: GcsLocation, field: string): Promise<string | undefined> {
    this.check(loc, field);
    const bucketDir = await this.realBucket(loc.bucket, field);
    if (bucketDir === undefined) return undefined;
    let real: string;
    try {
      real = await realpath(this.localPath(loc));
    } catch (err) {
      if (isErrno(err, 'ENOENT', 'ENOTDIR', 'ELOOP')) return undefined;
      throw err;
    }
    if (!real.startsWith(bucketDir + sep)) {
      throw invalidArgument(field, `${gsUri(loc)} resolves outside its bucket (symbolic link); refused`);
    }
    return real;
  }

  /**
   * Reads an object. NOT_FOUND when it does not exist; INVALID_ARGUMENT
   * naming `field` for a refused name or an object larger than `maxBytes`.
   */
  async read(loc: GcsLocation, options: { field?: string; maxBytes?: number } = {}): Promise<Buffer> {
    const field = options.field ?? 'uri';
    const missing = (): VisionError => notFound('storage object', gsUri(loc), `${field ? `${field}: ` : ''}${gsUri(loc)} does not exist`);
    const real = await this.resolveExisting(loc, field);
    if (real === undefined) throw missing();
    const fh = await open(real, fsc.O_RDONLY | fsc.O_NOFOLLOW).catch((err: unknown) => {
      if (isErrno(err, 'ENOENT', 'ELOOP', 'EISDIR')) throw missing();
      throw err;
    });
    try {
      const st = await fh.stat();
      if (!st.isFile()) throw missing();
      if (options.maxBytes !== undefined && st.size > options.maxBytes) {
        throw invalidArgument(field, `${gsUri(loc)} is ${st.size} bytes, more than the limit of ${options.maxBytes} bytes`);
      }
      return await fh.readFile();
    } finally {
      await fh.close();
    }
  }

  /** Metadata of an object, or undefined when it does not exist. */
  async stat(loc: GcsLocation, field = 'object'): Promise<ObjectInfo | undefined> {
    const real = await this.resolveExisting(loc, field);
    if (real === undefined) return undefined;
    const st = await stat(real, { bigint: true });
    if (!st.isFile()) return undefined;
    return this.info(loc, real, Number(st.size), Number(st.mtimeMs), st.birthtime, st.mtimeNs);
  }

  private async info(loc: GcsLocation, real: string, size: number, mtimeMs: number, birth: Date, mtimeNs: bigint): Promise<ObjectInfo> {
    let side: Sidecar | undefined;
    try {
      side = JSON.parse(await readFile(this.sidecarPath(loc), 'utf8')) as Sidecar;
    } catch {
      side = undefined;
    }
    const fresh = side && side.size === size && side.mtimeMs === mtimeMs;
    let md5Hash = fresh ? side!.md5Hash : '';
    let crc = fresh ? side!.crc32c : '';
    if (!fresh) {
      const bytes = await readFile(real);
      md5Hash = createHash('md5').update(bytes).digest('base64');
      crc = crc32cBase64(bytes);
    }
    return {
      bucket: loc.bucket,
      name: loc.object,
      size,
      contentType: side?.contentType || guessContentType(loc.object),
      timeCreated: side?.timeCreated ? new Date(side.timeCreated) : birth,
      updated: new Date(mtimeMs),
      generation: (mtimeNs / 1000n).toString(),
      md5Hash,
      crc32c: crc,
      metadata: side?.metadata ?? {},
    };
  }

  private sidecarPath(loc: GcsLocation): string {
    return join(this.metaRoot, loc.bucket, `${createHash('sha256').update(loc.object).digest('hex')}.json`);
  }

  /**
   * Makes the object's parent folders (the bucket on first write), refusing
   * a path through a symlink out of the bucket or through an object.
   */
  private async prepareParent(loc: GcsLocation, field: string): Promise<string> {
    this.check(loc, field);
    const bucketDir = join(this.gcsRoot, loc.bucket);
    try {
      await mkdir(bucketDir);
    } catch (err) {
      if (!isErrno(err, 'EEXIST')) throw err;
    }
    const realBucket = await this.realBucket(loc.bucket, field);
    if (realBucket === undefined) throw new VisionError(Code.INTERNAL, `cannot create the folder of bucket ${loc.bucket}`);
    const segments = loc.object.split('/');
    let cur = bucketDir;
    for (let i = 0; i < segments.length - 1; i++) {
      cur = join(cur, segments[i]!);
      let st: Stats;
      try {
        st = await lstat(cur);
      } catch (err) {
        if (!isErrno(err, 'ENOENT')) throw err;
        await mkdir(cur).catch((e: unknown) => {
          if (!isErrno(e, 'EEXIST')) throw e;
        });
        continue;
      }
      if (st.isSymbolicLink()) {
        const real = await realpath(cur).catch(() => '');
        if (!real.startsWith(realBucket + sep))
          throw invalidArgument(field, `${gsUri(loc)} goes through a symbolic link out of its bucket; refused`);
      } else if (!st.isDirectory()) {
        const clash = segments.slice(0, i + 1).join('/');
        throw failedPrecondition(
          gsUri(loc),
          `cannot write ${gsUri(loc)}: the object gs://${loc.bucket}/${clash} exists, so it cannot also be a folder`,
        );
      }
    }
    const target = this.localPath(loc);
    try {
      const st = await lstat(target);
      if (st.isDirectory()) {
        throw failedPrecondition(
          gsUri(loc),
          `cannot write ${gsUri(loc)}: objects exist under ${gsUri(loc)}/, so it cannot also be an object`,
        );
      }
    } catch (err) {
      if (!isErrno(err, 'ENOENT')) throw err;
    }
    return target;
  }

  /** Writes an object atomically and durably; resolves to its metadata. */
  async write(loc: GcsLocation, bytes: Uint8Array, options: WriteOptions = {}, field = 'object'): Promise<ObjectInfo> {
    this.check(loc, field);
    const tmp = await stageFile(bytes, this.tmpDir);
    const target = await this.place(loc, field, tmp);
    return this.afterWrite(loc, target, options, createHash('md5').update(bytes).digest('base64'), crc32cBase64(bytes));
  }

  /**
   * Moves a fully written, fsynced temporary file from {@link tmpDir} into
   * place as the object (resumable uploads); hashes are the caller's.
   */
  async commit(
    loc: GcsLocation,
    tmpFile: string,
    hashes: { md5Hash: string; crc32c: string },
    options: WriteOptions = {},
    field = 'object',
  ): Promise<ObjectInfo> {
    const target = await this.place(loc, field, tmpFile);
    return this.afterWrite(loc, target, options, hashes.md5Hash, hashes.crc32c);
  }

  /** Renames the staged `tmp` over the object (durably), making its folders; removes `tmp` when that fails. */
  private async place(loc: GcsLocation, field: string, tmp: string): Promise<string> {
    for (let attempt = 1; ; attempt++) {
      try {
        const target = await this.prepareParent(loc, field);
        await rename(tmp, target);
        await fsyncDir(dirname(target));
        return target;
      } catch (err) {
        // A delete that emptied a folder of this name may have removed it after it was made here: make it again.
        const staged = await access(tmp).then(
          () => true,
          () => false,
        );
        if (attempt < 10 && staged && isErrno(err, 'ENOENT')) continue;
        await rm(tmp, { force: true });
        throw err;
      }
    }
  }

  private async afterWrite(loc: GcsLocation, target: string, options: WriteOptions, md5Hash: string, crc: string): Promise<ObjectInfo> {
    const st = await stat(target, { bigint: true });
    const side: Sidecar = {
      contentType: options.contentType || guessContentType(loc.object),
      metadata: { ...(options.metadata ?? {}) },
      size: Number(st.size),
      mtimeMs: Number(st.mtimeMs),
      md5Hash,
      crc32c: crc,
      timeCreated: new Date().toISOString(),
    };
    const sidecar = this.sidecarPath(loc);
    await mkdir(join(this.metaRoot, loc.bucket), { recursive: true });
    await writeFileAtomic(sidecar, JSON.stringify(side), this.tmpDir);
    return {
      bucket: loc.bucket,
      name: loc.object,
      size: side.size,
      contentType: side.contentType,
      timeCreated: new Date(side.timeCreated),
      updated: new Date(side.mtimeMs),
      generation: (st.mtimeNs / 1000n).toString(),
      md5Hash,
      crc32c: crc,
      metadata: side.metadata,
    };
  }

  /** Deletes an object, and the folders of its name that it leaves empty; NOT_FOUND when missing. */
  async delete(loc: GcsLocation, field = 'object'): Promise<void> {
    const real = await this.resolveExisting(loc, field);
    if (real === undefined || !(await stat(real)).isFile())
      throw notFound('storage object', gsUri(loc), `No such object: ${loc.bucket}/${loc.object}`);
    await rm(this.localPath(loc));
    await fsyncDir(dirname(this.localPath(loc)));
    await rm(this.sidecarPath(loc), { force: true });
    await this.removeEmptyFolders(loc);
  }

  /** Removes the folders of `loc`'s name, deepest first, while they are empty (never the bucket's). */
  private async removeEmptyFolders(loc: GcsLocation): Promise<void> {
    const segments = loc.object.split('/');
    for (let depth = segments.length - 1; depth > 0; depth--) {
      try {
        // rmdir removes only an empty folder, and never follows a symbolic link.
        await rmdir(join(this.gcsRoot, loc.bucket, ...segments.slice(0, depth)));
      } catch (err) {
        if (isErrno(err, 'ENOTEMPTY', 'EEXIST', 'ENOENT', 'ENOTDIR', 'EBUSY', 'EPERM', 'EACCES')) return;
        throw err;
      }
    }
  }

  /** True when the bucket's folder exists. */
  async bucketExists(bucket: string): Promise<boolean> {
    const problem = bucketNameProblem(bucket);
    if (problem) throw invalidArgument('bucket', problem);
    return (await this.realBucket(bucket, 'bucket')) !== undefined;
  }

  /**
   * Lists objects in name order, optionally under `prefix`, folding names
   * with `delimiter` after the prefix into `prefixes`. Symlinks are skipped.
   */
  async list(
    bucket: string,
    options: { prefix?: string; delimiter?: string; pageToken?: string; maxResults?: number } = {},
  ): Promise<ListResult> {
    const problem = bucketNameProblem(bucket);
    if (problem) throw invalidArgument('bucket', problem);
    const root = await this.realBucket(bucket, 'bucket');
    if (root === undefined) return { items: [], prefixes: [] };
    const prefix = options.prefix ?? '';
    const delimiter = options.delimiter ?? '';
    const max = Math.max(1, Math.min(options.maxResults ?? 1000, 1000));
    let after = '';
    if (options.pageToken) {
      try {
        after = Buffer.from(options.pageToken, 'base64url').toString('utf8');
      } catch {
        throw invalidArgument('pageToken', 'is not a token this server gave out');
      }
    }
    // Start the walk at the deepest folder the prefix names.
    const fixed = prefix.slice(0, prefix.lastIndexOf('/') + 1);
    const names: { name: string; size: number; mtimeMs: number; birth: Date; mtimeNs: bigint }[] = [];
    const walk = async (dir: string, rel: string): Promise<void> => {
      let entries: Dirent[];
      try {
        entries = await readdir(dir, { withFileTypes: true });
      } catch (err) {
        if (isErrno(err, 'ENOENT', 'ENOTDIR')) return;
        throw err;
      }
      for (const e of entries) {
        const name = rel + e.name;
        if (e.isDirectory()) {
          if (`${name}/`.startsWith(prefix) || prefix.startsWith(`${name}/`)) await walk(join(dir, e.name), `${name}/`);
        } else if (e.isFile() && name.startsWith(prefix)) {
          const st = await stat(join(dir, e.name), { bigint: true }).catch(() => undefined);
          if (st) names.push({ name, size: Number(st.size), mtimeMs: Number(st.mtimeMs), birth: st.birthtime, mtimeNs: st.mtimeNs });
        }
      }
    };
    if (fixed === '' || objectNameProblem(fixed, true) === undefined) await walk(join(root, ...fixed.split('/').filter(Boolean)), fixed);
    names.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    const items: ObjectInfo[] = [];
    const prefixes: string[] = [];
    let last = '';
    let more = false;
    for (const n of names) {
      let key = n.name;
      let isPrefix = false;
      if (delimiter) {
        const at = n.name.indexOf(delimiter, prefix.length);
        if (at >= 0) {
          key = n.name.slice(0, at + delimiter.length);
          isPrefix = true;
        }
      }
      if (key <= after) continue;
      if (isPrefix && prefixes[prefixes.length - 1] === key) continue;
      if (items.length + prefixes.length >= max) {
        more = true;
        break;
      }
      if (isPrefix) prefixes.push(key);
      else {
        const loc = { bucket, object: n.name };
        items.push(await this.info(loc, join(root, ...n.name.split('/')), n.size, n.mtimeMs, n.birth, n.mtimeNs));
      }
      last = key;
    }
    return more ? { items, prefixes, nextPageToken: Buffer.from(last, 'utf8').toString('base64url') } : { items, prefixes };
  }
}
