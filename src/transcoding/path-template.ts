/**
 * Path templates of `google.api.http` rules: reading them (the http.proto
 * grammar, strictly; the strict parser with positioned errors is
 * parse-path-template.ts) and expanding field values into a path (matching
 * a request path is path-match.ts).
 *
 * Grammar (http.proto):
 * ```
 * Template = "/" Segments [ Verb ] ;
 * Segments = Segment { "/" Segment } ;
 * Segment  = "*" | "**" | LITERAL | Variable ;
 * Variable = "{" FieldPath [ "=" Segments ] "}" ;
 * FieldPath = IDENT { "." IDENT } ;
 * Verb     = ":" LITERAL ;
 * ```
 *
 * Decisions where the sources differ (docs/transcoding.md, "Templates"):
 * - The root template `/` is accepted, as grpc-gateway and Envoy accept it:
 *   a template of no segments (and no verb) that matches the path `/` only
 *   and expands to `/`. Anything after the `/` is a segment as usual, so
 *   `/:verb` is still an empty segment before a verb.
 * - Refused, as Envoy's transcoder refuses them: the empty template, no
 *   leading `/`, empty segments (`//`, a trailing `/`, `/:verb`), an empty
 *   verb (`/{x}:`; grpc-gateway accepts it), a variable that is not a whole
 *   segment (`/a{x}`, `/{x}a`), nested variables, a variable capturing the
 *   leading `/` (`{x=/b}`), more than one `**`, a `*` anywhere after `**`
 *   (literals after `**` are fine: `/a/{x=b/**}/y/z`), a field path component
 *   that is not an identifier (`{name.}`, `{field-name}`), the same field
 *   bound twice, malformed escapes (`%`, `%2`, `%2z`), and literals `.`/`..`.
 * - `:` is never part of a literal: the first `:` outside braces in the last
 *   segment starts the verb, and a verb may itself hold `:` (`{name}:bla:baa`
 *   has the verb `bla:baa`, as grpc-gateway reads it). So `/a/{x=var:verb}` is
 *   refused (Envoy), not read as a literal `var:verb` (grpc-gateway).
 * - LITERAL characters are RFC 3986 pchars less the ones the grammar uses:
 *   `[A-Za-z0-9-._~!$&'()+,;@]` and `%XX` escapes (`=`, `*`, `:` excluded).
 *   Literals are compared with request segments after percent-decoding both.
 * - `**` matches one or more segments, not zero: an empty capture is never
 *   bound, and `/v1/operations` must not be read as GetOperation
 *   `{name=operations/**}` with name `operations` (it is ListOperations).
 *   google-gax reads `**` as `.+` too, so both directions agree.
 * - `Http.fully_decode_reserved_expansion` is not supported (it is false for
 *   every Google API): multi-segment captures keep `%2F` encoded.
 *
 * Two readers accept exactly these templates. `readPathTemplate`,
 * here, is the one the clients, the poller and the gateway use: written for
 * size, since the browser carries it (a poller's Operations routes and the
 * tables' bindings are read at run time), it checks the grammar with one
 * regular expression and the rules it cannot express while making the
 * segments, and cannot say where a bad template goes wrong. The strict
 * `parsePathTemplate` (parse-path-template.ts, exported by
 * `vision-kit/transcoding`) walks the text and refuses with the position
 * and the reason; the entries that run on Node provide it to
 * `readPathTemplate`, which then refuses with its error. A browser app of
 * `vision-kit/browser` alone leaves it out (about 1 KB gzipped):
 * generated templates are never refused, and a caller's bad one is refused
 * without the position. test/transcoding/template-readers.test.ts holds the
 * two readers equal on every template, valid or not.
 *
 * Reading runs once per template (the clients and the gateway cache what
 * they compile); matching and expanding run per request and stay loops over
 * the compiled segments.
 */

import * as codes from '../core/codes.js';
import { VisionError } from '../core/vision-error.js';
import { decodeComponent, encodeComponent } from './percent-encoding.js';
import { TemplateError } from './template-error.js';

/** What one template segment matches. */
export type SegmentKind = 'literal' | '*' | '**';

/** One segment of a compiled template (variables are flattened into their segments). */
export interface TemplateSegment {
  /** A literal, `*` (exactly one segment) or `**` (one or more segments). */
  readonly kind: SegmentKind;
  /** The percent-decoded literal (`''` for wildcards). */
  readonly literal: string;
  /** The literal as written in the template (`''` for wildcards). */
  readonly raw: string;
  /** Index in `variables` of the variable covering this segment, or -1. */
  readonly variable: number;
}

