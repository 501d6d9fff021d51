import { checkObject } from '../core/check-options.js';
import * as codes from '../core/codes.js';
import { VisionError } from '../core/vision-error.js';
import { hasMessage, messageInfo } from '../schema/registry.js';
import type { CallOptions, MethodRef } from '../transport/transport.js';

/**
 * A client method of a List RPC, from `createClient` or `createRawClient`:
 * typed by the method itself so both kinds infer their request and response.
 */
export type PageableMethod = ((request: never, options?: CallOptions) => Promise<PageResponse>) & {
  /** The List method it calls: its response type names the field that holds the items. */
  readonly ref: MethodRef;
};

/** The request a pageable method takes. */
export type RequestOfMethod<M extends PageableMethod> = M extends (request: infer Q, options?: CallOptions) => Promise<unknown> ? Q : never;

/** The page a pageable method answers. */
type PageOf<M extends PageableMethod> = Awaited<ReturnType<M>>;

/** A List request (AIP-158): it takes a page token. */
export interface PageRequest {
  /** The `nextPageToken` of the previous page; empty (or absent) for the first page. */
  pageToken: string;
}

/** A List response (AIP-158): it hands back the next page's token, empty on the last page. */
export interface PageResponse {
  /** The token that asks for the next page; empty on the last page. */
  nextPageToken: string;
}

/** The element type of a List response's repeated message field (`Product` for ListProductsResponse). */
export type PageItem<Res> = {
  [K in keyof Res]: Res[K] extends ReadonlyArray<infer E> ? (E extends object ? E : never) : never;
}[keyof Res];

/**
 * Every page of a List method, in order: calls `method` with `request`, then
 * again with each `nextPageToken` until one is empty. `options` apply to each
 * page's call (its signal stops the iteration).
 */
export async function* pages<M extends PageableMethod>(
  method: M,
  request: RequestOfMethod<M>,
  options?: CallOptions,
): AsyncGenerator<PageOf<M>, void, undefined> {
  checkPageArgs('pages', method, request);
  let token = (request as { pageToken?: string }).pageToken ?? '';
  const seen = new Set<string>();
  const call = method as unknown as (request: object, options?: CallOptions) => Promise<PageOf<M>>;
  for (;;) {
    const page = await call({ ...(request as object), pageToken: token }, options);
    yield page;
    const next = page.nextPageToken;
    if (!next) return;
    if (seen.has(next)) {
      throw new VisionError(codes.INTERNAL, `${method.ref.method.name} returned the page token "${next}" twice; stopped paginating`);
    }
    seen.add(next);
    token = next;
  }
}

/**
 * Every item of a List method across all its pages (`for await (const p of
 * paginate(client.listProducts, { parent }))`). The items are the response's
 * repeated message field (`products`, `productSets`, `referenceImages`,
 * `operations`).
 */
export async function* paginate<M extends PageableMethod>(
  method: M,
  request: RequestOfMethod<M>,
  options?: CallOptions,
): AsyncGenerator<PageItem<PageOf<M>>, void, undefined> {
  checkPageArgs('paginate', method, request);
  const field = itemsField(method.ref.method.output);
  for await (const page of pages(method, request, options)) {
    const items = (page as unknown as Record<string, unknown>)[field];
    if (Array.isArray(items)) yield* items as PageItem<PageOf<M>>[];
  }
}

/** A client method (a function) and a request object; INVALID_ARGUMENT naming the argument. */
function checkPageArgs(where: string, method: unknown, request: unknown): void {
  checkObject(where, 'method', method, true);
  checkObject(where, 'request', request);
}

/**
 * The in-memory name of a List response's items: its first repeated message
 * field that is not a map. Throws INVALID_ARGUMENT for a response without one.
 */
export function itemsField(responseType: string): string {
  const field = hasMessage(responseType) ? messageInfo(responseType).fields.find((f) => f.repeated && f.kind !== 'scalar') : undefined;
  if (field === undefined) {
    throw new VisionError(codes.INVALID_ARGUMENT, `${responseType} is not a List response (no repeated message field)`);
  }
  return field.tsName;
}
