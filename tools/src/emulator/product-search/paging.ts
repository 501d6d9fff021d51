/**
 * Page sizes and opaque page tokens of the List methods: page size 1–100
 * (0 means the default, 10); a token encodes the method, the parent and the
 * creation order of the last item returned, so a page never repeats or skips
 * items that existed throughout, and a token from another list is refused.
 */
import { invalidArgument } from '../errors.js';

/** Default and largest page size. */
export const DEFAULT_PAGE_SIZE = 10;
export const MAX_PAGE_SIZE = 100;

/** The effective page size for `page_size`. */
export function pageSizeOf(pageSize: number): number {
  if (pageSize === 0) return DEFAULT_PAGE_SIZE;
  if (pageSize < 1 || pageSize > MAX_PAGE_SIZE) {
    throw invalidArgument('page_size', `must be between 1 and ${MAX_PAGE_SIZE} (got ${pageSize})`);
  }
  return pageSize;
}

interface TokenBody {
  readonly m: string;
  readonly p: string;
  readonly o: number;
}

/** Makes the token for the page after `lastOrder`. */
export function makePageToken(method: string, parent: string, lastOrder: number): string {
  return Buffer.from(JSON.stringify({ m: method, p: parent, o: lastOrder } satisfies TokenBody), 'utf8').toString('base64url');
}

/** The last order a token stands for (0 for no token); INVALID_ARGUMENT for a token not from this list. */
export function readPageToken(token: string, method: string, parent: string): number {
  if (!token) return 0;
  let body: TokenBody | undefined;
  try {
    body = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as TokenBody;
  } catch {
    body = undefined;
  }
  if (!body || body.m !== method || body.p !== parent || typeof body.o !== 'number') {
    throw invalidArgument('page_token', 'is not a page token this server returned for this list');
  }
  return body.o;
}

/** One page of `rows` (sorted by `order`) after the token's position. */
export function paginate<T extends { readonly order: number }>(
  rows: Iterable<T>,
  method: string,
  parent: string,
  pageSize: number,
  pageToken: string,
): { items: T[]; nextPageToken: string } {
  const size = pageSizeOf(pageSize);
  const after = readPageToken(pageToken, method, parent);
  const sorted = [...rows].filter((r) => r.order > after).sort((a, b) => a.order - b.order);
  const items = sorted.slice(0, size);
  const nextPageToken = sorted.length > size ? makePageToken(method, parent, items[items.length - 1]!.order) : '';
  return { items, nextPageToken };
}
