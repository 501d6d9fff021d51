/**
 * From what the user names to the set of .proto files to compile.
 *
 * Inputs are either folders or .proto files on disk (a folder is a proto
 * root: every .proto below it is generated, and its files import each other
 * by paths relative to it) or import paths such as `google/cloud/speech/v1`
 * or `acme/v1/things.proto`, looked up in the include folders and then in
 * the pinned googleapis package. Imports resolve like `protoc -I`: the
 * input roots, then the include folders in the order given, then the
 * googleapis package; the first folder holding the path wins. Files whose
 * bindings vision-kit ships (`pinned`) always come from the googleapis
 * package, so their types are the ones vision-kit's modules were generated
 * from.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { isAbsolute, join, relative, resolve, sep } from 'node:path';
import leven from 'leven';
import { protoImports } from './proto-imports.js';

/** A folder imports are resolved in, with how to name it in errors. */
export interface ProtoRoot {
  readonly dir: string;
  readonly label: string;
}

/** The compile set: every file by import path (sorted), and the ones asked for. */
export interface ProtoSources {
  /** Import path → absolute file, for the targets and everything they import. */
  readonly files: ReadonlyMap<string, string>;
  /** The import paths of the files the inputs name (sorted). */
  readonly targets: readonly string[];
  /** The folders searched, in order. */
  readonly roots: readonly ProtoRoot[];
}

/** Where inputs are found. */
export interface SourceOptions {
  /** Folder relative inputs and includes are read from. */
  readonly cwd: string;
  /** Include folders (after the input roots, before the googleapis package). */
  readonly includes: readonly string[];
  /** The googleapis proto folder. */
  readonly googleapis: string;
  /** Import paths always taken from the googleapis folder (those whose bindings vision-kit ships). */
  readonly pinned: ReadonlySet<string>;
}

/** Every .proto file below `dir`, as paths relative to it with `/` separators (sorted; hidden entries and node_modules skipped). */
export function protoFilesBelow(dir: string): string[] {
  const out: string[] = [];
  const visit = (d: string): void => {
    for (const entry of readdirSync(d).sort()) {
      if (entry.startsWith('.') || entry === 'node_modules') continue;
      const p = join(d, entry);
      if (statSync(p).isDirectory()) visit(p);
      else if (entry.endsWith('.proto')) out.push(relative(dir, p).split(sep).join('/'));
    }
  };
  visit(dir);
  return out.sort();
}

function isDir(p: string): boolean {
  return existsSync(p) && statSync(p).isDirectory();
}

/** An import path as protoc wants it: `/`-separated, relative, no `.` or `..` segments. */
function checkImportPath(input: string): string {
  const path = input.replace(/\/+$/, '');
  const segments = path.split('/');
  if (path === '' || segments.some((s) => s === '' || s === '.' || s === '..')) {
    throw new Error(
      `${JSON.stringify(input)} is neither a folder or .proto file on disk nor an import path such as google/cloud/speech/v1`,
    );
  }
  return path;
}

/**
 * The existing import path nearest to `path`, when a misspelt segment is
 * near one name (`google/cloud/spech/v1` → `google/cloud/speech/v1`): the
 * first segment found in no root is replaced by its closest sibling (edit
 * distance at most a third of its length), the rest kept if it then exists.
 */
function nearestImportPath(path: string, roots: readonly ProtoRoot[]): string | undefined {
  const segments = path.split('/');
  for (const root of roots) {
    let dir = root.dir;
    for (let i = 0; i < segments.length; i++) {
      const next = join(dir, segments[i]!);
      if (existsSync(next)) {
        dir = next;
        continue;
      }
      if (i === 0 || !isDir(dir)) break; // nothing of this root matched: no sibling to offer
      const wanted = segments[i]!;
      let best: { name: string; d: number } | undefined;
      for (const name of readdirSync(dir)) {
        const d = leven(wanted, name);
        if (d <= Math.max(1, Math.floor(wanted.length / 3)) && (best === undefined || d < best.d)) best = { name, d };
      }
      if (best === undefined) break;
      const guess = [...segments.slice(0, i), best.name, ...segments.slice(i + 1)].join('/');
      if (existsSync(join(root.dir, guess))) return guess;
      break;
    }
  }
  return undefined;
}

