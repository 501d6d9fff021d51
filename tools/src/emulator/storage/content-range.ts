/**
 * The `Content-Range` header of a resumable upload's requests, as Cloud
 * Storage documents it
 * (https://cloud.google.com/storage/docs/performing-resumable-uploads,
 * "Upload the data" and "Check the status of a resumable upload"):
 * `bytes FIRST-LAST/TOTAL` (a chunk; TOTAL is `*` until the last one),
 * `bytes FIRST-*\/TOTAL` (the rest of the object in this request, as
 * `@google-cloud/storage` sends a single-request upload) and `bytes *\/TOTAL`
 * (a status query, or the end of an upload whose size is only now known).
 * No header: the body is the rest of the object.
 */
import { invalidArgument } from '../errors.js';

/** A parsed `Content-Range` (positions in bytes, LAST inclusive). */
export type ContentRange =
  | { readonly kind: 'none' }
  | { readonly kind: 'status'; readonly total?: number }
  | { readonly kind: 'chunk'; readonly first: number; readonly last: number; readonly total?: number }
  | { readonly kind: 'rest'; readonly first: number; readonly total?: number };

/** Positions beyond 2^53 cannot be counted exactly; no upload comes near. */
const NUMBER = '(\\d{1,15})';
const RANGE = new RegExp(`^bytes (?:${NUMBER}-(?:${NUMBER}|\\*)|\\*)/(?:${NUMBER}|\\*)$`);

/** Parses a request's `Content-Range`; INVALID_ARGUMENT naming the header for anything else or an impossible range. */
export function parseContentRange(header: string | undefined): ContentRange {
  if (header === undefined || header.trim() === '') return { kind: 'none' };
  const m = RANGE.exec(header.trim());
  if (!m) throw invalidArgument('Content-Range', `cannot parse ${JSON.stringify(header)} (bytes FIRST-LAST/TOTAL, bytes */TOTAL)`);
  const total = m[3] === undefined ? undefined : Number(m[3]);
  const withTotal = total === undefined ? {} : { total };
  if (m[1] === undefined) return { kind: 'status', ...withTotal };
  const first = Number(m[1]);
  if (m[2] === undefined) {
    if (total !== undefined && first > total)
      throw invalidArgument('Content-Range', `${JSON.stringify(header)} starts past the total of ${total} bytes`);
    return { kind: 'rest', first, ...withTotal };
  }
  const last = Number(m[2]);
  if (last < first) throw invalidArgument('Content-Range', `${JSON.stringify(header)} ends before it starts`);
  if (total !== undefined && last >= total)
    throw invalidArgument('Content-Range', `${JSON.stringify(header)} ends past the total of ${total} bytes`);
  return { kind: 'chunk', first, last, ...withTotal };
}
