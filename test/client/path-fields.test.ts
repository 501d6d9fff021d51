/**
 * One mistake, one error: a request whose path-bound field is missing or off
 * its pattern fails in the client before either transport, identically over
 * gRPC and REST (class, code, message, details), for every method of
 * ImageAnnotator, ProductSearch and Operations, against the emulator (which
 * sees no call). `checkPathFields: false` lets such a request reach a
 * server. And the check accepts exactly what the REST transcoder can build
 * a URL from (fast-check, every binding).
 */
import assert from 'node:assert/strict';
import fc from 'fast-check';
import {
  Code,
  createRawClient,
  ImageAnnotator,
  Operations,
  PathFieldError,
  ProductSearch,
  type ServiceDescriptor,
  VisionError,
} from 'vision-kit';
import type { MethodRow } from 'vision-kit/gen/schema/services.js';
import { checkPathFields } from '../../src/client/path-fields.js';
import { methodKey } from '../../src/schema/service-descriptor.js';
import { compileBinding, compileMethod } from '../../src/transcoding/http-binding.js';
import { restBindings } from '../../src/transcoding/operations-bindings.js';
import { transcodeRequest } from '../../src/transcoding/transcode-request.js';
import type { RunningEmulator } from '../../tools/src/emulator/emulator.js';
import { useEmulatorTransports } from '../support/emulator-transports.js';

const SERVICES: readonly ServiceDescriptor[] = [ImageAnnotator, ProductSearch, Operations];

/** The path-bound fields of a method (proto paths, e.g. `product.name`), with a value that fits every binding that binds them. */
function pathFields(service: ServiceDescriptor, method: MethodRow): Map<string, { chain: string[]; value: string }> {
  const ref = { service: service.fullName, method };
  const own = restBindings(ref);
  const compiled = own === undefined ? compileMethod(method) : own.map((b) => compileBinding(method, b));
  const out = new Map<string, { chain: string[]; value: string }>();
  for (const c of compiled) {
    for (const v of c.vars) {
      if (out.has(v.variable.name)) continue;
      const value = v.variable.pattern.replaceAll('**', 'x1').replaceAll('*', 'x1');
      out.set(v.variable.name, { chain: v.chain.map((f) => f.tsName), value });
    }
  }
  return out;
}

/** A request with `fields` set (ts-proto property chains), `drop` left out, `override` put in its place when given. */
function requestWith(fields: Map<string, { chain: string[]; value: string }>, drop: string, override?: unknown): Record<string, unknown> {
  const request: Record<string, unknown> = {};
  for (const [name, { chain, value }] of fields) {
    if (name === drop && override === undefined) continue;
    let node = request;
    for (const key of chain.slice(0, -1)) node = (node[key] ??= {}) as Record<string, unknown>;
    node[chain.at(-1)!] = name === drop ? override : value;
  }
  return request;
}

/** Everything two errors must agree on. */
function shapeOf(e: unknown): object {
  assert.ok(e instanceof VisionError, String(e));
  return { class: e.constructor.name, name: e.name, code: e.code, message: e.message, details: e.details, httpStatus: e.httpStatus };
}

/** A valid value with its last segment `..` (`operations` → `operations/..`). */
const withDots = (value: string): string => (value.endsWith('x1') ? `${value.slice(0, -2)}..` : `${value}/..`);

const totalCalls = (emu: RunningEmulator): number => Object.values(emu.stats.calls).reduce((a, b) => a + b, 0);

