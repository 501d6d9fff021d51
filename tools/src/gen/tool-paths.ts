/**
 * Where the generator's tools are: the pinned `@bufbuild/buf` (its npm
 * package runs the platform's buf binary, so nothing is downloaded at run
 * time), `ts-proto`'s protoc plugin, the pinned googleapis protos
 * (`google-proto-files`) and the installed `vision-kit`, whose generated
 * modules the output imports. All are dependencies of vision-kit-tools and
 * are found from this package's own location, as an installed copy finds
 * them.
 */
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, isAbsolute, join } from 'node:path';

const require = createRequire(import.meta.url);

/** The npm package of googleapis protos the generator resolves `google/…` paths and imports from. */
export const GOOGLEAPIS_PACKAGE = 'google-proto-files';

/** The folder of an installed package (throws naming it when it is not installed). */
export function packageDir(name: string): string {
  try {
    return dirname(require.resolve(`${name}/package.json`));
  } catch {
    throw new Error(`package "${name}" is not installed; install vision-kit-tools with its dependencies (npm ci)`);
  }
}

/** A command as argv: the Node binary and a script, so no file needs its executable bit. */
export type Command = readonly string[];

/** The `buf` CLI of the pinned `@bufbuild/buf` package. */
export function bufCommand(): Command {
  const script = join(packageDir('@bufbuild/buf'), 'bin', 'buf');
  if (!existsSync(script)) throw new Error(`${script} is missing; reinstall @bufbuild/buf`);
  return [process.execPath, script];
}

/** ts-proto's protoc plugin (`protoc-gen-ts_proto`) of the pinned `ts-proto` package. */
export function tsProtoPlugin(): Command {
  const script = join(packageDir('ts-proto'), 'protoc-gen-ts_proto');
  if (!existsSync(script)) throw new Error(`${script} is missing; reinstall ts-proto`);
  return [process.execPath, script];
}

/**
 * The googleapis proto folder: `source` is a package name (default
 * {@link GOOGLEAPIS_PACKAGE}) or an absolute folder laid out like it.
 */
export function googleapisDir(source: string = GOOGLEAPIS_PACKAGE): string {
  if (isAbsolute(source)) {
    if (!existsSync(source)) throw new Error(`proto folder ${source} does not exist`);
    return source;
  }
  try {
    return dirname(require.resolve(`${source}/package.json`));
  } catch {
    throw new Error(`package "${source}" is not installed; run npm ci`);
  }
}

/** The installed `vision-kit` package's folder. */
export function visionKitDir(): string {
  return packageDir('vision-kit');
}
