/**
 * The library packed and installed as a user installs it, once per test run.
 *
 * `packedInstall(kind)` packs the built library (`npm pack --ignore-scripts`:
 * the tarball of what `npm run build` left in dist/; it refuses to pack
 * without a build) and, for `library+tools`, the tools package, then installs
 * the tarballs with npm in an empty folder under os.tmpdir():
 *
 * - `library`: the library alone, as a dependency, with `--omit=dev`;
 * - `library+tools`: the library as a dependency and vision-kit-tools as a
 *   devDependency (what `vision-kit emulator` tells a user to add).
 *
 * Each pack and each kind of install happens once per process (memoised) and
 * once per tree of processes: the folders are described in files under the
 * scratch folder named by VISION_KIT_PACKED_INSTALLS, which this module sets
 * for its children, so a child (the bench's smoke run) reuses them. The
 * process that made the scratch folder removes it when it exits.
 *
 * Where the packages come from: the npm cache that `npm ci` filled, offline.
 * `npm install --offline <tarball>` does not work from that cache: npm 11's
 * `install` resolves every range afresh from full packuments, while `npm ci`
 * stores only the abbreviated ones (and the tarballs of the versions the
 * lockfile names), so it fails with ENOTCACHED, and online it could pick
 * versions newer than the cache holds. So the install folder gets a
 * package-lock.json cut out of the repository's own (the packages reachable
 * from the installed ones, at the versions, integrity and layout that
 * `npm ci` installed here; the tarballs as `file:` entries), and runs
 * `npm ci --offline`, which needs nothing but what that cache holds. Only when
 * that fails with ENOTCACHED (a cache cleaned since) does it run the same
 * `npm ci` with `--prefer-offline`, saying so on stderr. Always
 * `--no-audit --no-fund`, no registry address in the lockfiles, and npm's
 * `npm_*` variables (the repository's local prefix among them) never reach the
 * child, so the repository's node_modules is never touched.
 */