describe('client: path-bound fields, judged before either transport', function () {
  this.timeout(60_000);
  const env = useEmulatorTransports('vk-path-fields-');

  it('the methods without path-bound fields are exactly the annotation methods and WaitOperation', () => {
    const none = SERVICES.flatMap((s) => s.methods.filter((m) => pathFields(s, m).size === 0).map((m) => m.name));
    assert.deepEqual(none.sort(), [
      'AsyncBatchAnnotateFiles',
      'AsyncBatchAnnotateImages',
      'BatchAnnotateFiles',
      'BatchAnnotateImages',
      'WaitOperation',
    ]);
  });

  for (const service of SERVICES) {
    for (const method of service.methods) {
      const fields = pathFields(service, method);
      for (const field of fields.keys()) {
        it(`${service.name}.${method.name}: "${field}" missing, empty, off its pattern or with a ".." segment fails identically on gRPC and REST, and reaches no server`, async () => {
          const cases: [string, unknown][] = [
            ['missing', undefined],
            ['empty', ''],
            ['off its pattern', 'x'],
            ['with a ".." segment', withDots(fields.get(field)?.value ?? '')],
          ];
          for (const [label, value] of cases) {
            const request = requestWith(fields, field, value);
            const calls = totalCalls(env.emu);
            const errors: object[] = [];
            for (const transport of [env.grpc, env.rest]) {
              const client = createRawClient(service, transport) as unknown as Record<string, (r: object) => Promise<unknown>>;
              const e = await client[methodKey(method.name)]!(request).then(
                () => assert.fail(`${label}: ${transport.kind} resolved`),
                (err: unknown) => err,
              );
              assert.ok(e instanceof PathFieldError, `${label} over ${transport.kind}: ${String(e)}`);
              assert.equal(e.code, Code.INVALID_ARGUMENT);
              assert.equal(e.field, field);
              const violations = e.findDetail('google.rpc.BadRequest')?.value?.fieldViolations;
              assert.deepEqual(
                violations?.map((v) => v.field),
                [field],
                'a BadRequest naming the field',
              );
              assert.match(
                e.message,
                new RegExp(`^\\[INVALID_ARGUMENT\\] ${method.name}: field "${field.replace('.', '\\.')}" must match `),
              );
              errors.push(shapeOf(e));
            }
            assert.deepEqual(errors[0], errors[1], `${label}: the same error on both transports`);
            assert.equal(totalCalls(env.emu), calls, `${label}: the emulator saw no call`);
          }
        });
      }
    }
  }

  it('a value of the wrong type in a path field is the same error on both transports', async () => {
    const errors: object[] = [];
    for (const transport of [env.grpc, env.rest]) {
      const e = await createRawClient(ProductSearch, transport)
        .getProduct({ name: 5 as unknown as string })
        .catch((err: unknown) => err);
      errors.push(shapeOf(e));
    }
    assert.deepEqual(errors[0], errors[1]);
    assert.equal((errors[0] as { code: number }).code, Code.INVALID_ARGUMENT);
  });

  it('with checkPathFields: false the request reaches the server over gRPC (its own validation answers); REST still cannot build its URL', async () => {
    const calls = totalCalls(env.emu);
    const viaGrpc = await createRawClient(ProductSearch, env.grpc, { checkPathFields: false })
      .getProduct({ name: 'products/x' })
      .catch((err: unknown) => err);
    assert.ok(viaGrpc instanceof VisionError && !(viaGrpc instanceof PathFieldError), String(viaGrpc));
    assert.equal(viaGrpc.code, Code.INVALID_ARGUMENT);
    assert.equal(totalCalls(env.emu), calls + 1, 'the emulator answered it');
    const viaRest = await createRawClient(ProductSearch, env.rest, { checkPathFields: false })
      .getProduct({ name: 'products/x' })
      .catch((err: unknown) => err);
    assert.ok(viaRest instanceof VisionError && !(viaRest instanceof PathFieldError), String(viaRest));
    assert.match(viaRest.message, /cannot build the HTTP request/);
    assert.equal(totalCalls(env.emu), calls + 1);
    assert.throws(
      () => createRawClient(ProductSearch, env.grpc, { checkPathFields: 'no' as unknown as boolean }),
      (e: unknown) => e instanceof VisionError && e.code === Code.INVALID_ARGUMENT && /checkPathFields must be a boolean/.test(e.message),
    );
  });

  it('a valid request passes the check on both transports (the emulator answers NOT_FOUND, not the client)', async () => {
    for (const transport of [env.grpc, env.rest]) {
      const e = await createRawClient(ProductSearch, transport)
        .getProduct({ name: 'projects/p/locations/us-west1/products/none' })
        .catch((err: unknown) => err);
      assert.ok(e instanceof VisionError && e.code === Code.NOT_FOUND, String(e));
    }
  });

  it('accepts exactly the values the REST transcoder can put in a path, for every binding of every method (fast-check)', () => {
    const piece = fc.constantFrom(
      'projects',
      'locations',
      'operations',
      'products',
      'p',
      'x1',
      '.',
      '..',
      '',
      'a b',
      '%2F',
      ':v',
      '\uD800',
      'é',
    );
    const value = fc.array(piece, { minLength: 0, maxLength: 8 }).map((parts) => parts.join('/'));
    for (const service of SERVICES) {
      for (const method of service.methods) {
        const ref = { service: service.fullName, method };
        const bindings = restBindings(ref) ?? method.http;
        const fields = pathFields(service, method);
        if (fields.size === 0) continue;
        fc.assert(
          fc.property(fc.constantFrom(...fields.keys()), value, (field, v) => {
            const request = requestWith(fields, field, v);
            let built = true;
            try {
              transcodeRequest(method, request, { bindings });
            } catch {
              built = false;
            }
            let passed = true;
            try {
              checkPathFields(ref, request);
            } catch {
              passed = false;
            }
            assert.equal(passed, built, `${method.name} ${field}=${JSON.stringify(v)}`);
          }),
          { seed: 16, numRuns: 300 },
        );
      }
    }
  });
});
