/** The project's root folder. */
export declare const ROOT: string;
/** esbuild options shared by every browser bundle we measure (entry and plugins are the caller's). */
export declare const BROWSER_BUNDLE: Readonly<{
  absWorkingDir: string;
  bundle: true;
  format: 'esm';
  platform: 'browser';
  target: 'es2022';
  minify: true;
  write: false;
  metafile: true;
  logLevel: 'silent';
  define: Readonly<Record<string, string>>;
}>;
