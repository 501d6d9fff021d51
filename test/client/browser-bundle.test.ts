import assert from 'node:assert/strict';
import { build } from 'esbuild';
import {
  BROWSER_APPS,
  bundleForBrowser,
  IMAGE_ANNOTATOR_APP_CEILING,
  IMAGE_ANNOTATOR_APP_GOAL,
  measureBrowserApps,
} from '../../scripts/bench/browser-apps.js';
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
    // REST reads Anys from JSON and keeps the messages they hold: no binary codec on this path; and Node's
    // reasons for a failed connection are the Node entry's (a browser's fetch gives none).
    const kept = Object.entries(Object.values(result.metafile.outputs)[0]!.inputs).filter(([, i]) => i.bytesInOutput > 0);
    assert.deepEqual(
      kept.map(([p]) => p).filter((p) => /^src\/codec\/(binary-codec|wire)\.ts$|^src\/transport\/connect-failure\.ts$/.test(p)),
      [],
    );
    assert.ok(inputs.includes('src/transport/rest-transport.ts'));
    assert.ok(inputs.includes('src/client/create-client.ts'));
    const text = result.outputFiles[0]?.text ?? '';
    assert.ok(!/\brequire\(/.test(text), 'no CommonJS require left in the bundle');
  });

  /** An app that makes one client and calls it, importing from `from` (a path relative to the repository). */
  const clientApp = (imports: string): string => `${imports}
const client = createClient(ProductSearch, createRestTransport({ baseUrl: 'http://127.0.0.1:1' }));
client.getProduct({ name: 'projects/p/locations/us-west1/products/x' }).then((p) => console.log(p.displayName));
`;
  const bundleApp = async (contents: string) => {
    const result = await build({
      ...BROWSER_BUNDLE,
      stdin: { contents, resolveDir: BROWSER_BUNDLE.absWorkingDir, loader: 'ts', sourcefile: 'app.ts' },
    });
    assert.deepEqual(result.errors, []);
    const output = Object.values(result.metafile.outputs)[0];
    assert.ok(output);
    const library = Object.fromEntries(
      Object.entries(output.inputs)
        .filter(([file, info]) => file !== 'app.ts' && info.bytesInOutput > 0)
        .map(([file, info]) => [file, info.bytesInOutput]),
    );
    return { bytes: result.outputFiles[0]?.contents.length ?? 0, inputs: output.inputs, library };
  };

  it("an app that imports only a client pays nothing for the entry's other exports (enums, types, time and name helpers)", async () => {
    const viaEntry = await bundleApp(clientApp("import { createClient, createRestTransport, ProductSearch } from './src/browser.ts';"));
    const direct = await bundleApp(
      clientApp(`import { createClient } from './src/client/create-client.ts';
import { createRestTransport } from './src/transport/rest-transport.ts';
import { ProductSearch } from './src/schema/service-descriptor.ts';`),
    );
    // The same modules as an app importing the three modules directly, and the same size but for the
    // minifier's choice of short names (a few bytes either way).
    assert.deepEqual(Object.keys(viaEntry.library).sort(), Object.keys(direct.library).sort());
    const sum = (m: Record<string, number>): number => Object.values(m).reduce((a, b) => a + b, 0);
    assert.ok(Math.abs(sum(viaEntry.library) - sum(direct.library)) <= 64, `${sum(viaEntry.library)} vs ${sum(direct.library)} bytes`);
    for (const module of [
      'src/schema/enums.ts',
      'src/schema/message-types.ts',
      'src/client/timestamp.ts',
      'src/client/duration.ts',
      'src/client/time-value.ts',
      'src/client/resource-names.ts',
      'gen/schema/resources.ts',
    ]) {
      assert.equal(viaEntry.inputs[module]?.bytesInOutput ?? 0, 0, `${module} is not in the bundle`);
    }
  });

  it('an app that imports one enum carries that enum and not the others', async () => {
    const one = await bundleApp("import { Feature_Type } from './src/browser.ts';\nconsole.log(Feature_Type.CROP_HINTS);\n");
    const all = await bundleApp(
      "import * as vk from './src/browser.ts';\nconsole.log(vk.Feature_Type, vk.Likelihood, vk.OperationMetadata_State, vk.BatchOperationMetadata_State, vk.Block_BlockType, vk.TextAnnotation_DetectedBreak_BreakType, vk.FaceAnnotation_Landmark_Type);\n",
    );
    const oneBytes = one.library['src/schema/enums.ts'] ?? 0;
    const allBytes = all.library['src/schema/enums.ts'] ?? 0;
    assert.ok(oneBytes > 0 && oneBytes * 2 < allBytes, `one enum: ${oneBytes} bytes of enums.ts; all seven: ${allBytes}`);
  });

  it("an app carries the tables of the services it uses and no others' (the packs of gen/schema/packed.ts)", async () => {
    const image = await bundleForBrowser(BROWSER_APPS.imageAnnotator, { conditions: ['vision-kit-source'] });
    const products = await bundleForBrowser(BROWSER_APPS.productSearch, { conditions: ['vision-kit-source'] });
    for (const app of [image, products]) {
      const inputs = Object.values(app.metafile.outputs)[0]!.inputs;
      for (const full of ['gen/schema/messages.ts']) assert.equal(inputs[full]?.bytesInOutput ?? 0, 0, `${full} is not in the bundle`);
      assert.ok((inputs['gen/schema/packed.ts']?.bytesInOutput ?? 0) > 0);
    }
    assert.ok(image.text.includes('AsyncBatchAnnotateImagesRequest'));
    for (const productOnly of ['CreateProductRequest', 'ReferenceImage ', 'PurgeProductsRequest']) {
      assert.ok(!image.text.includes(productOnly), `the ImageAnnotator app has no ${productOnly}`);
    }
    assert.ok(products.text.includes('CreateProductRequest'));
    for (const imageOnly of ['FaceAnnotation', 'AsyncBatchAnnotateImagesRequest', 'SafeSearchAnnotation']) {
      assert.ok(!products.text.includes(imageOnly), `the ProductSearch app has no ${imageOnly}`);
    }
  });

  it(`the minimal ImageAnnotator app, built from the package, stays within ${IMAGE_ANNOTATOR_APP_CEILING} bytes gzipped (the goal: ${IMAGE_ANNOTATOR_APP_GOAL})`, async () => {
    // Sizes are deterministic: the app (scripts/bench/apps/image-annotator.ts) against the library's bundles as they ship.
    const [image] = await measureBrowserApps(['imageAnnotator'], { top: 3 });
    assert.ok(
      image!.gzippedBytes <= IMAGE_ANNOTATOR_APP_CEILING,
      `${image!.gzippedBytes} B gzipped; the largest inputs: ${image!.fromSource.top.map((t) => `${t.input} ${t.bytes}`).join(', ')}`,
    );
  });
});
