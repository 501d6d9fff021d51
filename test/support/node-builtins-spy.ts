/**
 * An esbuild plugin that records every Node built-in a bundle tries to
 * import (with the importing file), for the tests that hold the browser
 * code free of Node.
 */
import { builtinModules } from 'node:module';
import type { Plugin } from 'esbuild';

const BUILTINS = new Set(builtinModules.flatMap((m) => [m, `node:${m}`]));

/** A plugin for one build and the list it fills (`built-in (from importer)`). */
export function nodeBuiltinsSpy(): { readonly plugin: Plugin; readonly found: string[] } {
  const found: string[] = [];
  const plugin: Plugin = {
    name: 'node-builtins-spy',
    setup(build) {
      build.onResolve({ filter: /.*/ }, (args) => {
        if (BUILTINS.has(args.path)) found.push(`${args.path} (from ${args.importer})`);
        return undefined;
      });
    },
  };
  return { plugin, found };
}