/** One `{field.path=pattern}` of a template. */
export interface TemplateVariable {
  /** The field path as written, e.g. `product.name`. */
  readonly name: string;
  /** The field path split on dots (proto field names). */
  readonly fieldPath: readonly string[];
  /** The pattern text, e.g. `projects/*\/locations/*` (`*` for `{name}`). */
  readonly pattern: string;
  /** First segment index (in `segments`) of the variable. */
  readonly start: number;
  /** One past the last segment index of the variable. */
  readonly end: number;
  /**
   * True when the pattern spans more than one segment or holds `**`: the value
   * may hold `/` (as separators, kept raw on the wire) and `%2F` stays encoded
   * when matching. A single-segment variable (`{v}`, `{v=*}`, `{v=lit}`)
   * encodes `/` as `%2F` and decodes it back.
   */
  readonly multiSegment: boolean;
}

/** Why a value could not be put into a template. */
export interface ExpandFailure {
  /** The variable (its field path as written). */
  readonly variable: string;
  /** A short reason, e.g. `"a/b" does not match "projects/*"`. */
  readonly reason: string;
}

/** True for the segments `.` and `..`, which no template or value may hold. */
export const isDot = (piece: string): boolean => piece === '.' || piece === '..';

const fault = (v: TemplateVariable, reason: string): ExpandFailure => ({ variable: v.name, reason });

/**
 * A compiled path template: made once by `parsePathTemplate` (or, inside
 * the library, by its compact twin `readPathTemplate`), then used to build
 * request paths (`expand`, `tryExpand`) and, on a server, to match them
 * (`matchPath`, `captureSegments`: apart from the class, so that a client
 * does not carry them). Immutable.
 */
export class PathTemplate {
  /** The template text as given. */
  readonly text: string;
  /** Every segment, variables flattened. */
  readonly segments: readonly TemplateSegment[];
  /** The variables in order of appearance. */
  readonly variables: readonly TemplateVariable[];
  /** The custom verb (without `:`), or undefined. */
  readonly verb: string | undefined;
  /** Index of the `**` segment, or -1. */
  readonly deepIndex: number;
  /** Per variable: values made of unreserved pieces that match, which expand to themselves. */
  readonly #plain: readonly RegExp[];

  /** @internal Use `readPathTemplate` or `parsePathTemplate`. */
  constructor(text: string, segments: TemplateSegment[], variables: TemplateVariable[], verb: string | undefined) {
    this.text = text;
    this.segments = segments;
    this.variables = variables;
    this.verb = verb;
    this.deepIndex = segments.findIndex((s) => s.kind === '**');
    const piece = '(?!\\.\\.?(?:/|$))[-_.~0-9A-Za-z]+';
    this.#plain = variables.map(
      (v) =>
        new RegExp(
          `^${segments
            .slice(v.start, v.end)
            .map((s) =>
              s.kind === 'literal' ? s.literal.replace(/[.*+?^${}()|[\]\\/-]/g, '\\$&') : s.kind === '*' ? piece : `${piece}(?:/${piece})*`,
            )
            .join('/')}$`,
        ),
    );
  }

  /**
   * Builds the percent-encoded path (with the verb) from variable values by
   * variable index. Each value must match its pattern: single-segment values
   * are non-empty, not `.`/`..`, and encoded whole (`/` → `%2F`);
   * multi-segment values are split on `/`, each piece checked against its
   * segment (literal equal, `*` one non-empty piece, `**` one or more), none
   * empty, `.` or `..`, and each encoded. The root template expands to `/`.
   * Returns the path or the failure; never throws.
   */
  tryExpand(values: readonly (string | undefined)[]): string | ExpandFailure {
    const segs = this.segments;
    if (segs.length === 0) return '/';
    let out = '';
    for (let k = 0; k < segs.length; ) {
      const s = segs[k]!;
      if (s.variable < 0) {
        if (s.kind !== 'literal') return { variable: '', reason: `the template ${this.text} has a wildcard outside any variable` };
        out += `/${s.raw}`;
        k++;
      } else {
        const piece = this.#expandVariable(this.variables[s.variable]!, this.#plain[s.variable]!, values[s.variable]);
        if (typeof piece !== 'string') return piece;
        out += `/${piece}`;
        k = this.variables[s.variable]!.end;
      }
    }
    return this.verb === undefined ? out : `${out}:${this.verb}`;
  }

  /**
   * Like {@link tryExpand} with values by variable name; throws a
   * `VisionError` (INVALID_ARGUMENT naming the variable) when a value is
   * missing or does not match.
   */
  expand(values: { readonly [variable: string]: string }): string {
    const r = this.tryExpand(this.variables.map((v) => (Object.hasOwn(values, v.name) ? values[v.name] : undefined)));
    if (typeof r === 'string') return r;
    throw new VisionError(codes.INVALID_ARGUMENT, r.variable === '' ? r.reason : `invalid value for field "${r.variable}": ${r.reason}`);
  }

  #expandVariable(v: TemplateVariable, plain: RegExp, value: string | undefined): string | ExpandFailure {
    if (typeof value !== 'string') return fault(v, 'missing (it is bound by the path)');
    if (value === '') return fault(v, 'empty (it is bound by the path)');
    if (v.multiSegment && plain.test(value)) return value;
    const pieces = v.multiSegment ? value.split('/') : [value];
    const count = v.end - v.start;
    const deep = this.deepIndex;
    const hasDeep = deep >= v.start && deep < v.end;
    let out = '';
    let ok = hasDeep ? pieces.length >= count : pieces.length === count;
    for (let p = 0; ok && p < pieces.length; p++) {
      // The template segment of piece p: the pieces past `count` are the `**`'s.
      let t = v.start + p;
      if (hasDeep && t > deep) t = Math.max(deep, t - pieces.length + count);
      const s = this.segments[t]!;
      const piece = pieces[p]!;
      ok = s.kind === 'literal' ? piece === s.literal : piece !== '' && !isDot(piece);
      if (!ok) break;
      const enc = encodeComponent(piece);
      if (enc === undefined) return fault(v, 'the value is not well-formed Unicode (a lone surrogate)');
      out += p === 0 ? enc : `/${enc}`;
    }
    if (ok) return out;
    return fault(
      v,
      value.split('/').some(isDot)
        ? `${JSON.stringify(value)} holds a "." or ".." segment`
        : `${JSON.stringify(value)} does not match "${v.pattern}"`,
    );
  }
}

