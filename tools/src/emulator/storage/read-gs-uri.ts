/**
 * How the emulator reads sources named in requests: only `gs://` objects of
 * its own storage, at most 20 MB. Local paths, `file://` URLs and http(s)
 * URLs are never read (the ports are reachable by any local process and,
 * with CORS, by any web page).
 */
import { invalidArgument } from '../errors.js';
import { parseGsUri, sourceKindOf } from './gcs-names.js';
import type { ObjectStore } from './object-store.js';

/** Reads the bytes behind a `gs://` URI (the emulator's storage), or refuses the URI. */
export async function readGsUri(objects: ObjectStore, uri: string, field: string, maxBytes: number): Promise<Buffer> {
  if (sourceKindOf(uri) === 'http') {
    throw invalidArgument(
      field,
      `${JSON.stringify(uri)}: the emulator does not fetch http(s) URLs (nothing leaves 127.0.0.1); upload the image and use gs://`,
    );
  }
  const loc = parseGsUri(uri, field);
  return objects.read(loc, { field, maxBytes });
}
