// The import rules of the repository, checked by `npm run lint:deps` (part of
// `npm test`). CONTRIBUTING.md ("Layers") explains them; this file is where
// they are enforced.
//
// The library's folders form layers: a module may import its own layer and
// the layers before it, never one after it. `serving` and `transport` sit side
// by side and do not import each other.
const LAYERS = [
  ['core'],
  ['schema'],
  ['codec'],
  ['transcoding'],
  ['transport', 'serving'],
  ['lro'],
  ['client'],
  ['cli'],
];

/** The modules that run in browsers (the Node-only transports are grpc-*, node-*, create-transport and google-auth). */
const BROWSER_SAFE =
  '^(src/(browser|codec|transcoding|testing)[.]ts|src/(core|schema|codec|transcoding|lro|client)/|src/transport/(?!grpc-|node-|create-transport|google-auth)|tools/src/(workflow|demo)/)';

/** Forbids each layer's imports of the layers after it and of its siblings. */
function layerRules() {
  const rules = [];
  LAYERS.forEach((layer, i) => {
    const later = LAYERS.slice(i + 1).flat();
    for (const folder of layer) {
      const forbidden = [...later, ...layer.filter((f) => f !== folder)];
      if (forbidden.length === 0) continue;
      rules.push({
        name: `layer-${folder}`,
        comment: `src/${folder}/ may import only the layers before it (see LAYERS in .dependency-cruiser.cjs)`,
        severity: 'error',
        from: { path: `^src/${folder}/` },
        to: { path: `^src/(${forbidden.join('|')})/` },
      });
    }
  });
  return rules;
}

module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      comment: 'No import cycles, type-only imports included.',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
    ...layerRules(),
    {
      name: 'entries-not-imported',
      comment: 'The entry files (src/*.ts) are for users; modules import the module that defines a thing.',
      severity: 'error',
      from: { path: '^(src|tools/src)/', pathNot: '^src/[^/]+[.]ts$' },
      to: { path: '^src/[^/]+[.]ts$', dependencyTypes: ['local'] },
    },
    {
      name: 'generated-code-stands-alone',
      comment: 'gen/ is generated from the protos and imports nothing of ours.',
      severity: 'error',
      from: { path: '^gen/' },
      to: { path: '^(src|tools)/' },
    },
    {
      name: 'library-not-on-tools',
      comment: 'The library never imports the tools package (the tools depend on the library).',
      severity: 'error',
      from: { path: '^src/' },
      to: { path: '^tools/' },
    },
    {
      name: 'tools-through-package-entries',
      comment: 'The tools package uses the library by its package name (vision-kit, vision-kit/…), as an installed copy is used.',
      severity: 'error',
      from: { path: '^tools/src/' },
      to: { path: '^(src|gen)/', dependencyTypes: ['local'] },
    },
    {
      name: 'browser-code-has-no-node',
      comment:
        'What runs in browsers reaches no Node built-in, grpc-js or google-auth-library: the browser-safe entries and every folder they draw on (all of the library but cli/, serving/ and the Node-only transports), the workflow and the demo page.',
      severity: 'error',
      from: { path: BROWSER_SAFE },
      to: { dependencyTypes: ['core'] },
    },
    {
      name: 'browser-code-has-no-node-packages',
      comment: 'The same for the Node-only packages.',
      severity: 'error',
      from: { path: BROWSER_SAFE },
      to: { path: '(^|/)node_modules/(@grpc/grpc-js|google-auth-library|undici)/' },
    },
  ],
  options: {
    parser: 'swc',
    tsPreCompilationDeps: true,
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '(^|/)(dist|node_modules)/' },
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['vision-kit-source', 'import', 'types', 'node', 'default'],
      extensions: ['.ts', '.js', '.mjs', '.d.ts'],
    },
    reporterOptions: { text: { highlightFocused: true } },
  },
};
