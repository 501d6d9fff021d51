/**
 * Where the demo page's files are: `dist/web` of the vision-kit package,
 * found by walking up from this module to the package.json named
 * "vision-kit" (this module runs from src/ under tsx and from a bundle chunk
 * under dist/, at different depths).
 */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

function isVisionKitPackage(dir: string): boolean {
  try {
    return (JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { name?: unknown }).name === 'vision-kit';
  } catch {
    return false;
  }
}

/** The absolute path of `dist/web` of the package containing `moduleUrl` (default: this module). */
export function packageWebRoot(moduleUrl: string = import.meta.url): string {
  const start = dirname(fileURLToPath(moduleUrl));
  for (let dir = start; ; dir = dirname(dir)) {
    if (isVisionKitPackage(dir)) return join(dir, 'dist', 'web');
    if (dirname(dir) === dir) return join(start, '..', '..', '..', 'dist', 'web');
  }
}
