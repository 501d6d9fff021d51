/** The package's entries (see `exports` in package.json), by output name. */
export declare const LIBRARY_ENTRIES: Readonly<Record<string, string>>;

/** Bundles the entries into `outdir` (dist/ or a scratch package's dist/): their files and dist/chunks. */
export declare function bundleLibrary(outdir: string): Promise<void>;
