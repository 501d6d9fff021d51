/**
 * The JSON text of an output file of asyncBatchAnnotate (a
 * BatchAnnotateImagesResponse or AnnotateFileResponse in proto3 JSON).
 *
 * Stop-gap until src/http/proto-json.ts (#3) lands: lowerCamel names, bytes
 * as base64, defaults left out; enums stay numbers.
 */
function clean(value: unknown): unknown {
  if (value instanceof Uint8Array) return Buffer.from(value).toString('base64');
  if (Array.isArray(value)) return value.map(clean);
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      if (v === undefined || v === '' || v === 0 || v === false) continue;
      if (Array.isArray(v) && v.length === 0) continue;
      out[k] = clean(v);
    }
    return out;
  }
  return value;
}

/** Proto3 JSON text of `message` of type `typeName`. */
export function outputJson(typeName: string, message: object): string {
  void typeName;
  return JSON.stringify(clean(message));
}
