/**
 * A Cloud Storage JSON API client over `fetch` (browser-safe), for the
 * paths the emulator serves and Google's storage host answers alike:
 * media upload, object metadata, listing with pages, media download.
 */
import { Code, VisionError } from 'vision-kit/browser';
import { errorFromRestResponse } from 'vision-kit/codec';
import type { ObjectLocation, ObjectStorage, StoredObject } from './object-storage.js';

/** Options of {@link createGcsJsonClient}. */
export interface GcsJsonClientOptions {
  /** Base URL, e.g. `http://127.0.0.1:8090` (the emulator's HTTP port). */
  readonly baseUrl: string;
  /** An API key, sent as `x-goog-api-key` (the emulator's `--auth-token` accepts it). */
  readonly apiKey?: string | undefined;
  /** A bearer token. */
  readonly token?: string | undefined;
  /** The fetch to use; default the global one. */
  readonly fetch?: typeof globalThis.fetch | undefined;
}

interface ListPage {
  readonly items?: readonly { readonly bucket?: string; readonly name?: string; readonly size?: string }[];
  readonly nextPageToken?: string;
}

/** Builds an {@link ObjectStorage} over the JSON API at `baseUrl`. */
export function createGcsJsonClient(options: GcsJsonClientOptions): ObjectStorage {
  const base = options.baseUrl.replace(/\/+$/, '');
  const doFetch = options.fetch ?? ((input: RequestInfo | URL, init?: RequestInit) => globalThis.fetch(input, init));
  const headers: Record<string, string> = {};
  if (options.apiKey) headers['x-goog-api-key'] = options.apiKey;
  if (options.token) headers['authorization'] = `Bearer ${options.token}`;
  const description = `the storage API at ${base}`;
  const objectPath = (loc: ObjectLocation): string =>
    `${base}/storage/v1/b/${encodeURIComponent(loc.bucket)}/o/${encodeURIComponent(loc.object)}`;

  async function call(what: string, url: string, init: RequestInit): Promise<Response> {
    let res: Response;
    try {
      res = await doFetch(url, { ...init, headers: { ...headers, ...(init.headers as Record<string, string> | undefined) } });
    } catch (err) {
      if (init.signal?.aborted) throw VisionError.from(init.signal.reason);
      throw new VisionError(Code.UNAVAILABLE, `could not reach ${description} (${what}): ${reasonOf(err)}`, { cause: err });
    }
    if (!res.ok && res.status !== 404) {
      const error = errorFromRestResponse(res.status, await res.text().catch(() => ''));
      throw new VisionError(error.code, `${what}: ${error.rawMessage}`, { details: error.details, httpStatus: error.httpStatus });
    }
    return res;
  }

  function notFound(what: string, loc: ObjectLocation): VisionError {
    return new VisionError(Code.NOT_FOUND, `${what}: gs://${loc.bucket}/${loc.object} does not exist`, { httpStatus: 404 });
  }

  return {
    description,
    async upload(loc, bytes, contentType, signal) {
      const what = `upload of gs://${loc.bucket}/${loc.object}`;
      const url = `${base}/upload/storage/v1/b/${encodeURIComponent(loc.bucket)}/o?uploadType=media&name=${encodeURIComponent(loc.object)}`;
      const res = await call(what, url, {
        method: 'POST',
        headers: { 'content-type': contentType || 'application/octet-stream' },
        body: bytes as BodyInit,
        ...(signal ? { signal } : {}),
      });
      if (res.status === 404) throw notFound(what, loc);
      await res.arrayBuffer();
    },
    async exists(loc, signal) {
      const res = await call(`metadata of gs://${loc.bucket}/${loc.object}`, objectPath(loc), {
        method: 'GET',
        ...(signal ? { signal } : {}),
      });
      await res.arrayBuffer();
      return res.status !== 404;
    },
    async list(bucket, prefix, signal) {
      const out: StoredObject[] = [];
      let pageToken = '';
      do {
        const query = new URLSearchParams({ prefix });
        if (pageToken) query.set('pageToken', pageToken);
        const what = `listing of gs://${bucket}/${prefix}`;
        const res = await call(what, `${base}/storage/v1/b/${encodeURIComponent(bucket)}/o?${query.toString()}`, {
          method: 'GET',
          ...(signal ? { signal } : {}),
        });
        if (res.status === 404) {
          // No such bucket yet: nothing is listed (the emulator creates buckets on first write).
          await res.arrayBuffer();
          return out;
        }
        let page: ListPage;
        try {
          page = (await res.json()) as ListPage;
        } catch (err) {
          throw new VisionError(Code.INTERNAL, `${what}: the answer is not JSON (${reasonOf(err)})`);
        }
        for (const item of page.items ?? []) {
          if (typeof item.name === 'string') out.push({ bucket: item.bucket ?? bucket, name: item.name, size: Number(item.size ?? 0) });
        }
        pageToken = page.nextPageToken ?? '';
      } while (pageToken !== '');
      return out.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    },
    async download(loc, signal) {
      const what = `download of gs://${loc.bucket}/${loc.object}`;
      const res = await call(what, `${objectPath(loc)}?alt=media`, { method: 'GET', ...(signal ? { signal } : {}) });
      if (res.status === 404) {
        await res.arrayBuffer();
        throw notFound(what, loc);
      }
      return new Uint8Array(await res.arrayBuffer());
    },
  };
}

function reasonOf(err: unknown): string {
  const parts: string[] = [];
  let e: unknown = err;
  for (let depth = 0; e !== undefined && e !== null && depth < 3; depth++) {
    parts.push(e instanceof Error ? e.message : String(e));
    e = e instanceof Error ? e.cause : undefined;
  }
  return parts.filter(Boolean).join(': ') || 'network error';
}
