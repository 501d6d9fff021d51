/**
 * What the annotate workflow needs of Cloud Storage: upload an image,
 * check an object, list a prefix, download an object. Two implementations:
 * {@link createGcsJsonClient} (fetch, browser-safe: the emulator's storage
 * API, or Google's JSON API with a token) and the CLI's
 * `@google-cloud/storage` adapter for real Google.
 */

/** A bucket and an object name inside it. */
export interface ObjectLocation {
  /** The bucket name. */
  readonly bucket: string;
  /** The object name (may contain `/`). */
  readonly object: string;
}

/** One listed object. */
export interface StoredObject {
  /** The bucket it is in. */
  readonly bucket: string;
  /** The object name. */
  readonly name: string;
  /** Size in bytes. */
  readonly size: number;
}

/** The storage operations of the workflow. Every failure rejects with a VisionError. */
export interface ObjectStorage {
  /** Where this storage is, for messages (e.g. `the storage API at http://127.0.0.1:8090`). */
  readonly description: string;
  /** Uploads (creates or replaces) one object. */
  upload(loc: ObjectLocation, bytes: Uint8Array, contentType: string, signal?: AbortSignal): Promise<void>;
  /** True when the object exists. */
  exists(loc: ObjectLocation, signal?: AbortSignal): Promise<boolean>;
  /** Every object whose name starts with `prefix`, in name order (all pages). */
  list(bucket: string, prefix: string, signal?: AbortSignal): Promise<StoredObject[]>;
  /** The object's bytes. */
  download(loc: ObjectLocation, signal?: AbortSignal): Promise<Uint8Array>;
}

/** `gs://BUCKET/OBJECT`. */
export function gsUriOf(loc: ObjectLocation): string {
  return `gs://${loc.bucket}/${loc.object}`;
}
