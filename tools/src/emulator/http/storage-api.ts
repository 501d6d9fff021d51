/**
 * The part of Cloud Storage's JSON API that clients need, over the emulator's
 * object store, at the paths `@google-cloud/storage` uses with
 * `STORAGE_EMULATOR_HOST` (with and without the `/storage/v1` prefix):
 * uploads (`uploadType=media`, `multipart`, `resumable`), download
 * (`alt=media`, with byte ranges), object metadata, listing (prefix,
 * delimiter, pages), delete, and bucket lookups.
 */
import { createHash, type Hash, randomUUID } from 'node:crypto';
import { open, readdir, rm } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { Code, VisionError } from 'vision-kit';
import { readBody, sendError, sendJson, toVisionError, type UnexpectedErrorLogger } from 'vision-kit/serving';
import { invalidArgument, notFound } from '../errors.js';
import { tempPath } from '../storage/atomic-file.js';
import { crc32c } from '../storage/crc32c.js';
import { bucketNameProblem, type GcsLocation, objectNameProblem } from '../storage/gcs-names.js';
import type { ObjectInfo, ObjectStore } from '../storage/object-store.js';

/** Options of {@link createStorageApi}. */
export interface StorageApiOptions {
  readonly objects: ObjectStore;
  /** Largest object an upload may create (default 64 MiB). */
  readonly maxObjectBytes?: number;
  /** Where a route's unexpected (non-VisionError) failure is reported; default one line on stderr. */
  readonly logUnexpected?: UnexpectedErrorLogger;
}

