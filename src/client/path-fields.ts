/**
 * The one request check the client makes itself, before either transport:
 * the fields a method's HTTP path binds (`name` of GetProduct, `parent` of
 * ListProducts, `product.name` of UpdateProduct) must be set and fit their
 * pattern (`projects/*\/locations/*\/products/*`).
 *
 * Why here and not in each transport: over REST such a request cannot be
 * sent at all (there is no URL for it), while over gRPC it would reach the
 * server and come back as the server's own error — the same mistake giving
 * two different errors. Judged here, it is the same `PathFieldError` on
 * every transport: INVALID_ARGUMENT, the same message, and a
 * `google.rpc.BadRequest` detail naming the field by its proto path (as
 * Google's servers name fields).
 *
 * The bindings judged are the ones a REST call of the method would use (for
 * Operations' Get, Cancel and Delete, the service config's name shapes):
 * a request fits when one of them fits. A method without bindings
 * (WaitOperation) and a binding without variables (`/v1p4beta1/images:annotate`)
 * bind nothing. The client option `checkPathFields: false` turns the check
 * off, so tests of a server's own validation still reach the server.
 */
import { fieldValueToString } from '../codec/field-text.js';
import { Code } from '../core/code.js';
import { VisionError } from '../core/vision-error.js';
import { normalizeMessage } from '../schema/create-message.js';
import { ScalarType } from '../schema/registry.js';
import { type CompiledBinding, compileBinding, compileMethod } from '../transcoding/http-binding.js';
import { restBindings } from '../transcoding/operations-bindings.js';
import type { MethodRef } from '../transport/transport.js';

/** A request whose path-bound field is missing, empty or does not fit its pattern. INVALID_ARGUMENT with a BadRequest detail. */
export class PathFieldError extends VisionError {
  /** The method, e.g. `GetProduct`. */
  readonly method: string;
  /** The field's proto path, e.g. `name` or `product_set.name` (the BadRequest's `field`). */
  readonly field: string;
  /** The patterns it may take, one per binding (`projects/*\/locations/*\/products/*`). */
  readonly patterns: readonly string[];

  constructor(method: string, field: string, patterns: readonly string[], description: string) {
    super(Code.INVALID_ARGUMENT, `${method}: field "${field}" ${description}`, {
      details: [
        {
          type: 'google.rpc.BadRequest',
          value: normalizeMessage('google.rpc.BadRequest', { fieldViolations: [{ field, description }] }),
        },
      ],
    });
    this.name = 'PathFieldError';
    this.method = method;
    this.field = field;
    this.patterns = patterns;
  }
}

/** The compiled bindings a REST call of `ref` would use. */
function bindingsOf(ref: MethodRef): readonly CompiledBinding[] {
  const own = restBindings(ref);
  return own === undefined ? compileMethod(ref.method) : own.map((b) => compileBinding(ref.method, b));
}

/** One binding's verdict on a request: undefined when it fits, else the first variable that does not and its value. */
function misfit(c: CompiledBinding, request: object): { index: number; value: string | undefined } | undefined {
  const values: (string | undefined)[] = [];
  for (const v of c.vars) {
    let cur: unknown = request;
    for (const f of v.chain) {
      cur = cur !== null && typeof cur === 'object' ? (cur as Record<string, unknown>)[f.tsName] : undefined;
    }
    if (cur === undefined || cur === null) values.push(undefined);
    else if (typeof cur === 'string' && v.leaf.scalar === ScalarType.STRING) values.push(cur);
    else values.push(fieldValueToString(v.leaf, cur, { path: v.jsonPath, typeName: c.input.fullName }));
  }
  const r = c.template.tryExpand(values);
  if (typeof r === 'string') return undefined;
  const index = Math.max(
    0,
    c.vars.findIndex((v) => v.variable.name === r.variable),
  );
  return { index, value: values[index] };
}

/** The text of a pattern as a user writes names (`projects/*\/locations/*`; `*` for a bare `{name}`). */
function patternText(c: CompiledBinding, index: number): string {
  return c.vars[index]?.variable.pattern ?? '*';
}

/**
 * Throws a {@link PathFieldError} when no binding of the method fits the
 * request's path-bound fields; returns quietly when one does, when the method
 * has no bindings, or when `request` is not an object (the transport refuses
 * that with its own error). A path-bound value of the wrong JS type throws
 * the codec's FieldPathError naming it.
 */
export function checkPathFields(ref: MethodRef, request: unknown): void {
  if (request === null || typeof request !== 'object') return;
  const compiled = bindingsOf(ref);
  if (compiled.length === 0) return;
  let first: { c: CompiledBinding; index: number; value: string | undefined } | undefined;
  const patterns: string[] = [];
  for (const c of compiled) {
    if (c.vars.length === 0) return;
    const m = misfit(c, request);
    if (m === undefined) return;
    first ??= { c, ...m };
    // The other bindings' patterns for the same field, for the message.
    const same = c.vars.findIndex((v) => v.variable.name === first?.c.vars[first.index]?.variable.name);
    const text = patternText(c, same < 0 ? m.index : same);
    if (!patterns.includes(text)) patterns.push(text);
  }
  if (first === undefined) return;
  const field = first.c.vars[first.index]?.variable.name ?? '';
  const shape = patterns.length === 1 ? `must match ${patterns[0]}` : `must match one of ${patterns.join(', ')}`;
  const value = first.value;
  const got =
    value === undefined || value === ''
      ? 'it is empty'
      : value.split('/').some((p) => p === '.' || p === '..')
        ? `got ${JSON.stringify(value)}, which holds a "." or ".." segment`
        : `got ${JSON.stringify(value)}`;
  throw new PathFieldError(ref.method.name, field, patterns, `${shape} (${got})`);
}