/**
 * Resolves the inputs to target import paths and the roots to search;
 * throws (one line) naming an input that is found nowhere.
 */
export function resolveInputs(inputs: readonly string[], options: SourceOptions): { targets: string[]; roots: ProtoRoot[] } {
  const inputRoots: ProtoRoot[] = [];
  const includeRoots: ProtoRoot[] = options.includes.map((inc) => {
    const dir = resolve(options.cwd, inc);
    if (!isDir(dir)) throw new Error(`include folder ${inc} does not exist`);
    return { dir, label: `include ${inc}` };
  });
  const googleapis: ProtoRoot = { dir: options.googleapis, label: 'the googleapis protos' };
  const targets = new Set<string>();
  const lookups: string[] = [];
  for (const input of inputs) {
    const onDisk = resolve(options.cwd, input);
    if (isAbsolute(input) || existsSync(onDisk)) {
      if (!existsSync(onDisk)) throw new Error(`${input} does not exist`);
      if (isDir(onDisk)) {
        const files = protoFilesBelow(onDisk);
        if (files.length === 0) throw new Error(`${input} holds no .proto file`);
        if (!inputRoots.some((r) => r.dir === onDisk)) inputRoots.push({ dir: onDisk, label: input });
        for (const f of files) targets.add(f);
      } else {
        if (!onDisk.endsWith('.proto')) throw new Error(`${input} is not a .proto file`);
        const root = [...inputRoots, ...includeRoots].find((r) => onDisk.startsWith(r.dir + sep));
        if (root === undefined) {
          throw new Error(`${input} is in none of the include folders; name the folder its imports are relative to with --include`);
        }
        targets.add(relative(root.dir, onDisk).split(sep).join('/'));
      }
    } else lookups.push(input);
  }
  const roots = [...inputRoots, ...includeRoots, googleapis];
  for (const input of lookups) {
    const path = checkImportPath(input);
    const root = roots.find((r) => existsSync(join(r.dir, path)));
    if (root === undefined) {
      const near = nearestImportPath(path, roots);
      throw new Error(
        `${path}: no such folder or .proto file here (${options.cwd}) nor in ${roots.map((r) => r.label).join(', ')}${near === undefined ? '' : `; did you mean ${near}?`}`,
      );
    }
    const found = join(root.dir, path);
    if (isDir(found)) {
      const files = protoFilesBelow(found);
      if (files.length === 0) throw new Error(`${path} (in ${root.label}) holds no .proto file`);
      for (const f of files) targets.add(`${path}/${f}`);
    } else if (path.endsWith('.proto')) targets.add(path);
    else throw new Error(`${path} (in ${root.label}) is not a .proto file`);
  }
  return { targets: [...targets].sort(), roots };
}

/**
 * The targets and everything they import, transitively. Throws, naming the
 * importing file, line and column, for an import found in no root.
 */
export function collectSources(targets: readonly string[], roots: readonly ProtoRoot[], options: SourceOptions): ProtoSources {
  const files = new Map<string, string>();
  const googleapis = roots[roots.length - 1]!;
  const find = (path: string): string | undefined => {
    if (options.pinned.has(path) && existsSync(join(googleapis.dir, path))) return join(googleapis.dir, path);
    for (const r of roots) {
      const p = join(r.dir, path);
      if (existsSync(p) && !isDir(p)) return p;
    }
    return undefined;
  };
  const queue: string[] = [];
  for (const t of targets) {
    const p = find(t);
    if (p === undefined) throw new Error(`${t}: not found in ${roots.map((r) => r.label).join(', ')}`);
    files.set(t, p);
    queue.push(t);
  }
  while (queue.length > 0) {
    const path = queue.shift()!;
    const text = readFileSync(files.get(path)!, 'utf8');
    for (const imp of protoImports(text)) {
      if (files.has(imp.path)) continue;
      const p = find(imp.path);
      if (p === undefined) {
        throw new Error(`${path}:${imp.line}:${imp.column}: import "${imp.path}" not found in ${roots.map((r) => r.label).join(', ')}`);
      }
      files.set(imp.path, p);
      queue.push(imp.path);
    }
  }
  const sorted = new Map([...files].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
  return { files: sorted, targets, roots };
}
