/**
 * The transcoding round trip, for every method with an HTTP rule (Vision,
 * Operations and the test-only Things service): a random valid request →
 * transcodeRequest → the gateway's match + decodeRequest → the same request.
 *
 * Two differences are inherent in the HTTP mapping, not bugs, and the
 * expectation accounts for them:
 * - a message field sent in the query whose fields are all at their default
 *   produces no parameter, so the server leaves it unset;
 * - an unset body field (`body: "field"`) is sent as `{}` (never `""`), so the
 *   server sets it to an empty message.
 * Fields that have no query form (maps, repeated messages, Any) are cleared
 * from the query-bound part of the generated request: sending them is an
 * error the unit tests cover.
 */
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { createMessage, type MessageInfo, messageInfo } from 'vision-kit/codec';
import type { MethodRow } from 'vision-kit/gen/schema/services.js';
import { createGateway, transcodeRequest } from 'vision-kit/transcoding';
import { isScalarDefault } from '../../src/schema/scalar.js';
import { type CompiledBinding, compileBinding } from '../../src/transcoding/http-binding.js';
import { arbitraryMessage } from '../support/arbitrary-message.js';
import { ALL_SERVICES } from '../transcoding/support.js';

type Obj = Record<string, unknown>;

const RUNS = 1000;
const gateway = createGateway(ALL_SERVICES);
const STRING_FORM = new Set(['google.protobuf.Timestamp', 'google.protobuf.Duration']);

function isPlainMessage(f: { kind: string; shape?: string | undefined; typeName?: string | undefined }): boolean {
  return f.kind === 'message' && f.shape === 'message' && !STRING_FORM.has(f.typeName!);
}

/** Clears what has no query form (maps, repeated messages, Any) inside a query-bound value. */
function sanitize(info: MessageInfo, msg: Obj): Obj {
  const out: Obj = { ...msg };
  for (const f of info.fields) {
    const v = out[f.tsName];
    if (v === undefined) continue;
    if (f.map) out[f.tsName] = {};
    else if (f.repeated && isPlainMessage(f)) out[f.tsName] = [];
    else if (!f.repeated && isPlainMessage(f)) {
      out[f.tsName] = f.typeName === 'google.protobuf.Any' ? undefined : sanitize(messageInfo(f.typeName!), v as Obj);
    }
  }
  return out;
}

/** True when a message sends no query parameter at all. */
function sendsNothing(info: MessageInfo, msg: Obj): boolean {
  for (const f of info.fields) {
    const v = msg[f.tsName];
    if (v === undefined) continue;
    if (f.repeated) {
      if ((v as unknown[]).length > 0) return false;
    } else if (f.map) {
      if (Object.keys(v as Obj).length > 0) return false;
    } else if (isPlainMessage(f)) {
      if (!sendsNothing(messageInfo(f.typeName!), v as Obj)) return false;
    } else if (f.hasPresence || f.kind === 'message') {
      return false;
    } else if (!(f.kind === 'enum' ? v === 0 : isScalarDefault(f.scalar!, v))) {
      return false;
    }
  }
  return true;
}

/** Unsets query-bound messages that send nothing (recursively). */
function dropSilentMessages(info: MessageInfo, msg: Obj, skipTop: ReadonlySet<string>): Obj {
  const out: Obj = { ...msg };
  for (const f of info.fields) {
    if (skipTop.has(f.tsName)) continue;
    const v = out[f.tsName];
    if (v === undefined || f.repeated || f.map || !isPlainMessage(f)) continue;
    const sub = messageInfo(f.typeName!);
    out[f.tsName] = sendsNothing(sub, v as Obj) ? undefined : dropSilentMessages(sub, v as Obj, new Set());
  }
  return out;
}

/** What the server must give back for `request` sent through binding `c`. */
function expected(c: CompiledBinding, request: Obj): Obj {
  const body = c.body;
  if (body.kind === 'all') return request;
  const keep = new Set<string>();
  if (body.kind === 'field') keep.add(body.field.tsName);
  // Path-bound messages (e.g. `thing` of `{thing.name}` without a body) stay: the path sets them.
  for (const v of c.vars) if (v.chain.length > 1) keep.add(v.chain[0]!.tsName);
  const out = dropSilentMessages(c.input, request, keep);
  if (body.kind === 'field' && out[body.field.tsName] === undefined && body.field.kind === 'message') {
    out[body.field.tsName] = createMessage(body.field.typeName!);
  }
  return out;
}