/** The storage routes of the emulator's HTTP port. */
export interface StorageApi {
  /** True when `pathname` is a storage route. */
  handles(pathname: string): boolean;
  /** Serves one storage request (errors included). */
  handle(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void>;
  /** Drops unfinished resumable uploads. */
  close(): Promise<void>;
}

/** Resumable upload sessions kept at once; starting one more drops the oldest idle one. */
export const MAX_UPLOAD_SESSIONS = 1000;

interface Session {
  readonly loc: GcsLocation;
  readonly contentType: string;
  readonly metadata: Record<string, string>;
  /** The staging file; opened only while a chunk is written (an abandoned session holds no file descriptor). */
  readonly tmp: string;
  readonly md5: Hash;
  crc: number;
  received: number;
  busy: boolean;
}

const OBJECTS = /^\/(?:storage\/v1\/)?b\/([^/]+)\/o$/;
const OBJECT = /^\/(?:storage\/v1\/|download\/storage\/v1\/)?b\/([^/]+)\/o\/(.+)$/;
const BUCKET = /^\/(?:storage\/v1\/)?b\/([^/]+)$/;
const BUCKETS = /^\/(?:storage\/v1\/)?b$/;
const UPLOAD = /^\/upload\/storage\/v1\/b\/([^/]+)\/o$/;

function decodeName(raw: string, field: string): string {
  try {
    return decodeURIComponent(raw);
  } catch {
    throw invalidArgument(field, 'is not valid percent-encoding');
  }
}

function checkBucket(bucket: string): string {
  const name = decodeName(bucket, 'bucket');
  const problem = bucketNameProblem(name);
  if (problem) throw invalidArgument('bucket', problem);
  return name;
}

function checkObject(name: string): string {
  const problem = objectNameProblem(name);
  if (problem) throw invalidArgument('name', `${JSON.stringify(name)}: ${problem}`);
  return name;
}

function reasonOf(code: Code): string {
  switch (code) {
    case Code.NOT_FOUND:
      return 'notFound';
    case Code.INVALID_ARGUMENT:
      return 'invalid';
    case Code.UNAUTHENTICATED:
      return 'required';
    case Code.FAILED_PRECONDITION:
      return 'conditionNotMet';
    default:
      return 'backendError';
  }
}

/** The JSON API's object resource. */
function objectResource(info: ObjectInfo, base: string): Record<string, unknown> {
  const enc = encodeURIComponent(info.name);
  return {
    kind: 'storage#object',
    id: `${info.bucket}/${info.name}/${info.generation}`,
    selfLink: `${base}/storage/v1/b/${info.bucket}/o/${enc}`,
    mediaLink: `${base}/download/storage/v1/b/${info.bucket}/o/${enc}?generation=${info.generation}&alt=media`,
    name: info.name,
    bucket: info.bucket,
    generation: info.generation,
    metageneration: '1',
    contentType: info.contentType,
    storageClass: 'STANDARD',
    size: String(info.size),
    md5Hash: info.md5Hash,
    crc32c: info.crc32c,
    etag: info.md5Hash,
    timeCreated: info.timeCreated.toISOString(),
    updated: info.updated.toISOString(),
    timeStorageClassUpdated: info.timeCreated.toISOString(),
    ...(Object.keys(info.metadata).length > 0 ? { metadata: info.metadata } : {}),
  };
}

function bucketResource(bucket: string, base: string): Record<string, unknown> {
  return {
    kind: 'storage#bucket',
    id: bucket,
    name: bucket,
    selfLink: `${base}/storage/v1/b/${bucket}`,
    location: 'US',
    storageClass: 'STANDARD',
    metageneration: '1',
    etag: 'CAE=',
  };
}

function parseMultipart(body: Buffer, contentType: string): { meta: Record<string, unknown>; media: Buffer; mediaType: string } {
  const m = /boundary="?([^";]+)"?/i.exec(contentType);
  if (!m) throw invalidArgument('Content-Type', 'multipart upload without a boundary');
  const boundary = m[1]!;
  const delim = Buffer.from(`--${boundary}`);
  const sep = Buffer.from(`\r\n--${boundary}`);
  const parts: { headers: string; content: Buffer }[] = [];
  let idx = body.indexOf(delim);
  while (idx >= 0) {
    let start = idx + delim.length;
    if (body.subarray(start, start + 2).toString() === '--') break;
    if (body.subarray(start, start + 2).toString() === '\r\n') start += 2;
    const next = body.indexOf(sep, start);
    if (next < 0) break;
    const part = body.subarray(start, next);
    const headerEnd = part.indexOf('\r\n\r\n');
    if (headerEnd < 0) parts.push({ headers: '', content: part });
    else parts.push({ headers: part.subarray(0, headerEnd).toString('utf8'), content: part.subarray(headerEnd + 4) });
    idx = next + 2;
  }
  if (parts.length !== 2) throw invalidArgument('body', `a multipart upload has 2 parts (metadata, media), got ${parts.length}`);
  const meta = metadataObject(parts[0]!.content.toString('utf8') || '{}', 'the metadata part of the multipart upload');
  const mediaType = /content-type:\s*([^\r\n]+)/i.exec(parts[1]!.headers)?.[1]?.trim() ?? '';
  return { meta, media: parts[1]!.content, mediaType };
}

/** An upload's object metadata: a JSON object (`null`, arrays and scalars are refused, not read as one). */
function metadataObject(text: string, what: string): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw invalidArgument('body', `${what} is not JSON`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw invalidArgument('body', `${what} is not a JSON object`);
  return value as Record<string, unknown>;
}

function stringRecord(value: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (value && typeof value === 'object') for (const [k, v] of Object.entries(value)) if (v !== null && v !== undefined) out[k] = String(v);
  return out;
}

