/**
 * The strict reader of `google.api.http` path templates: it accepts exactly
 * what `readPathTemplate` accepts (the grammar and rules of
 * path-template.ts), and for anything else throws a {@link TemplateError}
 * saying what is wrong and at which character. The entries that run on Node
 * (`vision-kit`, `vision-kit/transcoding`, `vision-kit/serving`) provide it
 * to `readPathTemplate` when they load, so a bad template anywhere is
 * refused with its position; `vision-kit/browser` leaves it out (about 1 KB
 * gzipped), and there a bad template is refused without the position.
 * test/transcoding/template-readers.test.ts holds the two readers equal.
 */
import {
  isDot,
  PathTemplate,
  provideTemplateParser,
  type SegmentKind,
  type TemplateSegment,
  type TemplateVariable,
} from './path-template.js';
import { decodeComponent } from './percent-encoding.js';
import { TemplateError } from './template-error.js';

const UNTERMINATED = 'unterminated variable (missing "}")';
const COLON = '":" is allowed only before the verb, at the end';
const WHOLE = ' must be a whole segment';
const EQUALS = '"=" is allowed only in a variable, after its field path';
/** A literal character: RFC 3986 pchars less `=`, `*` and `:` (and `%`, which starts an escape). */
const LITERAL_CHAR = "[-\\w.~!$&'()+,;@]";
/** A run of literal characters and `%XX` escapes. */
const LITERAL = new RegExp(`(?:${LITERAL_CHAR}|%[0-9A-Fa-f]{2})*`, 'y');
const VERB_START = new RegExp(`${LITERAL_CHAR}|%`);
const IDENT = /[A-Za-z_]\w*/y;

/**
 * Parses and compiles a path template of a `google.api.http` rule. Throws a
 * {@link TemplateError} (a `VisionError`, INVALID_ARGUMENT) naming the
 * template and the position for anything outside the grammar or the stricter
 * rules listed in path-template.ts's comment; never throws anything else.
 */
