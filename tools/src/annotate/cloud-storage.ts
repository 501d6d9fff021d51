/**
 * {@link ObjectStorage} over `@google-cloud/storage` (Node), for real
 * Google: application default credentials through google-auth-library, or
 * `STORAGE_EMULATOR_HOST` / `apiEndpoint` (no credentials) as the library
 * itself decides. Loaded only when annotate talks to Google.
 */

import { Code, VisionError } from 'vision-kit';
import { codeFromHttpStatus } from 'vision-kit/codec';
import type { ObjectStorage } from '../workflow/object-storage.js';

/** Options of {@link createCloudStorage}. */
export interface CloudStorageOptions {
  /** A storage endpoint other than Google's (an emulator); no credentials are used then. */
  readonly apiEndpoint?: string | undefined;
  /** The project for the library (not needed for object reads and writes). */
  readonly projectId?: string | undefined;
}

function toVisionError(err: unknown, what: string): VisionError {
  if (err instanceof VisionError) return err;
  const status = typeof (err as { code?: unknown }).code === 'number' ? (err as { code: number }).code : undefined;
  const message = err instanceof Error ? err.message : String(err);
  const code = status !== undefined && status >= 400 ? codeFromHttpStatus(status) : Code.UNAVAILABLE;
  return new VisionError(code, `${what}: ${message}`, { cause: err, ...(status !== undefined ? { httpStatus: status } : {}) });
}

function checkSignal(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw VisionError.from(signal.reason, Code.CANCELLED);
}

/** Builds the storage (loads `@google-cloud/storage`). */
export async function createCloudStorage(options: CloudStorageOptions = {}): Promise<ObjectStorage> {
  const { Storage } = await import('@google-cloud/storage');
  const storage = new Storage({
    ...(options.apiEndpoint ? { apiEndpoint: options.apiEndpoint } : {}),
    ...(options.projectId ? { projectId: options.projectId } : {}),
  });
  const description = options.apiEndpoint ? `the storage API at ${options.apiEndpoint}` : 'Cloud Storage';
  return {
    description,
    async upload(loc, bytes, contentType, signal) {
      checkSignal(signal);
      const what = `upload of gs://${loc.bucket}/${loc.object}`;
      try {
        await storage
          .bucket(loc.bucket)
          .file(loc.object)
          .save(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength), {
            contentType,
            resumable: false,
          });
      } catch (err) {
        throw toVisionError(err, what);
      }
    },
    async exists(loc, signal) {
      checkSignal(signal);
      try {
        const [found] = await storage.bucket(loc.bucket).file(loc.object).exists();
        return found;
      } catch (err) {
        throw toVisionError(err, `metadata of gs://${loc.bucket}/${loc.object}`);
      }
    },
    async list(bucket, prefix, signal) {
      checkSignal(signal);
      try {
        const [files] = await storage.bucket(bucket).getFiles({ prefix, autoPaginate: true });
        return files
          .map((f) => ({ bucket, name: f.name, size: Number(f.metadata.size ?? 0) }))
          .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
      } catch (err) {
        if ((err as { code?: unknown }).code === 404) return [];
        throw toVisionError(err, `listing of gs://${bucket}/${prefix}`);
      }
    },
    async download(loc, signal) {
      checkSignal(signal);
      try {
        const [bytes] = await storage.bucket(loc.bucket).file(loc.object).download();
        return new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength);
      } catch (err) {
        throw toVisionError(err, `download of gs://${loc.bucket}/${loc.object}`);
      }
    },
  };
}