import { spawn } from 'node:child_process';
import { existsSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root. */
export const ROOT = fileURLToPath(new URL('../..', import.meta.url));

/** The environment variable naming the scratch folder whose installs child processes reuse. */
export const PACKED_INSTALLS_ENV = 'VISION_KIT_PACKED_INSTALLS';

/** Packages that must not be in an install of the library alone (the tools package's image, PDF, storage and CLI libraries). */
export const FORBIDDEN_PACKAGES: readonly string[] = ['sharp', '@img/*', 'mupdf', '@google-cloud/storage', 'csv-parse', 'cli-progress'];

/**
 * What the library's tarball may hold: what users run and type-check
 * against — the bundled JavaScript (dist/…/*.js), its declarations
 * (dist/types/…/*.d.ts), the bin, package.json, LICENSE, README.md and the
 * Markdown it links to (docs/*.md, BENCHMARKS.md, CONTRIBUTING.md,
 * RELIABILITY.md), so that its links work in node_modules too.
 */
const SHIPPED_FILE =
  /^(package\.json|(README|BENCHMARKS|CONTRIBUTING|RELIABILITY)\.md|docs\/[^/]+\.md|LICENSE(\.md|\.txt)?|bin\/[^/]+\.js|dist\/(types\/.+\.d\.ts|(?!types\/).+\.js))$/;

/** The paths of a tarball (relative to the package root) that are not among the files users run or type-check against. */
export function unshippableFiles(files: readonly string[]): string[] {
  return files.filter((f) => !SHIPPED_FILE.test(f));
}

/** File names of native addons, shared libraries and WebAssembly modules. */
const NATIVE_FILE = /\.(node|wasm|dylib|dll|so(\.\d+)*)$/;

/** The parts of a package.json this module reads. */
export interface PackageManifest {
  readonly name: string;
  readonly version: string;
  readonly license?: string;
  readonly exports?: Readonly<Record<string, unknown>>;
  readonly bin?: Readonly<Record<string, string>>;
  readonly engines?: Readonly<Record<string, string>>;
  readonly dependencies?: Readonly<Record<string, string>>;
  readonly optionalDependencies?: Readonly<Record<string, string>>;
  readonly peerDependencies?: Readonly<Record<string, string>>;
}

/** A tarball made by `npm pack`. */
export interface PackedTarball {
  readonly name: string;
  readonly version: string;
  /** Absolute path of the .tgz file. */
  readonly file: string;
  /** Size of the .tgz file. */
  readonly packedBytes: number;
  /** Sum of the sizes of the files in it. */
  readonly unpackedBytes: number;
  /** The paths in the package (relative to its root, sorted). */
  readonly files: readonly string[];
  /** Its `sha512-…` integrity. */
  readonly integrity: string;
  /** The package.json packed. */
  readonly manifest: PackageManifest;
  /** The folder of the package in its repository's lockfile (`` for the root package, `tools` for the workspace). */
  readonly lockPath: string;
  /** The repository's package-lock.json, which says how its dependencies resolve. */
  readonly lockfile: string;
  /** Wall time of `npm pack`, ms. */
  readonly ms: number;
}

/** How an install got its packages. */
export type InstallMode = 'offline' | 'prefer-offline';

/** What {@link installInEmptyFolder} installs. */
export interface InstallRequest {
  /** The folder to install into (created; must not exist or be empty). */
  readonly dir: string;
  /** The repository package-lock.json that the registry packages' versions, integrity and layout come from. */
  readonly lockfile: string;
  /** Tarballs to install; `dev` ones as devDependencies. */
  readonly tarballs?: readonly { readonly tarball: PackedTarball; readonly dev?: boolean }[];
  /** Registry packages to install (name → version), resolved as `lockfile` resolves them from its root. */
  readonly packages?: Readonly<Record<string, string>>;
  /** Install with `--omit=dev`. */
  readonly omitDev: boolean;
}

/** The outcome of {@link installInEmptyFolder}. */
export interface InstallResult {
  readonly dir: string;
  readonly mode: InstallMode;
  /** Wall time of `npm ci`, ms. */
  readonly ms: number;
}

/** The kinds of install {@link packedInstall} makes. */
export type InstallKind = 'library' | 'library+tools';

/** One install made by {@link packedInstall}. */
export interface PackedInstall {
  readonly kind: InstallKind;
  /** The install folder (node_modules is in it). */
  readonly dir: string;
  readonly library: PackedTarball;
  /** The tools package's tarball (`library+tools` only). */
  readonly tools?: PackedTarball;
  readonly mode: InstallMode;
  /** Wall time of the install, ms (the packs not included). */
  readonly installMs: number;
}

/** What is in a node_modules folder. */
export interface NodeModulesFacts {
  /** Apparent size of node_modules in bytes (`du -sb`: lstat sizes of every entry, folders included, links not followed, hard links once). */
  readonly bytes: number;
  /** The installed packages (`name@version`, sorted; nested copies each counted). */
  readonly packages: readonly string[];
  /** Native addons, shared libraries and WebAssembly files (paths relative to node_modules). */
  readonly nativeFiles: readonly string[];
  /** The installed packages among {@link FORBIDDEN_PACKAGES} (`name@version`). */
  readonly forbiddenPackages: readonly string[];
}

/** An error of `npm`: its command, exit status and the end of its output. */
export class NpmError extends Error {
  constructor(
    readonly args: readonly string[],
    readonly code: number | null,
    readonly output: string,
  ) {
    super(`npm ${args.join(' ')} exited with ${String(code)}:\n${output.slice(-3000)}`);
    this.name = 'NpmError';
  }
}

interface NpmRun {
  readonly stdout: string;
  readonly stderr: string;
  readonly ms: number;
}

/**
 * The environment of npm children: npm's own `npm_*` variables (the
 * repository's local prefix, the running script) removed, except where the
 * cache and the config files are.
 */
function npmEnv(): NodeJS.ProcessEnv {
  const keep = new Set(['npm_config_cache', 'npm_config_userconfig', 'npm_config_globalconfig']);
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) {
    if (v === undefined || k === 'NODE_OPTIONS' || (k.toLowerCase().startsWith('npm_') && !keep.has(k.toLowerCase()))) continue;
    env[k] = v;
  }
  return env;
}

/** Runs `npm args…` in `cwd`; rejects with an {@link NpmError} unless it exits 0. */
function npm(args: readonly string[], cwd: string): Promise<NpmRun> {
  const t0 = performance.now();
  const child = spawn('npm', [...args], { cwd, env: npmEnv(), stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (c: Buffer) => (stdout += c.toString('utf8')));
  child.stderr.on('data', (c: Buffer) => (stderr += c.toString('utf8')));
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (code) => {
      if (code === 0) resolve({ stdout, stderr, ms: performance.now() - t0 });
      else reject(new NpmError(args, code, `${stderr}\n${stdout}`.trim()));
    });
  });
}

