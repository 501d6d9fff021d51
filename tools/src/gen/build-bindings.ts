/**
 * The generator's core, in memory: inputs → the compile set of .proto files
 * → buf's descriptor image (streaming methods left out) → ts-proto's modules
 * (only those the output needs; vision-kit's own imported by package name)
 * → the gen-time tables. Nothing here writes outside a temporary folder it
 * removes; `write-bindings.ts` puts the result in place or compares it.
 *
 * Steps, each named in its one-line error:
 *   locate    the tools, the googleapis protos, vision-kit's modules, the inputs
 *   export    the inputs' files and every import, compiled by `buf build`
 *   generate  ts-proto through `buf generate` on the image
 *   tables    schema/messages.ts, services.ts (with the service configs'
 *             Operations routes), resources.ts, operations.ts, and for a
 *             user's bindings index.ts (bindings-index.ts)
 */
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { renderIndex } from './bindings-index.js';
import { bufBuild, bufGenerate } from './buf.js';
import { type DescriptorImage, type SkippedMethod, withoutStreaming } from './descriptor-image.js';
import { GenStepError, runStep } from './gen-error.js';
import { collectSources, resolveInputs } from './proto-sources.js';
import { type RuntimeModules, tsFileOf, visionKitModules } from './runtime-modules.js';
import { selectModules } from './select-modules.js';
import { readServiceConfig, type ServiceConfig } from './service-config.js';
import { configures } from './tables/api-http-config.js';
import { renderTables } from './tables/render-tables.js';
import { bufCommand, type Command, googleapisDir, tsProtoPlugin, visionKitDir } from './tool-paths.js';
import { TS_PROTO_OPTIONS } from './ts-proto-options.js';

/** What to generate bindings for. */
export interface BuildOptions {
  /** Proto folders or files on disk, or import paths such as `google/cloud/speech/v1` (see `proto-sources.ts`). */
  readonly inputs: readonly string[];
  /** Include folders imports are also resolved in (before the googleapis protos). */
  readonly includes?: readonly string[] | undefined;
  /**
   * Service configs (`<api>_<version>.yaml`, from the googleapis repository
   * beside the API's protos): their http rules give the generated services'
   * Operations routes and may replace methods' bindings (service-config.ts).
   */
  readonly serviceConfigs?: readonly string[] | undefined;
  /** Folder relative paths are read from; default `process.cwd()`. */
  readonly cwd?: string | undefined;
  /** The googleapis protos: a package name or an absolute folder laid out like it; default `google-proto-files`. */
  readonly googleapis?: string | undefined;
  /**
   * The generated modules the output imports instead of holding: default
   * the installed vision-kit's. `'self'` generates every module and declares
   * the tables' row types (vision-kit's own gen/).
   */
  readonly runtime?: RuntimeModules | 'self' | undefined;
  /** The protoc plugin to run instead of ts-proto's (the generator's own tests). */
  readonly plugin?: Command | undefined;
}

/** A generation's result, in memory. */
export interface BuiltBindings {
  /** The output files by path relative to the output folder: ts-proto's modules and `schema/…` tables. */
  readonly files: ReadonlyMap<string, string>;
  /** The compiled .proto files by import path, with their text. */
  readonly protos: ReadonlyMap<string, string>;
  /** The .proto files the inputs named (import paths, sorted). */
  readonly targets: readonly string[];
  /** Methods left out (streaming). */
  readonly skipped: readonly SkippedMethod[];
  /**
   * Services of the inputs with methods that return a long-running
   * operation, but no service config to give their Operations routes (full
   * names, sorted): their clients poll at Vision's routes, the default.
   */
  readonly unroutedOperations: readonly string[];
  /** Milliseconds per step. */
  readonly timings: Readonly<Record<string, number>>;
}

