/**
 * The packed tables (gen/schema/packed.ts, what the built-in descriptors and
 * so the browser bundles are made from) against the full ones
 * (messages.ts, services.ts): every row decoded from a pack equals the full
 * table's, every service has its pack, and each pack holds exactly the types
 * its service reaches beyond the base.
 */
import assert from 'node:assert/strict';
import { ENUMS, MESSAGES } from 'vision-kit/gen/schema/messages.js';
import { PACKED_BASE, PACKED_IMAGE_ANNOTATOR, PACKED_PRODUCT_SEARCH, type PackedTables } from 'vision-kit/gen/schema/packed.js';
import { OPERATION_ROUTES, SERVICES } from 'vision-kit/gen/schema/services.js';
import { basePack, typeNames, unpackTables, visionOperationRoutes } from '../../src/schema/packed-tables.js';

/** Every type `roots` reach through message fields. */
function reach(roots: readonly string[]): Set<string> {
  const seen = new Set<string>();
  const stack = [...roots];
  while (stack.length > 0) {
    const name = stack.pop()!;
    if (seen.has(name)) continue;
    seen.add(name);
    for (const row of MESSAGES[name] ?? []) if (typeof row[2] === 'string') stack.push(row[2]);
  }
  return seen;
}

const typesOf = (pack: PackedTables): string[] => typeNames(pack);

describe('schema: the packed tables', () => {
  const base = unpackTables(PACKED_BASE);
  const packs: [string, PackedTables][] = [
    ['google.longrunning.Operations', PACKED_BASE],
    ['google.cloud.vision.v1p4beta1.ImageAnnotator', PACKED_IMAGE_ANNOTATOR],
    ['google.cloud.vision.v1p4beta1.ProductSearch', PACKED_PRODUCT_SEARCH],
  ];

  it('decode to the rows of the full tables: messages, enums, methods and Operations routes', () => {
    for (const [service, pack] of packs) {
      const got = pack === PACKED_BASE ? base : unpackTables(pack, base);
      assert.deepEqual(got.services, { [service]: SERVICES[service] }, service);
      assert.deepEqual(got.routes, OPERATION_ROUTES[service] === undefined ? {} : { [service]: OPERATION_ROUTES[service] }, service);
      for (const [name, rows] of Object.entries(got.messages)) assert.deepStrictEqual(rows, MESSAGES[name], name);
      for (const [name, values] of Object.entries(got.enums)) assert.deepStrictEqual(values, ENUMS[name], name);
      assert.equal(Object.keys(got.messages).length + Object.keys(got.enums).length, typesOf(pack).length);
      assert.deepEqual(got.names.slice(pack === PACKED_BASE ? 0 : base.names.length), typesOf(pack), `${service}: the type indices`);
    }
  });

  it("hold the Operations routes Vision's services share in the base pack: every configured service's row", () => {
    const configured = Object.keys(OPERATION_ROUTES);
    assert.ok(configured.length > 0);
    for (const service of configured) assert.deepEqual(base.sharedRoutes, OPERATION_ROUTES[service], service);
    assert.equal(visionOperationRoutes(), basePack().sharedRoutes);
    assert.deepEqual(visionOperationRoutes().get, OPERATION_ROUTES['google.cloud.vision.v1p4beta1.ImageAnnotator']!.get);
  });

  it('register rows equal to the full tables (registering those again is no clash)', async () => {
    const { messageInfo, enumInfo } = await import('../../src/schema/registry.js');
    const { registerVisionTables } = await import('../../src/schema/vision-tables.js');
    for (const [, pack] of packs) if (pack !== PACKED_BASE) unpackTables(pack, base);
    registerVisionTables();
    for (const name of [...typesOf(PACKED_BASE), ...typesOf(PACKED_IMAGE_ANNOTATOR), ...typesOf(PACKED_PRODUCT_SEARCH)]) {
      if (name in MESSAGES) assert.equal(messageInfo(name).fields.length, MESSAGES[name]!.length, name);
      else assert.deepEqual(enumInfo(name).values, ENUMS[name], name);
    }
  });

  it('hold what their service reaches beyond the base, and the base what Operations and google.rpc reach', () => {
    const rpc = Object.keys(MESSAGES).filter((n) => n.startsWith('google.rpc.'));
    const methodTypes = (service: string): string[] =>
      SERVICES[service]!.flatMap((m) => [
        m.input,
        m.output,
        ...(m.operationInfo ? [m.operationInfo.responseType, m.operationInfo.metadataType] : []),
      ]);
    const baseTypes = reach([...methodTypes('google.longrunning.Operations'), ...rpc]);
    assert.deepEqual(new Set(typesOf(PACKED_BASE)), baseTypes);
    for (const [service, pack] of packs.slice(1)) {
      const want = [...reach(methodTypes(service))].filter((t) => !baseTypes.has(t));
      assert.deepEqual(new Set(typesOf(pack)), new Set(want), service);
    }
    // An ImageAnnotator app carries no ProductSearch request or ProductSet.
    assert.ok(!typesOf(PACKED_IMAGE_ANNOTATOR).includes('google.cloud.vision.v1p4beta1.CreateProductRequest'));
    assert.ok(!typesOf(PACKED_IMAGE_ANNOTATOR).includes('google.cloud.vision.v1p4beta1.ProductSet'));
    assert.ok(!typesOf(PACKED_PRODUCT_SEARCH).includes('google.cloud.vision.v1p4beta1.FaceAnnotation'));
    // Every service of the tables has its pack.
    assert.deepEqual(Object.keys(SERVICES).sort(), packs.map(([s]) => s).sort());
  });
});
