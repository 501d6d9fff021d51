/**
 * Matching request paths to compiled path templates: what a server does
 * (the gateway and its route trie), kept apart from {@link PathTemplate} so
 * that a client, which only builds paths, does not carry it. The rules are
 * path-template.ts's: literals compare percent-decoded, wildcards refuse
 * empty and dot segments, `**` takes one segment or more, and
 * multi-segment captures keep `%2F` encoded.
 */
import { isDot, type PathTemplate } from './path-template.js';
import { decodeComponent, decodeKeepingSlash } from './percent-encoding.js';

/**
 * Matches a raw request path (percent-encoded, without query) to `template` and returns
 * the decoded variable values by name (`{ "product.name": "projects/…" }`),
 * or undefined when the path does not match, holds an empty or dot segment
 * where a wildcard is, or a malformed escape. Never throws.
 */
export function matchPath(template: PathTemplate, path: string): { [variable: string]: string } | undefined {
  if (typeof path !== 'string' || path[0] !== '/') return undefined;
  if (template.segments.length === 0) return path === '/' ? {} : undefined;
  let body = path.slice(1);
  const verb = template.verb;
  if (verb !== undefined) {
    if (!body.endsWith(`:${verb}`)) return undefined;
    body = body.slice(0, -verb.length - 1);
  }
  const raw = body.split('/');
  const decoded = raw.map(decodeComponent);
  if (decoded.includes(undefined)) return undefined;
  const values = captureSegments(template, raw, decoded as string[]);
  return values && Object.fromEntries(template.variables.map((v, i) => [v.name, values[i]]));
}

/**
 * Matches already split segments (the verb removed): `raw` as on the wire,
 * `decoded` fully percent-decoded (same length; the path `/` is no
 * segments at all, which only the root template matches). Returns the variable values
 * by variable index, or undefined when they do not match. Literals compare
 * decoded; wildcards refuse empty, `.` and `..` segments; single-segment
 * variables get the decoded segment, multi-segment ones the raw segments
 * joined by `/`, decoded except `%2F`.
 */
export function captureSegments(template: PathTemplate, raw: readonly string[], decoded: readonly string[]): string[] | undefined {
  const segs = template.segments;
  const deep = template.deepIndex;
  const extra = raw.length - segs.length;
  if (deep < 0 ? extra !== 0 : extra < 0) return undefined;
  // Template segment k starts at path segment k, or `extra` segments later after the `**`.
  const shift = deep < 0 ? segs.length : deep;
  for (let k = 0; k < segs.length; k++) {
    const s = segs[k]!;
    const j = k > shift ? k + extra : k;
    if (s.kind === 'literal') {
      if (decoded[j] !== s.literal) return undefined;
      continue;
    }
    for (let i = j, last = k === deep ? j + extra : j; i <= last; i++) {
      if (decoded[i] === '' || isDot(decoded[i]!)) return undefined;
    }
  }
  const values: string[] = [];
  for (const v of template.variables) {
    const from = v.start > shift ? v.start + extra : v.start;
    if (!v.multiSegment) {
      values.push(decoded[from]!);
      continue;
    }
    const to = v.end > shift ? v.end + extra : v.end;
    let value = '';
    for (let i = from; i < to; i++) value += (i === from ? '' : '/') + (decodeKeepingSlash(raw[i]!) ?? decoded[i]);
    values.push(value);
  }
  return values;
}
