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
    // REST reads Anys from JSON and keeps the messages they hold: no binary codec on this path.
    const kept = Object.entries(Object.values(result.metafile.outputs)[0]!.inputs).filter(([, i]) => i.bytesInOutput > 0);
    assert.deepEqual(
      kept.map(([p]) => p).filter((p) => /^src\/codec\/(binary-codec|wire)\.ts$/.test(p)),
      [],
    );
    assert.ok(inputs.includes('src/transport/rest-transport.ts'));
    assert.ok(inputs.includes('src/client/create-client.ts'));
    const text = result.outputFiles[0]?.text ?? '';
    assert.ok(!/\brequire\(/.test(text), 'no CommonJS require left in the bundle');
  });
});
