/**
 * The types a user holds, from the packed library installed alone with
 * `--omit=dev` in an empty app (test/support/packed-install.ts): a program
 * using the exported message types, enums by value and by name, `enumName`,
 * typed `findDetail`, resource names and the Timestamp helpers compiles
 * with `tsc --strict` under both `nodenext` and `bundler` resolution (and a
 * wrong enum name does not, and a client's type is shown by its name), then runs with plain `node` against the
 * emulator over gRPC and over REST, printing the same results.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type RunningEmulator, startEmulator } from '../../tools/src/emulator/emulator.js';
import { installedEnv, type PackedInstall, packedInstall, ROOT } from '../support/packed-install.js';

/** The program: `node app.mjs grpc|rest <endpoint>` prints one JSON line. */
const APP = `import {
  createClient,
  createGrpcTransport,
  createRestTransport,
  enumName,
  Feature_Type,
  ImageAnnotator,
  Likelihood,
  locationName,
  OperationMetadata_State,
  productName,
  ProductSearch,
  timestampToDate,
  type AnnotateImageResponse,
  type BadRequest_FieldViolation,
  type Feature,
  type OperationMetadata,
  type Product,
  type RequestInput,
  type Transport,
  VisionError,
} from 'vision-kit';

declare const process: { readonly argv: readonly string[] };

const [kind, target] = process.argv.slice(2);
if (kind === undefined || target === undefined) throw new Error('usage: app.mjs grpc|rest <endpoint>');
const transport: Transport = kind === 'grpc' ? createGrpcTransport({ endpoint: target }) : createRestTransport({ baseUrl: target });
const search = createClient(ProductSearch, transport);
const images = createClient(ImageAnnotator, transport);

const parent: string = locationName('demo', kind === 'grpc' ? 'us-west1' : 'us-east1');
const product: Product = await search.createProduct({ parent, productId: 'shoe', product: { displayName: 'Shoe', productCategory: 'apparel-v2' } });
const parts = productName.parse(product.name);

let violations: BadRequest_FieldViolation[] | undefined;
try {
  await search.getProduct({ name: 'products/shoe' });
} catch (err) {
  if (err instanceof VisionError) violations = err.findDetail('google.rpc.BadRequest')?.value?.fieldViolations;
}

const byName: RequestInput<Feature> = { type: 'IMAGE_PROPERTIES', maxResults: 3 };
const lro = await images.asyncBatchAnnotateImages({
  requests: [{ image: { source: { imageUri: 'gs://packed-types/none.png' } }, features: [byName, { type: Feature_Type.CROP_HINTS }] }],
  outputConfig: { gcsDestination: { uri: 'gs://packed-types-out/' + kind + '/' } },
});
const states: string[] = [];
const result = await lro.wait({
  timeout: 30_000,
  onProgress: (m: OperationMetadata) => states.push(enumName(OperationMetadata_State, m.state) ?? String(m.state)),
});
const metadata: OperationMetadata | undefined = lro.metadata;
const created = metadata?.createTime === undefined ? undefined : timestampToDate(metadata.createTime);
const sync: AnnotateImageResponse | undefined = (
  await images.batchAnnotateImages({ requests: [{ image: { source: { imageUri: 'gs://packed-types/none.png' } }, features: [{ type: 'LABEL_DETECTION' }] }] })
).responses[0];
const likely: Likelihood = Likelihood.VERY_LIKELY;

console.log(JSON.stringify({
  product: product.name,
  parts,
  violations: violations?.map((v) => [v.field, v.description]),
  finalState: enumName(OperationMetadata_State, metadata?.state ?? 0),
  sawDone: states.includes('DONE'),
  createdIsDate: created instanceof Date && !Number.isNaN(created.getTime()),
  output: result?.outputConfig?.gcsDestination?.uri,
  syncError: typeof sync?.error?.message === 'string',
  likely: enumName(Likelihood, likely),
}));
transport.close();
`;

