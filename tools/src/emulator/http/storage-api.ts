/**
 * The part of Cloud Storage's JSON API that clients need, over the emulator's
 * object store, at the paths `@google-cloud/storage` uses with
 * `STORAGE_EMULATOR_HOST` (with and without the `/storage/v1` prefix):
 * uploads (`uploadType=media`, `multipart`, `resumable`), download
 * (`alt=media`, with byte ranges), object metadata, listing (prefix,
 * delimiter, pages), delete, and bucket lookups.
 *
 * Where Cloud Storage documents a behaviour, the emulator follows it:
 * - custom metadata is an object of string values
 *   (https://cloud.google.com/storage/docs/json_api/v1/objects, `metadata`:
 *   `{ (key): string }`); anything else is a 400 naming `metadata.KEY`;
 * - object names are Unicode, UTF-8 encoded
 *   (https://cloud.google.com/storage/docs/objects#naming): a name whose
 *   percent-encoding or JSON text is not valid UTF-8 (or holds an unpaired
 *   surrogate) is a 400, never stored with U+FFFD in its place;
 * - a resumable chunk's `Content-Range` must fit its body and the object's
 *   total, which may not change once declared
 *   (https://cloud.google.com/storage/docs/performing-resumable-uploads,
 *   "Upload the data in chunks"): a chunk that does not is a 400 and changes
 *   nothing;
 * - a status query (`bytes *\/N`) to a finished upload answers 200 with the
 *   object (same page, "Check the status of a resumable upload"), so a
 *   client that lost the last answer finds its object; the session URI goes
 *   on answering so, for DELETE too (the upload can no longer be cancelled);
 * - DELETE cancels a session (499, as "Cancel an upload" on that page says;
 *   later requests to it get 499 too). A chunk being received when the DELETE
 *   comes is answered 499 and stored nowhere; one already being written or
 *   committed finishes first, and the DELETE answers what it became.
 * Session limits and expiry: see `storage/upload-sessions.ts`.
 */
import { constants as fsc } from 'node:fs';
import { open, readdir } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { Code, VisionError } from 'vision-kit';
import { BodyTooLargeError, readBody, sendError, sendJson, toVisionError, type UnexpectedErrorLogger } from 'vision-kit/serving';
import { invalidArgument, notFound } from '../errors.js';
import { parseContentRange } from '../storage/content-range.js';
import { crc32c } from '../storage/crc32c.js';
import { bucketNameProblem, type GcsLocation, objectNameProblem } from '../storage/gcs-names.js';
import type { ObjectInfo, ObjectStore } from '../storage/object-store.js';
import { type EndedSession, MAX_UPLOAD_SESSIONS, type UploadSession, UploadSessions } from '../storage/upload-sessions.js';

