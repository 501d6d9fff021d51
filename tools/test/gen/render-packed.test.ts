/**
 * `renderPacked` (tools/src/gen/tables/render-packed.ts) on a small model
 * made by hand: type names written `.Rest` in the package of the type before
 * them and read back whole by the library's reader, packs grouped by
 * package, bindings as space-separated text, and the tables it refuses (a
 * binding with a space, configured services without common Operations
 * routes).
 */
import assert from 'node:assert/strict';
import type { PackedTables } from '../../../gen/schema/packed.js';
import { typeNames } from '../../../src/schema/packed-tables.js';
import type { MessageProto } from '../../src/gen/descriptor-image.js';
import type { ApiHttpConfig, RouteRow } from '../../src/gen/tables/api-http-config.js';
import type { TableModel } from '../../src/gen/tables/model.js';
import { renderPacked } from '../../src/gen/tables/render-packed.js';

const ROUTES: RouteRow = {
  get: [{ method: 'GET', path: '/v1/{name=operations/**}' }],
  cancel: [{ method: 'POST', path: '/v1/{name=operations/**}:cancel', body: '*' }],
  delete: [{ method: 'DELETE', path: '/v1/{name=operations/**}' }],
};

const str = (name: string, number: number): MessageProto['field'] & object => [{ name, number, type: 'TYPE_STRING' }];

/** acme.v1.Things (GetThing, WatchThing) over messages in acme.v1 and other.pkg, and an enum. */
function model(): TableModel {
  const messages = new Map<string, MessageProto>([
    ['acme.v1.GetThingRequest', { name: 'GetThingRequest', field: str('name', 1) }],
    [
      'acme.v1.Thing',
      {
        name: 'Thing',
        field: [
          ...str('display_name', 1),
          { name: 'part', number: 2, type: 'TYPE_MESSAGE', typeName: '.other.pkg.Part' },
          { name: 'kind', number: 5, type: 'TYPE_ENUM', typeName: '.acme.v1.Thing.Kind' },
        ],
      },
    ],
    ['other.pkg.Part', { name: 'Part', field: [{ name: 'size', number: 1, type: 'TYPE_INT32' }] }],
    ['acme.v1.Thing.Detail', { name: 'Detail', field: str('note', 1) }],
    [
      'acme.v1.WatchThingRequest',
      { name: 'WatchThingRequest', field: [{ name: 'detail', number: 1, type: 'TYPE_MESSAGE', typeName: '.acme.v1.Thing.Detail' }] },
    ],
  ]);
  const rule = (get: string) => ({ '[google.api.http]': { get } });
  return {
    messages,
    known: new Set([...messages.keys(), 'acme.v1.Thing.Kind']),
    enums: new Map([['acme.v1.Thing.Kind', [['KIND_UNSPECIFIED', 0] as const, ['BIG', 1] as const, ['HUGE', 7] as const]]]),
    services: [
      {
        pkg: 'acme.v1',
        file: 'acme/v1/things.proto',
        s: {
          name: 'Things',
          method: [
            { name: 'GetThing', inputType: '.acme.v1.GetThingRequest', outputType: '.acme.v1.Thing', options: rule('/v1/{name=things/*}') },
            {
              name: 'WatchThing',
              inputType: '.acme.v1.WatchThingRequest',
              outputType: '.acme.v1.Thing',
              options: rule('/v1/{detail.note=*}:watch'),
            },
          ],
        },
      },
    ],
    resources: new Map(),
    origins: new Map(),
  };
}

const config = (
  routes: [string, RouteRow][],
  overrides: [string, ApiHttpConfig['overrides'] extends ReadonlyMap<string, infer B> ? B : never][] = [],
): ApiHttpConfig => ({
  overrides: new Map(overrides),
  routes: new Map(routes),
});

/** The object literal a rendered `export const NAME: PackedTables = {…};` holds. */
function packOf(text: string, name: string): PackedTables {
  const m = new RegExp(`export const ${name}: PackedTables = (\\{[\\s\\S]*?\\n\\});`).exec(text);
  assert.ok(m, `${name} in:\n${text}`);
  return new Function(`return (${m[1]});`)() as PackedTables;
}

describe('vision-kit gen: the packed tables (renderPacked)', () => {
  it("write a name in the package of the type before it as .Rest, which the library's reader reads back whole", () => {
    const text = renderPacked(model(), config([['acme.v1.Things', ROUTES]]));
    const pack = packOf(text, 'PACKED_THINGS');
    // Grouped by package: acme.v1's messages, then other.pkg's, then the enums (the first in another package than Part: whole).
    assert.deepEqual(
      pack.messages.map((m) => m.split(' ', 1)[0]),
      ['acme.v1.GetThingRequest', '.Thing', '.Thing.Detail', '.WatchThingRequest', 'other.pkg.Part'],
    );
    assert.deepEqual(pack.enums, ['acme.v1.Thing.Kind KIND_UNSPECIFIED BIG HUGE=7']);
    assert.deepEqual(typeNames(pack), [
      'acme.v1.GetThingRequest',
      'acme.v1.Thing',
      'acme.v1.Thing.Detail',
      'acme.v1.WatchThingRequest',
      'other.pkg.Part',
      'acme.v1.Thing.Kind',
    ]);
    // Thing's part refers to other.pkg.Part (index 4) and kind to the enum (index 5), field 5 after 2.
    assert.equal(pack.messages[1], '.Thing display_name,,i part,,4 kind,5,5');
  });

  it('write a binding as space-separated text with its trailing empty parts left out, and the shared routes once', () => {
    const override = [{ method: 'POST', path: '/v1/{name=things/*}:get', responseBody: 'display_name' }];
    const text = renderPacked(model(), config([['acme.v1.Things', ROUTES]], [['acme.v1.Things.GetThing', override]]));
    const pack = packOf(text, 'PACKED_THINGS');
    assert.deepEqual(
      pack.services[0]![1].map((m) => m[3]),
      [['POST /v1/{name=things/*}:get  display_name'], ['GET /v1/{detail.note=*}:watch']],
    );
    assert.equal(pack.services[0]![2], 0);
    assert.deepEqual(packOf(text, 'PACKED_BASE').routes, [
      ['GET /v1/{name=operations/**}'],
      ['POST /v1/{name=operations/**}:cancel *'],
      ['DELETE /v1/{name=operations/**}'],
    ]);
  });

  it('refuse a binding with a space and configured services without common Operations routes', () => {
    const spaced = [{ method: 'GET', path: '/v1/{name=things/*} x' }];
    assert.throws(
      () => renderPacked(model(), config([['acme.v1.Things', ROUTES]], [['acme.v1.Things.GetThing', spaced]])),
      /GET \/v1\/\{name=things\/\*\} x has a space: it cannot be packed/,
    );
    assert.throws(() => renderPacked(model(), config([])), /no Operations routes in common/);
    const other: RouteRow = { ...ROUTES, get: [{ method: 'GET', path: '/v2/{name=operations/**}' }] };
    assert.throws(
      () =>
        renderPacked(
          model(),
          config([
            ['acme.v1.Things', ROUTES],
            ['acme.v1.Others', other],
          ]),
        ),
      /no Operations routes in common/,
    );
  });
});
