/**
 * A cheap guard run on JSON text before `JSON.parse`: how deep its objects
 * and arrays nest, found in one pass over the characters (brackets inside
 * strings do not count) without building anything. `JSON.parse` itself
 * takes seconds and hundreds of MB to build a body of millions of nested
 * arrays that no message could ever be read from.
 */

/**
 * The deepest nesting of JSON objects and arrays read as a message: the
 * same figure as proto3 JSON's limit of 100 nested messages.
 */
export const MAX_JSON_NESTING = 100;

/**
 * The offset of the first `{` or `[` (outside strings) that opens a level
 * past `limit`, or -1 when the text nests no deeper than that. It does not
 * check that the text is JSON: `JSON.parse` does that afterwards.
 */
export function jsonNestingPastLimit(text: string, limit: number = MAX_JSON_NESTING): number {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c)
        i++; // a backslash escapes the next character
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) {
      inString = true;
    } else if (c === 0x7b || c === 0x5b) {
      if (++depth > limit) return i;
    } else if (c === 0x7d || c === 0x5d) {
      depth--;
    }
  }
  return -1;
}
