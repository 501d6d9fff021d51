import { Code, VisionError } from 'vision-kit';
import type { Product } from 'vision-kit/gen/google/cloud/vision/v1p4beta1/product_search_service.js';

/** One OR group of a filter: the product must carry `key` with one of `values`. */
export interface FilterClause {
  readonly key: string;
  readonly values: readonly string[];
}

/** A parsed `productSearchParams.filter`: an AND of clauses (empty: no restriction). */
export type ProductFilter = readonly FilterClause[];

type Token =
  | { kind: '(' | ')' | '='; at: number }
  | { kind: 'word'; text: string; quoted: boolean; at: number }
  | { kind: 'end'; at: number };

function filterError(filter: string, at: number, reason: string): VisionError {
  return new VisionError(Code.INVALID_ARGUMENT, `productSearchParams.filter: ${reason} at position ${at + 1} of ${JSON.stringify(filter)}`);
}

function tokenize(filter: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < filter.length) {
    const c = filter[i] as string;
    if (/\s/.test(c)) {
      i++;
    } else if (c === '(' || c === ')' || c === '=') {
      tokens.push({ kind: c, at: i });
      i++;
    } else if (c === '"') {
      const start = i++;
      let text = '';
      for (;;) {
        if (i >= filter.length) throw filterError(filter, start, 'unterminated quoted string');
        const d = filter[i] as string;
        if (d === '\\' && i + 1 < filter.length) {
          text += filter[i + 1];
          i += 2;
        } else if (d === '"') {
          i++;
          break;
        } else {
          text += d;
          i++;
        }
      }
      tokens.push({ kind: 'word', text, quoted: true, at: start });
    } else {
      const start = i;
      while (i < filter.length && !/[\s()="]/.test(filter[i] as string)) i++;
      const text = filter.slice(start, i);
      const colon = text.indexOf(':');
      if (colon >= 0) throw filterError(filter, start + colon, "':' is not an operator; connect key and value with '='");
      tokens.push({ kind: 'word', text, quoted: false, at: start });
    }
  }
  tokens.push({ kind: 'end', at: filter.length });
  return tokens;
}

const isKeyword = (t: Token, word: 'AND' | 'OR'): boolean => t.kind === 'word' && !t.quoted && t.text === word;

/**
 * Parses a product-label filter with the grammar of
 * `ProductSearchParams.filter`: an AND of OR groups of `key = value`
 * expressions, every expression in one OR group having the same key, e.g.
 * `(color = red OR color = blue) AND brand = Google`. An OR group combined
 * with AND must be in parentheses; a filter that is a single OR group may
 * omit them. Parentheses do not nest. Keywords are upper case; values with
 * spaces or special characters can be double-quoted. Anything else
 * (`color: red`, mixed keys in an OR, a dangling operator) is a VisionError
 * INVALID_ARGUMENT naming the position.
 */
export function parseProductFilter(filter: string): ProductFilter {
  const tokens = tokenize(filter);
  let pos = 0;
  const peek = (): Token => tokens[pos] as Token;
  const next = (): Token => tokens[pos++] as Token;

  const term = (): { key: string; value: string; at: number } => {
    const key = next();
    if (key.kind !== 'word' || isKeyword(key, 'AND') || isKeyword(key, 'OR')) {
      throw filterError(filter, key.at, key.kind === 'end' ? 'expected `key = value` but the filter ended' : 'expected a label key');
    }
    const eq = next();
    if (eq.kind !== '=') throw filterError(filter, eq.at, `expected '=' after the key ${JSON.stringify(key.text)}`);
    const value = next();
    if (value.kind !== 'word' || (!value.quoted && (value.text === 'AND' || value.text === 'OR'))) {
      throw filterError(filter, value.at, `expected a value after ${JSON.stringify(key.text)} =`);
    }
    if (key.text === '') throw filterError(filter, key.at, 'a label key cannot be empty');
    if (value.text === '') throw filterError(filter, value.at, 'a label value cannot be empty');
    return { key: key.text, value: value.text, at: key.at };
  };

  const orGroup = (): FilterClause => {
    const first = term();
    const values = [first.value];
    while (isKeyword(peek(), 'OR')) {
      next();
      const t = term();
      if (t.key !== first.key) {
        throw filterError(
          filter,
          t.at,
          `every expression within an OR must have the same key (${JSON.stringify(first.key)}, not ${JSON.stringify(t.key)})`,
        );
      }
      values.push(t.value);
    }
    return { key: first.key, values };
  };

  const group = (): FilterClause => {
    const t = peek();
    if (t.kind === '(') {
      next();
      if (peek().kind === '(') throw filterError(filter, peek().at, 'parentheses cannot nest');
      const clause = orGroup();
      const close = next();
      if (close.kind !== ')') throw filterError(filter, close.at, close.kind === 'end' ? "missing ')'" : "expected OR or ')'");
      return clause;
    }
    const clause = term();
    return { key: clause.key, values: [clause.value] };
  };

  if (peek().kind === 'end') return [];
  const parenthesised = peek().kind === '(';
  const clauses: FilterClause[] = [parenthesised ? group() : orGroup()];
  const single = clauses[0] as FilterClause;
  if (!parenthesised && single.values.length > 1) {
    // Only a filter that is one OR group may leave its parentheses out.
    if (peek().kind !== 'end') throw filterError(filter, peek().at, 'an OR group combined with AND must be in parentheses');
    return clauses;
  }
  if (isKeyword(peek(), 'OR')) throw filterError(filter, peek().at, 'OR must join expressions inside one pair of parentheses');
  while (isKeyword(peek(), 'AND')) {
    next();
    clauses.push(group());
    if (isKeyword(peek(), 'OR')) throw filterError(filter, peek().at, 'an OR group combined with AND must be in parentheses');
  }
  const rest = peek();
  if (rest.kind !== 'end') {
    throw filterError(filter, rest.at, rest.kind === ')' ? "unbalanced ')'" : 'expected AND between expressions');
  }
  return clauses;
}

/** True when the product's labels satisfy every clause of the filter. */
export function matchesFilter(product: Product, filter: ProductFilter): boolean {
  const labels = product.productLabels ?? [];
  return filter.every((clause) => labels.some((l) => l.key === clause.key && clause.values.includes(l.value)));
}
