/**
 * Path templates of `google.api.http` rules: parsing (the http.proto grammar,
 * strictly), matching a request path, and expanding field values into a path.
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
 */
import { Code } from '../core/code.js';
import { VisionError } from '../core/vision-error.js';
import { decodeComponent, decodeKeepingSlash, encodeComponent } from './percent-encoding.js';
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

const ALNUM = /[A-Za-z0-9]/;
const LITERAL_PUNCT = "-._~!$&'()+,;@";
const HEX = /[0-9A-Fa-f]/;
const IDENT_START = /[A-Za-z_]/;
const IDENT_PART = /[A-Za-z0-9_]/;

function isLiteralChar(c: string): boolean {
  return ALNUM.test(c) || LITERAL_PUNCT.includes(c);
}

function isDot(piece: string): boolean {
  return piece === '.' || piece === '..';
}

/**
 * A compiled path template: made once by {@link parsePathTemplate}, then
 * used to match request paths (`match`, `captureSegments`) and to build them
 * (`expand`, `tryExpand`). Immutable.
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
  private readonly plain: readonly RegExp[];

  /** @internal Use {@link parsePathTemplate}. */
  constructor(text: string, segments: TemplateSegment[], variables: TemplateVariable[], verb: string | undefined) {
    this.text = text;
    this.segments = segments;
    this.variables = variables;
    this.verb = verb;
    this.deepIndex = segments.findIndex((s) => s.kind === '**');
    this.plain = variables.map((v) => {
      const piece = '(?!\\.\\.?(?:/|$))[-_.~0-9A-Za-z]+';
      const parts = segments
        .slice(v.start, v.end)
        .map((s) =>
          s.kind === 'literal' ? s.literal.replace(/[.*+?^${}()|[\]\\/-]/g, '\\$&') : s.kind === '*' ? piece : `${piece}(?:/${piece})*`,
        );
      return new RegExp(`^${parts.join('/')}$`);
    });
  }

  /**
   * Matches a raw request path (percent-encoded, without query) and returns
   * the decoded variable values by name (`{ "product.name": "projects/…" }`),
   * or undefined when the path does not match, holds an empty or dot segment
   * where a wildcard is, or a malformed escape. Never throws.
   */
  match(path: string): { [variable: string]: string } | undefined {
    if (typeof path !== 'string' || path.charCodeAt(0) !== 47 /* / */) return undefined;
    if (this.segments.length === 0) return path === '/' ? {} : undefined;
    let body = path.slice(1);
    if (this.verb !== undefined) {
      const suffix = `:${this.verb}`;
      if (!body.endsWith(suffix)) return undefined;
      body = body.slice(0, body.length - suffix.length);
    }
    const raw = body.split('/');
    const decoded: string[] = [];
    for (const r of raw) {
      const d = decodeComponent(r);
      if (d === undefined) return undefined;
      decoded.push(d);
    }
    const values = this.captureSegments(raw, decoded);
    if (values === undefined) return undefined;
    const out: { [variable: string]: string } = {};
    this.variables.forEach((v, i) => {
      out[v.name] = values[i]!;
    });
    return out;
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
  captureSegments(raw: readonly string[], decoded: readonly string[]): string[] | undefined {
    const segs = this.segments;
    const n = raw.length;
    const deep = this.deepIndex;
    if (deep < 0 ? n !== segs.length : n < segs.length) return undefined;
    const extra = n - segs.length;
    for (let i = 0; i < segs.length; i++) {
      const s = segs[i]!;
      if (s.kind === 'literal') {
        const j = deep >= 0 && i > deep ? i + extra : i;
        if (decoded[j] !== s.literal) return undefined;
      } else {
        // No wildcard follows `**` (the parser refuses it): a wildcard's first
        // segment is at its own index.
        const from = i;
        const to = i === deep ? from + extra + 1 : from + 1;
        for (let j = from; j < to; j++) {
          const d = decoded[j]!;
          if (d === '' || isDot(d)) return undefined;
        }
      }
    }
    const values: string[] = [];
    for (const v of this.variables) {
      const from = deep >= 0 && v.start > deep ? v.start + extra : v.start;
      const to = deep >= 0 && v.end > deep ? v.end + extra : v.end;
      if (!v.multiSegment) {
        values.push(decoded[from]!);
        continue;
      }
      const parts: string[] = [];
      for (let j = from; j < to; j++) parts.push(decodeKeepingSlash(raw[j]!) ?? decoded[j]!);
      values.push(parts.join('/'));
    }
    return values;
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
    let i = 0;
    while (i < segs.length) {
      const s = segs[i]!;
      if (s.variable < 0) {
        if (s.kind !== 'literal') return { variable: '', reason: `the template ${this.text} has a wildcard outside any variable` };
        out += `/${s.raw}`;
        i++;
        continue;
      }
      const v = this.variables[s.variable]!;
      const piece = this.expandVariable(s.variable, values[s.variable]);
      if (typeof piece !== 'string') return piece;
      out += `/${piece}`;
      i = v.end;
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
    throw new VisionError(Code.INVALID_ARGUMENT, r.variable === '' ? r.reason : `invalid value for field "${r.variable}": ${r.reason}`);
  }

  private expandVariable(index: number, value: string | undefined): string | ExpandFailure {
    const v = this.variables[index]!;
    if (typeof value !== 'string') return { variable: v.name, reason: 'missing (it is bound by the path)' };
    if (value === '') return { variable: v.name, reason: 'empty (it is bound by the path)' };
    if (!v.multiSegment) {
      const s = this.segments[v.start]!;
      if (s.kind === 'literal' ? value !== s.literal : isDot(value)) return mismatch(v, value);
      return encodeComponent(value) ?? notUnicode(v);
    }
    if (this.plain[index]!.test(value)) return value;
    const pieces = value.split('/');
    const count = v.end - v.start;
    const hasDeep = this.deepIndex >= v.start && this.deepIndex < v.end;
    if (hasDeep ? pieces.length < count : pieces.length !== count) return mismatch(v, value);
    const extra = pieces.length - count;
    let out = '';
    for (let p = 0; p < pieces.length; p++) {
      // Template segment index for piece p.
      let t = v.start + p;
      if (hasDeep && t > this.deepIndex) t = Math.max(this.deepIndex, t - extra);
      const s = this.segments[t]!;
      const piece = pieces[p]!;
      if (s.kind === 'literal') {
        if (piece !== s.literal) return mismatch(v, value);
      } else if (piece === '' || isDot(piece)) {
        return mismatch(v, value);
      }
      const enc = encodeComponent(piece);
      if (enc === undefined) return notUnicode(v);
      out += p === 0 ? enc : `/${enc}`;
    }
    return out;
  }
}

function mismatch(v: TemplateVariable, value: string): ExpandFailure {
  const dot = value.split('/').some(isDot);
  return {
    variable: v.name,
    reason: dot ? `${JSON.stringify(value)} holds a "." or ".." segment` : `${JSON.stringify(value)} does not match "${v.pattern}"`,
  };
}

function notUnicode(v: TemplateVariable): ExpandFailure {
  return { variable: v.name, reason: 'the value is not well-formed Unicode (a lone surrogate)' };
}

interface RawSegment {
  kind: SegmentKind;
  literal: string;
  raw: string;
  variable: number;
  pos: number;
}

class Parser {
  private pos = 0;
  readonly segments: RawSegment[] = [];
  readonly variables: TemplateVariable[] = [];
  verb: string | undefined;

  constructor(private readonly text: string) {}

  fail(pos: number, reason: string): never {
    throw new TemplateError(this.text, pos, reason);
  }

  parse(): void {
    const t = this.text;
    if (t.length === 0) this.fail(0, 'the template is empty');
    if (t[0] !== '/') this.fail(0, 'a template starts with "/"');
    if (t.length === 1) return; // the root template: no segments
    this.pos = 1;
    for (;;) {
      const wasVariable = this.segment(true);
      if (this.pos >= t.length) break;
      const c = t[this.pos]!;
      if (c === '/') {
        this.pos++;
        if (this.pos >= t.length) this.fail(this.pos - 1, 'a trailing "/" (empty last segment)');
        continue;
      }
      if (c === ':') {
        this.parseVerb();
        break;
      }
      if (wasVariable || c === '{') this.fail(this.pos, 'a variable must be a whole segment');
      if (c === '=') this.fail(this.pos, '"=" is allowed only in a variable, after its field path');
      this.fail(this.pos, `unexpected ${JSON.stringify(c)} (expected "/", ":" or the end)`);
    }
    this.check();
  }

  /** Parses one segment at `pos`; returns true when it was a variable. */
  private segment(top: boolean): boolean {
    const t = this.text;
    const start = this.pos;
    if (start >= t.length) this.fail(start, top ? 'an empty segment' : 'unterminated variable (missing "}")');
    const c = t[start]!;
    if (c === '/') this.fail(start, 'an empty segment');
    if (c === ':') this.fail(start, top ? 'an empty segment before the verb' : '":" is allowed only before the verb, at the end');
    if (c === '{') {
      if (!top) this.fail(start, 'variables cannot nest');
      this.variable();
      return true;
    }
    if (c === '}') this.fail(start, top ? 'an unmatched "}"' : 'an empty segment');
    const variable = top ? -1 : this.variables.length;
    if (c === '*') {
      const deep = t[start + 1] === '*';
      this.pos = start + (deep ? 2 : 1);
      if (t[this.pos] === '*') this.fail(this.pos, '"***" is not a wildcard');
      this.segments.push({ kind: deep ? '**' : '*', literal: '', raw: '', variable, pos: start });
      this.wholeSegment();
      return false;
    }
    const raw = this.literal();
    const literal = decodeComponent(raw);
    if (literal === undefined) this.fail(start, `the literal ${JSON.stringify(raw)} is not UTF-8 once decoded`);
    if (isDot(literal)) this.fail(start, 'a "." or ".." segment');
    this.segments.push({ kind: 'literal', literal, raw, variable, pos: start });
    this.wholeSegment();
    return false;
  }

  /** After a wildcard or literal: a '{' or '*' right after means a partial segment. */
  private wholeSegment(): void {
    const c = this.text[this.pos];
    if (c === '{') this.fail(this.pos, 'a variable must be a whole segment');
    if (c === '*') this.fail(this.pos, 'a wildcard must be a whole segment');
  }

  private literal(): string {
    const t = this.text;
    const start = this.pos;
    let p = start;
    while (p < t.length) {
      const c = t[p]!;
      if (c === '%') {
        if (!HEX.test(t[p + 1] ?? '') || !HEX.test(t[p + 2] ?? '')) this.fail(p, 'a malformed percent escape');
        p += 3;
      } else if (isLiteralChar(c)) {
        p++;
      } else {
        break;
      }
    }
    if (p === start) {
      const c = t[p]!;
      this.fail(
        p,
        c === '='
          ? '"=" is allowed only in a variable, after its field path'
          : `unexpected ${JSON.stringify(c)} (not allowed in a literal)`,
      );
    }
    this.pos = p;
    return t.slice(start, p);
  }

  private ident(): string {
    const t = this.text;
    const start = this.pos;
    if (!IDENT_START.test(t[start] ?? '')) this.fail(start, 'expected a field name');
    let p = start + 1;
    while (p < t.length && IDENT_PART.test(t[p]!)) p++;
    this.pos = p;
    return t.slice(start, p);
  }

  private variable(): void {
    const t = this.text;
    const open = this.pos;
    this.pos++;
    const fieldPath = [this.ident()];
    while (t[this.pos] === '.') {
      this.pos++;
      fieldPath.push(this.ident());
    }
    const name = fieldPath.join('.');
    const index = this.variables.length;
    const start = this.segments.length;
    let pattern: string;
    if (t[this.pos] === '}') {
      this.segments.push({ kind: '*', literal: '', raw: '', variable: index, pos: open });
      pattern = '*';
    } else if (t[this.pos] === '=') {
      this.pos++;
      const from = this.pos;
      if (t[from] === '/') this.fail(from, 'a variable cannot capture the leading "/"');
      for (;;) {
        this.segment(false);
        const c = t[this.pos];
        if (c === '/') {
          this.pos++;
          continue;
        }
        if (c === '}') break;
        if (c === undefined) this.fail(this.pos, 'unterminated variable (missing "}")');
        if (c === ':') this.fail(this.pos, '":" is allowed only before the verb, at the end');
        // A "{" here was refused by segment() already (wholeSegment or "cannot nest").
        this.fail(this.pos, `unexpected ${JSON.stringify(c)} in a variable pattern`);
      }
      pattern = t.slice(from, this.pos);
    } else if (this.pos >= t.length) {
      this.fail(this.pos, 'unterminated variable (missing "}")');
    } else {
      this.fail(this.pos, `unexpected ${JSON.stringify(t[this.pos])} in a field path (expected ".", "=" or "}")`);
    }
    this.pos++; // '}'
    const end = this.segments.length;
    const multiSegment = end - start > 1 || this.segments.slice(start, end).some((s) => s.kind === '**');
    if (this.variables.some((v) => v.name === name)) this.fail(open, `the field "${name}" is bound twice`);
    this.variables.push({ name, fieldPath, pattern, start, end, multiSegment });
  }

  private parseVerb(): void {
    const t = this.text;
    const parts: string[] = [];
    for (;;) {
      this.pos++;
      if (this.pos >= t.length) this.fail(this.pos, parts.length === 0 ? 'an empty verb' : 'an empty part in the verb');
      const c = t[this.pos]!;
      if (c === ':') this.fail(this.pos, 'an empty part in the verb');
      if (!isLiteralChar(c) && c !== '%') this.fail(this.pos, `unexpected ${JSON.stringify(c)} in the verb`);
      parts.push(this.literal());
      if (this.pos >= t.length) break;
      if (t[this.pos] !== ':') this.fail(this.pos, `unexpected ${JSON.stringify(t[this.pos])} in the verb`);
    }
    this.verb = parts.join(':');
  }

  private check(): void {
    let deep = -1;
    for (let i = 0; i < this.segments.length; i++) {
      const s = this.segments[i]!;
      if (s.kind === '**') {
        if (deep >= 0) this.fail(s.pos, 'only one "**" is allowed in a template');
        deep = i;
      } else if (s.kind === '*' && deep >= 0) {
        this.fail(s.pos, 'a "*" cannot follow "**"');
      }
    }
  }
}

/**
 * Parses and compiles a path template of a `google.api.http` rule. Throws a
 * {@link TemplateError} (a `VisionError`, INVALID_ARGUMENT) naming the
 * template and the position for anything outside the grammar or the stricter
 * rules listed in this module's comment; never throws anything else.
 */
export function parsePathTemplate(text: string): PathTemplate {
  if (typeof text !== 'string') throw new TemplateError(String(text), 0, 'a template is a string');
  const p = new Parser(text);
  p.parse();
  return new PathTemplate(
    text,
    p.segments.map(({ kind, literal, raw, variable }) => ({ kind, literal, raw, variable })),
    p.variables,
    p.verb,
  );
}
