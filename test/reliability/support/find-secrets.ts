/**
 * Looks for secrets anywhere in a value: every own property (enumerable or
 * not, symbols too), every getter of its classes, `cause`, `details`, array
 * items, Map and Set entries, bytes (read as UTF-8 and Latin-1); and in its
 * printed forms (`String()`, `util.inspect` with hidden properties and
 * getters, `JSON.stringify`, `toJSON()`).
 */
import { inspect } from 'node:util';

const BUILTIN_PROTOS = new Set<object | null>([
  Object.prototype,
  Error.prototype,
  Array.prototype,
  Function.prototype,
  Map.prototype,
  Set.prototype,
  null,
]);

function hits(text: string, secrets: readonly string[]): string[] {
  return secrets.filter((s) => text.includes(s));
}

/** Paths (`.cause.details[0].value.metadata.key`) where a secret was found, and printed forms that show one. */
export function findSecrets(root: unknown, secrets: readonly string[], maxNodes = 200_000): string[] {
  const found: string[] = [];
  const seen = new Set<unknown>();
  let nodes = 0;
  const walk = (v: unknown, path: string): void => {
    if (++nodes > maxNodes) return;
    if (typeof v === 'string') {
      for (const s of hits(v, secrets)) found.push(`${path} (${s.slice(0, 6)}…)`);
      return;
    }
    if (v === null || (typeof v !== 'object' && typeof v !== 'function')) return;
    if (seen.has(v)) return;
    seen.add(v);
    if (typeof v === 'function') return; // closures cannot be read from outside
    if (v instanceof Uint8Array) {
      const b = Buffer.from(v.buffer, v.byteOffset, v.byteLength);
      for (const s of new Set([...hits(b.toString('utf8'), secrets), ...hits(b.toString('latin1'), secrets)]))
        found.push(`${path} (bytes, ${s.slice(0, 6)}…)`);
      return;
    }
    if (v instanceof Map) {
      for (const [k, x] of v) {
        walk(k, `${path}<key>`);
        walk(x, `${path}.get(${String(k)})`);
      }
    }
    if (v instanceof Set) for (const x of v) walk(x, `${path}<item>`);
    for (const key of Reflect.ownKeys(v)) {
      let x: unknown;
      try {
        x = (v as Record<PropertyKey, unknown>)[key];
      } catch {
        continue;
      }
      walk(x, `${path}.${String(key)}`);
    }
    for (
      let proto = Object.getPrototypeOf(v) as object | null;
      !BUILTIN_PROTOS.has(proto);
      proto = Object.getPrototypeOf(proto) as object | null
    ) {
      for (const [key, d] of Object.entries(Object.getOwnPropertyDescriptors(proto!))) {
        if (d.get === undefined) continue;
        let x: unknown;
        try {
          x = d.get.call(v);
        } catch {
          continue;
        }
        walk(x, `${path}.${key}`);
      }
    }
  };
  walk(root, '(root)');
  const forms: [string, () => string][] = [
    ['String()', () => String(root)],
    ['inspect()', () => inspect(root, { depth: 12, showHidden: true, getters: true })],
    ['JSON.stringify()', () => JSON.stringify(root) ?? ''],
    ['stack', () => (root instanceof Error ? (root.stack ?? '') : '')],
  ];
  for (const [name, form] of forms) {
    let text = '';
    try {
      text = form();
    } catch {
      continue;
    }
    for (const s of hits(text, secrets)) found.push(`${name} (${s.slice(0, 6)}…)`);
  }
  return found;
}
