import type { BuildOptions } from 'esbuild';

/** esbuild options for a package's Node entries (entries, outdir, define and working folder are the caller's). */
export declare const NODE_BUNDLE: Readonly<BuildOptions>;

/** Writes the type declarations of the tsc project `project` (run in `cwd`); errors only warn, naming `label`. */
export declare function emitDeclarations(project: string, cwd: string, label: string): void;
