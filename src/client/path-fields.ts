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

import type { MethodRow } from '../../gen/schema/services.js';
import * as codes from '../core/codes.js';
import { VisionError } from '../core/vision-error.js';
import { createMessage } from '../schema/create-message.js';
import { type CompiledBinding, compileBinding, compileMethod, pathValues } from '../transcoding/http-binding.js';
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
    super(codes.INVALID_ARGUMENT, `${method}: field "${field}" ${description}`, {
      details: [
        {
          type: 'google.rpc.BadRequest',
          value: { fieldViolations: [{ ...createMessage('google.rpc.BadRequest.FieldViolation'), field, description }] },
        },
      ],
    });
    this.name = 'PathFieldError';
    this.method = method;
    this.field = field;
    this.patterns = patterns;
  }
}

const bindingCache = new WeakMap<MethodRow, { readonly service: string; readonly compiled: readonly CompiledBinding[] }>();

/** The compiled bindings a REST call of `ref` would use (cached per method row). */
function bindingsOf(ref: MethodRef): readonly CompiledBinding[] {
  const hit = bindingCache.get(ref.method);
  if (hit !== undefined && hit.service === ref.service) return hit.compiled;
  const own = restBindings(ref);
  const compiled = own === undefined ? compileMethod(ref.method) : own.map((b) => compileBinding(ref.method, b));
  bindingCache.set(ref.method, { service: ref.service, compiled });
  return compiled;
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
  // A request fits when one binding can be built from it: the check is the transcoder's own
  // (`tryExpand`), so both accept exactly the same values. A binding the transcoder cannot
  // build for any request (a wildcard outside a variable) is not the request's fault.
  const compiled = bindingsOf(ref);
  let first: { field: string; value: string | undefined } | undefined;
  for (const c of compiled) {
    const values = pathValues(c, request);
    const r = c.template.tryExpand(values);
    if (typeof r === 'string' || r.variable === '') return;
    first ??= { field: r.variable, value: values[c.template.variables.findIndex((v) => v.name === r.variable)] };
  }
  if (first === undefined) return;
  const { field, value } = first;
  // The patterns the field may take, one per binding that binds it (GetOperation has four).
  const patterns: string[] = [];
  for (const c of compiled) {
    const text = c.vars.find((v) => v.variable.name === field)?.variable.pattern;
    if (text !== undefined && !patterns.includes(text)) patterns.push(text);
  }
  const shape = patterns.length === 1 ? `must match ${patterns[0]}` : `must match one of ${patterns.join(', ')}`;
  const got = value === undefined || value === '' ? 'it is empty' : `got ${JSON.stringify(value)}`;
  throw new PathFieldError(ref.method.name, field, patterns, `${shape} (${got})`);
}
