import assert from 'node:assert/strict';
import { builtinModules } from 'node:module';
import { build, type Plugin } from 'esbuild';
import { BROWSER_BUNDLE } from '../../scripts/browser-bundle.mjs';

const builtins = new Set(builtinModules.flatMap((m) => [m, `node:${m}`]));

describe('client: the browser entry', function () {
  this.timeout(30_000);

  it('bundles for the browser with no Node built-in, grpc-js, google-auth-library or ts-proto message module', async () => {
    const nodeImports: string[] = [];
    const spy: Plugin = {
      name: 'node-builtins',
      setup(b) {
        b.onResolve({ filter: /.*/ }, (args) => {
          if (builtins.has(args.path)) nodeImports.push(`${args.path} (from ${args.importer})`);
          return undefined;
        });
      },
    };
    const result = await build({ ...BROWSER_BUNDLE, entryPoints: ['src/browser.ts'], plugins: [spy] });
    assert.deepEqual(result.errors, []);
    assert.deepEqual(nodeImports, []);
    const inputs = Object.keys(result.metafile.inputs);
    const forbidden = inputs.filter((p) => /@grpc\/grpc-js|google-auth-library|gaxios|^gen\/google\//.test(p));
    assert.deepEqual(forbidden, []);
    assert.ok(inputs.includes('src/transport/rest-transport.ts'));
    assert.ok(inputs.includes('src/client/create-client.ts'));
    const text = result.outputFiles[0]?.text ?? '';
    assert.ok(!/\brequire\(/.test(text), 'no CommonJS require left in the bundle');
  });
});
