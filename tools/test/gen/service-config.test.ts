/**
 * Service configs in the generator: what `readServiceConfig` accepts and
 * refuses (one line naming the file and the place), and what a config does
 * to the tables — the generated `OPERATION_ROUTES` of the services it
 * configures (operations.proto's rule where it says nothing) and bindings
 * that replace a method's annotation.
 */
import assert from 'node:assert/strict';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { GenStepError, generateBindings } from 'vision-kit-tools';
import { readServiceConfig } from '../../src/gen/service-config.js';
import { shelfProject } from './support/shelf-protos.js';

/** The object literal a generated `export const NAME: … = {…};` holds, parsed. */
function constOf(text: string, name: string): unknown {
  const m = new RegExp(`export const ${name}: [^=]+= (\\{[\\s\\S]*?\\n\\});`).exec(text);
  assert.ok(m, `${name} in:\n${text}`);
  return JSON.parse(m[1]!.replace(/,(\s*[}\]])/g, '$1'));
}

describe('vision-kit gen: service configs', function () {
  this.timeout(120_000);
  let project: string;
  before(() => {
    project = shelfProject();
  });
  after(() => rmSync(project, { recursive: true, force: true }));
  const config = (name: string, text: string): string => {
    writeFileSync(join(project, name), text);
    return join(project, name);
  };

  it('reads apis and http rules (snake_case keys, additional bindings)', () => {
    const file = config(
      'ok.yaml',
      [
        'type: google.api.Service',
        'config_version: 3',
        'name: shelf.example.com',
        'apis:',
        '- name: acme.shelf.v1.Shelf',
        'documentation: { summary: ignored }',
        'http:',
        '  rules:',
        '  - selector: google.longrunning.Operations.GetOperation',
        "    get: '/v1/operations/{name=**}'",
        '    additional_bindings:',
        "    - get: '/v1/{name=projects/*/operations/*}'",
        '  - selector: acme.shelf.v1.Shelf.GetBook',
        "    custom: { kind: HEAD, path: '/v2/{name=books/*}' }",
        '    response_body: name',
        '',
      ].join('\n'),
    );
    assert.deepEqual(readServiceConfig('ok.yaml', file), {
      file: 'ok.yaml',
      apis: ['acme.shelf.v1.Shelf'],
      rules: [
        {
          selector: 'google.longrunning.Operations.GetOperation',
          get: '/v1/operations/{name=**}',
          additionalBindings: [{ get: '/v1/{name=projects/*/operations/*}' }],
        },
        { selector: 'acme.shelf.v1.Shelf.GetBook', custom: { kind: 'HEAD', path: '/v2/{name=books/*}' }, responseBody: 'name' },
      ],
    });
  });

  it('refuses what it cannot read, naming the file and the place', () => {
    const refuse = (text: string, expected: RegExp): void => {
      const file = config('bad.yaml', text);
      assert.throws(() => readServiceConfig('bad.yaml', file), expected);
    };
    refuse('http: [unclosed', /^Error: service config bad\.yaml: /);
    refuse('- a list\n', /^Error: service config bad\.yaml is not a YAML mapping$/);
    refuse('type: google.api.Other\n', /type is "google\.api\.Other", not google\.api\.Service/);
    refuse('http:\n  rules:\n  - get: /v1/x\n', /http\.rules\[0\] has no selector/);
    refuse("http:\n  rules:\n  - selector: a.B.*\n    get: '/v1/x'\n", /selector "a\.B\.\*" has a wildcard/);
    refuse("http:\n  rules:\n  - selector: a.B.C\n    gett: '/v1/x'\n", /http\.rules\[0\]: unknown key "gett"/);
    refuse(
      "http:\n  rules:\n  - selector: a.B.C\n    get: '/v1/x'\n    additional_bindings:\n    - get: /v1/y\n      additional_bindings: []\n",
      /additional_bindings nest only one level/,
    );
    assert.throws(
      () => readServiceConfig('absent.yaml', join(project, 'absent.yaml')),
      /^Error: service config absent\.yaml does not exist$/,
    );
  });

  it('gives the configured services their Operations routes (proto rule where the config says nothing) and replaces bindings', async () => {
    config(
      'shelf_v1.yaml',
      [
        'type: google.api.Service',
        'apis:',
        '- name: acme.shelf.v1.Shelf',
        '- name: google.longrunning.Operations',
        'http:',
        '  rules:',
        '  - selector: google.longrunning.Operations.GetOperation',
        "    get: '/v1/operations/{name=**}'",
        '  - selector: google.longrunning.Operations.ListOperations',
        '    get: /v1/operations',
        '  - selector: google.cloud.location.Locations.ListLocations',
        "    get: '/v1/{name=projects/*}/locations'",
        '  - selector: acme.shelf.v1.Shelf.GetBook',
        "    get: '/v2/{name=books/*}'",
        '',
      ].join('\n'),
    );
    const result = await generateBindings({ inputs: ['protos'], out: 'gen', serviceConfigs: ['shelf_v1.yaml'], cwd: project });
    assert.deepEqual(result.unroutedOperations, [], 'the config names the service');
    const services = readFileSync(join(project, 'gen/schema/services.ts'), 'utf8');
    assert.match(services, /import type \{ MethodRow, OperationRouteRow \} from 'vision-kit\/gen\/schema\/services\.js';/);
    assert.deepEqual(constOf(services, 'OPERATION_ROUTES'), {
      'acme.shelf.v1.Shelf': {
        get: [{ method: 'GET', path: '/v1/operations/{name=**}' }],
        cancel: [{ method: 'POST', path: '/v1/{name=operations/**}:cancel', body: '*' }],
        delete: [{ method: 'DELETE', path: '/v1/{name=operations/**}' }],
      },
    });
    const rows = constOf(services, 'SERVICES') as Record<string, { name: string; http: unknown }[]>;
    assert.deepEqual(rows['acme.shelf.v1.Shelf']?.find((m) => m.name === 'GetBook')?.http, [{ method: 'GET', path: '/v2/{name=books/*}' }]);
    assert.deepEqual(rows['acme.shelf.v1.Shelf']?.find((m) => m.name === 'Reshelve')?.http, [
      { method: 'POST', path: '/v1/{name=books/*}:reshelve', body: '*' },
    ]);
  });

  it('without a service config the table of routes is empty, and the service that returns operations is named as unrouted', async () => {
    const result = await generateBindings({ inputs: ['protos'], out: 'gen', cwd: project });
    assert.deepEqual(constOf(readFileSync(join(project, 'gen/schema/services.ts'), 'utf8'), 'OPERATION_ROUTES'), {});
    assert.deepEqual(result.unroutedOperations, ['acme.shelf.v1.Shelf']);
  });

  it('a config naming no API routes every service; one naming another service leaves this one unrouted', async () => {
    config('any.yaml', "http:\n  rules:\n  - selector: google.longrunning.Operations.GetOperation\n    get: '/v1/{name=ops/**}'\n");
    const any = await generateBindings({ inputs: ['protos'], out: 'gen', serviceConfigs: ['any.yaml'], cwd: project });
    assert.deepEqual(any.unroutedOperations, []);
    config('both.yaml', 'apis:\n- name: acme.shelf.v1.Shelf\n- name: acme.other.v1.Other\n');
    const both = await generateBindings({ inputs: ['protos'], out: 'gen', serviceConfigs: ['both.yaml'], cwd: project });
    assert.deepEqual(both.unroutedOperations, []);
  });

  it('fails in one line on a config for other services, or a route that does not bind {name=…}', async () => {
    config('other.yaml', 'apis:\n- name: acme.other.v1.Other\n');
    const other = await generateBindings({ inputs: ['protos'], out: 'gen', serviceConfigs: ['other.yaml'], cwd: project }).catch(
      (e: unknown) => e,
    );
    assert.ok(other instanceof GenStepError, String(other));
    assert.equal(
      other.message,
      'gen: step "tables" failed: service config other.yaml configures none of the generated services (it names acme.other.v1.Other; generated: acme.shelf.v1.Shelf)',
    );
    config(
      'badroute.yaml',
      "http:\n  rules:\n  - selector: google.longrunning.Operations.GetOperation\n    get: '/v1/{id=operations/*}'\n",
    );
    const route = await generateBindings({ inputs: ['protos'], out: 'gen', serviceConfigs: ['badroute.yaml'], cwd: project }).catch(
      (e: unknown) => e,
    );
    assert.ok(route instanceof GenStepError, String(route));
    assert.equal(
      route.message,
      'gen: step "tables" failed: service config badroute.yaml: the rule for google.longrunning.Operations.GetOperation: GET /v1/{id=operations/*} must bind exactly {name=…} (the operation\'s name)',
    );
    const missing = await generateBindings({ inputs: ['protos'], out: 'gen', serviceConfigs: ['nope.yaml'], cwd: project }).catch(
      (e: unknown) => e,
    );
    assert.ok(
      missing instanceof GenStepError && missing.message === 'gen: step "locate" failed: service config nope.yaml does not exist',
      String(missing),
    );
  });
});