function readJson<T>(file: string): T {
  return JSON.parse(readFileSync(file, 'utf8')) as T;
}

/** The files a manifest's `exports` point at (conditions `types` and `default`, patterns left out). */
function exportTargets(manifest: PackageManifest): string[] {
  const targets: string[] = [];
  for (const value of Object.values(manifest.exports ?? {})) {
    if (typeof value === 'string') targets.push(value);
    else if (value !== null && typeof value === 'object') {
      for (const [condition, target] of Object.entries(value as Record<string, unknown>)) {
        if ((condition === 'types' || condition === 'default') && typeof target === 'string') targets.push(target);
      }
    }
  }
  return targets.filter((t) => !t.includes('*'));
}

/**
 * Packs the package in `root` (or its workspace `workspace`) into `dest` with
 * `npm pack --ignore-scripts`. Throws, naming `npm run build`, when a file its
 * `exports` or `bin` points at is missing.
 */
export async function packPackage(options: {
  readonly root: string;
  readonly workspace?: string;
  readonly dest: string;
}): Promise<PackedTarball> {
  const dir = join(options.root, options.workspace ?? '');
  const manifest = readJson<PackageManifest>(join(dir, 'package.json'));
  const missing = [...exportTargets(manifest), ...Object.values(manifest.bin ?? {})].filter((t) => !existsSync(join(dir, t)));
  if (missing.length > 0) {
    throw new Error(
      `${manifest.name}: ${missing.slice(0, 3).join(', ')}${missing.length > 3 ? ', …' : ''} missing: run \`npm run build\` first (\`npm test\` builds before testing)`,
    );
  }
  mkdirSync(options.dest, { recursive: true });
  const args = [
    'pack',
    '--ignore-scripts',
    '--json',
    '--pack-destination',
    options.dest,
    ...(options.workspace ? ['--workspace', options.workspace] : []),
  ];
  const run = await npm(args, options.root);
  const [packed] = JSON.parse(run.stdout) as {
    filename: string;
    size: number;
    unpackedSize: number;
    integrity: string;
    files: { path: string }[];
  }[];
  if (packed === undefined) throw new Error(`npm ${args.join(' ')} reported no tarball`);
  return {
    name: manifest.name,
    version: manifest.version,
    file: join(options.dest, packed.filename),
    packedBytes: packed.size,
    unpackedBytes: packed.unpackedSize,
    files: packed.files.map((f) => f.path).sort(),
    integrity: packed.integrity,
    manifest,
    lockPath: options.workspace ?? '',
    lockfile: join(options.root, 'package-lock.json'),
    ms: Math.round(run.ms),
  };
}

/** One entry of a package-lock.json `packages` map. */
interface LockEntry {
  readonly version?: string;
  readonly link?: boolean;
  readonly dependencies?: Readonly<Record<string, string>>;
  readonly optionalDependencies?: Readonly<Record<string, string>>;
  readonly peerDependencies?: Readonly<Record<string, string>>;
  readonly peerDependenciesMeta?: Readonly<Record<string, { readonly optional?: boolean }>>;
  readonly [field: string]: unknown;
}

interface Lockfile {
  readonly lockfileVersion: number;
  readonly packages: Readonly<Record<string, LockEntry>>;
}

/** The dependencies an entry needs installed: required, optional, and the peers not marked optional. */
function needs(entry: LockEntry | PackageManifest): { name: string; optional: boolean }[] {
  const meta = 'peerDependenciesMeta' in entry ? (entry.peerDependenciesMeta ?? {}) : {};
  return [
    ...Object.keys(entry.dependencies ?? {}).map((name) => ({ name, optional: false })),
    ...Object.keys(entry.optionalDependencies ?? {}).map((name) => ({ name, optional: true })),
    ...Object.keys(entry.peerDependencies ?? {}).map((name) => ({ name, optional: meta[name]?.optional === true })),
  ];
}

/**
 * The package.json and package-lock.json of an install folder for `request`:
 * the tarballs as `file:` entries, and every registry package reachable from
 * them (or named in `request.packages`) copied from the repository's
 * lockfile with its path (a workspace's own nested node_modules moved under
 * the package), without the dev/peer flags that described the repository.
 */
