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
import { fieldValueToString } from '../codec/field-text.js';
import * as codes from '../core/codes.js';
import { VisionError } from '../core/vision-error.js';
import { createMessage } from '../schema/create-message.js';
import * as scalarTypes from '../schema/scalar-types.js';
import { type CompiledBinding, compileBinding, compileMethod, type VariableBinding } from '../transcoding/http-binding.js';
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

/** A binding's path variables with the test each value must pass. */
interface VariableCheck {
  readonly variable: VariableBinding;
  readonly fits: RegExp;
}

const checks = new WeakMap<CompiledBinding, readonly VariableCheck[]>();

const escapeRegExp = (text: string): string => text.replace(/[.*+?^${}()|[\]\\/-]/g, '\\$&');
/** One path piece: non-empty, no `/`, not `.` or `..`. */
const PIECE = '(?!\\.\\.?(?:/|$))[^/]+';
/** A string with a lone surrogate (not well-formed Unicode: it has no percent-encoding). */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/**
 * The values each variable of a binding accepts, as one RegExp per variable
 * (cached): exactly what the template's `tryExpand` accepts, without
 * building the path or a reason (a mismatch there costs microseconds, and
 * GetOperation tries four shapes). `test/client/path-fields.test.ts` holds
 * the two equal on generated values.
 */
function checksOf(c: CompiledBinding): readonly VariableCheck[] {
  let out = checks.get(c);
  if (out === undefined) {
    const segments = c.template.segments;
    out = c.vars.map((variable) => {
      const v = variable.variable;
      const parts = segments.slice(v.start, v.end);
      let source: string;
      if (!v.multiSegment) {
        const only = parts[0];
        source = only !== undefined && only.kind === 'literal' ? escapeRegExp(only.literal) : '(?!\\.\\.?$)[^]+';
      } else {
        source = parts
          .map((s) => (s.kind === 'literal' ? escapeRegExp(s.literal) : s.kind === '*' ? PIECE : `${PIECE}(?:/${PIECE})*`))
          .join('/');
      }
      return { variable, fits: new RegExp(`^(?:${source})$`) };
    });
    checks.set(c, out);
  }
  return out;
}

/** The value of a path variable in a request as text (undefined when unset), as the transcoder reads it. */
function pathValueOf(c: CompiledBinding, v: VariableBinding, request: object): string | undefined {
  let cur: unknown = request;
  for (const f of v.chain) cur = cur !== null && typeof cur === 'object' ? (cur as Record<string, unknown>)[f.tsName] : undefined;
  if (cur === undefined || cur === null) return undefined;
  if (typeof cur === 'string' && v.leaf.scalar === scalarTypes.STRING) return cur;
  return fieldValueToString(v.leaf, cur, { path: v.jsonPath, typeName: c.input.fullName });
}

/** The first variable of a binding whose value does not fit, with that value; undefined when all fit. */
function misfit(c: CompiledBinding, request: object): { check: VariableCheck; value: string | undefined } | undefined {
  for (const check of checksOf(c)) {
    const value = pathValueOf(c, check.variable, request);
    if (value === undefined || !check.fits.test(value) || LONE_SURROGATE.test(value)) return { check, value };
  }
  return undefined;
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
  let first: { check: VariableCheck; value: string | undefined } | undefined;
  for (const c of compiled) {
    const m = misfit(c, request);
    if (m === undefined) return;
    first ??= m;
  }
  if (first === undefined) return;
  const field = first.check.variable.variable.name;
  // The patterns the field may take, one per binding that binds it (GetOperation has four).
  const patterns: string[] = [];
  for (const c of compiled) {
    const text = c.vars.find((v) => v.variable.name === field)?.variable.pattern;
    if (text !== undefined && !patterns.includes(text)) patterns.push(text);
  }
  const shape = patterns.length === 1 ? `must match ${patterns[0]}` : `must match one of ${patterns.join(', ')}`;
  const value = first.value;
  const got = value === undefined || value === '' ? 'it is empty' : `got ${JSON.stringify(value)}`;
  throw new PathFieldError(ref.method.name, field, patterns, `${shape} (${got})`);
}
