/**
 * What the repository's text must not cite: documents it does not hold (the
 * briefs the code was first written from) and our own tracker's labels. The
 * decisions those documents held now live in docs/ and CONTRIBUTING.md, and
 * a tracker label means nothing to a reader of the code.
 *
 * Citations of other projects' public trackers stay allowed: they are
 * written `<project> #N`, `<project> PR #N` or `<project> issue N`
 * (`grpc-gateway #4134`, `gax PR #1103`, `gax issue 1303`).
 *
 * The patterns are built from pieces so that this file does not match them.
 */

/** One forbidden citation found in a text. */
export interface Citation {
  /** 1-based line. */
  readonly line: number;
  /** The matched text. */
  readonly text: string;
}

const MD = `.${'md'}`;

/** Names of documents outside the repository that nothing may cite. */
export const OUTSIDE_DOCUMENTS: readonly string[] = [`design${MD}`, `transcoding-spec${MD}`, `lro-spec${MD}`, `../${'shared'}/`];

const HASH = '#';
const LEADS = ['of', 'in', 'see', 'per', 'from', 'by', 'for', 'and', 'each', 'our', 'this', 'after', 'since', 'under'].join('|');

/**
 * Our tracker's labels:
 * - a parenthesised number, `(` + `#3)` or `(` + `#5, …`;
 * - `issue #N`, `issue-#N`, `issues #N`;
 * - `#N` or `issue N` where no project is named before it: after an opening
 *   bracket, `:`, `;`, a comment's start, or a plain word such as `of`
 *   (`the annotators of ` + `#7`).
 */
const TRACKER_LABELS: readonly RegExp[] = [
  new RegExp(`\\(${HASH}\\d+\\b`, 'g'),
  new RegExp(`\\bissues?[- ]${HASH}\\d+\\b`, 'gi'),
  new RegExp(`(?:^|[(\\[:;/*]|\\b(?:${LEADS}))[ \\t]*(?:issue[ \\t]+\\d+|${HASH}\\d+)\\b`, 'gim'),
];

function lineAt(text: string, offset: number): number {
  let line = 1;
  for (let i = text.indexOf('\n'); i !== -1 && i < offset; i = text.indexOf('\n', i + 1)) line++;
  return line;
}

/** Every place `text` names a document outside the repository. */
export function outsideDocumentCitations(text: string): Citation[] {
  const found: Citation[] = [];
  for (const name of OUTSIDE_DOCUMENTS) {
    for (let i = text.indexOf(name); i !== -1; i = text.indexOf(name, i + 1)) found.push({ line: lineAt(text, i), text: name });
  }
  return found.sort((a, b) => a.line - b.line);
}

/** The tracker labels in `text`, the first of each line. */
export function trackerLabels(text: string): Citation[] {
  const byLine = new Map<number, Citation>();
  for (const pattern of TRACKER_LABELS) {
    for (const m of text.matchAll(pattern)) {
      const line = lineAt(text, m.index);
      if (!byLine.has(line)) byLine.set(line, { line, text: m[0].trim() });
    }
  }
  return [...byLine.values()].sort((a, b) => a.line - b.line);
}