export function parsePathTemplate(text: string): PathTemplate {
  if (typeof text !== 'string') throw new TemplateError(String(text), 0, 'a template is a string');
  const t = text;
  const segments: TemplateSegment[] = [];
  const positions: number[] = [];
  const variables: TemplateVariable[] = [];
  let i = 1;
  let verb: string | undefined;
  const fail = (at: number, reason: string): never => {
    throw new TemplateError(t, at, reason);
  };
  const unexpected = (c: string, where: string): string => `unexpected ${JSON.stringify(c)}${where}`;
  /** A run of literal characters at `i` (at least one), as written. */
  const literal = (): string => {
    const start = i;
    LITERAL.lastIndex = i;
    LITERAL.test(t);
    i = LITERAL.lastIndex;
    if (t[i] === '%') fail(i, 'a malformed percent escape');
    if (i === start) fail(i, t[i] === '=' ? EQUALS : unexpected(t[i]!, ' (not allowed in a literal)'));
    return t.slice(start, i);
  };
  const ident = (): string => {
    IDENT.lastIndex = i;
    if (!IDENT.test(t)) fail(i, 'expected a field name');
    const start = i;
    i = IDENT.lastIndex;
    return t.slice(start, i);
  };
  /** One segment at `i`, of variable `v` (-1 at the top level); true when it was a variable. */
  const segment = (v: number): boolean => {
    const start = i;
    const c = t[i];
    const top = v < 0;
    // At the top level `i` is inside the template: only a variable's pattern can run out.
    if (c === undefined) fail(i, UNTERMINATED);
    if (c === '/' || (c === '}' && !top)) fail(i, 'an empty segment');
    if (c === ':') fail(i, top ? 'an empty segment before the verb' : COLON);
    if (c === '}') fail(i, 'an unmatched "}"');
    if (c === '{') {
      if (!top) fail(i, 'variables cannot nest');
      variable();
      return true;
    }
    let kind: SegmentKind = 'literal';
    let raw = '';
    let decoded: string | undefined = '';
    if (c === '*') {
      kind = t[++i] === '*' ? '**' : '*';
      if (kind === '**') i++;
      if (t[i] === '*') fail(i, '"***" is not a wildcard');
    } else {
      raw = literal();
      decoded = decodeComponent(raw);
      if (decoded === undefined) fail(start, `the literal ${JSON.stringify(raw)} is not UTF-8 once decoded`);
      if (isDot(decoded!)) fail(start, 'a "." or ".." segment');
    }
    if (t[i] === '{') fail(i, `a variable${WHOLE}`);
    if (t[i] === '*') fail(i, `a wildcard${WHOLE}`);
    segments.push({ kind, literal: decoded!, raw, variable: v });
    positions.push(start);
    return false;
  };
  const variable = (): void => {
    const open = i++;
    const fieldPath = [ident()];
    while (t[i] === '.') {
      i++;
      fieldPath.push(ident());
    }
    const name = fieldPath.join('.');
    const index = variables.length;
    const start = segments.length;
    let pattern = '*';
    if (t[i] === '}') {
      segments.push({ kind: '*', literal: '', raw: '', variable: index });
      positions.push(open);
    } else if (t[i] === '=') {
      const from = ++i;
      if (t[i] === '/') fail(i, 'a variable cannot capture the leading "/"');
      for (;;) {
        segment(index);
        const c = t[i];
        if (c === '}') break;
        // A "{" after a literal or a wildcard: segment() has refused it.
        if (c !== '/') fail(i, c === undefined ? UNTERMINATED : c === ':' ? COLON : unexpected(c, ' in a variable pattern'));
        i++;
      }
      pattern = t.slice(from, i);
    } else {
      fail(i, i >= t.length ? UNTERMINATED : unexpected(t[i]!, ' in a field path (expected ".", "=" or "}")'));
    }
    i++; // '}'
    const end = segments.length;
    if (variables.some((x) => x.name === name)) fail(open, `the field "${name}" is bound twice`);
    variables.push({ name, fieldPath, pattern, start, end, multiSegment: end - start > 1 || segments[start]!.kind === '**' });
  };

  if (t === '') fail(0, 'the template is empty');
  if (t[0] !== '/') fail(0, 'a template starts with "/"');
  // `/` alone is the root template: no segments.
  while (i < t.length) {
    const wasVariable = segment(-1);
    const c = t[i];
    if (c === '/') {
      if (++i >= t.length) fail(i - 1, 'a trailing "/" (empty last segment)');
    } else if (c === ':') {
      // The verb: literals separated by ':', none empty.
      const from = i + 1;
      do {
        const d = t[++i];
        if (d === undefined || d === ':') fail(i, d === undefined && i === from ? 'an empty verb' : 'an empty part in the verb');
        if (!VERB_START.test(d!)) fail(i, unexpected(d!, ' in the verb'));
        literal();
        if (i < t.length && t[i] !== ':') fail(i, unexpected(t[i]!, ' in the verb'));
      } while (i < t.length);
      verb = t.slice(from);
    } else if (c !== undefined) {
      // After a literal or a wildcard, segment() has already refused a "{".
      fail(i, wasVariable ? `a variable${WHOLE}` : c === '=' ? EQUALS : unexpected(c, ' (expected "/", ":" or the end)'));
    }
  }
  let deep = -1;
  segments.forEach((s, k) => {
    if (s.kind === '**') {
      if (deep >= 0) fail(positions[k]!, 'only one "**" is allowed in a template');
      deep = k;
    } else if (s.kind === '*' && deep >= 0) fail(positions[k]!, 'a "*" cannot follow "**"');
  });
  return new PathTemplate(t, segments, variables, verb);
}

/** Gives `readPathTemplate` this reader's errors (what the Node entries call when they load). */
export function provideStrictTemplateParser(): void {
  provideTemplateParser(parsePathTemplate);
}