/** The services of `targets` that return long-running operations and that none of `configs` configures (see BuiltBindings). */
function unroutedOperations(image: DescriptorImage, targets: readonly string[], configs: readonly ServiceConfig[]): string[] {
  const wanted = new Set(targets);
  return image.file
    .filter((f) => wanted.has(f.name))
    .flatMap((f) =>
      (f.service ?? [])
        .filter((s) => (s.method ?? []).some((m) => m.outputType === '.google.longrunning.Operation'))
        .map((s) => `${f.package ? `${f.package}.` : ''}${s.name}`),
    )
    .filter((name) => !configs.some((c) => configures(c, name)))
    .sort();
}

/** Builds the bindings for `options` in memory (see the module comment). Rejects only with a GenStepError. */
export async function buildBindings(options: BuildOptions): Promise<BuiltBindings> {
  const timings: Record<string, number> = {};
  const timed = async <T>(name: string, fn: () => T | Promise<T>): Promise<T> => {
    const t0 = performance.now();
    try {
      return await runStep(name, fn);
    } finally {
      timings[name] = (timings[name] ?? 0) + Math.round(performance.now() - t0);
    }
  };
  const cwd = options.cwd ?? process.cwd();
  const located = await timed('locate', () => {
    const googleapis = googleapisDir(options.googleapis);
    const runtime = options.runtime ?? visionKitModules(visionKitDir());
    const pinned = runtime === 'self' ? new Set<string>() : runtime.files;
    const sourceOptions = { cwd, includes: options.includes ?? [], googleapis, pinned };
    const { targets, roots } = resolveInputs(options.inputs, sourceOptions);
    const serviceConfigs = (options.serviceConfigs ?? []).map((file) => readServiceConfig(file, resolve(cwd, file)));
    return {
      serviceConfigs,
      buf: bufCommand(),
      plugin: options.plugin ?? tsProtoPlugin(),
      runtime,
      targets,
      roots,
      sourceOptions,
    };
  });
  const work = mkdtempSync(join(tmpdir(), 'vision-kit-gen-'));
  try {
    const { sources, image, skipped } = await timed('export', async () => {
      const sources = collectSources(located.targets, located.roots, located.sourceOptions);
      const src = join(work, 'src');
      for (const [path, file] of sources.files) {
        mkdirSync(dirname(join(src, path)), { recursive: true });
        cpSync(file, join(src, path));
      }
      const built = withoutStreaming(await bufBuild(located.buf, src));
      writeFileSync(join(work, 'image.json'), JSON.stringify(built.image));
      return { sources, ...built };
    });
    const { runtime } = located;
    const modules = await timed('generate', async () => {
      const generated = await bufGenerate(located.buf, join(work, 'image.json'), located.plugin, TS_PROTO_OPTIONS, join(work, 'out'));
      return runtime === 'self' ? generated : selectModules(generated, located.targets, runtime);
    });
    const tables = await timed('tables', () =>
      renderTables(image, {
        inScope: (file) => modules.has(tsFileOf(file)),
        // A binding holds a module only because a type of it is used, so all of them are tabled (even google.api.LaunchStage).
        tabled: runtime === 'self' ? undefined : () => true,
        typesFrom: runtime === 'self' ? undefined : `${runtime.specifier}/schema`,
        moduleOf: (file) => {
          if (runtime === 'self') throw new Error(`${file} is not among the generated modules`);
          return `${runtime.specifier}/${file.replace(/\.proto$/, '.js')}`;
        },
        serviceConfigs: located.serviceConfigs,
        packed: runtime === 'self',
      }),
    );
    // A user's bindings also get index.ts (descriptors, registration); vision-kit's own descriptors are in src/.
    if (runtime !== 'self')
      tables.set(
        'index.ts',
        renderIndex(image, (file) => modules.has(tsFileOf(file))),
      );
    for (const path of tables.keys()) {
      if (modules.has(path))
        throw new GenStepError('tables', `${path}: a generated module has the path of a table; rename its proto folder`);
    }
    const protos = new Map([...sources.files].map(([path, file]) => [path, readFileSync(file, 'utf8')] as const));
    return {
      files: new Map([...modules, ...tables]),
      protos,
      targets: located.targets,
      skipped,
      unroutedOperations: unroutedOperations(image, located.targets, located.serviceConfigs),
      timings,
    };
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}