function cutLockfile(request: InstallRequest): { manifest: object; lock: object } {
  const repo = readJson<Lockfile>(request.lockfile);
  if (repo.lockfileVersion < 2) throw new Error(`${request.lockfile}: lockfileVersion ${repo.lockfileVersion}; 2 or later needed`);
  const source = repo.packages;
  const packages: Record<string, object> = {};
  const dependencies: Record<string, string> = {};
  const devDependencies: Record<string, string> = {};
  const provided = new Map<string, string>();
  const moved = new Map<string, string>();
  for (const { tarball } of request.tarballs ?? []) {
    provided.set(tarball.name, `node_modules/${tarball.name}`);
    if (tarball.lockPath !== '') moved.set(tarball.lockPath, `node_modules/${tarball.name}`);
  }
  const installPath = (path: string): string => {
    for (const [from, to] of moved) if (path.startsWith(`${from}/`)) return to + path.slice(from.length);
    return path;
  };
  /** Where `name` resolves from the repository folder `from` (Node's walk up the node_modules folders). */
  const resolve = (from: string, name: string): string | undefined => {
    let base = from;
    for (;;) {
      const path = `${base === '' ? '' : `${base}/`}node_modules/${name}`;
      if (source[path] !== undefined) return path;
      if (base === '') return undefined;
      const up = base.lastIndexOf('/node_modules/');
      base = up < 0 ? '' : base.slice(0, up);
    }
  };
  const seen = new Set<string>();
  const visit = (from: string, wanted: { name: string; optional: boolean }[], who: string): void => {
    for (const { name, optional } of wanted) {
      const path = resolve(from, name);
      const entry = path === undefined ? undefined : source[path];
      if (path === undefined || entry === undefined) {
        if (optional) continue;
        throw new Error(`${name} (needed by ${who}) is not in ${request.lockfile}: run npm install there`);
      }
      if (entry.link === true) {
        if (provided.has(name)) continue;
        throw new Error(`${name} (needed by ${who}) is a link in ${request.lockfile}; install its tarball alongside`);
      }
      if (seen.has(path)) continue;
      seen.add(path);
      const { dev: _dev, devOptional: _devOptional, peer: _peer, ...kept } = entry;
      packages[installPath(path)] = kept;
      visit(path, needs(entry), `${name}@${entry.version ?? '?'}`);
    }
  };
  for (const { tarball, dev } of request.tarballs ?? []) {
    const spec = `file:${relative(request.dir, tarball.file)}`;
    (dev ? devDependencies : dependencies)[tarball.name] = spec;
    const m = tarball.manifest;
    packages[`node_modules/${tarball.name}`] = Object.fromEntries(
      Object.entries({
        version: m.version,
        resolved: spec,
        integrity: tarball.integrity,
        license: m.license,
        dependencies: m.dependencies,
        optionalDependencies: m.optionalDependencies,
        peerDependencies: m.peerDependencies,
        bin: m.bin,
        engines: m.engines,
      }).filter(([, v]) => v !== undefined),
    );
    visit(tarball.lockPath, needs(m), `${m.name}@${m.version}`);
  }
  for (const [name, version] of Object.entries(request.packages ?? {})) {
    dependencies[name] = version;
    const path = resolve('', name);
    const found = path === undefined ? undefined : source[path]?.version;
    if (found !== version) throw new Error(`${request.lockfile} has ${name}@${found ?? 'nothing'} at its root, not ${version}`);
    visit('', [{ name, optional: false }], 'the install folder');
  }
  const root = {
    name: 'packed-install',
    version: '1.0.0',
    ...(Object.keys(dependencies).length > 0 ? { dependencies } : {}),
    ...(Object.keys(devDependencies).length > 0 ? { devDependencies } : {}),
  };
  const sorted = Object.fromEntries(Object.entries(packages).sort(([a], [b]) => (a < b ? -1 : 1)));
  return {
    manifest: { ...root, private: true },
    lock: { name: root.name, version: root.version, lockfileVersion: 3, requires: true, packages: { '': root, ...sorted } },
  };
}

/**
 * Installs `request` in the empty folder `request.dir` as a user's project:
 * a package.json and a package-lock.json (see {@link cutLockfile}), then
 * `npm ci --offline` (`--prefer-offline` only if the cache lacks something).
 */