/** Options of {@link createStorageApi}. */
export interface StorageApiOptions {
  readonly objects: ObjectStore;
  /** Largest object an upload may create (default 64 MiB). */
  readonly maxObjectBytes?: number;
  /** Where a route's unexpected (non-VisionError) failure is reported; default one line on stderr. */
  readonly logUnexpected?: UnexpectedErrorLogger;
  /** Open resumable upload sessions at most (default {@link MAX_UPLOAD_SESSIONS}); past it a new one gets 429. */
  readonly maxUploadSessions?: number;
  /** The clock of session expiry (ms since the epoch); default `Date.now`. */
  readonly now?: () => number;
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

export { MAX_UPLOAD_SESSIONS };

const OBJECTS = /^\/(?:storage\/v1\/)?b\/([^/]+)\/o$/;
const OBJECT = /^\/(?:storage\/v1\/|download\/storage\/v1\/)?b\/([^/]+)\/o\/(.+)$/;
const BUCKET = /^\/(?:storage\/v1\/)?b\/([^/]+)$/;
const BUCKETS = /^\/(?:storage\/v1\/)?b$/;
const UPLOAD = /^\/upload\/storage\/v1\/b\/([^/]+)\/o$/;

function decodeName(raw: string, field: string): string {
  try {
    return decodeURIComponent(raw);
  } catch {
    throw invalidArgument(field, 'is not valid percent-encoded UTF-8');
  }
}

/**
 * A query parameter, decoded strictly: invalid percent-encoded UTF-8 is an
 * INVALID_ARGUMENT naming it (URLSearchParams would put U+FFFD in its place).
 */
function queryParam(url: URL, key: string): string | null {
  for (const pair of url.search.slice(1).split('&')) {
    const eq = pair.indexOf('=');
    const rawKey = eq < 0 ? pair : pair.slice(0, eq);
    if (decodeName(rawKey.replaceAll('+', ' '), 'query') !== key) continue;
    return decodeName((eq < 0 ? '' : pair.slice(eq + 1)).replaceAll('+', ' '), key);
  }
  return null;
}

const UTF8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/** Bytes as UTF-8 text; INVALID_ARGUMENT naming the body when they are not valid UTF-8. */
function utf8(bytes: Uint8Array, what: string): string {
  try {
    return UTF8.decode(bytes);
  } catch {
    throw invalidArgument('body', `${what} is not valid UTF-8`);
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
  const what = 'the metadata part of the multipart upload';
  const meta = metadataObject(utf8(parts[0]!.content, what) || '{}', what);
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

/** An upload's custom metadata: an object of strings (null values are left out). */
function customMetadata(value: unknown): Record<string, string> {
  if (value === undefined || value === null) return {};
  if (typeof value !== 'object' || Array.isArray(value))
    throw invalidArgument('metadata', `must be an object of string values, not ${Array.isArray(value) ? 'an array' : typeof value}`);
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(value)) {
    if (v === null) continue;
    if (typeof v !== 'string')
      throw invalidArgument(`metadata.${k.slice(0, 100)}`, `must be a string, not ${Array.isArray(v) ? 'an array' : typeof v}`);
    out[k] = v;
  }
  return out;
}

/** A string field of upload metadata (`name`, `contentType`), or undefined when absent. */
function metadataString(meta: Record<string, unknown>, key: string): string | undefined {
  const v = meta[key];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'string') throw invalidArgument(key, `must be a string, not ${typeof v}`);
  return v;
}

/** Builds the storage routes. */
export function createStorageApi(options: StorageApiOptions): StorageApi {
  const { objects } = options;
  const maxBytes = options.maxObjectBytes ?? 64 * 1024 * 1024;
  const sessions = new UploadSessions({
    tmpDir: objects.tmpDir,
    ...(options.maxUploadSessions !== undefined ? { maxOpen: options.maxUploadSessions } : {}),
    ...(options.now ? { now: options.now } : {}),
  });

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
    const what = 'the metadata of a resumable upload';
    const meta = body.length > 0 ? metadataObject(utf8(body, what), what) : {};
    const name = checkObject(queryParam(url, 'name') ?? metadataString(meta, 'name') ?? '');
    const contentType = metadataString(meta, 'contentType') || String(req.headers['x-upload-content-type'] ?? '') || '';
    const metadata = customMetadata(meta.metadata);
    const declared = req.headers['x-upload-content-length'];
    let total: number | undefined;
    if (declared !== undefined) {
      if (!/^\d{1,15}$/.test(String(declared)))
        throw invalidArgument('X-Upload-Content-Length', `${JSON.stringify(declared)} is not a size in bytes`);
      total = Number(declared);
      if (total > maxBytes) throw invalidArgument('X-Upload-Content-Length', `${total} bytes is more than the limit of ${maxBytes} bytes`);
    }
    const s = await sessions.start({ loc: { bucket, object: name }, contentType, metadata, total });
    const location = `${baseOf(req)}/upload/storage/v1/b/${bucket}/o?uploadType=resumable&upload_id=${s.id}`;
    res.writeHead(200, { Location: location, 'X-Goog-Upload-Url': location, 'Content-Length': 0 }).end();
  }