const piece = fc
  .oneof(
    { weight: 3, arbitrary: fc.stringMatching(/^[a-z0-9][a-z0-9-]{0,6}$/) },
    { weight: 2, arbitrary: fc.string({ unit: 'binary', minLength: 1, maxLength: 6 }) },
    { weight: 1, arbitrary: fc.constantFrom('a:b', ':run', 'x y', '%2F', '%2e%2e', '...', '+', '?#&=', '😀', 'é') },
  )
  .filter((s) => !s.includes('/') && s !== '.' && s !== '..');

/** Values of one binding's path variables that fit their patterns. */
function pathValues(c: CompiledBinding): fc.Arbitrary<string[]> {
  return fc.tuple(
    ...c.vars.map((v) => {
      const segs = c.template.segments.slice(v.variable.start, v.variable.end);
      return fc
        .tuple(
          ...segs.map((s) =>
            s.kind === 'literal'
              ? fc.constant(s.literal)
              : s.kind === '*'
                ? piece
                : fc.array(piece, { minLength: 1, maxLength: 3 }).map((a) => a.join('/')),
          ),
        )
        .map((parts) => parts.join('/'));
    }),
  );
}

function setPath(request: Obj, chain: CompiledBinding['vars'][number]['chain'], value: string): void {
  let node = request;
  for (let i = 0; i < chain.length - 1; i++) {
    const f = chain[i]!;
    const child = node[f.tsName];
    const copy = child === undefined ? createMessage(f.typeName!) : { ...(child as Obj) };
    node[f.tsName] = copy;
    node = copy as Obj;
  }
  node[chain[chain.length - 1]!.tsName] = value;
}

/** A request of `m` that some binding of `m` can carry. */
function arbitraryRequest(m: MethodRow): fc.Arbitrary<Obj> {
  const bindings = m.http.map((b) => compileBinding(m, b));
  const queryTop = new Set<string>();
  for (const c of bindings) {
    if (c.body.kind === 'all') continue;
    for (const f of c.input.fields) if (!(c.body.kind === 'field' && c.body.field === f)) queryTop.add(f.tsName);
  }
  return fc
    .tuple(
      arbitraryMessage<Obj>(m.input, { maxDepth: 3, maxLength: 2 }),
      fc.nat({ max: bindings.length - 1 }).chain((i) => pathValues(bindings[i]!).map((values) => [i, values] as const)),
    )
    .map(([msg, [i, values]]) => {
      const out: Obj = { ...msg };
      const info = bindings[0]!.input;
      for (const f of info.fields) {
        if (!queryTop.has(f.tsName) || out[f.tsName] === undefined) continue;
        if (f.map) out[f.tsName] = {};
        else if (f.repeated && isPlainMessage(f)) out[f.tsName] = [];
        else if (!f.repeated && isPlainMessage(f)) out[f.tsName] = sanitize(messageInfo(f.typeName!), out[f.tsName] as Obj);
      }
      for (const [k, v] of bindings[i]!.vars.entries()) setPath(out, v.chain, values[k]!);
      return out;
    });
}

describe('transcoding round trip: request → HTTP → request (every method with an HTTP rule)', function () {
  this.timeout(60_000);
  for (const [service, methods] of Object.entries(ALL_SERVICES)) {
    for (const m of methods) {
      if (m.http.length === 0) continue;
      for (const enumAsInt of [false, true]) {
        // Both enum encodings share the runs: 1,000 per method in all.
        const runs = enumAsInt ? RUNS / 4 : RUNS - RUNS / 4;
        it(`${service}.${m.name}${enumAsInt ? ' (enumAsInt)' : ''} (${runs} runs)`, () => {
          fc.assert(
            fc.property(arbitraryRequest(m), (request) => {
              const http = transcodeRequest(m, request, { enumAsInt });
              const hit = gateway.match(http.method, http.path);
              assert.ok(!('error' in hit), `${http.method} ${http.path}: ${'error' in hit ? hit.error.message : ''}`);
              assert.equal(hit.route.method, m, `${http.method} ${http.path} routed to ${hit.route.method.name}`);
              assert.equal(hit.route.binding, http.binding);
              const decoded = gateway.decodeRequest(hit, http.query, http.body ?? '');
              assert.equal(decoded.system.enumAsInt, enumAsInt);
              assert.deepStrictEqual(
                decoded.request,
                expected(hit.route.compiled, request),
                `${http.method} ${http.path}?${http.query} ${http.body ?? ''}`,
              );
            }),
            { seed: enumAsInt ? 7 : 42, numRuns: runs },
          );
        });
      }
    }
  }
});
