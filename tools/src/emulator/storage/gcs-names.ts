/**
 * Cloud Storage names as the emulator accepts them: `gs://BUCKET/OBJECT`
 * URIs, bucket-name rules, and the object-name rules that keep every object
 * inside its bucket folder (object names are literal: no percent-decoding).
 */
import { invalidArgument } from '../errors.js';

/** A bucket and an object name inside it. */
export interface GcsLocation {
  readonly bucket: string;
  readonly object: string;
}

/** Largest object name, in UTF-8 bytes (Cloud Storage's limit). */
export const MAX_OBJECT_NAME_BYTES = 1024;

/** Largest part of an object name between "/" (the emulator's limit: a file name on disk). */
export const MAX_SEGMENT_BYTES = 255;

/** Why a bucket name is refused, or undefined when it is fine. */
export function bucketNameProblem(bucket: string): string | undefined {
  if (bucket.length < 3 || bucket.length > 63) return `bucket name "${bucket}" must be 3 to 63 characters long`;
  if (!/^[a-z0-9._-]+$/.test(bucket)) return `bucket name "${bucket}" may only contain lower-case letters, digits, "-", "_" and "."`;
  if (!/^[a-z0-9]/.test(bucket) || !/[a-z0-9]$/.test(bucket)) return `bucket name "${bucket}" must start and end with a letter or digit`;
  if (bucket.includes('..')) return `bucket name "${bucket}" must not contain ".."`;
  return undefined;
}

/**
 * Why an object name (or, with `prefix`, a name prefix that may be empty or
 * end in "/") is refused, or undefined when it is fine.
 */
export function objectNameProblem(object: string, prefix = false): string | undefined {
  if (object === '') return prefix ? undefined : 'the object name is empty';
  if (Buffer.byteLength(object, 'utf8') > MAX_OBJECT_NAME_BYTES) return `the object name is longer than ${MAX_OBJECT_NAME_BYTES} bytes`;
  // Names are Unicode, UTF-8 encoded (https://cloud.google.com/storage/docs/objects#naming): an unpaired
  // surrogate (from a JSON "\ud800" escape) has no UTF-8 form and would be stored as U+FFFD.
  if (/[\uD800-\uDFFF]/u.test(object))
    return 'the object name is not valid Unicode (it holds an unpaired surrogate, which has no UTF-8 form)';
  if (object.includes('\0')) return 'the object name contains a NUL character';
  if (object.includes('\\')) return 'the object name contains a backslash';
  if (/[\r\n]/.test(object)) return 'the object name contains a line break';
  if (object.startsWith('/')) return 'the object name starts with "/"';
  // Names are literal, so an encoded separator or dot segment is not one; refuse them all the same, as
  // anything that decodes them later (a shell, a browser, another tool) would see a path that escapes.
  if (/%(2f|5c|00)/i.test(object)) return 'the object name contains an encoded separator (%2F, %5C or %00)';
  const segments = object.split('/');
  for (let i = 0; i < segments.length; i++) {
    const s = segments[i]!;
    if (s === '..' || s === '.') return `the object name has a "${s}" segment`;
    if (/^(\.|%2e){1,2}$/i.test(s)) return `the object name has an encoded dot segment "${s}"`;
    if (s === '' && !(prefix && i === segments.length - 1)) return 'the object name has an empty segment ("//" or a trailing "/")';
    // Each segment is a file or folder name on disk, and file systems stop at 255 bytes.
    if (Buffer.byteLength(s, 'utf8') > MAX_SEGMENT_BYTES)
      return `a "/"-separated part of the object name is longer than ${MAX_SEGMENT_BYTES} bytes (the emulator stores each part as a file name)`;
  }
  return undefined;
}

/**
 * Parses `gs://BUCKET/OBJECT` for the request field `field`; throws
 * INVALID_ARGUMENT naming the field for anything else, including local paths
 * and `file://` URLs (never read).
 */
export function parseGsUri(uri: string, field: string): GcsLocation {
  const loc = splitGsUri(uri, field);
  const problem = objectNameProblem(loc.object);
  if (problem) throw invalidArgument(field, `${JSON.stringify(uri)}: ${problem}`);
  return loc;
}

/**
 * Parses a `gs://BUCKET/PREFIX` destination: a URI ending in "/" is a
 * folder (empty file prefix); otherwise its last segment is a file-name
 * prefix inside its parent folder (GcsDestination's comment).
 */
export function parseGsPrefix(uri: string, field: string): GcsLocation & { readonly folder: string; readonly filePrefix: string } {
  const loc = splitGsUri(uri, field);
  const problem = objectNameProblem(loc.object, true);
  if (problem) throw invalidArgument(field, `${JSON.stringify(uri)}: ${problem}`);
  const cut = loc.object.lastIndexOf('/') + 1;
  return { ...loc, folder: loc.object.slice(0, cut), filePrefix: loc.object.slice(cut) };
}

/**
 * What a source URI names, judged by its shape alone (no name rule checked):
 * a `gs://BUCKET/OBJECT` object, a `gs://BUCKET[/]` with no object, an
 * http(s) URL, a local path or `file://` URL, or anything else. Every place
 * that reads a URI from a request decides by this one function.
 */
export type SourceKind = 'gs-object' | 'gs-bucket' | 'http' | 'local' | 'other';

/** The {@link SourceKind} of `uri`. */
export function sourceKindOf(uri: string): SourceKind {
  if (uri.startsWith('gs://')) {
    const { bucket, object } = gsLocation(uri);
    return bucket !== '' && object !== '' ? 'gs-object' : 'gs-bucket';
  }
  if (/^https?:\/\//i.test(uri)) return 'http';
  return /^(file:|\/|\.{1,2}\/|[A-Za-z]:[\\/]|~)/i.test(uri) ? 'local' : 'other';
}

function splitGsUri(uri: string, field: string): GcsLocation {
  if (uri === '') throw invalidArgument(field, 'is required (a gs://BUCKET/OBJECT URI)');
  if (!uri.startsWith('gs://')) {
    const local = sourceKindOf(uri) === 'local';
    throw invalidArgument(
      field,
      local
        ? `${JSON.stringify(uri)} is a local path or file:// URL; the emulator only reads gs://BUCKET/OBJECT URIs (upload the file through its storage API first)`
        : `${JSON.stringify(uri)} is not a gs://BUCKET/OBJECT URI`,
    );
  }
  const loc = gsLocation(uri);
  const problem = bucketNameProblem(loc.bucket);
  if (problem) throw invalidArgument(field, `${JSON.stringify(uri)}: ${problem}`);
  return loc;
}

/**
 * Why a `gs://BUCKET[/OBJECT]` URI is refused (its bucket name, then its
 * object name; `prefix` lets the object end in "/"), or undefined.
 */
export function gsUriProblem(uri: string, prefix = false): string | undefined {
  const { bucket, object } = gsLocation(uri);
  return bucketNameProblem(bucket) ?? objectNameProblem(object, prefix);
}

/** The bucket and object of a `gs://BUCKET[/OBJECT]` URI, split at the first "/" after the bucket; nothing checked. */
export function gsLocation(uri: string): GcsLocation {
  const rest = uri.slice('gs://'.length);
  const slash = rest.indexOf('/');
  return slash < 0 ? { bucket: rest, object: '' } : { bucket: rest.slice(0, slash), object: rest.slice(slash + 1) };
}

/** Formats a location back as `gs://BUCKET/OBJECT`. */
export function gsUri(loc: GcsLocation): string {
  return `gs://${loc.bucket}/${loc.object}`;
}
