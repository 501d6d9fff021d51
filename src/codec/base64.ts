/**
 * Base64 for proto3 JSON `bytes`: standard alphabet with padding out, both
 * alphabets (standard and URL-safe) with or without padding in. The caller
 * checks the text first (json/from-json.ts); this only maps characters.
 */

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const VALUES = /* @__PURE__ */ (() => {
  const t = new Uint8Array(128);
  for (let i = 0; i < 64; i++) t[ALPHABET.charCodeAt(i)] = i;
  t[45] = 62; // '-'
  t[95] = 63; // '_'
  return t;
})();

/** Standard, padded base64 of `bytes`. */
export function base64Encode(bytes: Uint8Array): string {
  let out = '';
  for (let i = 0; i < bytes.length; i += 3) {
    const n = ((bytes[i] as number) << 16) | ((bytes[i + 1] ?? 0) << 8) | (bytes[i + 2] ?? 0);
    out +=
      ALPHABET[n >> 18]! +
      ALPHABET[(n >> 12) & 63]! +
      (i + 1 < bytes.length ? ALPHABET[(n >> 6) & 63]! : '=') +
      (i + 2 < bytes.length ? ALPHABET[n & 63]! : '=');
  }
  return out;
}

/** The bytes of base64 text in either alphabet, padding already removed (length % 4 ≠ 1). */
export function base64Decode(text: string): Uint8Array {
  const out = new Uint8Array(Math.floor((text.length * 3) / 4));
  let bits = 0;
  let n = 0;
  let o = 0;
  for (let i = 0; i < text.length; i++) {
    n = (n << 6) | (VALUES[text.charCodeAt(i)] as number);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out[o++] = (n >> bits) & 0xff;
    }
  }
  return out;
}
