import assert from 'node:assert/strict';
import { build } from 'esbuild';
import { BROWSER_BUNDLE } from '../../scripts/browser-bundle.mjs';
import { nodeBuiltinsSpy } from '../support/node-builtins-spy.js';

describe('client: the browser entry', function () {
  this.timeout(30_000);

  it('bundles for the browser with no Node built-in, grpc-js, google-auth-library or ts-proto message module', async () => {
    const spy = nodeBuiltinsSpy();
    const result = await build({ ...BROWSER_BUNDLE, entryPoints: ['src/browser.ts'], plugins: [spy.plugin] });
    assert.deepEqual(result.errors, []);
    assert.deepEqual(spy.found, []);
    const inputs = Object.keys(result.metafile.inputs);
    const forbidden = inputs.filter((p) => /@grpc\/grpc-js|google-auth-library|gaxios|^gen\/google\//.test(p));
    assert.deepEqual(forbidden, []);
    assert.ok(inputs.includes('src/transport/rest-transport.ts'));
    assert.ok(inputs.includes('src/client/create-client.ts'));
    const text = result.outputFiles[0]?.text ?? '';
    assert.ok(!/\brequire\(/.test(text), 'no CommonJS require left in the bundle');
  });
});
