/**
 * Redirects on the REST transport (browser-safe). Google's APIs never answer
 * with a redirect, and following one re-sends the call somewhere else: the
 * `x-goog-api-key` header and the `?key=` go along (fetch strips only
 * `authorization` across origins), 307/308 re-send the request body, and
 * 301/302/303 turn a POST into a GET whose answer would pass for the
 * call's. A followed redirect could also lead from `https://` to `http://`
 * off this machine, which the endpoint check refuses. So the transport asks
 * fetch not to follow (`redirect: 'manual'`) and every 3xx answer is an
 * error: UNKNOWN (what gRPC's HTTP-to-status mapping gives an HTTP status it
 * does not list; not retried), naming the status and the target without its
 * user info, query or fragment (where a credential could sit). In a browser
 * the answer is an `opaqueredirect` whose status and target are hidden; it
 * is the same error without them.
 */

import { flatExcerpt } from '../codec/error-caps.js';
import * as codes from '../core/codes.js';
import { VisionError } from '../core/vision-error.js';

/** Longest target shown in the error; a longer one is cut with `…`. */
const TARGET_LENGTH = 200;

/**
 * The error for a redirect answer to `what` (sent to `requestUrl`), or
 * undefined when the answer is not one: an `opaqueredirect` (a browser's
 * `redirect: 'manual'`, status and target hidden) or a 3xx status.
 */
export function redirectError(response: Response, requestUrl: string, what: string): VisionError | undefined {
  const hint = "not followed: Google's APIs do not redirect (check the base URL, or a proxy in the way)";
  const status = response.status;
  if (response.type === 'opaqueredirect') {
    return new VisionError(codes.UNKNOWN, `the answer to ${what} is a redirect (the browser hides its status and target), ${hint}`);
  }
  if (status < 300 || status >= 400) return undefined;
  const location = response.headers.get('location')?.trim() ?? '';
  const target = location === '' ? undefined : shownTarget(location, requestUrl);
  const to = target !== undefined ? ` to ${target}` : location === '' ? ' (no Location)' : ' (to a Location that is not a URL)';
  return new VisionError(codes.UNKNOWN, `HTTP ${status} redirect${to} for ${what}, ${hint}`, { httpStatus: status });
}

/** Where a redirect leads, resolved against the request's URL: origin and path only (never user info or query), cut. */
function shownTarget(location: string, requestUrl: string): string | undefined {
  let url: URL;
  try {
    url = new URL(location, requestUrl);
  } catch {
    return undefined;
  }
  // A URL's origin and path hold no whitespace, so the excerpt only cuts.
  return flatExcerpt(
    url.protocol === 'http:' || url.protocol === 'https:' ? `${url.origin}${url.pathname}` : `${url.protocol}…`,
    TARGET_LENGTH,
  );
}