/** Builds the storage routes. */
export function createStorageApi(options: StorageApiOptions): StorageApi {
  const { objects } = options;
  const maxBytes = options.maxObjectBytes ?? 64 * 1024 * 1024;
  const sessions = new Map<string, Session>();

  const baseOf = (req: IncomingMessage): string => `http://${req.headers.host ?? '127.0.0.1'}`;

  async function download(req: IncomingMessage, res: ServerResponse, loc: GcsLocation): Promise<void> {
    const info = await objects.stat(loc, 'object');
    if (!info) throw notFound('storage object', `${loc.bucket}/${loc.object}`, `No such object: ${loc.bucket}/${loc.object}`);
    const bytes = await objects.read(loc, { field: 'object' });
    const headers: Record<string, string | number> = {
      'Content-Type': info.contentType,
      'X-Goog-Hash': `crc32c=${info.crc32c},md5=${info.md5Hash}`,
      'X-Goog-Generation': info.generation,
      'X-Goog-Stored-Content-Length': info.size,
      'X-Goog-Stored-Content-Encoding': 'identity',
      ETag: info.md5Hash,
      'Accept-Ranges': 'bytes',
    };
    const range = /^bytes=(\d*)-(\d*)$/.exec(String(req.headers.range ?? ''));
    if (range && (range[1] || range[2])) {
      let start = range[1] ? Number(range[1]) : Math.max(0, bytes.length - Number(range[2]));
      let end = range[1] && range[2] ? Number(range[2]) : bytes.length - 1;
      end = Math.min(end, bytes.length - 1);
      if (start > end || start >= bytes.length) {
        res.writeHead(416, { 'Content-Range': `bytes */${bytes.length}` }).end();
        return;
      }
      start = Math.max(0, start);
      res.writeHead(206, { ...headers, 'Content-Range': `bytes ${start}-${end}/${bytes.length}`, 'Content-Length': end - start + 1 });
      res.end(bytes.subarray(start, end + 1));
      return;
    }
    res.writeHead(200, { ...headers, 'Content-Length': bytes.length });
    res.end(req.method === 'HEAD' ? undefined : bytes);
  }

  async function startResumable(req: IncomingMessage, res: ServerResponse, bucket: string, url: URL): Promise<void> {
    const body = await readBody(req, 1024 * 1024);
    const meta = body.length > 0 ? metadataObject(body.toString('utf8'), 'the metadata of a resumable upload') : {};
    const name = checkObject(url.searchParams.get('name') ?? (typeof meta.name === 'string' ? meta.name : ''));
    const contentType =
      (typeof meta.contentType === 'string' && meta.contentType) || String(req.headers['x-upload-content-type'] ?? '') || '';
    const id = randomUUID();
    const tmp = tempPath(objects.tmpDir);
    await (await open(tmp, 'wx', 0o644)).close();
    // Sessions are never finished by a client that gives up: keep the newest ones, drop the oldest's file.
    for (const [oldId, old] of sessions) {
      if (sessions.size < MAX_UPLOAD_SESSIONS) break;
      if (!old.busy) await dropSession(oldId, old);
    }
    sessions.set(id, {
      loc: { bucket, object: name },
      contentType,
      metadata: stringRecord(meta.metadata),
      tmp,
      md5: createHash('md5'),
      crc: 0,
      received: 0,
      busy: false,
    });
    const location = `${baseOf(req)}/upload/storage/v1/b/${bucket}/o?uploadType=resumable&upload_id=${id}`;
    res.writeHead(200, { Location: location, 'X-Goog-Upload-Url': location, 'Content-Length': 0 }).end();
  }

  async function dropSession(id: string, s: Session): Promise<void> {
    sessions.delete(id);
    await rm(s.tmp, { force: true });
  }

  async function continueResumable(req: IncomingMessage, res: ServerResponse, id: string): Promise<void> {
    const s = sessions.get(id);
    if (!s) throw notFound('upload session', id, `No such resumable upload session: ${id}`);
    if (s.busy) throw new VisionError(Code.ABORTED, 'another request for this upload session is in progress', { httpStatus: 409 });
    s.busy = true;
    try {
      const body = await readBody(req, maxBytes + 1);
      const header = String(req.headers['content-range'] ?? '');
      let start = 0;
      let total: number | undefined = body.length;
      if (header) {
        // "bytes A-B/T" (a chunk), "bytes A-*/T" (the rest of the object in this request), "bytes */T" (status).
        const m = /^bytes (?:(\d+)-(\d+|\*)|\*)\/(\d+|\*)$/.exec(header.trim());
        if (!m) throw invalidArgument('Content-Range', `cannot parse ${JSON.stringify(header)}`);
        start = m[1] !== undefined ? Number(m[1]) : s.received;
        total = m[3] === '*' ? undefined : Number(m[3]);
        if (m[2] === '*') total ??= start + body.length;
        if (m[1] === undefined && body.length > 0) throw invalidArgument('Content-Range', '"bytes */N" takes no body');
      } else {
        start = s.received;
        total = s.received + body.length;
      }
      if (start > s.received)
        throw invalidArgument('Content-Range', `the chunk starts at ${start}, but only ${s.received} bytes were received`);
      const fresh = body.subarray(Math.min(body.length, s.received - start));
      if (s.received + fresh.length > maxBytes) {
        await dropSession(id, s);
        throw invalidArgument('body', `the object would be larger than the limit of ${maxBytes} bytes`);
      }
      const complete = total !== undefined && s.received + fresh.length >= total;
      if (fresh.length > 0 || complete) {
        const fh = await open(s.tmp, 'a');
        try {
          if (fresh.length > 0) await fh.write(fresh);
          if (complete) await fh.sync();
        } finally {
          await fh.close();
        }
        s.md5.update(fresh);
        s.crc = crc32c(fresh, s.crc);
        s.received += fresh.length;
      }
      if (complete) {
        sessions.delete(id);
        const crcBuf = Buffer.alloc(4);
        crcBuf.writeUInt32BE(s.crc >>> 0);
        const info = await objects.commit(
          s.loc,
          s.tmp,
          { md5Hash: s.md5.digest('base64'), crc32c: crcBuf.toString('base64') },
          { contentType: s.contentType, metadata: s.metadata },
          'name',
        );
        sendJson(res, 200, objectResource(info, baseOf(req)));
        return;
      }
      const headers: Record<string, string | number> = { 'Content-Length': 0 };
      if (s.received > 0) headers['Range'] = `bytes=0-${s.received - 1}`;
      res.writeHead(308, headers).end();
    } finally {
      s.busy = false;
    }
  }

  async function upload(req: IncomingMessage, res: ServerResponse, bucketRaw: string, url: URL): Promise<void> {
    const bucket = checkBucket(bucketRaw);
    const type = url.searchParams.get('uploadType') ?? '';
    const uploadId = url.searchParams.get('upload_id');
    if (uploadId && (req.method === 'PUT' || req.method === 'POST')) return continueResumable(req, res, uploadId);
    if (uploadId && req.method === 'DELETE') {
      const s = sessions.get(uploadId);
      if (s) await dropSession(uploadId, s);
      res.writeHead(499, { 'Content-Length': 0 }).end();
      return;
    }
    if (req.method !== 'POST') throw new VisionError(Code.UNIMPLEMENTED, `${req.method} is not supported here`, { httpStatus: 405 });
    if (type === 'resumable') return startResumable(req, res, bucket, url);
    const body = await readBody(req, maxBytes);
    let name = url.searchParams.get('name') ?? '';
    let contentType = String(req.headers['content-type'] ?? '');
    let metadata: Record<string, string> = {};
    let media = body;
    if (type === 'multipart') {
      const parsed = parseMultipart(body, contentType);
      if (!name && typeof parsed.meta.name === 'string') name = parsed.meta.name;
      contentType = (typeof parsed.meta.contentType === 'string' && parsed.meta.contentType) || parsed.mediaType;
      metadata = stringRecord(parsed.meta.metadata);
      media = parsed.media;
    } else if (type !== 'media' && type !== '') {
      throw invalidArgument('uploadType', `${JSON.stringify(type)} is not supported (media, multipart, resumable)`);
    }
    if (!name) throw invalidArgument('name', 'is required');
    const info = await objects.write({ bucket, object: checkObject(name) }, media, { contentType, metadata }, 'name');
    sendJson(res, 200, objectResource(info, baseOf(req)));
  }

  async function listBuckets(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const entries = await readdir(objects.gcsRoot, { withFileTypes: true });
    const items = entries.filter((e) => e.isDirectory() && !bucketNameProblem(e.name)).map((e) => bucketResource(e.name, baseOf(req)));
    sendJson(res, 200, { kind: 'storage#buckets', items });
  }

  async function route(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
    const path = url.pathname;
    const method = req.method ?? 'GET';
    let m: RegExpExecArray | null;
    if ((m = UPLOAD.exec(path))) return upload(req, res, m[1]!, url);
    if ((m = OBJECT.exec(path))) {
      const loc = { bucket: checkBucket(m[1]!), object: checkObject(decodeName(m[2]!, 'object')) };
      if (method === 'GET' || method === 'HEAD') {
        if (url.searchParams.get('alt') === 'media' || path.startsWith('/download/')) return download(req, res, loc);
        const info = await objects.stat(loc, 'object');
        if (!info) throw notFound('storage object', `${loc.bucket}/${loc.object}`, `No such object: ${loc.bucket}/${loc.object}`);
        sendJson(res, 200, objectResource(info, baseOf(req)));
        return;
      }
      if (method === 'DELETE') {
        await objects.delete(loc, 'object');
        res.writeHead(204).end();
        return;
      }
      throw new VisionError(Code.UNIMPLEMENTED, `${method} is not supported on objects (GET, DELETE)`, { httpStatus: 405 });
    }
    if ((m = OBJECTS.exec(path))) {
      const bucket = checkBucket(m[1]!);
      if (method !== 'GET')
        throw new VisionError(Code.UNIMPLEMENTED, `${method} is not supported here (GET lists objects)`, { httpStatus: 405 });
      const maxResults = url.searchParams.get('maxResults');
      const page = await objects.list(bucket, {
        prefix: url.searchParams.get('prefix') ?? '',
        delimiter: url.searchParams.get('delimiter') ?? '',
        pageToken: url.searchParams.get('pageToken') ?? '',
        ...(maxResults ? { maxResults: Number(maxResults) || 1000 } : {}),
      });
      sendJson(res, 200, {
        kind: 'storage#objects',
        ...(page.prefixes.length > 0 ? { prefixes: page.prefixes } : {}),
        items: page.items.map((i) => objectResource(i, baseOf(req))),
        ...(page.nextPageToken ? { nextPageToken: page.nextPageToken } : {}),
      });
      return;
    }
    if ((m = BUCKET.exec(path))) {
      const bucket = checkBucket(m[1]!);
      if (method !== 'GET')
        throw new VisionError(Code.UNIMPLEMENTED, `${method} is not supported on buckets (they are created on first write)`, {
          httpStatus: 405,
        });
      if (!(await objects.bucketExists(bucket))) throw notFound('bucket', bucket, `The specified bucket does not exist: ${bucket}`);
      sendJson(res, 200, bucketResource(bucket, baseOf(req)));
      return;
    }
    if (BUCKETS.test(path) && method === 'GET') return listBuckets(req, res);
    throw notFound('route', path, `no storage route for ${method} ${path}`);
  }

  return {
    handles: (p) => UPLOAD.test(p) || OBJECT.test(p) || OBJECTS.test(p) || BUCKET.test(p) || BUCKETS.test(p),
    async handle(req, res, url) {
      try {
        await route(req, res, url);
      } catch (err) {
        const e = toVisionError(err, `storage ${req.method} ${url.pathname}`, options.logUnexpected);
        sendError(req, res, e, { errors: [{ message: e.rawMessage, domain: 'global', reason: reasonOf(e.code) }] });
      }
    },
    async close() {
      await Promise.all([...sessions].map(([id, s]) => dropSession(id, s)));
    },
  };
}