  /** Answers a request to a session that ended: the object it made, or 499 when it was cancelled. */
  function answerEnded(req: IncomingMessage, res: ServerResponse, ended: EndedSession): void {
    if (ended.kind === 'done') {
      req.resume();
      sendJson(res, 200, objectResource(ended.object, baseOf(req)));
      return;
    }
    cancelled(req, res);
  }

  /** 499: the session was cancelled (Cloud Storage's answer to a cancel, and to requests after it). */
  function cancelled(req: IncomingMessage, res: ServerResponse): void {
    req.resume();
    res.writeHead(499, { 'Content-Length': 0 }).end();
  }

  async function continueResumable(req: IncomingMessage, res: ServerResponse, id: string): Promise<void> {
    const found = await sessions.lookup(id);
    if (!found) throw notFound('upload session', id, `No such resumable upload session: ${id}`);
    if (found.kind !== 'open') return answerEnded(req, res, found);
    const s = found.session;
    if (s.phase !== 'idle')
      throw new VisionError(Code.ABORTED, 'another request for this upload session is in progress', { httpStatus: 409 });
    s.phase = 'receiving';
    try {
      await receiveChunk(req, res, s);
    } finally {
      s.phase = 'idle';
    }
  }

  async function receiveChunk(req: IncomingMessage, res: ServerResponse, s: UploadSession): Promise<void> {
    const range = parseContentRange(req.headers['content-range']);
    const header = `Content-Range ${JSON.stringify(req.headers['content-range'] ?? '')}`;
    // Where this request's body starts, how long it must be (when known) and the object's total it declares.
    let first: number;
    let length: number | undefined;
    let total: number | undefined;
    switch (range.kind) {
      case 'none':
        first = s.received;
        total = s.total;
        length = total === undefined ? undefined : total - first;
        break;
      case 'status':
        first = s.received;
        total = range.total;
        length = 0;
        break;
      case 'chunk':
        first = range.first;
        total = range.total;
        length = range.last - range.first + 1;
        break;
      case 'rest':
        first = range.first;
        total = range.total ?? s.total;
        length = total === undefined ? undefined : total - first;
        break;
    }
    if (total !== undefined) {
      if (s.total !== undefined && total !== s.total)
        throw invalidArgument('Content-Range', `${header} declares a total of ${total} bytes, but this upload's total is ${s.total} bytes`);
      if (total < s.received)
        throw invalidArgument(
          'Content-Range',
          `${header} declares a total of ${total} bytes, but ${s.received} bytes were already received`,
        );
    }
    if (first > s.received)
      throw invalidArgument('Content-Range', `${header} starts at byte ${first}, but only ${s.received} bytes were received`);
    if ((total ?? first + (length ?? 0)) > maxBytes)
      throw invalidArgument('body', `the object would be larger than the limit of ${maxBytes} bytes`);
    const declaredLength = req.headers['content-length'] === undefined ? undefined : Number(req.headers['content-length']);
    if (length !== undefined && declaredLength !== undefined && declaredLength !== length)
      throw invalidArgument('Content-Range', `${header} covers ${length} bytes, but the body is ${declaredLength} bytes (Content-Length)`);
    let body: Buffer;
    try {
      body = await readBody(req, length ?? maxBytes - first);
    } catch (err) {
      if (err instanceof BodyTooLargeError && length !== undefined)
        throw invalidArgument('Content-Range', `${header} covers ${length} bytes, but the body is longer`);
      throw err;
    }
    if (length !== undefined && body.length !== length)
      throw invalidArgument('Content-Range', `${header} covers ${length} bytes, but the body is ${body.length} bytes`);
    if (first + body.length > maxBytes) throw invalidArgument('body', `the object would be larger than the limit of ${maxBytes} bytes`);
    // Cancelled while the body arrived: the staging file is gone and nothing is written.
    if (s.cancelled) return cancelled(req, res);
    // The rest of the object, or no Content-Range: the body ends it.
    if (total === undefined && (range.kind === 'rest' || range.kind === 'none')) total = first + body.length;
    const fresh = body.subarray(Math.min(body.length, s.received - first));
    const complete = total !== undefined && s.received + fresh.length === total;
    if (fresh.length > 0 || complete) {
      s.phase = 'writing';
      s.diskWork = appendStaged(s, fresh, complete);
      await s.diskWork;
      s.md5.update(fresh);
      s.crc = crc32c(fresh, s.crc);
      s.received += fresh.length;
    }
    if (total !== undefined) s.total = total;
    if (complete) {
      s.phase = 'committing';
      const crcBuf = Buffer.alloc(4);
      crcBuf.writeUInt32BE(s.crc >>> 0);
      const commit = objects.commit(
        s.loc,
        s.tmp,
        { md5Hash: s.md5.digest('base64'), crc32c: crcBuf.toString('base64') },
        { contentType: s.contentType, metadata: s.metadata },
        'name',
      );
      s.diskWork = commit;
      let info: ObjectInfo;
      try {
        info = await commit;
      } catch (err) {
        await sessions.drop(s);
        throw err;
      }
      sessions.finish(s, info);
      sendJson(res, 200, objectResource(info, baseOf(req)));
      return;
    }
    const headers: Record<string, string | number> = { 'Content-Length': 0 };
    if (s.received > 0) headers['Range'] = `bytes=0-${s.received - 1}`;
    res.writeHead(308, headers).end();
  }

