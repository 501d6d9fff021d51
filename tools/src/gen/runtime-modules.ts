/**
 * The generated modules vision-kit ships (`vision-kit/gen/….js`): the
 * well-known types, google.longrunning, google.rpc, google.type's color and
 * latlng, and Vision's own. A user's bindings import these by package name
 * instead of carrying copies, so a `google.longrunning.Operation` is one type
 * across vision-kit and every API generated beside it, and only the files
 * the user's protos need that vision-kit lacks (e.g. `google/type/date.proto`)
 * are written into the user's folder.
 */
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';

/** Files that only declare options for the compiler: their modules are not shipped and their messages are not in the tables. */
export const OPTION_ONLY_FILES: ReadonlySet<string> = new Set([
  'google/protobuf/descriptor.proto',
  'google/api/annotations.proto',
  'google/api/client.proto',
  'google/api/field_behavior.proto',
  'google/api/http.proto',
  'google/api/launch_stage.proto',
  'google/api/resource.proto',
]);

/** Where the generated modules a binding may import instead of generating come from. */
export interface RuntimeModules {
  /** The import prefix of those modules, e.g. `vision-kit/gen` (`vision-kit/gen/google/longrunning/operations.js`). */
  readonly specifier: string;
  /** The .proto files whose modules are there (`google/longrunning/operations.proto`, …). */
  readonly files: ReadonlySet<string>;
}

/** The import prefix of vision-kit's generated modules. */
export const VISION_KIT_GEN = 'vision-kit/gen';

function listBelow(dir: string, ext: string): string[] {
  const out: string[] = [];
  const visit = (d: string): void => {
    for (const entry of readdirSync(d)) {
      const p = join(d, entry);
      if (statSync(p).isDirectory()) visit(p);
      else if (entry.endsWith(ext)) out.push(relative(dir, p).split(sep).join('/'));
    }
  };
  visit(dir);
  return out.sort();
}

/**
 * The modules of an installed vision-kit (folder `packageDir`): its
 * `dist/gen` (what the package ships), or in a clone its `gen/` sources
 * without the option-only files (the same set). The gen-time tables
 * (`schema/`) are not proto modules and are left out.
 */
export function visionKitModules(packageDir: string): RuntimeModules {
  const source = join(packageDir, 'gen');
  const built = join(packageDir, 'dist', 'gen');
  let files: string[];
  if (existsSync(join(source, 'google'))) files = listBelow(source, '.ts').map((f) => f.replace(/\.ts$/, '.proto'));
  else if (existsSync(built)) files = listBelow(built, '.js').map((f) => f.replace(/\.js$/, '.proto'));
  else throw new Error(`${packageDir} has neither gen/ nor dist/gen/: is vision-kit built?`);
  return {
    specifier: VISION_KIT_GEN,
    files: new Set(files.filter((f) => !f.startsWith('schema/') && !OPTION_ONLY_FILES.has(f))),
  };
}

/** The module path of a .proto file: `a/b/c.proto` → `a/b/c.ts` (ts-proto's output file). */
export function tsFileOf(protoFile: string): string {
  return protoFile.replace(/\.proto$/, '.ts');
}

/** The .proto file of a module path: `a/b/c.ts` or `a/b/c.js` → `a/b/c.proto`. */
export function protoFileOf(moduleFile: string): string {
  return moduleFile.replace(/\.(ts|js)$/, '.proto');
}
