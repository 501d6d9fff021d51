// The esbuild options both packages' Node builds share (scripts/build.mjs,
// tools/scripts/build.mjs): ESM for Node 20, code splitting into dist/chunks
// so each module exists once however many entries import it, and every
// package left external (an installed copy uses the installed dependencies).

/** esbuild options for a package's Node entries (entries, outdir, define and working folder are the caller's). */
export const NODE_BUNDLE = Object.freeze({
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  packages: 'external',
  logLevel: 'warning',
  chunkNames: 'chunks/[name]-[hash]',
});