  /** Appends to a session's staging file (which a cancel may have removed: it is never created again here). */
  async function appendStaged(s: UploadSession, bytes: Uint8Array, sync: boolean): Promise<void> {
    const fh = await open(s.tmp, fsc.O_WRONLY | fsc.O_APPEND);
    try {
      if (bytes.length > 0) await fh.write(bytes);
      if (sync) await fh.sync();
    } finally {
      await fh.close();
    }
  }

  /** DELETE of a session URI: cancels it, unless a chunk being written or committed ends it first. */
  async function cancelResumable(req: IncomingMessage, res: ServerResponse, id: string): Promise<void> {
    for (;;) {
      const found = await sessions.lookup(id);
      if (!found) throw notFound('upload session', id, `No such resumable upload session: ${id}`);
      if (found.kind !== 'open') return answerEnded(req, res, found);
      const s = found.session;
      if (s.phase === 'writing' || s.phase === 'committing') {
        await s.diskWork?.catch(() => undefined);
        await new Promise((r) => setImmediate(r)); // the chunk's request settles what its disk work decided
        continue;
      }
      await sessions.cancel(s);
      return cancelled(req, res);
    }
  }

  async function upload(req: IncomingMessage, res: ServerResponse, bucketRaw: string, url: URL): Promise<void> {
    const bucket = checkBucket(bucketRaw);
    const type = url.searchParams.get('uploadType') ?? '';
    const uploadId = url.searchParams.get('upload_id');
    if (uploadId && (req.method === 'PUT' || req.method === 'POST')) return continueResumable(req, res, uploadId);
    if (uploadId && req.method === 'DELETE') return cancelResumable(req, res, uploadId);
    if (req.method !== 'POST') throw new VisionError(Code.UNIMPLEMENTED, `${req.method} is not supported here`, { httpStatus: 405 });
    if (type === 'resumable') return startResumable(req, res, bucket, url);
    const body = await readBody(req, maxBytes);
    let name = queryParam(url, 'name') ?? '';
    let contentType = String(req.headers['content-type'] ?? '');
    let metadata: Record<string, string> = {};
    let media = body;
    if (type === 'multipart') {
      const parsed = parseMultipart(body, contentType);
      name ||= metadataString(parsed.meta, 'name') ?? '';
      contentType = metadataString(parsed.meta, 'contentType') || parsed.mediaType;
      metadata = customMetadata(parsed.meta.metadata);
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
        prefix: queryParam(url, 'prefix') ?? '',
        delimiter: queryParam(url, 'delimiter') ?? '',
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
      await sessions.close();
    },
  };
}
