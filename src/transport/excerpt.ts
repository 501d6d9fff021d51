/** Longest excerpt of an undecodable answer put into an error message. */
export const EXCERPT_LENGTH = 120;

/** A short, printable excerpt of a text answer (control characters escaped, cut with `…`). */
export function excerptText(text: string, max = EXCERPT_LENGTH): string {
  const cut = text.length > max ? `${text.slice(0, max)}…` : text;
  return JSON.stringify(cut);
}

/** A short hex excerpt of binary data. */
export function excerptBytes(bytes: Uint8Array, max = 32): string {
  const head = Array.from(bytes.subarray(0, max), (b) => b.toString(16).padStart(2, '0')).join(' ');
  return bytes.length > max ? `${head} …` : head || '(empty)';
}