/** A literal: RFC 3986 pchars less `=`, `*` and `:`, and `%XX` escapes. */
const LITERAL = "(?:[-\\w.~!$&'()+,;@]|%[0-9A-Fa-f]{2})+";
const SEGMENT = `(?:\\*\\*?|${LITERAL})`;
const TOP_SEGMENT = `(?:\\{[A-Za-z_]\\w*(?:\\.[A-Za-z_]\\w*)*(?:=${SEGMENT}(?:/${SEGMENT})*)?\\}|${SEGMENT})`;
/** The grammar of this module's comment as one expression (the rules it cannot say are checked while reading). */
const GRAMMAR = new RegExp(`^/(?:${TOP_SEGMENT}(?:/${TOP_SEGMENT})*(?::${LITERAL})*)?$`);

let strictParser: ((text: string) => PathTemplate) | undefined;

/** Called by `provideStrictTemplateParser` (parse-path-template.ts): the reader whose errors say where. */
export function provideTemplateParser(parse: (text: string) => PathTemplate): void {
  strictParser = parse;
}

/**
 * The refusal of a template `readPathTemplate` does not accept: the
 * strict parser's {@link TemplateError} (what and where) when it was
 * provided, else one without the position. `parse` is for the tests (`null`: none).
 */
export function refuseTemplate(text: unknown, parse: ((text: string) => PathTemplate) | null = strictParser ?? null): never {
  // The strict parser refuses all the compact reader refuses (template-readers.test.ts); its reading is never returned.
  if (parse !== null) parse(text as string);
  throw new TemplateError(
    String(text),
    0,
    "not a path template of the google.api.http grammar (import anything from 'vision-kit/transcoding' to learn where)",
  );
}

/**
 * Reads and compiles a path template of a `google.api.http` rule: the
 * templates of the generated tables, of a service config's routes and of a
 * caller's own. Accepts exactly what the grammar and the rules of this
 * module's comment allow, written for size (the browser carries it: one
 * expression checks the grammar, the rules it cannot express are checked
 * while the segments are made). Anything else is refused with
 * {@link refuseTemplate}: a {@link TemplateError}, with the position where
 * the strict parser is loaded (every entry but `vision-kit/browser`).
 */
export function readPathTemplate(text: string): PathTemplate {
  if (typeof text !== 'string' || !GRAMMAR.test(text)) refuseTemplate(text);
  // Neither literals nor variables hold ":": the first one starts the verb.
  const colon = text.indexOf(':');
  const segments: TemplateSegment[] = [];
  const variables: TemplateVariable[] = [];
  let deep = -1;
  const add = (piece: string, variable: number): void => {
    const kind: SegmentKind = piece === '*' || piece === '**' ? piece : 'literal';
    const literal = kind === 'literal' ? decodeComponent(piece) : '';
    // Refused: a literal that is not UTF-8 once decoded, a dot segment, any wildcard after a "**".
    if (literal === undefined || isDot(literal) || (kind !== 'literal' && deep >= 0)) refuseTemplate(text);
    if (kind === '**') deep = segments.length;
    segments.push({ kind, literal, raw: kind === 'literal' ? piece : '', variable });
  };
  for (const token of (colon < 0 ? text : text.slice(0, colon)).match(/\{[^}]*\}|[^/{]+/g) ?? []) {
    if (token[0] !== '{') {
      add(token, -1);
      continue;
    }
    const [name, pattern = '*'] = token.slice(1, -1).split('=') as [string, string?];
    if (variables.some((v) => v.name === name)) refuseTemplate(text);
    const start = segments.length;
    for (const piece of pattern.split('/')) add(piece, variables.length);
    const end = segments.length;
    variables.push({
      name,
      fieldPath: name.split('.'),
      pattern,
      start,
      end,
      multiSegment: end - start > 1 || segments[start]!.kind === '**',
    });
  }
  return new PathTemplate(text, segments, variables, colon < 0 ? undefined : text.slice(colon + 1));
}
