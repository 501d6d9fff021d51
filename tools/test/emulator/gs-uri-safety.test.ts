// gs:// URIs in Vision requests that would leave their bucket, and local
// paths or file:// URLs: refused with INVALID_ARGUMENT naming the field, on
// both transports, with nothing read or written (trees listed before/after).
import assert from 'node:assert/strict';
import { mkdir, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Code } from 'vision-kit';
import {
  listTree,
  type OfficialClients,
  officialClients,
  png,
  rejection,
  startTestEmulator,
  type TestEmulator,
  tempDir,
  WIRES,
} from './support/harness.js';

const BAD_URIS = [
  'gs://safe-bkt/../escape.png',
  'gs://safe-bkt/a/%2e%2e/%2e%2e/escape.png',
  'gs://safe-bkt/a\\..\\escape.png',
  'gs://safe-bkt/a\u0000b.png',
  'gs://safe-bkt//etc/passwd',
  'gs://safe-bkt/a%2f..%2fescape.png',
  'gs://../escape.png',
  'gs://UPPER/escape.png',
  '/etc/passwd',
  'file:///etc/passwd',
  './local.png',
  'C:\\Windows\\win.ini',
];

for (const wire of WIRES) {
  describe(`gs:// URI safety over ${wire}`, () => {
    let t: TestEmulator;
    let c: OfficialClients;
    let outside: string;
    const parent = `projects/safe-${wire}/locations/us-west1`;
    const snapshot = async () => [...(await listTree(t.dir)), ...(await listTree(outside))];
    before(async () => {
      t = await startTestEmulator({ opStepMs: 0 });
      c = officialClients(t.emu, wire);
      outside = await tempDir('vk-outside-');
      await writeFile(join(outside, 'secret.png'), await png(8, 8, [1, 1, 1]));
      await mkdir(join(t.dir, 'gcs', 'safe-bkt'), { recursive: true });
      await symlink(join(outside, 'secret.png'), join(t.dir, 'gcs', 'safe-bkt', 'link.png'));
      await c.productSearch.createProduct({ parent, productId: 'p', product: { displayName: 'p', productCategory: 'toys-v2' } });
    });
    after(async () => {
      await c.close();
      await t.close();
    });

    for (const uri of BAD_URIS) {
      it(`refuses ${JSON.stringify(uri)} in every field that takes a URI`, async () => {
        const before = await snapshot();
        const calls: [string, Promise<unknown>][] = [
          ['reference_image.uri', c.productSearch.createReferenceImage({ parent: `${parent}/products/p`, referenceImage: { uri } })],
          ['csv_file_uri', c.productSearch.importProductSets({ parent, inputConfig: { gcsSource: { csvFileUri: uri } } })],
          [
            'requests[0].image.source.image_uri',
            c.imageAnnotator.asyncBatchAnnotateImages({
              requests: [{ image: { source: { imageUri: uri } } }],
              outputConfig: { gcsDestination: { uri: 'gs://safe-bkt/out/' } },
            }),
          ],
          [
            'output_config.gcs_destination.uri',
            c.imageAnnotator.asyncBatchAnnotateImages({
              requests: [{ image: { source: { imageUri: 'gs://safe-bkt/x.png' } } }],
              outputConfig: { gcsDestination: { uri } },
            }),
          ],
          [
            'requests[0].input_config.gcs_source.uri',
            c.imageAnnotator.asyncBatchAnnotateFiles({
              requests: [
                {
                  inputConfig: { gcsSource: { uri }, mimeType: 'application/pdf' },
                  outputConfig: { gcsDestination: { uri: 'gs://safe-bkt/out/' } },
                },
              ],
            }),
          ],
        ];
        for (const [field, call] of calls) {
          const e = await rejection(call);
          assert.equal(e.code, Code.INVALID_ARGUMENT, `${field}: ${e.message}`);
          assert.ok(e.message.includes(field), `${field} named in: ${e.message}`);
        }
        const [sync] = await c.imageAnnotator.batchAnnotateImages({
          requests: [{ image: { source: { imageUri: uri } }, features: [{ type: 'IMAGE_PROPERTIES' }] }],
        });
        assert.equal(sync.responses![0]!.error?.code, Code.INVALID_ARGUMENT, JSON.stringify(sync.responses![0]!.error));
        assert.equal(t.emu.stats.operationStarts, 0);
        assert.deepEqual(await snapshot(), before);
      });
    }

    it('refuses a gs:// object that is a symlink out of its bucket', async () => {
      const before = await snapshot();
      const e = await rejection(
        c.productSearch.createReferenceImage({ parent: `${parent}/products/p`, referenceImage: { uri: 'gs://safe-bkt/link.png' } }),
      );
      assert.equal(e.code, Code.INVALID_ARGUMENT);
      assert.match(e.message, /symbolic link/);
      const [sync] = await c.imageAnnotator.batchAnnotateImages({
        requests: [{ image: { source: { imageUri: 'gs://safe-bkt/link.png' } }, features: [{ type: 'IMAGE_PROPERTIES' }] }],
      });
      assert.equal(sync.responses![0]!.error?.code, Code.INVALID_ARGUMENT);
      assert.deepEqual(await snapshot(), before);
    });
  });
}
