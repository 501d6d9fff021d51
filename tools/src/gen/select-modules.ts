/**
 * Which of ts-proto's modules go into the output, and how they import the
 * rest. ts-proto writes a module for every compiled file; a binding keeps
 * the targets' modules and what they import, transitively, except modules
 * vision-kit ships: an import of one of those becomes a package import
 * (`"../../../protobuf/timestamp.js"` → `"vision-kit/gen/google/protobuf/timestamp.js"`).
 */
import { posix } from 'node:path';
import { protoFileOf, type RuntimeModules, tsFileOf } from './runtime-modules.js';

const RELATIVE_FROM = /from "(\.{1,2}\/[^"]+)"/g;

/** The relative imports of a module, resolved to module paths (`.ts`) in the output tree. */
function relativeImports(file: string, text: string): string[] {
  const out: string[] = [];
  for (const m of text.matchAll(RELATIVE_FROM)) {
    out.push(posix.normalize(posix.join(posix.dirname(file), m[1]!)).replace(/\.js$/, '.ts'));
  }
  return out;
}

/**
 * The modules to write (path → text) for `targets` (.proto import paths),
 * from ts-proto's output `generated`; imports of `runtime` modules point at
 * its package. A target whose module vision-kit ships is left out too.
 */
export function selectModules(
  generated: ReadonlyMap<string, string>,
  targets: readonly string[],
  runtime: RuntimeModules,
): Map<string, string> {
  const shipped = (file: string): boolean => runtime.files.has(protoFileOf(file));
  const keep = new Set<string>();
  const queue = targets.map(tsFileOf).filter((f) => !shipped(f));
  while (queue.length > 0) {
    const file = queue.shift()!;
    if (keep.has(file)) continue;
    const text = generated.get(file);
    if (text === undefined) throw new Error(`ts-proto wrote no ${file}`);
    keep.add(file);
    for (const dep of relativeImports(file, text)) if (!shipped(dep) && !keep.has(dep)) queue.push(dep);
  }
  const out = new Map<string, string>();
  for (const file of [...keep].sort()) {
    const text = generated.get(file)!;
    out.set(
      file,
      text.replace(RELATIVE_FROM, (whole, spec: string) => {
        const target = posix.normalize(posix.join(posix.dirname(file), spec));
        return shipped(target) ? `from "${runtime.specifier}/${target}"` : whole;
      }),
    );
  }
  return out;
}