export async function installInEmptyFolder(request: InstallRequest): Promise<InstallResult> {
  mkdirSync(request.dir, { recursive: true });
  if (readdirSync(request.dir).length > 0) throw new Error(`${request.dir} is not empty`);
  const { manifest, lock } = cutLockfile(request);
  writeFileSync(join(request.dir, 'package.json'), `${JSON.stringify(manifest, null, 2)}\n`);
  writeFileSync(join(request.dir, 'package-lock.json'), `${JSON.stringify(lock, null, 2)}\n`);
  const args = (mode: InstallMode): string[] => [
    'ci',
    `--${mode}`,
    '--no-audit',
    '--no-fund',
    '--omit-lockfile-registry-resolved',
    ...(request.omitDev ? ['--omit=dev'] : []),
  ];
  try {
    const run = await npm(args('offline'), request.dir);
    return { dir: request.dir, mode: 'offline', ms: Math.round(run.ms) };
  } catch (err) {
    if (!(err instanceof NpmError) || !err.output.includes('ENOTCACHED')) throw err;
    process.stderr.write(`packed-install: the npm cache lacks a package for ${request.dir}; npm ci --prefer-offline\n`);
    const run = await npm(args('prefer-offline'), request.dir);
    return { dir: request.dir, mode: 'prefer-offline', ms: Math.round(run.ms) };
  }
}

/** What is in `dir`/node_modules: size, packages, native files, forbidden packages (see {@link NodeModulesFacts}). */
export function inspectNodeModules(dir: string): NodeModulesFacts {
  const top = join(dir, 'node_modules');
  const inodes = new Set<string>();
  const packages: string[] = [];
  const nativeFiles: string[] = [];
  let bytes = 0;
  const walk = (path: string, isPackageRoot: boolean): void => {
    const st = lstatSync(path);
    const inode = `${st.dev}:${st.ino}`;
    if (!inodes.has(inode)) {
      inodes.add(inode);
      bytes += st.size;
    }
    if (st.isFile() && NATIVE_FILE.test(path)) nativeFiles.push(relative(top, path));
    if (!st.isDirectory()) return;
    if (isPackageRoot && existsSync(join(path, 'package.json'))) {
      const { name, version } = readJson<{ name?: string; version?: string }>(join(path, 'package.json'));
      packages.push(`${name ?? relative(top, path)}@${version ?? '?'}`);
    }
    for (const entry of readdirSync(path)) {
      const child = join(path, entry);
      // Package roots: node_modules/<name>, node_modules/@scope/<name>, at any depth.
      const parentIsModules = path.endsWith('/node_modules') || path === top;
      const parentIsScope = /\/node_modules\/@[^/]+$/.test(path);
      walk(child, (parentIsModules && !entry.startsWith('@') && !entry.startsWith('.')) || parentIsScope);
    }
  };
  walk(top, false);
  const forbidden = (spec: string): boolean => {
    const name = spec.slice(0, spec.lastIndexOf('@'));
    return FORBIDDEN_PACKAGES.some((f) => (f.endsWith('/*') ? name.startsWith(f.slice(0, -1)) : name === f));
  };
  packages.sort();
  return { bytes, packages, nativeFiles: nativeFiles.sort(), forbiddenPackages: packages.filter(forbidden) };
}

/**
 * The environment of a process run in an install folder, as a user's: no
 * Node options or npm variables from the test run, no Google credentials or
 * project, no emulator variables, no metadata-server probe, and HOME an empty
 * folder (no application default credentials file is found).
 */
export function installedEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) {
    if (
      v === undefined ||
      k === 'NODE_OPTIONS' ||
      /^(npm_|GOOGLE_|GCLOUD_|CLOUDSDK_|VISION_EMULATOR)/i.test(k) ||
      k === 'STORAGE_EMULATOR_HOST'
    )
      continue;
    env[k] = v;
  }
  const home = join(writableScratch(), 'home');
  mkdirSync(home, { recursive: true });
  return { ...env, HOME: home, METADATA_SERVER_DETECTION: 'none', NO_COLOR: '1', ...extra };
}

/** The scratch folder of this process tree: `owned` when this process made it (and removes it at exit). */
let scratchFolder: { readonly dir: string; readonly owned: boolean } | undefined;
/** A scratch folder of this process's own (for installs not found in an inherited one). */
let ownScratch: string | undefined;

/** This process's own scratch folder under os.tmpdir(), made on first use and removed when the process exits. */
function makeOwnScratch(): string {
  if (ownScratch === undefined) {
    const dir = mkdtempSync(join(tmpdir(), 'vision-kit-packed-'));
    ownScratch = dir;
    process.once('exit', () => rmSync(dir, { recursive: true, force: true }));
  }
  return ownScratch;
}

