/**
 * Percent-encoding for gRPC transcoding (http.proto, RFC 3986): UTF-8 bytes,
 * with the unreserved set `[-_.~0-9A-Za-z]` left as it is. Pure and
 * browser-safe; the encoders never throw (a string that is not well-formed
 * Unicode gives `undefined`), and neither do the decoders (a malformed escape
 * or bytes that are not UTF-8 give `undefined`).
 */

/** What `encodeURIComponent` leaves raw although it is not unreserved. */
const SUB_DELIMS_LEFT_RAW = /[!'()*]/g;

function escapeSubDelim(c: string): string {
  return `%${c.charCodeAt(0).toString(16).toUpperCase()}`;
}

/**
 * Encodes every UTF-8 byte of `text` outside `[-_.~0-9A-Za-z]` as `%XX`
 * (upper-case hex): the set of a single-segment variable and of query keys and
 * values. `'/'` becomes `%2F`, `' '` `%20`, `'+'` `%2B`, `'é'` `%C3%A9`,
 * `!'()*` are escaped too. Returns `undefined` when `text` holds a lone
 * surrogate (it has no UTF-8 form).
 */
export function encodeComponent(text: string): string | undefined {
  let out: string | undefined;
  try {
    out = encodeURIComponent(text).replace(SUB_DELIMS_LEFT_RAW, escapeSubDelim);
  } catch {}
  return out;
}

/**
 * Decodes `%XX` escapes (as UTF-8) of one path segment or query component;
 * `'+'` stays `'+'`. Returns `undefined` for a malformed escape (`%`, `%2`,
 * `%zz`) or bytes that are not UTF-8 (decodeURIComponent refuses both).
 */
export function decodeComponent(raw: string): string | undefined {
  let out: string | undefined;
  try {
    out = decodeURIComponent(raw);
  } catch {}
  return out;
}

/**
 * Decodes one raw segment of a multi-segment capture: every escape except
 * `%2F` (http.proto: "%2F" stays encoded there, so that it cannot be told from
 * a separator), which is kept as upper-case `%2F`. `undefined` as
 * {@link decodeComponent}.
 */
export function decodeKeepingSlash(raw: string): string | undefined {
  const parts = raw.split(/%2F/i).map(decodeComponent);
  return parts.includes(undefined) ? undefined : parts.join('%2F');
}
