/**
 * Reading Markdown the way GitHub renders it, for the docs tests: the
 * relative links a file holds (outside code) and the anchors its headings
 * get. Only what the repository's Markdown uses: inline links and images,
 * reference definitions, ATX headings (`#` … `######`) and `<a id|name>`
 * anchors; fenced code blocks and code spans are skipped.
 */

/** One link target found in a Markdown file. */
export interface MarkdownLink {
  /** The target as written, e.g. `docs/poller.md#rules`. */
  readonly target: string;
  /** 1-based line of the link. */
  readonly line: number;
}

/** Blanks fenced code blocks and code spans, keeping every newline (so line numbers survive). */
export function withoutCode(markdown: string): string {
  return withoutFences(markdown).replace(/(`+)([^`]|[^`][\s\S]*?[^`])\1(?!`)/g, (span) => span.replace(/[^\n]/g, ' '));
}

/** The Markdown with fenced code blocks blanked (line numbers kept) and inline code left as it is, as headings need. */
export function withoutFences(markdown: string): string {
  const lines = markdown.split('\n');
  let fence: string | undefined;
  const kept = lines.map((line) => {
    const opener = /^\s{0,3}(`{3,}|~{3,})/.exec(line);
    if (fence !== undefined) {
      if (opener && opener[1]!.startsWith(fence) && line.trim().replace(/[`~]/g, '') === '') fence = undefined;
      return '';
    }
    if (opener) {
      fence = opener[1]!;
      return '';
    }
    return line;
  });
  return kept.join('\n');
}

/** Every link and image target and reference definition outside code, with its line. */
export function markdownLinks(markdown: string): MarkdownLink[] {
  const text = withoutCode(markdown);
  const found: MarkdownLink[] = [];
  const lineOf = (offset: number) => text.slice(0, offset).split('\n').length;
  for (const m of text.matchAll(/!?\[(?:[^\]\\]|\\.)*\]\(\s*(<[^>]*>|[^)\s]*)(?:\s+(?:"[^"]*"|'[^']*'))?\s*\)/g)) {
    found.push({ target: m[1]!.replace(/^<|>$/g, ''), line: lineOf(m.index) });
  }
  for (const m of text.matchAll(/^ {0,3}\[[^\]]+\]:\s*(<[^>]*>|\S+)/gm)) {
    found.push({ target: m[1]!.replace(/^<|>$/g, ''), line: lineOf(m.index) });
  }
  return found;
}

/** True for a target with a scheme (`https:`, `mailto:`) or a protocol-relative one: not a file of the repository. */
export function isExternal(target: string): boolean {
  return /^[a-z][a-z0-9+.-]*:/i.test(target) || target.startsWith('//');
}

/**
 * GitHub's anchor for a heading's text: the rendered text (code spans,
 * emphasis and link syntax removed, their words kept), lower-cased,
 * punctuation removed (letters, digits, `_`, `-` and spaces stay), each
 * space turned into `-`.
 */
export function githubSlug(heading: string): string {
  const rendered = heading
    .replace(/<[^>]*>/g, '')
    .replace(/!?\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(/[`*]/g, '');
  return rendered
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{M}\p{N}\p{Pc} -]/gu, '')
    .replace(/ /g, '-');
}

/** The anchors a Markdown file offers: its headings' slugs (repeats numbered `-1`, `-2`, … as GitHub does) and `<a id|name="…">`. */
export function markdownAnchors(markdown: string): Set<string> {
  const anchors = new Set<string>();
  const seen = new Map<string, number>();
  const text = withoutFences(markdown);
  for (const line of text.split('\n')) {
    const heading = /^ {0,3}#{1,6}[ \t]+(.*?)(?:[ \t]+#+)?[ \t]*$/.exec(line);
    if (heading) {
      const slug = githubSlug(heading[1]!);
      const count = seen.get(slug) ?? 0;
      seen.set(slug, count + 1);
      anchors.add(count === 0 ? slug : `${slug}-${count}`);
    }
    for (const a of line.matchAll(/<a\s[^>]*\b(?:id|name)\s*=\s*["']([^"']+)["']/gi)) anchors.add(a[1]!);
  }
  return anchors;
}
