import { flatExcerpt } from '../codec/error-caps.js';

/** Longest excerpt of an undecodable answer put into an error message. */
export const EXCERPT_LENGTH = 120;

/**
 * A short, printable excerpt of a text answer, in quotes: whitespace runs
 * collapsed, other control characters escaped, cut with `…`.
 */
export function excerptText(text: string, max = EXCERPT_LENGTH): string {
  const cut = flatExcerpt(text, max);
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what this escapes.
  const printable = cut.replace(/[\u0000-\u001f\u007f]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
  return `"${printable}"`;
}

/** A short hex excerpt of binary data. */
export function excerptBytes(bytes: Uint8Array, max = 32): string {
  const head = Array.from(bytes.subarray(0, max), (b) => b.toString(16).padStart(2, '0')).join(' ');
  return bytes.length > max ? `${head} …` : head || '(empty)';
}