interface Run {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

function run(file: string, args: readonly string[], cwd: string): Promise<Run> {
  const child = spawn(file, [...args], { cwd, env: installedEnv(), stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (c: Buffer) => (stdout += c.toString('utf8')));
  child.stderr.on('data', (c: Buffer) => (stderr += c.toString('utf8')));
  const timer = setTimeout(() => child.kill('SIGKILL'), 90_000);
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

const TSC = join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc');
const STRICT = ['--strict', '--target', 'es2022', '--ignoreConfig'];
const NODENEXT = [...STRICT, '--module', 'nodenext', '--moduleResolution', 'nodenext'];
const BUNDLER = [...STRICT, '--module', 'esnext', '--moduleResolution', 'bundler'];

describe('packed install: the exported types, enum names and typed details in an app', function () {
  this.timeout(180_000);
  let install: PackedInstall;
  let emu: RunningEmulator;
  let dataDir: string;

  before(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'vk-packed-types-'));
    [install, emu] = await Promise.all([
      packedInstall('library'),
      startEmulator({ grpcPort: 0, httpPort: 0, dataDir, log: () => undefined, opStepMs: 1 }),
    ]);
    writeFileSync(join(install.dir, 'app.mts'), APP);
    writeFileSync(join(install.dir, 'wrong-enum.mts'), APP.replace("{ type: 'LABEL_DETECTION' }", "{ type: 'LABEL_DETECTOR' }"));
    writeFileSync(
      join(install.dir, 'message-as-value.mts'),
      `${APP.replace('  type Product,\n', '  Product,\n')}\nconsole.log(Product);\n`,
    );
    writeFileSync(join(install.dir, 'client-named.mts'), `${APP}\nexport const notANumber: number = images;\n`);
  });
  after(async () => {
    await emu?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  for (const [label, flags] of [
    ['nodenext', NODENEXT],
    ['bundler', BUNDLER],
  ] as const) {
    it(`tsc --strict with ${label} resolution accepts the app, and refuses a wrong enum name and a message used as a value`, async () => {
      const [good, wrongEnum, asValue, clientNamed] = await Promise.all([
        run(process.execPath, [TSC, ...flags, '--noEmit', 'app.mts'], install.dir),
        run(process.execPath, [TSC, ...flags, '--noEmit', 'wrong-enum.mts'], install.dir),
        run(process.execPath, [TSC, ...flags, '--noEmit', 'message-as-value.mts'], install.dir),
        run(process.execPath, [TSC, ...flags, '--noEmit', 'client-named.mts'], install.dir),
      ]);
      // A client's type is named in errors (and editors), not spelt out as the whole ts-proto definition.
      assert.match(
        clientNamed.stdout,
        /client-named\.mts\(\d+,\d+\): error TS2322: Type 'Client<ImageAnnotatorService, OperationTypes>' is not assignable to type 'number'/,
      );
      assert.equal(good.code, 0, `tsc accepts the app:\n${good.stdout}${good.stderr}`);
      assert.notEqual(wrongEnum.code, 0);
      assert.match(
        wrongEnum.stdout,
        /wrong-enum\.mts\(\d+,\d+\): error TS(2322|2769)\b[\s\S]*Type '"LABEL_DETECTOR"' is not assignable[\s\S]*Did you mean '"LABEL_DETECTION"'/,
      );
      assert.notEqual(asValue.code, 0);
      assert.match(asValue.stdout, /message-as-value\.mts\(\d+,\d+\): error TS(1361|1362|1485)\b.*'Product'/);
      assert.doesNotMatch(`${wrongEnum.stdout}${asValue.stdout}`, /TS2307|TS2305/, 'no missing module or export');
    });
  }

  it('runs, compiled, with plain node against the emulator over gRPC and REST: the same results', async () => {
    const emit = await run(process.execPath, [TSC, ...NODENEXT, '--outDir', 'out', 'app.mts'], install.dir);
    assert.equal(emit.code, 0, `${emit.stdout}${emit.stderr}`);
    const results: Record<string, unknown>[] = [];
    for (const [kind, target] of [
      ['grpc', emu.grpcAddress],
      ['rest', emu.httpUrl],
    ] as const) {
      const r = await run(process.execPath, [join('out', 'app.mjs'), kind, target], install.dir);
      assert.equal(r.code, 0, `${kind}: ${r.stderr}`);
      const result = JSON.parse(r.stdout) as Record<string, unknown>;
      assert.deepEqual(result, {
        product: `projects/demo/locations/${kind === 'grpc' ? 'us-west1' : 'us-east1'}/products/shoe`,
        parts: { project: 'demo', location: kind === 'grpc' ? 'us-west1' : 'us-east1', product: 'shoe' },
        violations: [['name', 'must match projects/*/locations/*/products/* (got "products/shoe")']],
        finalState: 'DONE',
        sawDone: true,
        createdIsDate: true,
        output: `gs://packed-types-out/${kind}/`,
        syncError: true,
        likely: 'VERY_LIKELY',
      });
      results.push({ ...result, product: undefined, parts: undefined, output: undefined });
    }
    assert.deepEqual(results[0], results[1]);
  });
});
