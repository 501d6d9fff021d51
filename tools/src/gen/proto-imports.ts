/**
 * The `import` statements of a .proto file, read with a small tokenizer
 * (comments and string literals understood, so `get: "/v1/{name=a/**}"` or
 * a commented-out import never look like code). Only top-level statements
 * count, as in protobuf: `import [public | weak] "path";`.
 */

/** One import statement: the imported path and where the statement starts (1-based). */
export interface ProtoImport {
  readonly path: string;
  readonly line: number;
  readonly column: number;
}

interface Token {
  readonly kind: 'word' | 'string' | 'punct';
  readonly value: string;
  readonly line: number;
  readonly column: number;
}

const WORD = /[A-Za-z0-9_.]/;

function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  let line = 1;
  let lineStart = 0;
  const advance = (to: number): void => {
    for (let k = i; k < to && k < text.length; k++) {
      if (text[k] === '\n') {
        line++;
        lineStart = k + 1;
      }
    }
    i = to;
  };
  while (i < text.length) {
    const c = text[i]!;
    const column = i - lineStart + 1;
    if (c === '/' && text[i + 1] === '/') {
      const end = text.indexOf('\n', i);
      advance(end < 0 ? text.length : end);
    } else if (c === '/' && text[i + 1] === '*') {
      const end = text.indexOf('*/', i + 2);
      advance(end < 0 ? text.length : end + 2);
    } else if (c === '"' || c === "'") {
      let k = i + 1;
      let value = '';
      while (k < text.length && text[k] !== c && text[k] !== '\n') {
        if (text[k] === '\\' && k + 1 < text.length) {
          value += text[k + 1];
          k += 2;
        } else value += text[k++];
      }
      tokens.push({ kind: 'string', value, line, column });
      advance(Math.min(k + 1, text.length));
    } else if (WORD.test(c)) {
      let k = i;
      while (k < text.length && WORD.test(text[k]!)) k++;
      tokens.push({ kind: 'word', value: text.slice(i, k), line, column });
      advance(k);
    } else if (/\s/.test(c)) {
      advance(i + 1);
    } else {
      tokens.push({ kind: 'punct', value: c, line, column });
      advance(i + 1);
    }
  }
  return tokens;
}

/** The top-level import statements of a .proto file's text, in order. */
export function protoImports(text: string): ProtoImport[] {
  const tokens = tokenize(text);
  const out: ProtoImport[] = [];
  let depth = 0;
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!;
    if (t.kind === 'punct' && (t.value === '{' || t.value === '(' || t.value === '[')) depth++;
    else if (t.kind === 'punct' && (t.value === '}' || t.value === ')' || t.value === ']')) depth = Math.max(0, depth - 1);
    if (depth !== 0 || t.kind !== 'word' || t.value !== 'import') continue;
    const before = tokens[i - 1];
    if (before !== undefined && !(before.kind === 'punct' && (before.value === ';' || before.value === '}'))) continue;
    let k = i + 1;
    if (tokens[k]?.kind === 'word' && (tokens[k]!.value === 'public' || tokens[k]!.value === 'weak')) k++;
    const path = tokens[k];
    if (path?.kind !== 'string') continue;
    out.push({ path: path.value, line: t.line, column: t.column });
  }
  return out;
}