/** The scratch folder named by VISION_KIT_PACKED_INSTALLS if it exists, else this process's own (then named there for children). */
function scratch(): { readonly dir: string; readonly owned: boolean } {
  if (scratchFolder === undefined) {
    const inherited = process.env[PACKED_INSTALLS_ENV];
    if (inherited !== undefined && inherited !== '' && existsSync(inherited)) scratchFolder = { dir: inherited, owned: false };
    else {
      scratchFolder = { dir: makeOwnScratch(), owned: true };
      process.env[PACKED_INSTALLS_ENV] = scratchFolder.dir;
    }
  }
  return scratchFolder;
}

/**
 * A new empty folder named after `name` under this process's own scratch
 * folder (in os.tmpdir(); removed when the process exits).
 */
export function temporaryFolder(name: string): string {
  return mkdtempSync(join(makeOwnScratch(), `${name}-`));
}

/** Where this process writes: the scratch folder if it owns it, else a folder of its own. */
function writableScratch(): string {
  const s = scratch();
  return s.owned ? s.dir : makeOwnScratch();
}

const tarballs = new Map<string, Promise<PackedTarball>>();
const installs = new Map<InstallKind, Promise<PackedInstall>>();

/** A descriptor left by another process of the tree, if its files still exist. */
function inherited<T extends { file?: string; dir?: string }>(name: string): T | undefined {
  const s = scratch();
  const descriptor = join(s.dir, `${name}.json`);
  if (s.owned || !existsSync(descriptor)) return undefined;
  const value = readJson<T>(descriptor);
  return (value.file === undefined || existsSync(value.file)) && (value.dir === undefined || existsSync(value.dir)) ? value : undefined;
}

/** Leaves `value` as the descriptor `name` for child processes (only in a scratch folder this process owns). */
function record<T>(name: string, value: T): T {
  const s = scratch();
  if (s.owned) writeFileSync(join(s.dir, `${name}.json`), JSON.stringify(value));
  return value;
}

/** The library's tarball (`npm pack` of the repository root), packed once per process tree. */
export function packedLibrary(): Promise<PackedTarball> {
  return packedTarball('library', undefined);
}

/** The tools package's tarball (`npm pack --workspace tools`), packed once per process tree. */
export function packedTools(): Promise<PackedTarball> {
  return packedTarball('tools', 'tools');
}

/** Packs the root package or the workspace `workspace` once per process tree. */
function packedTarball(name: 'library' | 'tools', workspace: string | undefined): Promise<PackedTarball> {
  let p = tarballs.get(name);
  if (p === undefined) {
    p = (async () => {
      const found = inherited<PackedTarball>(`tarball-${name}`);
      if (found !== undefined) return found;
      const packed = await packPackage({ root: ROOT, workspace, dest: join(writableScratch(), 'tarballs') });
      return record(`tarball-${name}`, packed);
    })();
    tarballs.set(name, p);
  }
  return p;
}

/**
 * The install of `kind` (see the module comment), made once per process
 * tree; the folder is removed when the process that made it exits.
 */
export function packedInstall(kind: InstallKind): Promise<PackedInstall> {
  let p = installs.get(kind);
  if (p === undefined) {
    p = (async () => {
      const found = inherited<PackedInstall>(`install-${kind}`);
      if (found !== undefined) return found;
      const library = await packedLibrary();
      const tools = kind === 'library+tools' ? await packedTools() : undefined;
      const dir = join(writableScratch(), kind === 'library' ? 'library' : 'library-and-tools');
      const result = await installInEmptyFolder({
        dir,
        lockfile: library.lockfile,
        tarballs: [{ tarball: library }, ...(tools ? [{ tarball: tools, dev: true }] : [])],
        omitDev: kind === 'library',
      });
      const install: PackedInstall = { kind, dir, library, ...(tools ? { tools } : {}), mode: result.mode, installMs: result.ms };
      return record(`install-${kind}`, install);
    })();
    installs.set(kind, p);
  }
  return p;
}

/** What a child printed and how it ended. */
export interface InstalledRun {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs `file args…` in `cwd` with a user's environment. */
export function runInstalled(file: string, args: readonly string[], cwd: string, timeoutMs: number): Promise<InstalledRun> {
  const child = spawn(file, [...args], { cwd, env: installedEnv(), stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (c: Buffer) => (stdout += c.toString('utf8')));
  child.stderr.on('data', (c: Buffer) => (stderr += c.toString('utf8')));
  const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}
