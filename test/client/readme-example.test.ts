/**
 * The README's example (the lead pastes it from the clients report), run
 * against the emulator: one method over gRPC, then the same over REST.
 * Only the endpoints differ from the README text (free ports here).
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startEmulator, type RunningEmulator } from '../../src/emulator/emulator.js';
import { createClient, createGrpcTransport, createRestTransport, paginate, ProductSearch } from '../../src/index.js';

describe('client: the README example', function () {
  this.timeout(20_000);
  let emulator: RunningEmulator;
  let dataDir: string;
  before(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'vk-readme-'));
    emulator = await startEmulator({ grpcPort: 0, httpPort: 0, dataDir, log: () => undefined });
  });
  after(async () => {
    await emulator?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('runs as written', async () => {
    const lines: string[] = [];
    const console = { log: (...a: unknown[]) => lines.push(a.join(' ')) };
    const [grpcEndpoint, restBaseUrl] = [emulator.grpcAddress, emulator.httpUrl];

    // ---- README example (endpoints: '127.0.0.1:8089' and 'http://127.0.0.1:8090') ----
    const parent = 'projects/demo/locations/us-west1';

    // gRPC (Node): @grpc/grpc-js under the hood, typed by the generated definitions
    const grpc = createClient(ProductSearch, createGrpcTransport({ endpoint: grpcEndpoint }));
    const shoe = await grpc.createProduct({ parent, productId: 'shoe', product: { displayName: 'Shoe', productCategory: 'apparel-v2' } });

    // REST/JSON over fetch (browser-safe): the same client API, the same types
    const rest = createClient(ProductSearch, createRestTransport({ baseUrl: restBaseUrl }));
    const same = await rest.getProduct({ name: shoe.name }); // Promise<Product>, deep-equal to `shoe`
    for await (const p of paginate(rest.listProducts, { parent })) console.log(p.name, p.displayName);
    // ---- end of the README example ----

    assert.deepStrictEqual(same, shoe);
    assert.deepEqual(lines, ['projects/demo/locations/us-west1/products/shoe Shoe']);
  });
});
