import type { BuildOptions } from 'esbuild';

/** esbuild options for a package's Node entries (entries, outdir, define and working folder are the caller's). */
export declare const NODE_BUNDLE: Readonly<BuildOptions>;
